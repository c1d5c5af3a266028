"""The SLA board driven by keys: groups, paging, live refresh by key, reassign and
escalate (checked in the database), the ticket screen and the ticket export."""

from __future__ import annotations

from datetime import timedelta

import openpyxl
from textual.widgets import Input

from mesa_tui.domain.tickets import EventInfo
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.agent.ticket_dialogs import AssignDialog, EscalateDialog
from mesa_tui.screens.supervisor.board import SlaBoardScreen
from mesa_tui.screens.supervisor.exports import ExportTicketsDialog
from tests.screens.supervisor.support import bogota, cells, show
from tests.screens.support import SIZE, settle, toasts
from tests.support import actor_of, system_of


def codes(board: SlaBoardScreen) -> list[str]:
    return [r.code for r in board.table.tickets_shown]


def tab_labels(board: SlaBoardScreen) -> list[str]:
    return [str(tab.label) for tab in board.query("GroupTabs Tab")]


async def test_groups_counts_and_remaining_time(make_app, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        assert tab_labels(board) == [
            "1 Vencidos (2)",
            "2 En riesgo (1)",
            "3 En pausa (1)",
            "4 En tiempo (2)",
            "5 Todos (6)",
        ]
        # Same priority: the newest crossing first (C ran out at 18:00, F at 12:00).
        assert codes(board) == [t["C"].code, t["F"].code]
        assert cells(board.table, str(t["C"].id)) == [
            t["C"].code,
            "Equipo muy lento al …",
            "SER-001",
            "1",
            "Jorge Pérez",
            "En proceso",
            "Sol",
            "17/11 18:00",
            "! -1h 00m",
        ]
        assert cells(board.table, str(t["F"].id))[6:] == ["Resp", "17/11 12:00", "! -7h 00m"]

        await pilot.press("tab")
        await settle(app, pilot)
        assert codes(board) == [t["B"].code]
        assert cells(board.table, str(t["B"].id))[-1] == "0h 10m"  # 10 of 60 min left
        await pilot.press("tab")
        await settle(app, pilot)
        assert codes(board) == [t["D"].code]
        # A paused clock's due time is stale: the board says "en pausa" and the time left.
        assert cells(board.table, str(t["D"].id))[-2:] == ["en pausa", "en pausa 39h 50m"]
        await pilot.press("4")
        await settle(app, pilot)
        assert codes(board) == [t["E"].code, t["A"].code]  # alta before media
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")
        await settle(app, pilot)
        assert len(codes(board)) == 6  # "Todos", every open ticket by due time
        status = str(board.query_one("#board-status").render())
        assert "Todos los abiertos" in status and "6 casos" in status and "pág. 1 de 1" in status


async def test_refresh_is_a_keyed_update_that_keeps_the_cursor(make_app, desk, now, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        assert board.table.current.code == t["C"].code  # the newest overdue, on top
        cleared = []
        clear = board.table.clear
        board.table.clear = lambda *a, **kw: (cleared.append(1), clear(*a, **kw))[1]

        # Behind the board's back: F is cancelled, and 20 minutes go by (B falls due at 09:10).
        desk.cancel(actor_of(desk, "supervisor"), t["F"].id, "Duplicado")
        now.advance(minutes=20)
        await pilot.press("r")
        await settle(app, pilot)
        assert codes(board) == [t["B"].code, t["C"].code]  # B just ran out: it leads
        assert board.table.current.code == t["C"].code  # the cursor followed its ticket
        assert cells(board.table, str(t["C"].id))[-1] == "! -1h 20m"
        assert tab_labels(board)[:2] == ["1 Vencidos (2)", "2 En riesgo (1)"]  # A: 50 of 60 min
        assert cleared == []  # rows removed, added and updated by key, never reloaded
        assert ("information", "Tablero actualizado") in toasts(app)


async def test_reassign_by_keys(make_app, desk, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        await pilot.press("a")  # C, held by jperez (the first overdue one)
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        await pilot.press("enter", "down", "enter")  # the first agent other than jperez
        chosen = dialog.query_one("#input-agent").value
        assert isinstance(chosen, str) and chosen != "jperez"
        await pilot.press("tab", "tab", *"Redistribuir carga")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is board

    info = desk.get(system_of(desk), t["C"].id)
    assert info.agent_id == actor_of(desk, chosen).id and info.status == "asignado"
    last = next(e for e in desk.timeline(system_of(desk), t["C"].id) if isinstance(e, EventInfo))
    assert (last.action, last.actor_name, last.note) == ("asignar", "Carolina Rincón Ahumada", "Redistribuir carga")
    assert ("information", f"{info.code} asignado a {info.agent_name}") in toasts(app)


async def test_escalate_by_keys(make_app, desk, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        await pilot.press("j", "e")  # F, the second overdue one
        await settle(app, pilot)
        assert isinstance(app.screen, EscalateDialog)
        await pilot.press("tab", *"Requiere especialista de software", "enter")
        await settle(app, pilot)
        assert app.screen is board
        shown = board.table.tickets_shown

    info = desk.get(system_of(desk), t["F"].id)
    assert (info.level, info.status, info.agent_id) == (2, "asignado", None)
    last = next(e for e in desk.timeline(system_of(desk), t["F"].id) if isinstance(e, EventInfo))
    assert (last.action, last.note) == ("escalar", "Requiere especialista de software")
    assert ("information", f"{info.code} escalado a nivel 2 ({info.group_name})") in toasts(app)
    assert next(r for r in shown if r.id == info.id).level == 2  # the board was read again


async def test_a_ticket_changed_since_the_last_read_is_not_acted_on(make_app, desk, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        desk.take(actor_of(desk, "jperez"), t["F"].id)  # F moves on while the board shows it
        await pilot.press("j", "a")
        await settle(app, pilot)
        assert app.screen is board  # no dialog over stale data
        assert (
            "warning",
            f"{t['F'].code} cambió desde la última lectura del tablero. Revise el caso y vuelva a intentarlo.",
        ) in toasts(app)
        await pilot.press("5")  # answered now: F is no longer overdue, the board was read again
        await settle(app, pilot)
        assert cells(board.table, str(t["F"].id))[5] == "En proceso"
    assert desk.get(system_of(desk), t["F"].id).agent_name == "Jorge Pérez Julio"


async def test_enter_opens_the_ticket_and_esc_comes_back(make_app, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.view.info.code == t["C"].code
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is board and board.table.current.code == t["C"].code


async def test_pages_in_sql_at_the_edges(make_app, desk, now, log, pinned_targets):
    """A 20-row terminal shows 14 tickets a page; 20 open ones make two pages."""
    start = now()
    now.set(start - timedelta(minutes=20))
    made = [log(by="supervisor", subject=f"Caso {i:02d}") for i in range(20)]
    now.set(start)
    app = make_app("supervisor")
    async with app.run_test(size=(120, 20)) as pilot:
        board = await show(app, pilot, "board")
        await pilot.press("5")
        await settle(app, pilot)
        first = codes(board)
        assert first == [m.code for m in made[: len(first)]] and 5 < len(first) < 20
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert codes(board)[0] == made[len(first)].code and codes(board)[-1] == made[-1].code
        await pilot.press("k")  # top row of page 2: back to page 1, cursor on its last row
        await settle(app, pilot)
        assert codes(board) == first and board.table.current.code == first[-1]
        await pilot.press("G")
        await settle(app, pilot)
        assert board.table.current.code == made[-1].code
        await pilot.press("g")
        await settle(app, pilot)
        assert board.table.current.code == made[0].code


async def test_vencidos_put_the_critical_ticket_that_just_ran_out_first(make_app, desk, now, log, pinned_targets):
    """A 20-row terminal shows 14 tickets a page. 18 media tickets overdue since
    Tuesday, one alta overdue since Tuesday and one crítica overdue for ten minutes:
    the crítica leads, then the alta, then the media ones newest crossing first;
    paging down and back up loses and repeats nothing."""
    start = now()
    media = []
    for i in range(18):
        now.set(bogota(2026, 11, 17, 8, 5 + i))
        media.append(log(by="supervisor", subject=f"Caso {i:02d}"))
    now.set(bogota(2026, 11, 17, 10))
    alta = log(by="supervisor", subject="Sin correo en la alcaldía", impact=1, urgency=2)
    now.set(bogota(2026, 11, 18, 8, 20))
    critical = log(by="supervisor", subject="Caída del servidor de nómina", impact=1, urgency=1)
    now.set(start)
    stored = {x.id: desk.get(system_of(desk), x.id) for x in (*media, alta, critical)}
    assert stored[critical.id].priority == "crítica" and stored[alta.id].priority == "alta"
    assert all(stored[m.id].due_at < stored[critical.id].due_at for m in media)
    want = [critical.code, alta.code, *(m.code for m in reversed(media))]
    app = make_app("supervisor")
    async with app.run_test(size=(120, 20)) as pilot:
        board = await show(app, pilot, "board")
        assert str(board.query("GroupTabs Tab").first().label) == "1 Vencidos (20)"
        first = codes(board)
        assert first == want[: len(first)] and 5 < len(first) < 20
        assert cells(board.table, str(critical.id))[-1] == "! -0h 10m"
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert codes(board) == want[len(first) :]
        await pilot.press("k")  # from the top row of page 2 back to page 1
        await settle(app, pilot)
        assert codes(board) == first and board.table.current.code == first[-1]


async def test_export_tickets_from_the_board(make_app, board_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, "board")
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportTicketsDialog)
        assert dialog.query_one("#input-out", Input).value == "~/mesa-casos-2026-11-01-a-2026-11-18.xlsx"

        # Dates the wrong way round: refused next to the field, nothing written.
        await pilot.press("tab", "end", *["backspace"] * 10, *"2026-10-31", "enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "posterior" in str(dialog.query_one("#error-date_from").render())
        assert dialog.query_one("#input-out", Input).value == "~/mesa-casos-2026-11-01-a-2026-10-31.xlsx"
        assert not list(tmp_path.glob("mesa-casos-*"))

        assert dialog.focused.id == "input-date_from"  # the refusal took the focus to its field
        await pilot.press("tab", "end", *["backspace"] * 10, *"18/11/2026", "enter")
        await settle(app, pilot)
        assert app.screen is not dialog

    path = tmp_path / "mesa-casos-2026-11-01-a-2026-11-18.xlsx"
    ws = openpyxl.load_workbook(path)["Casos"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("Código", "Registrado")
    assert sorted(r[0] for r in rows[1:]) == sorted(t.code for t in board_tickets.values())
    assert ("information", f"6 casos en {path}") in toasts(app)
