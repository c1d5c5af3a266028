"""`mesa web`: the desk in a browser, served by textual-serve.

Each browser tab gets its own process, `mesa web --session`, which starts at the
login screen: nothing of the desk is shown before a password login, and a session
left without a key or a click for `--idle-minutes` (the settings' `web_idle_minutes`,
30 by default) is logged out, audited, back to the login. The server checks the
database once and hands its location to the tabs' processes through their
environment, never their command line; the browser never sees it.

The server speaks plain HTTP: it listens on loopback unless `--allow-remote`, and
belongs behind a TLS reverse proxy (README).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from typing import TYPE_CHECKING

from mesa_tui.cli import common

if TYPE_CHECKING:
    from mesa_tui.cli.common import Subparsers

DEFAULT_PORT = 8080
DEFAULT_MAX_SESSIONS = 60
# How the server tells a tab's process where its browser is (audit only: never identity).
CLIENT_ENV = "MESA_WEB_CLIENT"
_ADDRESS = re.compile(r"[0-9A-Fa-f:.]{1,45}")


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "web",
        help="servir la mesa de ayuda en el navegador (un proceso por pestaña, detrás de un proxy TLS)",
        description="Sirve la mesa de ayuda en el navegador: cada pestaña empieza en el ingreso con contraseña. "
        "Habla HTTP sin cifrar: póngala detrás de un proxy TLS (vea el README).",
    )
    p.add_argument("--host", default="127.0.0.1", help="dirección en la que escucha (por defecto 127.0.0.1)")
    p.add_argument(
        "--port", type=common.number_between(1, 65535), default=DEFAULT_PORT, help="puerto (por defecto 8080)"
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="la dirección con la que los navegadores llegan, la del proxy (p. ej. https://mesa.entidad.gov.co)",
    )
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="escuchar en una dirección que no es local (solo si el proxy TLS está en otra máquina)",
    )
    p.add_argument(
        "--idle-minutes",
        type=minutes,
        metavar="N",
        help="minutos sin actividad antes de cerrar la sesión (por defecto web_idle_minutes de la configuración, o 30)",
    )
    p.add_argument(
        "--max-sessions",
        type=common.number_between(1, 1000),
        default=DEFAULT_MAX_SESSIONS,
        help=f"pestañas abiertas a la vez como máximo (por defecto {DEFAULT_MAX_SESSIONS})",
    )
    p.add_argument("--session", action="store_true", help=argparse.SUPPRESS)  # one tab's process
    p.set_defaults(func=cmd_web)


def minutes(text: str) -> float:
    from mesa_tui.store.config import idle_minutes_problem

    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es un número de minutos") from None
    if problem := idle_minutes_problem(value):
        raise argparse.ArgumentTypeError(problem)
    return value


def cmd_web(args: argparse.Namespace) -> int:
    if args.session:
        return _run_session(args)
    if not common.is_loopback(args.host) and not args.allow_remote:
        print(
            f"Error: --host {args.host} no es una dirección local. mesa web habla HTTP sin cifrar: escuche en "
            "127.0.0.1 detrás de un proxy TLS (vea el README), o use --allow-remote si el proxy está en otra máquina.",
            file=sys.stderr,
        )
        return 2
    from mesa_tui.store.config import web_idle_minutes

    idle = args.idle_minutes if args.idle_minutes is not None else web_idle_minutes()
    db = common.database(args)  # refused here, once, rather than in every tab
    url = db.url
    db.dispose()
    # The tabs' processes inherit the environment (readable by this account only),
    # so the URL and its password never reach a command line.
    os.environ["MESA_DATABASE_URL"] = url
    command = shlex.join([sys.executable, "-m", "mesa_tui", "web", "--session", "--idle-minutes", f"{idle:g}"])
    from mesa_tui.cli.web_server import DeskServer

    DeskServer(
        command,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
        client_env=CLIENT_ENV,
    ).serve()
    return 0


def browser_where() -> str:
    """Where a tab's session comes from, for the audit: the browser's address the
    server passed on (only an address's characters are kept)."""
    address = os.environ.get(CLIENT_ENV, "")
    return f"navegador {address}" if _ADDRESS.fullmatch(address) else "navegador"


def _run_session(args: argparse.Namespace) -> int:
    from mesa_tui.cli.session import run_app
    from mesa_tui.store.config import web_idle_minutes

    idle = args.idle_minutes if args.idle_minutes is not None else web_idle_minutes()
    desk = common.desk(args)
    return run_app(desk, common.identity(desk.db), None, browser_where(), idle_minutes=idle)
