"""The queue screen: views, filters, sorting, paging and refresh, by keys."""

from __future__ import annotations

import re

from mesa_tui.domain.queue import SortKey
from mesa_tui.screens.agent.pickers import FilterDialog, SortDialog
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.dialogs import HelpScreen
from mesa_tui.widgets.ticket_table import column_widths
from tests.screens.support import SIZE, settle
from tests.support import actor_of


def codes(app) -> list[str]:
    return [r.code for r in app.screen.table.rows_shown]


async def test_views_switch_with_number_keys(make_app, varied_tickets):
    outlook, _printer, internet, user, outage = varied_tickets
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert codes(app) == [outlook.code]  # an agent starts on "Mis casos"
        await pilot.press("2")
        await settle(app, pilot)
        assert set(codes(app)) == {internet.code, user.code, outage.code}
        await pilot.press("3")
        await settle(app, pilot)
        assert set(codes(app)) == {t.code for t in varied_tickets}  # all in "Mesa de ayuda"
        await pilot.press("4")
        await settle(app, pilot)
        assert set(codes(app)) == {t.code for t in varied_tickets}
        status = str(app.screen.query_one("#queue-status").render())
        assert status.startswith("Todos los abiertos  ·  5 casos  ·  pág. 1")


async def test_sorted_by_due_time_with_the_sla_column(make_app, varied_tickets):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = app.screen.table.rows_shown
        # Running tickets by due time, then the paused ones (their due time is stale).
        order = [(r.status == "en_espera", r.due_at) for r in rows]
        assert order == sorted(order) and rows[-1].status == "en_espera"
        table = app.screen.table
        waiting = next(r for r in rows if r.status == "en_espera")
        assert re.fullmatch(r"en pausa \d+h \d\dm", table.cell_text(waiting.id, "sla"))  # whole, not clipped
        overdue = [r for r in rows if table.cell_text(r.id, "sla").startswith("!")]
        assert overdue, "Monday's tickets are past their response time on Wednesday"


async def test_text_filter_by_subject_requester_and_code(make_app, varied_tickets):
    _outlook, printer, internet, _user, outage = varied_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"impre")
        await settle(app, pilot)
        assert codes(app) == [printer.code]
        await pilot.press("escape")  # leaves and clears the search box
        await settle(app, pilot)
        assert len(codes(app)) == 5
        await pilot.press("slash", *"castro")
        await settle(app, pilot)
        assert codes(app) == [internet.code]
        await pilot.press("escape", "slash", *outage.code.lower(), "enter")
        await settle(app, pilot)
        assert codes(app) == [outage.code]
        assert app.screen.focused is app.screen.table  # enter went back to the list
        await pilot.press("slash", "ctrl+u", *"zzz")
        await settle(app, pilot)
        assert codes(app) == []
        assert "ningún caso coincide" in str(app.screen.query_one("#queue-status").render())


async def test_filters_dialog_status_and_priority(make_app, varied_tickets):
    _outlook, printer, _internet, _user, outage = varied_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FilterDialog)
        await pilot.press("tab", "enter", "down", "down", "down", "down", "enter")  # Estado: En espera
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert codes(app) == [printer.code]
        assert "estado En espera" in str(app.screen.query_one("#filter-summary").render())
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("ctrl+l")  # clear every filter
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("tab", "tab", "enter", "down", "enter", "ctrl+s")  # Prioridad: Crítica
        await settle(app, pilot)
        assert codes(app) == [outage.code]
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(codes(app)) == 5


async def test_sort_by_any_column_and_reverse(make_app, varied_tickets):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SortDialog)
        await pilot.press("down", "down", "enter")  # Asunto
        await settle(app, pilot)
        assert app.screen.query_state.sort is SortKey.SUBJECT
        subjects = [r.subject for r in app.screen.table.rows_shown]
        assert subjects == sorted(subjects)
        await pilot.press("S")
        await settle(app, pilot)
        assert [r.subject for r in app.screen.table.rows_shown] == sorted(subjects, reverse=True)
        assert app.screen.table.header_text("subject") == "Asunto ▼"
        widths = column_widths(app.screen.table.size.width)
        x = sum(widths[key] + 2 for key in ("code", "subject", "requester")) + 2
        await pilot.click("#queue-table", offset=(x, 0))  # the header over «Servicio»
        await settle(app, pilot)
        assert app.screen.query_state.sort is SortKey.SERVICE and not app.screen.query_state.descending
        services = [r.service_code for r in app.screen.table.rows_shown]
        assert services == sorted(services)


