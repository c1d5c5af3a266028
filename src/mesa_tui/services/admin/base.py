"""What every administration use case shares: the admin check, one transaction with
the role re-checked inside it, and the audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import Role
from mesa_tui.services.clock import utcnow
from mesa_tui.services.errors import PermissionDenied
from mesa_tui.store import tickets_repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Database, Session

T = TypeVar("T")
# An administration change inside its transaction: (session, the admin as stored now, now).
Change = Callable[[Session, ActorInfo, datetime], T]


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f: (before[f], after[f]) for f in before if before[f] != after[f]}


def require_admin(actor: ActorInfo | None, what: str) -> None:
    if actor is None or not actor.is_admin:
        raise PermissionDenied(f"Solo un administrador puede {what}.")


class AdminBase:
    """The database and clock the administration use cases run on."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow):
        self.db = db
        self.now = now

    def _write(self, actor: ActorInfo, what: str, fn: Change[T]) -> T:
        def tx(s: Session) -> T:
            # The instant is read once the write lock is held, so a change that waited
            # behind an agent's transaction is never stamped before it (nor moves a
            # running clock's anchor back into time that was paused).
            now = self.now()
            # The role is checked again inside the transaction: it may have changed since login.
            who = tickets_repo.actor_by_id(s, actor.id)
            if who is None or not who.active or who.role != Role.ADMIN:
                raise PermissionDenied(f"Solo un administrador puede {what}.")
            return fn(s, who, now)

        return self.db.write(tx)

    @staticmethod
    def _event(
        s: Session,
        who: ActorInfo,
        now: datetime,
        entity: str,
        key: str,
        action: str,
        changes: dict[str, tuple[Any, Any]],
        note: str = "",
    ) -> None:
        write_event(
            s, actor_id=who.id, action=action, at=now, changes=changes, note=note, entity=entity, entity_key=key
        )
