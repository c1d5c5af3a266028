"""The change feed: tickets committed by any session of the desk, told to the
sessions that watch, within about a second, at no cost while nothing changes.

PostgreSQL: the write transaction that changes tickets sends `NOTIFY mesa_ticket`
with "id:version" (store/audit.py calls `notify_tickets` as it chains the
events), so the notification leaves only if the change commits. A watcher holds
its own connection that LISTENs and blocks until one arrives.

SQLite has no notifications. A watcher keeps one connection of its own and asks
`PRAGMA data_version` about twice a second: it moves only when another
connection commits, and the question touches no table. When it moves, the
events appended since (the audit trail only grows, in id order) name the
tickets, and their versions are read.

Both deliver batches of `TicketChange`; a transaction over more than `MANY`
tickets, or a reconnection after the database was lost (something may have been
missed), is one `ANY_TICKET`.
"""

from __future__ import annotations

import select
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mesa_tui.domain.changes import ANY_TICKET, TicketChange
from mesa_tui.store.engine import Database

CHANNEL = "mesa_ticket"
MANY = 50  # tickets in one transaction over which the feed just says "many"
POLL_SECONDS = 0.5  # SQLite's data_version poll
GATHER_SECONDS = 0.05  # PostgreSQL: notifications that follow the first join its batch
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)  # waits before reconnecting after a lost database

Changed = Callable[[tuple[TicketChange, ...]], None]


def notify_tickets(conn: sa.Connection, ticket_ids: Iterable[int]) -> None:
    """In a write transaction on PostgreSQL: tell the watchers, at commit, the
    tickets it changed with their new versions. Nothing on SQLite."""
    if conn.dialect.name != "postgresql":
        return
    ids = sorted(set(ticket_ids))
    if not ids:
        return
    if len(ids) > MANY:
        conn.execute(sa.select(sa.func.pg_notify(CHANNEL, "*")))
        return
    conn.execute(
        sa.text(
            "SELECT pg_notify(:channel, id::text || ':' || version::text) FROM ticket WHERE id = ANY(:ids) ORDER BY id"
        ),
        {"channel": CHANNEL, "ids": ids},
    )


def parse_payload(payload: str) -> TicketChange:
    ticket, _, version = payload.partition(":")
    if not ticket.isdigit() or not version.isdigit():
        return ANY_TICKET
    return TicketChange(int(ticket), int(version))


class ChangeFeed:
    """A thread that calls `changed(batch)` (in that thread) with the tickets
    committed since the last batch, by any connection to `db`. `start`, `stop`."""

    def __init__(self, db: Database, changed: Changed, *, poll: float = POLL_SECONDS) -> None:
        self.db = db
        self.changed = changed
        self.poll = poll
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()  # the first connection is watching
        self._failures = 0  # connections lost in a row
        self._bell = socket.socketpair()  # rung by `stop`: wakes a watcher blocked on its connection

    def start(self) -> ChangeFeed:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mesa-change-feed", daemon=True)
            self._thread.start()
        return self

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Whether the feed is watching (changes committed from now on will be told)."""
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._bell[1].send(b"x")
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        for end in self._bell:
            end.close()

    def _run(self) -> None:
        lost = False  # a connection was lost: changes may have been missed meanwhile
        while not self._stop.is_set():
            try:
                if self.db.is_sqlite:
                    self._watch_sqlite(lost)
                else:
                    self._watch_postgres(lost)
                return
            except Exception:  # the database went away (or `changed` failed): again, a little later each time
                lost = True
                wait = RETRY_SECONDS[min(self._failures, len(RETRY_SECONDS) - 1)]
                self._failures += 1
                if self._stop.wait(wait):
                    return

    def _watching(self, missed: bool) -> None:
        self._ready.set()
        self._failures = 0
        if missed:
            self._tell([ANY_TICKET])

    def _tell(self, batch: Sequence[TicketChange]) -> None:
        if batch and not self._stop.is_set():
            self.changed(tuple(batch))

    # --- SQLite --------------------------------------------------------------------

    def _watch_sqlite(self, missed: bool) -> None:
        path = self.db.engine.url.database
        if not path or path == ":memory:":
            self._ready.set()  # no other connection can change a private database
            self._stop.wait()
            return
        # mode=rw: a desk whose file is gone is not made again, empty, by its watcher.
        uri = f"{Path(path).absolute().as_uri()}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        try:
            version = _data_version(conn)
            last = _last_event(conn)
            self._watching(missed)
            while not self._stop.wait(self.poll):
                now = _data_version(conn)
                if now == version:
                    continue
                version = now
                last, batch = _events_since(conn, last)
                self._tell(batch)
        finally:
            conn.close()

    # --- PostgreSQL ------------------------------------------------------------------

    def _watch_postgres(self, missed: bool) -> None:
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._watching(missed)
            # Asleep until the server sends something or `stop` rings: no wake-ups while idle.
            pending = list(conn.notifies(timeout=0))
            while not self._stop.is_set():
                if not pending:
                    select.select([conn.fileno(), self._bell[0].fileno()], [], [])
                    if self._stop.is_set():
                        return
                # What arrived, and what follows it at once, in one batch.
                pending += conn.notifies(timeout=GATHER_SECONDS)
                self._tell(_dedup(parse_payload(n.payload) for n in pending))
                pending = []


def _dedup(changes: Iterable[TicketChange]) -> list[TicketChange]:
    seen: dict[Any, TicketChange] = {}
    for change in changes:
        if change.many:
            return [ANY_TICKET]
        old = seen.get(change.ticket_id)
        if old is None or (change.version or 0) > (old.version or 0):
            seen[change.ticket_id] = change
    return list(seen.values())


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _last_event(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM ticket_event").fetchone()[0])


def _events_since(conn: sqlite3.Connection, last: int) -> tuple[int, list[TicketChange]]:
    """(the newest event id, the tickets that events after `last` name, with their versions)."""
    conn.execute("BEGIN")
    try:
        top = _last_event(conn)
        if top <= last:
            return top, []
        ids = [
            int(row[0])
            for row in conn.execute(
                "SELECT DISTINCT ticket_id FROM ticket_event WHERE id > ? AND id <= ? AND ticket_id IS NOT NULL "
                "LIMIT ?",
                (last, top, MANY + 1),
            )
        ]
        if len(ids) > MANY:
            return top, [ANY_TICKET]
        marks = ", ".join("?" * len(ids))
        rows = conn.execute(f"SELECT id, version FROM ticket WHERE id IN ({marks}) ORDER BY id", ids) if ids else []
        return top, [TicketChange(int(i), int(v)) for i, v in rows]
    finally:
        conn.execute("COMMIT")
