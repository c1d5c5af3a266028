"""The supervisor mode: the SLA board (F2), the queue overview (F3) and the
indicators (F4). The screens are made here, by name; each is handed this
factory to reach the others, so supervisor/base.py knows none of them."""

from __future__ import annotations

from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.supervisor.base import SupervisorScreen
from mesa_tui.screens.supervisor.board import SlaBoardScreen
from mesa_tui.screens.supervisor.indicators import IndicatorsScreen
from mesa_tui.screens.supervisor.overview import OverviewScreen
from mesa_tui.services.reports import Reports

SCREENS: dict[str, type[SupervisorScreen]] = {
    "board": SlaBoardScreen,
    "overview": OverviewScreen,
    "indicators": IndicatorsScreen,
}


def supervisor_screen(which: str, ctx: DeskContext, reports: Reports | None = None) -> SupervisorScreen:
    """A new supervisor screen by name ("board", "overview" or "indicators")."""
    return SCREENS[which](ctx, supervisor_screen, reports)
