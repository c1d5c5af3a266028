"""What every administration use case shares: the admin check (read from the database,
never from the caller's `ActorInfo`), one transaction with the role re-checked inside it
and its instant read there, and the audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.base import Service
from mesa_tui.services.errors import PermissionDenied
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Session

T = TypeVar("T")
# An administration change inside its transaction: (session, the admin as stored now, now).
Change = Callable[[Session, ActorInfo, datetime], T]


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f: (before[f], after[f]) for f in before if before[f] != after[f]}


def stored_admin(s: Session, actor: object, what: str) -> ActorInfo:
    """The actor as stored now, who must be an active administrator."""
    who = current_actor(s, actor)
    if not who.is_admin:
        raise PermissionDenied(f"Solo un administrador puede {what}.")
    return who


class AdminBase(Service):
    """The database and clock the administration use cases run on."""

    def _require_admin(self, actor: ActorInfo, what: str) -> None:
        """Refuse anyone but an active administrator before the input is even checked
        (the change re-checks inside its own transaction)."""
        require_actor(actor)
        with self.db.read() as s:
            stored_admin(s, actor, what)

    def _write(self, actor: ActorInfo, what: str, fn: Change[T]) -> T:
        def tx(s: Session) -> T:
            # The instant is read once the write lock is held, so a change that waited
            # behind an agent's transaction is never stamped before it (nor moves a
            # running clock's anchor back into time that was paused).
            now = self.now()
            # The role is checked again inside the transaction: it may have changed since login.
            return fn(s, stored_admin(s, actor, what), now)

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
            s,
            actor_id=who.id,
            operator_id=who.operator_id,
            action=action,
            at=now,
            changes=changes,
            note=note,
            entity=entity,
            entity_key=key,
        )
