"""Every write reads its instant inside its transaction (issue 11, point 5).

An administrator's change that waited behind an agent's transaction used to be
stamped with the instant it was asked for, before the lock: its "recalcular ANS"
events were dated before changes already committed, and a running clock's anchor
moved back (the lock wait counted as consumed). `Desk.log` read its instant
outside its transaction too.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from types import SimpleNamespace

from sqlmodel import select

from mesa_tui.services.admin import RECOMPUTE_ACTION, Admin
from mesa_tui.store import tickets_repo
from mesa_tui.store.models import Ticket, TicketEvent
from tests.support import actor_of, system_of


def events(db, *where) -> list[SimpleNamespace]:
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(*where).order_by(TicketEvent.id)).all()
        return [SimpleNamespace(**r.model_dump()) for r in rows]


def clock_moves_when_the_write_begins(db, now, monkeypatch, minutes: int = 5):
    """The clock jumps `minutes` as the transaction starts: a use case that read its
    instant before `db.write` keeps the old one."""
    write = db.write

    def late_write(fn, *args, **kwargs):
        now.advance(minutes=minutes)
        return write(fn, *args, **kwargs)

    monkeypatch.setattr(db, "write", late_write)


def test_log_stamps_the_ticket_inside_its_transaction(db, desk, now, monkeypatch):
    asked = now()
    clock_moves_when_the_write_begins(db, now, monkeypatch)
    info = desk.log(actor_of(desk, "jperez"), _ticket())
    assert info.created_at == asked + timedelta(minutes=5) == now()
    (registered,) = events(db, TicketEvent.ticket_id == info.id)
    assert registered.at == now()


def test_an_admin_change_is_stamped_inside_its_transaction(db, desk, now, monkeypatch):
    admin = Admin(db, now=now)
    boss = actor_of(desk, "admin")
    clock_moves_when_the_write_begins(db, now, monkeypatch)
    admin.set_setting(boss, "risk_threshold", "0.6")
    (event,) = events(db, TicketEvent.entity == "setting", TicketEvent.entity_key == "risk_threshold")
    assert event.at == now()


def test_a_recompute_that_waited_behind_an_agent_is_not_dated_before_it(db, desk, now):
    """A held lock on the ticket (an agent's transaction), the clock moving while the
    administrator's policy change waits for it: the recompute is dated after."""
    jperez = actor_of(desk, "jperez")
    ticket = desk.log(jperez, _ticket())
    desk.take(jperez, ticket.id)  # the resolution clock runs
    asked = now.advance(hours=1)
    admin = Admin(db, now=now)
    boss = actor_of(desk, "admin")

    holding, release = threading.Event(), threading.Event()

    def agent_transaction(s):
        # SQLite: BEGIN IMMEDIATE holds the desk's write lock; PostgreSQL: the ticket's row.
        tickets_repo.ticket_for_update(s, ticket.id)
        holding.set()
        assert release.wait(10)
        now.advance(minutes=5)  # the agent's work takes time; it commits at `committed`

    blocker = threading.Thread(target=lambda: db.write(agent_transaction))
    blocker.start()
    assert holding.wait(10)
    done: dict[str, object] = {}
    change = threading.Thread(
        target=lambda: done.update(result=admin.save_policy(boss, None, "media", 90, 900, "office"))
    )
    change.start()
    time.sleep(0.5)  # the administrator's change is waiting for the lock
    assert "result" not in done
    release.set()
    blocker.join(10)
    change.join(10)
    committed = asked + timedelta(minutes=5)

    (recompute,) = events(db, TicketEvent.ticket_id == ticket.id, TicketEvent.action == RECOMPUTE_ACTION)
    assert recompute.at == committed  # not `asked`, when the change was requested
    assert recompute.actor_id == system_of(db).id
    with db.read() as s:
        row = s.get(Ticket, ticket.id)
        assert row.ttr_anchor_at == committed and row.updated_at == committed
    if db.is_sqlite:  # there the whole change waited for the lock, its own event too
        (policy,) = events(db, TicketEvent.entity == "policy")
        assert policy.at == committed


def _ticket():
    from tests.support import new_ticket

    return new_ticket(impact=2, urgency=2)  # priority "media" under the default matrix
