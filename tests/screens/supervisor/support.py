"""Helpers for the supervisor screen tests: Bogotá times, opening a supervisor
screen over the queue, and reading a table's row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mesa_tui.screens.supervisor import supervisor_screen
from tests.screens.support import settle

BOGOTA = ZoneInfo("America/Bogota")
# SLA targets in minutes (first response, solution), office hours, pinned so the groups are known.
TARGETS = {"crítica": (30, 240), "alta": (60, 480), "media": (60, 480), "baja": (240, 2400)}


def bogota(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BOGOTA)


async def show(app, pilot, which: str):
    """Start the app (the agent queue), then put a supervisor screen on top and let it read."""
    await settle(app, pilot)
    await app.push_screen(supervisor_screen(which, app.ctx))
    await settle(app, pilot)
    return app.screen


def cells(table, key: str) -> list[str]:
    """The plain text of a row of a SupervisorTable."""
    return [str(getattr(c, "plain", c)).strip() for c in table.get_row(key)]
