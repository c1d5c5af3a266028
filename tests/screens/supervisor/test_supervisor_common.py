"""The supervisor screens as a whole: moving between the screens, the board's own
keys, and an agent who reaches one is refused. (Every binding's id, description
and tooltip: the audit in tests/screens/test_keys.py.)"""

from __future__ import annotations

from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.supervisor import board as supervisor_board
from mesa_tui.screens.supervisor import indicators as supervisor_indicators
from mesa_tui.screens.supervisor import overview as supervisor_overview
from mesa_tui.screens.supervisor.board import BoardTable
from tests.screens.supervisor.support import show
from tests.screens.support import SIZE, settle


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
