"""The queue overview: what each section shows for a known desk, refreshed by key."""

from __future__ import annotations

from mesa_tui.screens.supervisor.exports import ExportTicketsDialog
from mesa_tui.widgets.keyed_table import KeyedTable as SupervisorTable
from tests.screens.supervisor.support import cells, show
from tests.screens.support import SIZE, settle
from tests.support import actor_of


def table(screen, ident: str) -> SupervisorTable:
    return screen.query_one(f"#{ident}", SupervisorTable)


def rows(screen, ident: str) -> list[list[str]]:
    t = table(screen, ident)
    return [cells(t, key) for key in t.keys]


async def test_every_section_for_a_known_desk(make_app, desk, board_tickets):
    """Board tickets (Wednesday 09:00): C, D, F logged Tuesday, B, A, E today; jperez holds
    C (en proceso, overdue) and F (asignado, overdue), lmarrugo D (en espera)."""
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        ov = await show(app, pilot, "overview")
        assert rows(ov, "ov-status") == [
            ["Nuevo", "3", "0", "0", "3"],
            ["Asignado", "1", "0", "0", "1"],
            ["En proceso", "1", "0", "0", "1"],
            ["En espera", "1", "0", "0", "1"],
            ["Abiertos", "6", "0", "0", "6"],
            ["Resueltos por cerrar", "0", "0", "0", "0"],
        ]
        agents = {r[0]: r[1:] for r in rows(ov, "ov-agents")}
        assert agents["Jorge Pérez"] == ["1", "1", "1", "0", "2", "2"]
        assert agents["Liliana Marrugo"] == ["1", "0", "0", "1", "1", "0"]
        assert agents["Natalia Mendoza"] == ["2", "0", "0", "0", "0", "0"]  # idle agents are listed too
        assert agents["Sin asignar"][-2] == "3"
        assert table(ov, "ov-agents").keys[0] == str(actor_of(desk, "jperez").id)  # busiest first
        assert [(r[0], r[2]) for r in rows(ov, "ov-services")] == [
            ("SER-016", "2"),
            ("SER-001", "1"),
            ("SER-003", "1"),
            ("SER-009", "1"),
            ("SER-026", "1"),
        ]
        assert sum(int(r[1]) for r in rows(ov, "ov-categories")) == 6
        assert [(r[0], r[1]) for r in rows(ov, "ov-ageing")] == [
            ("Hoy", "3"),
            ("1 a 2 días", "3"),
            ("3 a 5 días", "0"),
            ("6 a 10 días", "0"),
            ("11 a 20 días", "0"),
            ("Más de 20 días", "0"),
        ]
        assert rows(ov, "ov-throughput") == [["Recibidos", "3", "6"], ["Resueltos", "0", "0"]]
        status = str(ov.query_one("#overview-status").render())
        assert (
            "Abiertos: 6 casos" in status and "sin asignar: 3" in status and "vencidos a cargo de agentes: 2" in status
        )


async def test_refresh_updates_by_key_and_tab_walks_the_lists(make_app, desk, board_tickets):
    t = board_tickets
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        ov = await show(app, pilot, "overview")
        agents = table(ov, "ov-agents")
        assert ov.focused is agents
        await pilot.press("j")
        liliana = str(actor_of(desk, "lmarrugo").id)
        assert agents.current_key == liliana
        cleared = []
        clear = agents.clear
        agents.clear = lambda *a, **kw: (cleared.append(1), clear(*a, **kw))[1]

        desk.resolve(actor_of(desk, "jperez"), t["C"].id, "Se liberó espacio en disco", "remoto")
        await pilot.press("r")
        await settle(app, pilot)
        assert cells(agents, str(actor_of(desk, "jperez").id))[1:] == ["1", "1", "0", "0", "1", "1"]
        assert agents.current_key == liliana and cleared == []
        assert rows(ov, "ov-status")[-1] == ["Resueltos por cerrar", "1", "0", "0", "1"]
        assert rows(ov, "ov-throughput")[1] == ["Resueltos", "1", "1"]

        await pilot.press("tab")
        assert ov.focused is table(ov, "ov-services")
        await pilot.press("tab")
        assert ov.focused is table(ov, "ov-categories")
        await pilot.press("shift+tab", "shift+tab")
        assert ov.focused is agents

        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportTicketsDialog)
