"""Each supervisor screen at 120x40 with the test clock (Wednesday 18 Nov 2026, 09:00 in Bogotá).

Regenerate after a deliberate change with `pytest tests/screens --snapshot-update`.
"""

from __future__ import annotations

from mesa_tui.screens.supervisor import supervisor_screen
from tests.screens.support import SIZE, settle


def _on(which: str, *keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        await app.push_screen(supervisor_screen(which, app.ctx))
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)

    return run_before


def test_sla_board(snap_compare, make_app, board_tickets):
    # "Todos": every group's colour on one page.
    assert snap_compare(make_app("supervisor"), terminal_size=SIZE, run_before=_on("board", "5", "j"))


def test_queue_overview(snap_compare, make_app, board_tickets):
    assert snap_compare(make_app("supervisor"), terminal_size=SIZE, run_before=_on("overview"))


def test_indicators(snap_compare, make_app, kpi_tickets):
    assert snap_compare(make_app("supervisor"), terminal_size=SIZE, run_before=_on("indicators", "j", "j", "j"))


def test_export_tickets_dialog(snap_compare, make_app, board_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert snap_compare(make_app("supervisor"), terminal_size=SIZE, run_before=_on("board", "x"))
