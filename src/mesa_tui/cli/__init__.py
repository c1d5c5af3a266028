"""The `mesa` command: start the TUI, or run a scripted task.

One module per command group (tickets, catalog, reports, admin), each adding
its sub-commands to the parser built here. Heavy modules (textual, the
services, the database) are imported only by the handlers that need them, so
`mesa --help` and scripted commands start fast and never load the TUI.
"""

from __future__ import annotations

import argparse
import sys

from mesa_tui.cli import admin, catalog, reports, session, tickets


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mesa", description="Mesa de ayuda de TI en la terminal.")
    p.add_argument("--as", dest="as_login", metavar="LOGIN", help="actuar como otro agente (administradores)")
    p.add_argument("--login", action="store_true", help="ingresar con usuario y contraseña (cuentas con contraseña)")
    p.add_argument("--db", help="URL de la base de datos (por defecto MESA_DATABASE_URL o sqlite:///db/mesa.db)")
    p.set_defaults(func=session.cmd_run)
    sub = p.add_subparsers(dest="command")
    reports.register(sub)
    admin.register_db(sub)
    catalog.register(sub)
    admin.register(sub)
    tickets.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from mesa_tui.services.errors import ServiceError

    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except ServiceError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 2
    except ValueError as exc:
        # Catalog file errors and other refused input: the message names the line or field.
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"Error: no se encontró el archivo {exc.filename or exc}", file=sys.stderr)
        return 2
    return result
