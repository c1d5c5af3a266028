"""The office calendar as the administrator sees it: public holidays and the entity's closures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mesa_tui.domain.tickets import text_problem

MAX_CLOSURE_REASON = 200


def closure_reason_problem(reason: str) -> str | None:
    return text_problem(reason, "El motivo del cierre", MAX_CLOSURE_REASON)


@dataclass(frozen=True)
class HolidayInfo:
    day: date
    name: str


@dataclass(frozen=True)
class ClosureInfo:
    day: date
    reason: str
