"""The change feed on both engines: a ticket committed by another connection is told
with its new version; a change that rolls back is not; a transaction over many
tickets is one "many"; nothing is told while nothing changes."""

from __future__ import annotations

import queue
import time

import pytest

from mesa_tui.domain.changes import ANY_TICKET, TicketChange
from mesa_tui.services.desk import Desk
from mesa_tui.services.errors import ConflictError
from mesa_tui.store import changes
from mesa_tui.store.audit import write_event
from mesa_tui.store.changes import ChangeFeed, parse_payload
from mesa_tui.store.engine import Database
from tests.support import actor_of

WAIT = 5.0  # the promise is 2 s; a loaded machine gets some margin


@pytest.fixture
def other(db_url, now):
    """Another session's desk: its own Database (engine, connections) on the same database."""
    other_db = Database(db_url)
    yield Desk(other_db, now=now)
    other_db.dispose()


@pytest.fixture
def feed(db):
    told: queue.Queue[tuple[TicketChange, ...]] = queue.Queue()
    watcher = ChangeFeed(db, told.put, poll=0.1).start()
    assert watcher.wait_ready(), "the feed never started watching"
    yield told
    watcher.stop()


def next_batch(told: queue.Queue[tuple[TicketChange, ...]]) -> tuple[TicketChange, ...]:
    try:
        return told.get(timeout=WAIT)
    except queue.Empty:
        pytest.fail(f"no change told within {WAIT} s")


def test_a_change_by_another_connection_is_told_with_its_version(feed, other, log):
    ticket = log()
    assert next_batch(feed) == (TicketChange(ticket.id, ticket.version),)
    taken = other.take(actor_of(other, "jperez"), ticket.id, expected_version=ticket.version)
    assert taken.version > ticket.version
    assert next_batch(feed) == (TicketChange(ticket.id, taken.version),)


def test_a_change_that_rolls_back_is_not_told(feed, other, log):
    ticket = log()
    next_batch(feed)
    jperez = actor_of(other, "jperez")
    with pytest.raises(ConflictError):
        other.take(jperez, ticket.id, expected_version=ticket.version + 7)
    taken = other.take(jperez, ticket.id, expected_version=ticket.version)
    # The refused take told nothing: the next batch is the take that committed.
    assert next_batch(feed) == (TicketChange(ticket.id, taken.version),)
    assert feed.empty()


def test_a_transaction_over_many_tickets_is_told_as_many(feed, other, log, monkeypatch, now):
    monkeypatch.setattr(changes, "MANY", 2)
    tickets = [log(subject=f"Caso {n}") for n in range(3)]
    time.sleep(0.3)
    while not feed.empty():
        feed.get()

    def comment_on_all(s):
        for t in tickets:
            write_event(s, actor_id=None, action="comentar", at=now(), ticket_id=t.id, entity_key=t.code, note="x")

    other.db.write(comment_on_all)
    assert next_batch(feed) == (ANY_TICKET,)


def test_nothing_is_told_while_nothing_changes(db, feed, log):
    log()
    next_batch(feed)
    with db.read():
        pass  # a read commits nothing
    time.sleep(1.0)
    assert feed.empty()


def test_a_stopped_feed_tells_nothing_more_and_ends_its_thread(db, other, log):
    told: queue.Queue[tuple[TicketChange, ...]] = queue.Queue()
    watcher = ChangeFeed(db, told.put, poll=0.1).start()
    assert watcher.wait_ready()
    watcher.stop()
    assert watcher._thread is not None and not watcher._thread.is_alive()
    log()
    time.sleep(0.5)
    assert told.empty()


@pytest.mark.parametrize(
    ("payload", "change"),
    [("12:3", TicketChange(12, 3)), ("*", ANY_TICKET), ("", ANY_TICKET), ("12:x", ANY_TICKET)],
)
def test_payloads_read_as_changes(payload, change):
    assert parse_payload(payload) == change


def test_a_lost_connection_is_made_again_and_told_as_many(db, feed, other, log):
    """The server ended the watcher's connection (a restart, an administrator): the feed
    connects again and says "many", since changes may have been missed meanwhile."""
    if db.is_sqlite:
        pytest.skip("a SQLite watcher has no server connection to lose")
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        ended = conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query = :q"
            ),
            {"q": f"LISTEN {changes.CHANNEL}"},
        ).all()
    assert ended == [(True,)]
    assert next_batch(feed) == (ANY_TICKET,)
    ticket = log()
    assert next_batch(feed) == (TicketChange(ticket.id, ticket.version),)
