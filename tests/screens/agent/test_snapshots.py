"""Each agent screen at 120x40 with the test clock (Wednesday 09:00 in Bogotá).

Regenerate after a deliberate change with `pytest tests/screens --snapshot-update`.
"""

from __future__ import annotations

from tests.screens.support import SIZE, settle


def _settled(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot.app, pilot)

    return run_before


def test_queue_screen(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("supervisor"), terminal_size=SIZE, run_before=_settled())


def test_agent_queue_mine(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("jperez"), terminal_size=SIZE, run_before=_settled())


def test_ticket_screen(snap_compare, make_app, varied_tickets):
    # The printer ticket: taken, then on hold, with its history.
    assert snap_compare(make_app("supervisor"), terminal_size=SIZE, run_before=_settled("j", "j", "j", "j", "enter"))


def test_new_ticket_screen(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("jperez"), terminal_size=SIZE, run_before=_settled("n", "r", "e", "d"))


def test_escalate_dialog(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("jperez"), terminal_size=SIZE, run_before=_settled("enter", "e"))


def test_help_screen(snap_compare, make_app, varied_tickets):
    assert snap_compare(make_app("jperez"), terminal_size=SIZE, run_before=_settled("question_mark"))
