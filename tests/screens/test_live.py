"""Live updates between sessions on one desk (SQLite, or PostgreSQL when the suite runs
on it): another session's change shows on the queue, the SLA board and an open ticket
within the 2-second promise, with no key pressed; the open ticket says who changed it
and reloads on `v`."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.supervisor import supervisor_screen
from mesa_tui.services.desk import Desk
from mesa_tui.store.engine import Database
from tests.screens.support import SIZE, footer_keys, settle
from tests.support import actor_of

WAIT = 5.0  # the promise is 2 s; a loaded machine gets some margin (the delay is printed)


@pytest.fixture
def other(db_url, now):
    """A colleague's session: its own Database (engine, connections) on the same desk."""
    other_db = Database(db_url)
    yield Desk(other_db, now=now)
    other_db.dispose()


async def watching(app, pilot) -> None:
    """Settle, and make sure the app's watch is on before the colleague writes."""
    deadline = time.monotonic() + WAIT
    while app.live_watch is None and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert app.live_watch is not None and app.live_watch.wait_ready(), "the app never started watching"
    await settle(app, pilot)


async def until(pilot, shown: Callable[[], bool], what: str) -> float:
    """Seconds until `shown()` holds, without pressing a key; fails after WAIT."""
    start = time.monotonic()
    while not shown():
        if time.monotonic() - start > WAIT:
            pytest.fail(f"{what}: not shown within {WAIT} s")
        await pilot.pause(0.05)
    delay = time.monotonic() - start
    print(f"{what}: shown after {delay * 1000:.0f} ms")
    return delay


async def test_the_queue_shows_a_colleagues_take_keeping_the_cursor(make_app, other, log):
    first, second = log(subject="Primero"), log(subject="Segundo")
    app = make_app("supervisor", live=True)  # "Todos los abiertos"
    async with app.run_test(size=SIZE) as pilot:
        await watching(app, pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        rows = {r.id: r for r in queue.table.rows_shown}
        assert rows[first.id].agent_name == "" and rows[second.id].agent_name == ""
        while queue.table.current is None or queue.table.current.id != second.id:
            await pilot.press("j")
        taken = other.take(actor_of(other, "jperez"), first.id, expected_version=first.version)

        def first_taken() -> bool:
            row = next((r for r in queue.table.rows_shown if r.id == first.id), None)
            return row is not None and row.version == taken.version

        await until(pilot, first_taken, "queue")
        row = next(r for r in queue.table.rows_shown if r.id == first.id)
        assert (row.status, row.agent_name) == (taken.status, "Jorge Pérez Julio")
        assert queue.table.current is not None and queue.table.current.id == second.id


async def test_the_sla_board_shows_a_colleagues_escalation(make_app, other, log):
    ticket = log(subject="Sin red en la sede")
    app = make_app("supervisor", live=True)
    async with app.run_test(size=SIZE) as pilot:
        await watching(app, pilot)
        await app.push_screen(supervisor_screen("board", app.ctx))
        await settle(app, pilot)
        await pilot.press("5")  # every open ticket
        await settle(app, pilot)
        board = app.screen
        assert [r.id for r in board.table.tickets_shown] == [ticket.id]
        assert board.table.tickets_shown[0].level == 1
        sup = actor_of(other, "supervisor")
        group = next(gid for gid, _name, level in other.groups(sup) if level == 2)
        escalated = other.escalate(sup, ticket.id, group_id=group, reason="Falla del switch", expected_version=1)

        await until(
            pilot,
            lambda: [(r.id, r.version) for r in board.table.tickets_shown] == [(ticket.id, escalated.version)],
            "board",
        )
        assert board.table.tickets_shown[0].level == 2


async def test_an_open_ticket_says_who_changed_it_and_reloads_on_v(make_app, other, log, now):
    ticket = log(subject="Impresora atascada")
    app = make_app("supervisor", live=True)
    async with app.run_test(size=SIZE) as pilot:
        await watching(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TicketScreen) and screen.view is not None
        assert "Ver cambios" not in footer_keys(app)
        banner = screen.query_one("#ticket-changed")
        assert not banner.display
        now.advance(seconds=12)
        taken = other.take(actor_of(other, "jperez"), ticket.id, expected_version=ticket.version)

        await until(pilot, lambda: banner.display, "ticket")
        assert str(banner.render()) == "Modificado por Jorge Pérez Julio hace 0 s · v para ver los cambios"
        assert screen.view.info.version == ticket.version  # not reloaded behind the agent's back
        assert "Ver cambios" in footer_keys(app)
        now.advance(seconds=7)
        await pilot.pause(1.2)  # the banner counts the seconds
        assert "hace 7 s" in str(banner.render())

        await pilot.press("v")
        await settle(app, pilot)
        assert screen.view.info.version == taken.version
        assert screen.view.info.agent_name == "Jorge Pérez Julio"
        assert not banner.display
        assert "Ver cambios" not in footer_keys(app)


async def test_the_sessions_own_action_shows_no_banner(make_app, log):
    ticket = log(subject="Sin correo")
    app = make_app("jperez", live=True)
    async with app.run_test(size=SIZE) as pilot:
        await watching(app, pilot)
        await app.push_screen(TicketScreen(app.ctx, ticket.id))
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("t")  # take it here, confirm
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.pause(1.5)  # the feed tells this session its own change too
        await settle(app, pilot)
        assert screen.view is not None and screen.view.info.version > ticket.version
        assert not screen.query_one("#ticket-changed").display
