"""What every command shares: who runs it, which database, JSON output.

Commands read the OS login through `os_login()` in this module (never a copy
of it), so a test can stand in for the user by replacing that one function.
The login is the real uid's, from the system's user database: never $LOGNAME or
$USER, which anyone can set.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import pwd
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mesa_tui.domain.text import thousands

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def os_login() -> str:
    """The login of the real uid (a uid with no entry in the user database is named
    by its number, which no agent's login can be)."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def where() -> str:
    """Where the session comes from, for the audit: the SSH client's address when
    there is one, and the terminal."""
    parts = []
    ssh = (os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_CLIENT") or "").split()
    if ssh:
        parts.append(f"SSH {ssh[0]}")
    try:
        parts.append(f"terminal {os.ttyname(sys.stdin.fileno())}")
    except (OSError, ValueError, AttributeError):
        parts.append("terminal sin tty")
    return " · ".join(parts)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine's loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def database(args: argparse.Namespace, create: bool = False) -> Database:
    """The desk's database, checked: a well-formed URL, an existing file (unless
    `create`, for `mesa db upgrade`), a server that answers, a schema this
    program knows. Each failure is one Spanish sentence (a StoreError)."""
    from mesa_tui.store.migrate import open_database

    return open_database(args.db, create=create)


def desk(args: argparse.Namespace) -> Desk:
    from mesa_tui.services.desk import Desk

    return Desk(database(args))


def identity(db: Database) -> Identity:
    """Sessions over `db`, with the directory server the settings name (if any)."""
    from mesa_tui.services.directory import directory_from_settings
    from mesa_tui.services.identity import Identity

    return Identity(db, directory=directory_from_settings())


def actor(args: argparse.Namespace, desk: Desk) -> ActorInfo:
    """The agent the OS user is, or the one named by `--as` (which only an admin may
    do: the events then name both)."""
    return identity(desk.db).from_os(os_login(), args.as_login, where())


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
