"""The `mesa` command: start the TUI, or run a scripted task.

One module per command group (tickets, catalog, reports, admin), each adding
its sub-commands to the parser built here. Heavy modules (textual, the
services, the database) are imported only by the handlers that need them, so
`mesa --help` and scripted commands start fast and never load the TUI.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from typing import NoReturn

from mesa_tui.cli import admin, audit, backup, catalog, reports, requesters, session, ssh, tickets, web


class MesaParser(argparse.ArgumentParser):
    """argparse that refuses bad arguments in one Spanish line, not a usage block."""

    _SPANISH = (
        (re.compile(r"the following arguments are required: (.+)"), r"faltan los argumentos: \1"),
        (
            re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)"),
            r"\1 no acepta «\2» (use: \3)",
        ),
        (re.compile(r"argument (\S+): invalid (\w+) value: '(.*)'"), r"\1 no acepta «\3»"),
        (re.compile(r"argument (\S+): expected one argument"), r"\1 necesita un valor"),
        (re.compile(r"argument (\S+): (.+)"), r"\1: \2"),
        (re.compile(r"unrecognized arguments: (.+)"), r"argumentos desconocidos: \1"),
    )

    def error(self, message: str) -> NoReturn:
        for pattern, spanish in self._SPANISH:
            if pattern.fullmatch(message):
                message = pattern.sub(spanish, message)
                break
        if _JSON_ERRORS:
            _json_error(f"{message}. Vea «{self.prog} --help».", 2)
            self.exit(2)
        self.exit(2, f"Error: {message}. Vea «{self.prog} --help».\n")


# Set by main when the command line asks for --json: its errors are JSON too.
_JSON_ERRORS = False


def _json_error(message: str, code: int) -> None:
    """An error a script reads: {"error": "...", "exit": N} on one line of stderr."""
    import json

    with contextlib.suppress(BrokenPipeError):
        print(json.dumps({"error": message, "exit": code}, ensure_ascii=False), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = MesaParser(prog="mesa", description="Mesa de ayuda de TI en la terminal.")
    p.add_argument("--as", dest="as_login", metavar="LOGIN", help="actuar como otro agente (administradores)")
    p.add_argument("--login", action="store_true", help="ingresar con usuario y contraseña (cuentas con contraseña)")
    p.add_argument(
        "--db", help="URL de la base de datos (por defecto MESA_DATABASE_URL, el archivo de configuración o db/mesa.db)"
    )
    p.set_defaults(func=session.cmd_run)
    sub = p.add_subparsers(dest="command")
    reports.register(sub)
    admin.register_db(sub)
    catalog.register(sub)
    admin.register(sub)
    audit.register(sub)
    backup.register(sub)
    tickets.register(sub)
    ssh.register(sub)
    session.register(sub)
    web.register(sub)
    requesters.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command. Whatever happens, the user reads one line, never a
    traceback: a refusal or a broken database as its Spanish sentence (exit 2),
    anything unforeseen as "Error inesperado" (exit 70), and a reader that
    stopped reading (`| head`) ends the output quietly: what was done is done.
    With --json on the command line, the error is one JSON object on stderr."""
    global _JSON_ERRORS
    _JSON_ERRORS = "--json" in (sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _refused(exc)
    return result


def _refused(exc: BaseException) -> int:
    from mesa_tui.domain.errors import DeskError, describe_os_error
    from mesa_tui.store.engine import safe_url

    if isinstance(exc, DeskError):
        message, code = exc.message, 2
    elif isinstance(exc, OSError):
        message, code = describe_os_error(exc), 2
    elif isinstance(exc, ValueError):
        # Catalog file errors and other refused input: the message names the line or field.
        message, code = str(exc), 2
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        message, code = f"Error inesperado ({type(exc).__name__}): {first}", 70
    if _JSON_ERRORS:
        _json_error(safe_url(message), code)
        return code
    with contextlib.suppress(BrokenPipeError):
        print(f"Error: {safe_url(message)}", file=sys.stderr)
    return code


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush doesn't fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
