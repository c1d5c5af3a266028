"""The supervisor screens as a whole: keys with ids, moving between the screens,
and an agent who reaches one is refused. Also the helpers the other
test_supervisor_* modules import."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from screen_helpers import SIZE, settle
from sqlmodel import select
from test_keys import OWN_CLASSES
from textual.binding import Binding

from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.supervisor import base as supervisor_base
from mesa_tui.screens.supervisor import board as supervisor_board
from mesa_tui.screens.supervisor import exports as supervisor_exports
from mesa_tui.screens.supervisor import indicators as supervisor_indicators
from mesa_tui.screens.supervisor import overview as supervisor_overview
from mesa_tui.screens.supervisor import supervisor_screen
from mesa_tui.screens.supervisor.board import BoardTable
from mesa_tui.store.models import SlaPolicy
from mesa_tui.widgets.keyed_table import KeyedTable as SupervisorTable

SUPERVISOR_CLASSES = [
    supervisor_base.SupervisorScreen,
    supervisor_board.SlaBoardScreen,
    supervisor_overview.OverviewScreen,
    supervisor_indicators.IndicatorsScreen,
    supervisor_exports.ExportDialog,
    SupervisorTable,
    BoardTable,
]

BOGOTA = ZoneInfo("America/Bogota")
# SLA targets in minutes (first response, solution), office hours, pinned so the groups are known.
TARGETS = {"crítica": (30, 240), "alta": (60, 480), "media": (60, 480), "baja": (240, 2400)}


def bogota(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BOGOTA)


@pytest.fixture
def pinned_targets(db):
    def pin(s):
        for p in s.exec(select(SlaPolicy)).all():
            s.delete(p)
        s.flush()
        for priority, (tto, ttr) in TARGETS.items():
            s.add(SlaPolicy(priority=priority, tto_minutes=tto, ttr_minutes=ttr, calendar="office"))

    db.write(pin)


@pytest.fixture
def board_tickets(desk, now, log, pinned_targets):
    """Open work at Wednesday 18 Nov 2026 09:00 (media: 1 h first response, 8 h solution),
    one or two tickets per group of the board, by code:

    1 F  Tue 11:00, assigned to jperez 11:05, not answered   due Tue 12:00   vencido
    2 C  Tue 10:00, taken by jperez 10:10: 9 of 8 h            due Tue 18:00   vencido
    3 D  Tue 15:00 baja, taken by lmarrugo, on hold           paused          en pausa
    4 B  Wed 08:10, 50 of 60 min                              due 09:10       en riesgo
    5 A  Wed 08:30, 30 of 60 min                              due 09:30       en tiempo
    6 E  Wed 08:45 alta, SER-016, 15 of 60 min                due 09:45       en tiempo
    """
    sup, jperez, lmarrugo = desk.actor("supervisor"), desk.actor("jperez"), desk.actor("lmarrugo")
    start = now()
    t = {}
    now.set(bogota(2026, 11, 17, 10))
    t["C"] = log(by="supervisor", subject="Equipo muy lento al iniciar")
    now.set(bogota(2026, 11, 17, 10, 10))
    desk.take(jperez, t["C"].id)
    now.set(bogota(2026, 11, 17, 11))
    t["F"] = log(
        by="supervisor", subject="No abre Outlook", service_code="SER-009", requester_name="Luis Torres Ortega"
    )
    now.set(bogota(2026, 11, 17, 11, 5))
    desk.assign(sup, t["F"].id, agent_login="jperez")
    now.set(bogota(2026, 11, 17, 15))
    t["D"] = log(by="supervisor", subject="Impresora atasca hojas", service_code="SER-026", impact=3, urgency=3)
    now.set(bogota(2026, 11, 17, 15, 10))
    desk.take(lmarrugo, t["D"].id)
    desk.wait(lmarrugo, t["D"].id, "Esperando repuesto del proveedor")
    now.set(bogota(2026, 11, 18, 8, 10))
    t["B"] = log(
        by="supervisor", subject="Crear usuario para contratista nuevo", service_code="SER-003", type="requerimiento"
    )
    now.set(bogota(2026, 11, 18, 8, 30))
    t["A"] = log(by="supervisor", subject="Sin conexión a internet en la sede", service_code="SER-016")
    now.set(bogota(2026, 11, 18, 8, 45))
    t["E"] = log(by="supervisor", subject="Caída del canal de la sede", service_code="SER-016", impact=2, urgency=1)
    now.set(start)
    return {k: desk.get(v.id) for k, v in t.items()}


async def show(app, pilot, which: str):
    """Start the app (the agent queue), then put a supervisor screen on top and let it read."""
    await settle(app, pilot)
    await app.push_screen(supervisor_screen(which, app.ctx))
    await settle(app, pilot)
    return app.screen


def cells(table, key: str) -> list[str]:
    """The plain text of a row of a SupervisorTable."""
    return [str(getattr(c, "plain", c)).strip() for c in table.get_row(key)]


@pytest.mark.parametrize("cls", SUPERVISOR_CLASSES, ids=lambda c: c.__name__)
def test_every_binding_has_an_id_a_description_and_a_tooltip(cls):
    bindings = cls.__dict__.get("BINDINGS", [])
    assert all(isinstance(b, Binding) for b in bindings)
    for b in bindings:
        assert b.id and b.description and b.tooltip, b


def test_binding_ids_are_unique_across_the_app():
    seen: dict[str, str] = {}
    for cls in [*OWN_CLASSES, *SUPERVISOR_CLASSES]:
        for b in cls.__dict__.get("BINDINGS", []):
            assert b.id not in seen, f"{b.id} in {cls.__name__} and {seen[b.id]}"
            seen[b.id] = cls.__name__


def test_the_board_offers_only_its_own_verbs():
    """It reuses the agent screens' actions, not their keys (r is refresh here, not resolve)."""
    keys = {
        key: b.action
        for key, bindings in supervisor_board.SlaBoardScreen._merge_bindings().key_to_bindings.items()
        for b in bindings
    }
    assert keys["a"] == "assign" and keys["e"] == "escalate" and keys["r"] == "refresh" and keys["x"] == "export"
    assert not {"t", "c", "w", "u", "o", "d", "m"} & set(keys)


async def test_f_keys_move_between_the_screens_and_esc_goes_back(make_app, varied_tickets):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        assert isinstance(board, supervisor_board.SlaBoardScreen)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, supervisor_overview.OverviewScreen)
        await pilot.press("f4")
        await settle(app, pilot)
        assert isinstance(app.screen, supervisor_indicators.IndicatorsScreen)
        assert len(app.screen_stack) == 3  # queue, board, indicators: beside the overview, not on it
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.screen is board
        commands = {c.title for c in board.palette_commands()}
        assert {"Reasignar (a)", "Escalar (e)", "Resumen (f3)", "Indicadores (f4)"} <= commands
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_an_agent_is_refused(make_app, desk, varied_tickets):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        board = await show(app, pilot, "board")
        text = str(board.query_one("#supervisor-refused").render())
        assert "son para supervisores y administradores" in text
        assert not board.query(BoardTable)
        await pilot.press("a", "x", "f4")
        await settle(app, pilot)
        assert app.screen is board
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
