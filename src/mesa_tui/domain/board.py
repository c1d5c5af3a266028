"""The SLA board: its groups, and the two instants that turn "vencido" and
"en riesgo" into plain comparisons on a ticket's stored due time, so the store
can count the groups in SQL and get exactly what `Clock.state` says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.queue import PageCursor, PageRequest
from mesa_tui.domain.sla import ClockState, format_remaining
from mesa_tui.domain.vocab import Status


class BoardGroup(StrEnum):
    VENCIDO = "vencido"
    EN_RIESGO = "en_riesgo"
    EN_PAUSA = "en_pausa"
    EN_TIEMPO = "en_tiempo"

    @property
    def label(self) -> str:
        return BOARD_LABELS[self]


BOARD_LABELS = {
    BoardGroup.VENCIDO: "Vencidos",
    BoardGroup.EN_RIESGO: "En riesgo",
    BoardGroup.EN_PAUSA: "En pausa",
    BoardGroup.EN_TIEMPO: "En tiempo",
}
BOARD_ORDER = tuple(BoardGroup)


def board_group(status: str, state: ClockState) -> BoardGroup:
    """A ticket waiting on someone (en espera) is "en pausa" even when its clock
    had already run out: the board groups by what the desk can act on."""
    if status == Status.EN_ESPERA:
        return BoardGroup.EN_PAUSA
    if state is ClockState.VENCIDO:
        return BoardGroup.VENCIDO
    if state is ClockState.EN_RIESGO:
        return BoardGroup.EN_RIESGO
    if state is ClockState.EN_PAUSA:
        return BoardGroup.EN_PAUSA
    return BoardGroup.EN_TIEMPO


_US = timedelta(microseconds=1)


def overdue_cut(cal: BusinessCalendar, now: datetime) -> datetime:
    """A running clock is "vencido" at `now` exactly when its due time is before this.

    `Clock.state` says vencido when elapsed > target, i.e. when business time
    has run after the due instant. Inside open hours that is `due < now`; after
    hours it is `due <` the end of the last open stretch, since a due time at
    the very end of the day is not yet overrun until the next business time.
    """
    return cal.add(now, -_US) + _US


def risk_cut(cal: BusinessCalendar, now: datetime, target: timedelta, risk: float) -> datetime:
    """A running, not overdue clock with this target is "en riesgo" at `now`
    exactly when its due time is at or before this.

    en riesgo means elapsed >= target * risk, i.e. at most target - target * risk
    of business time left before the due instant; the latest such due instant is
    `now` plus that much business time (carried over closed hours to the next
    opening, which adds no business time).
    """
    left = target - target * risk
    return cal.next_open(cal.add(now, left))


@dataclass(frozen=True)
class SlaBoardRow:
    id: int
    code: str
    version: int
    subject: str
    priority: str
    status: str
    level: int
    agent_id: int | None
    agent_name: str
    group_name: str  # support group
    service_code: str
    service_name: str
    due_at: datetime
    clock_kind: str  # "tto" (respuesta) until the first response, then "ttr" (solución)
    state: ClockState
    remaining: timedelta  # business time left on the running clock (negative when overrun)
    board_group: BoardGroup
    cursor: PageCursor

    @property
    def remaining_label(self) -> str:
        return format_remaining(self.remaining)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass(frozen=True)
class SlaBoardPage:
    at: datetime
    group: BoardGroup | None  # None: every open ticket
    rows: tuple[SlaBoardRow, ...]
    has_before: bool
    has_after: bool
    request: PageRequest

    @property
    def first(self) -> PageCursor | None:
        return self.rows[0].cursor if self.rows else None

    @property
    def last(self) -> PageCursor | None:
        return self.rows[-1].cursor if self.rows else None


@dataclass(frozen=True)
class SlaBoardCounts:
    at: datetime
    counts: Mapping[BoardGroup, int]

    def __getitem__(self, group: BoardGroup) -> int:
        return self.counts.get(group, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
