"""Live updates: a session is told when tickets change, whoever changed them (another
agent's session, the CLI, the auto-close), so its lists and open ticket follow.

The store's change feed (store/changes.py) does the watching: LISTEN/NOTIFY on
PostgreSQL, `PRAGMA data_version` on SQLite. One watch per session.
"""

from __future__ import annotations

from collections.abc import Callable

from mesa_tui.domain.changes import TicketChange
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.base import Service
from mesa_tui.store.changes import ChangeFeed

Changed = Callable[[tuple[TicketChange, ...]], None]


class Watch:
    """A running watch: `stop()` ends it (and closes its connection)."""

    def __init__(self, feed: ChangeFeed) -> None:
        self._feed = feed

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Whether changes committed from now on will be told."""
        return self._feed.wait_ready(timeout)

    def stop(self) -> None:
        self._feed.stop()


class LiveUpdates(Service):
    def watch(self, actor: ActorInfo, changed: Changed) -> Watch:
        """Call `changed(batch)` with the tickets committed from now on, in a thread of
        the watch's own (the caller hands them to its UI thread). The actor must
        be active to start watching; what it may then open is checked on each read."""
        require_actor(actor)
        with self.db.read() as s:
            current_actor(s, actor)
        return Watch(ChangeFeed(self.db, changed).start())
