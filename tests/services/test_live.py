"""Live updates as a use case: a watch tells another session's changes with the new
version, and the open ticket learns who changed it last, and when."""

from __future__ import annotations

import queue

import pytest

from mesa_tui.domain.changes import LastChange, TicketChange
from mesa_tui.services.desk import Desk
from mesa_tui.services.errors import NotFound
from mesa_tui.services.live import LiveUpdates
from mesa_tui.store.engine import Database
from tests.support import actor_of


def test_a_watch_tells_a_change_made_through_another_database(db, db_url, now, log):
    ticket = log()
    told: queue.Queue[tuple[TicketChange, ...]] = queue.Queue()
    watch = LiveUpdates(db, now=now).watch(actor_of(db, "supervisor"), told.put)
    try:
        assert watch.wait_ready()
        other_db = Database(db_url)
        try:
            other = Desk(other_db, now=now)
            taken = other.take(actor_of(other, "jperez"), ticket.id, expected_version=ticket.version)
        finally:
            other_db.dispose()
        assert told.get(timeout=5) == (TicketChange(ticket.id, taken.version),)
    finally:
        watch.stop()


def test_last_change_names_who_moved_the_ticket_and_when(desk, log, now):
    ticket = log(by="supervisor")
    now.advance(minutes=3)
    taken = desk.take(actor_of(desk, "jperez"), ticket.id)
    desk.comment(actor_of(desk, "lmarrugo"), ticket.id, "Reviso el equipo")  # no new version
    change = desk.last_change(actor_of(desk, "supervisor"), ticket.id)
    assert change == LastChange(ticket.id, taken.version, now(), "Liliana Marrugo Díaz")
    assert change.version == taken.version == ticket.version + 1


def test_last_change_of_a_missing_ticket_is_refused(desk):
    with pytest.raises(NotFound, match="No existe el caso 999999"):
        desk.last_change(actor_of(desk, "jperez"), 999999)