async def test_paging_keeps_a_page_in_the_table(make_app, log, now):
    for i in range(40):
        now.advance(minutes=1)
        log(by="supervisor", subject=f"Caso número {i:02d}")
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        first_page = codes(app)
        size = len(first_page)
        assert 25 <= size < 40  # a screenful, never everything
        assert screen.table.row_count == size
        await pilot.press("pagedown")
        await settle(app, pilot)
        second = codes(app)
        assert second and not set(second) & set(first_page)
        assert len(first_page) + len(second) == 40
        assert "pág. 2" in str(screen.query_one("#queue-status").render())
        await pilot.press("g")
        await settle(app, pilot)
        assert codes(app) == first_page
        for _ in range(size - 1):
            await pilot.press("j")
        assert screen.table.cursor_row == size - 1
        await pilot.press("j")  # past the last row: the next page
        await settle(app, pilot)
        assert codes(app) == second and screen.table.cursor_row == 0
        await pilot.press("k")  # before the first row: back again
        await settle(app, pilot)
        assert codes(app) == first_page and screen.table.cursor_row == size - 1
        await pilot.press("G")
        await settle(app, pilot)
        assert codes(app)[-1] == second[-1]


async def test_refresh_keeps_the_cursor_on_its_ticket(make_app, varied_tickets, log, now):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("j", "j")
        chosen = screen.table.current
        # A critical outage arrives and takes its place by due time.
        urgent = log(by="supervisor", subject="Caída total", impact=1, urgency=1)
        await pilot.press("R")
        await settle(app, pilot)
        rows = screen.table.rows_shown
        assert urgent.code in codes(app)
        assert screen.table.current.id == chosen.id
        assert rows[screen.table.cursor_row].id == chosen.id


async def test_queue_refreshes_by_itself(make_app, varied_tickets, log, now):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        new = log(by="supervisor", subject="Llegó mientras miraba")
        now.advance(seconds=30)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        screen._periodic_refresh()  # what the 30 s timer calls
        await settle(app, pilot)
        assert new.code in codes(app)
        assert "actualizada 09:00:30" in str(screen.query_one("#queue-status").render())


async def test_help_lists_the_keys_and_closes_with_escape(make_app, varied_tickets):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = {(key, description) for key, description, _, _ in app.screen.rows}
        assert {("r", "Resolver"), ("/", "Buscar"), ("n", "Nuevo"), ("enter", "Abrir")} <= {
            (k.replace("⏎", "enter"), d) for k, d in keys
        }
        await pilot.press("escape")
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_command_palette_runs_the_screens_commands(make_app, desk, varied_tickets):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Clasificar")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ClassifyDialog"
        await pilot.press("escape")


async def test_a_missing_group_gives_an_empty_group_view(make_app, db, varied_tickets, now):
    """An agent without a group sees no group queue (and no crash)."""
    from mesa_tui.store.models import Agent

    db.write(lambda s: s.add(Agent(login="suelto", full_name="Agente Sin Grupo", role="agent", level=1)))
    app = make_app("suelto")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        assert codes(app) == []
        await pilot.press("4")
        await settle(app, pilot)
        assert len(codes(app)) == 5


async def test_due_order_spans_statuses(make_app, log, now, desk):
    """Several statuses merged in one due-time order, across a page boundary."""
    made = []
    for i in range(36):
        now.advance(minutes=7)
        made.append(log(by="supervisor", subject=f"Caso {i:02d}", impact=1 + i % 3, urgency=1 + (i // 3) % 3))
    jperez = actor_of(desk, "jperez")
    for t in made[::3]:
        desk.take(jperez, t.id)
    now.advance(hours=1)
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        seen = list(app.screen.table.rows_shown)
        await pilot.press("pagedown")
        await settle(app, pilot)
        seen += app.screen.table.rows_shown
    assert len({r.id for r in seen}) == 36
    assert [(r.due_at, r.id) for r in seen] == sorted((r.due_at, r.id) for r in seen)
    assert {r.status for r in seen} == {"nuevo", "en_proceso"}


async def test_the_page_follows_the_terminal_size(make_app, log, now):
    for i in range(30):
        now.advance(minutes=1)
        log(by="supervisor", subject=f"Caso {i:02d}")
    app = make_app("supervisor")
    async with app.run_test(size=(120, 20)) as pilot:
        await settle(app, pilot)
        small = len(codes(app))
        assert small == 20 - 7  # the screen's rows minus bars, header and key bar
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert len(codes(app)) == 30 and app.screen.table.cursor_row == 0
