"""What every command shares: who runs it, which database, JSON output.

Commands read the OS login through `os_login()` in this module (never a copy
of it), so a test can stand in for the user by replacing that one function.
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mesa_tui.domain.text import thousands

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.desk import Desk
    from mesa_tui.store.engine import Database

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (containers)
        return "unknown"


def database(args: argparse.Namespace, create: bool = False) -> Database:
    """The desk's database, checked: a well-formed URL, an existing file (unless
    `create`, for `mesa db upgrade`), a server that answers, a schema this
    program knows. Each failure is one Spanish sentence (a StoreError)."""
    from mesa_tui.store.migrate import open_database

    return open_database(args.db, create=create)


def desk(args: argparse.Namespace) -> Desk:
    from mesa_tui.services.desk import Desk

    return Desk(database(args))


def actor(args: argparse.Namespace, desk: Desk) -> ActorInfo:
    """The OS user, or the agent named by `--as` (which only an admin may do)."""
    return desk.resolve_actor(os_login(), args.as_login)


def admin_or_setup(args: argparse.Namespace, db: Database) -> ActorInfo | None:
    """Admin tasks need an admin, except on a desk with no agents yet (setup)."""
    from mesa_tui.services.desk import Desk

    desk = Desk(db)
    if not desk.agents() and args.as_login is None:
        return None
    return desk.resolve_actor(os_login(), args.as_login)


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and durations as plain JSON values (durations in seconds)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {k: jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    return value


def print_json(value: Any) -> None:
    print(json.dumps(jsonable(value), ensure_ascii=False, indent=2))


def number_between(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (0 or more)."""

    def parse(text: str) -> int:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(
                f"«{text}» no es válido: use un número entero de {low} a {thousands(high)}"
            )
        return int(text)

    return parse
