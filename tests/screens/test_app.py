"""MesaApp opens on the queue read from the store, and quits with q."""

from __future__ import annotations

from tests.screens.support import SIZE, settle


async def test_opens_on_the_queue_and_quits_with_q(make_app, varied_tickets):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        shown = [row.code for row in table.rows_shown]
        assert sorted(shown) == sorted(t.code for t in varied_tickets)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
