"""`mesa` with no sub-command: the TUI, as the agent the OS user is (or `--as` for an
administrator), or as a password account with `--login`; and `mesa session --agent
LOGIN`, the forced command of an SSH key in the service account's authorized_keys.
The session's start and end are audited, with where it came from, and registered
(Administración → Sesiones)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from mesa_tui.cli import common

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity

NO_TERMINAL = (
    "Error: la mesa de ayuda necesita una terminal: conéctese con «ssh -t» "
    "(o sin pedir otra orden: «ssh cuenta@servidor»)."
)


def register(subparsers: common.Subparsers) -> None:
    p = subparsers.add_parser(
        "session",
        help="la sesión de una llave SSH (la orden forzada de authorized_keys; solo la cuenta de servicio SSH)",
    )
    p.add_argument("--agent", required=True, metavar="LOGIN", help="el agente de la llave")
    p.set_defaults(func=cmd_session)


def cmd_run(args: argparse.Namespace) -> int:
    desk = common.desk(args)
    identity = common.identity(desk.db)
    where = common.where()
    if args.login and args.as_login:
        print(
            "Error: --login y --as no se combinan: quien ingresa con contraseña actúa como sí mismo.", file=sys.stderr
        )
        return 2
    actor = None
    if not args.login:
        method = f"sistema operativo, --as {args.as_login}" if args.as_login else "sistema operativo"
        actor = identity.open_session(common.actor(args, desk), where, method)
    return run_app(desk, identity, actor, where)


def cmd_session(args: argparse.Namespace) -> int:
    """The forced command: whatever the client asked to run, this session runs, as the
    agent the key was registered for, and only for the SSH service account under sshd."""
    desk = common.desk(args)
    identity = common.identity(desk.db)
    where = common.where()
    ssh = os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_CLIENT") or ""
    agent = identity.from_ssh(common.os_login(), args.agent, ssh, where)
    if not has_terminal():
        print(NO_TERMINAL, file=sys.stderr)
        return 2
    asked = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    method = "llave SSH" + (" (orden pedida ignorada)" if asked else "")
    return run_app(desk, identity, identity.open_session(agent, where, method, kind="ssh"), where)


def has_terminal() -> bool:
    """Whether the client asked for a terminal (ssh without -T, or -t with a command)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_app(
    desk: Desk, identity: Identity, actor: ActorInfo | None, where: str, idle_minutes: float | None = None
) -> int:
    """Run the TUI as `actor` (None: the login screen first) until it ends, and audit the end."""
    from mesa_tui.keymap import KeymapError, load_keymap

    try:
        keymap = load_keymap()
    except KeymapError as exc:
        if actor is not None:
            identity.close_session(actor, where, "mapa de teclas inválido")
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    from mesa_tui.app import MesaApp
    from mesa_tui.screens.loading import SESSION_ENDED

    app = MesaApp(desk, actor, keymap=keymap, identity=identity, where=where, idle_minutes=idle_minutes)
    app.run()
    ended = app.return_code == SESSION_ENDED
    if app.session_actor is not None:
        identity.close_session(app.session_actor, where, "usuario desactivado" if ended else "")
    return 1 if ended else (app.return_code or 0)
