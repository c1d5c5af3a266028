"""What every service stands on: the database and clock its use cases run on, and
the one way they read as someone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.clock import utcnow
from mesa_tui.store.engine import Database, Session


class Service:
    """The database and clock the use cases run on (tests give a clock of their own)."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.now = now

    @contextmanager
    def _reader(self, actor: ActorInfo) -> Iterator[tuple[Session, ActorInfo]]:
        """A read session and the reader as stored now: a deactivated agent's next
        read is refused (their session ends)."""
        require_actor(actor)
        with self.db.read() as s:
            yield s, current_actor(s, actor)

    @contextmanager
    def _reading(self, actor: ActorInfo) -> Iterator[Session]:
        """A read session, once `actor` is known to be still active."""
        with self._reader(actor) as (s, _who):
            yield s
