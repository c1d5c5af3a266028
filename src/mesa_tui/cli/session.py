"""`mesa` with no sub-command: the TUI, as the agent the OS user is (or `--as` for an
administrator), or as a password account with `--login`. The session's start and end
are audited, with where it came from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from mesa_tui.cli import common

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity


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


def run_app(
    desk: Desk, identity: Identity, actor: ActorInfo | None, where: str, idle_minutes: float | None = None
) -> int:
    """Run the TUI as `actor` (None: the login screen first) until it ends, and audit the end."""
    from mesa_tui.keymap import KeymapError, load_keymap

    try:
        keymap = load_keymap()
    except KeymapError as exc:
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
