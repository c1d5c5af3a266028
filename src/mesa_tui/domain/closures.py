"""The office calendar as the administrator sees it: public holidays and the entity's closures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mesa_tui.domain.limits import CLOSURE_REASON
from mesa_tui.domain.tickets import text_problem


def closure_reason_problem(reason: str) -> str | None:
    return text_problem(reason, "El motivo del cierre", CLOSURE_REASON)


@dataclass(frozen=True)
class HolidayInfo:
    day: date
    name: str


@dataclass(frozen=True)
class ClosureInfo:
    day: date
    reason: str
