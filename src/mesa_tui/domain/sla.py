"""SLA clocks: business time consumed against a target, with pause, stop and reopen.

Clocks are immutable values; every operation takes the calendar and the instant it
happens at and returns a new clock. Consumed time is kept as a total plus the start of
the running segment, so a clock never needs its history to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from mesa_tui.domain.targets import OFFICE, ROUND_THE_CLOCK
from mesa_tui.domain.vocab import Priority, TicketType

if TYPE_CHECKING:
    from mesa_tui.domain.calendar import BusinessCalendar

_ZERO = timedelta(0)


class ClockState(StrEnum):
    EN_TIEMPO = "en tiempo"
    EN_RIESGO = "en riesgo"
    VENCIDO = "vencido"
    EN_PAUSA = "en pausa"
    CUMPLIDO = "cumplido"
    INCUMPLIDO = "incumplido"


@dataclass(frozen=True)
class Clock:
    target: timedelta
    consumed: timedelta  # business time consumed before `anchor`
    anchor: datetime | None  # start of the running segment; None while paused or stopped
    paused_at: datetime | None
    stopped_at: datetime | None
    paused_total: timedelta  # paused or resolved-before-reopen business time, for display

    @classmethod
    def start(cls, at: datetime, target: timedelta) -> Clock:
        if target < _ZERO:
            raise ValueError(f"SLA target must not be negative, got {target}")
        return cls(target=target, consumed=_ZERO, anchor=at, paused_at=None, stopped_at=None, paused_total=_ZERO)

    @property
    def running(self) -> bool:
        return self.anchor is not None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def elapsed(self, cal: BusinessCalendar, now: datetime) -> timedelta:
        if self.anchor is None:
            return self.consumed
        # A `now` before the anchor (clock skew between writers) adds nothing rather than refunding time.
        return self.consumed + max(cal.between(self.anchor, now), _ZERO)

    def remaining(self, cal: BusinessCalendar, now: datetime) -> timedelta:
        return self.target - self.elapsed(cal, now)

    def due(self, cal: BusinessCalendar) -> datetime:
        """When the target is (or was) reached if the clock runs from its current point on."""
        since = self.anchor or self.paused_at or self.stopped_at
        if since is None:
            raise ValueError("clock has no anchor, pause or stop instant")
        return cal.add(since, self.target - self.consumed)

    def pause(self, cal: BusinessCalendar, at: datetime) -> Clock:
        if self.anchor is None:
            raise ValueError("cannot pause a clock that is not running")
        _not_before(at, self.anchor, "pause", "the clock started running")
        return replace(self, consumed=self.consumed + cal.between(self.anchor, at), anchor=None, paused_at=at)

    def resume(self, cal: BusinessCalendar, at: datetime) -> Clock:
        if self.paused_at is None:
            raise ValueError("cannot resume a clock that is not paused")
        _not_before(at, self.paused_at, "resume", "it was paused")
        return replace(
            self, anchor=at, paused_at=None, paused_total=self.paused_total + cal.between(self.paused_at, at)
        )

    def stop(self, cal: BusinessCalendar, at: datetime) -> Clock:
        if self.stopped_at is not None:
            raise ValueError("cannot stop a clock that is already stopped")
        if self.anchor is not None:
            _not_before(at, self.anchor, "stop", "the clock started running")
            return replace(self, consumed=self.consumed + cal.between(self.anchor, at), anchor=None, stopped_at=at)
        if self.paused_at is None:
            raise ValueError("cannot stop a clock that is neither running nor paused")
        _not_before(at, self.paused_at, "stop", "it was paused")
        return replace(
            self, paused_at=None, stopped_at=at, paused_total=self.paused_total + cal.between(self.paused_at, at)
        )

    def reopen(self, cal: BusinessCalendar, at: datetime) -> Clock:
        if self.stopped_at is None:
            raise ValueError("cannot reopen a clock that is not stopped")
        _not_before(at, self.stopped_at, "reopen", "it was stopped")
        return replace(
            self, anchor=at, stopped_at=None, paused_total=self.paused_total + cal.between(self.stopped_at, at)
        )

    def retarget(self, old_cal: BusinessCalendar, new_cal: BusinessCalendar, at: datetime, target: timedelta) -> Clock:
        """New target (and maybe calendar) from `at` on; time already consumed is kept."""
        if target < _ZERO:
            raise ValueError(f"SLA target must not be negative, got {target}")
        if self.anchor is None:
            return replace(self, target=target)
        # Time up to `at` is charged on the old calendar; new_cal takes over from the new anchor.
        return replace(self, target=target, consumed=self.elapsed(old_cal, at), anchor=at)

    def met(self, cal: BusinessCalendar) -> bool | None:
        if self.stopped_at is None:
            return None
        return self.consumed <= self.target

    def state(self, cal: BusinessCalendar, now: datetime, risk: float = 0.75) -> ClockState:
        if not 0.0 <= risk <= 1.0:
            raise ValueError(f"risk threshold must be between 0 and 1, got {risk}")
        if self.stopped_at is not None:
            return ClockState.CUMPLIDO if self.consumed <= self.target else ClockState.INCUMPLIDO
        if self.paused_at is not None:
            return ClockState.EN_PAUSA
        elapsed = self.elapsed(cal, now)
        if elapsed > self.target:
            return ClockState.VENCIDO
        if elapsed >= self.target * risk:
            return ClockState.EN_RIESGO
        return ClockState.EN_TIEMPO


def _not_before(at: datetime, since: datetime, verb: str, what: str) -> None:
    if at < since:
        raise ValueError(f"cannot {verb} at {at.isoformat()}: that is before {what} ({since.isoformat()})")


def format_remaining(td: timedelta) -> str:
    """Compact remaining business time: "2h 05m", "-0h 05m"; whole hours ("-967h")
    from 100 h on. Never days: a "day" of business time is not a calendar day
    (10 h Monday to Thursday, 9 h Friday), and 24-hour days would read as weeks.

    Truncates toward zero so the display never shows more time than there is."""
    sign = "-" if td < _ZERO else ""
    minutes = abs(td) // timedelta(minutes=1)
    hours, mins = divmod(minutes, 60)
    if hours < 100:
        return f"{sign}{hours}h {mins:02d}m"
    return f"{sign}{hours}h"


@dataclass(frozen=True)
class SlaTargets:
    tto: timedelta  # time to own / first response
    ttr: timedelta  # time to resolve
    # A policy's: "office" (its service's hours) or "24x7". A ticket's: the code of the
    # schedule its clocks run on.
    calendar: str
    # A policy's 24x7 hours apply to every ticket type, not only to incidents.
    all_types: bool = False


_DEFAULT_TARGETS = {
    "crítica": SlaTargets(timedelta(minutes=30), timedelta(hours=4), ROUND_THE_CLOCK),
    "alta": SlaTargets(timedelta(hours=1), timedelta(hours=8), OFFICE),
    "media": SlaTargets(timedelta(hours=2), timedelta(hours=16), OFFICE),
    "baja": SlaTargets(timedelta(hours=4), timedelta(hours=40), OFFICE),
}


def default_targets(priority: str) -> SlaTargets:
    try:
        return _DEFAULT_TARGETS[priority]
    except KeyError:
        raise ValueError(f"unknown priority {priority!r}; expected one of {', '.join(_DEFAULT_TARGETS)}") from None


__all__ = ["Clock", "ClockState", "SlaTargets", "default_targets", "format_remaining"]


def ticket_targets(policy: SlaTargets | None, priority: str, ticket_type: str, schedule: str = OFFICE) -> SlaTargets:
    """Targets and calendar of a ticket: its policy's (the built-in defaults without one),
    on its service's `schedule`. Round-the-clock hours are for incidents: a critical
    incident always runs 24x7 (an outage is attended whenever it happens), and a 24x7
    policy covers the incidents it governs, or every type when it says so; a request,
    petition or complaint otherwise follows the service's hours, critical or not."""
    targets = policy if policy is not None else default_targets(priority)
    incident = ticket_type == TicketType.INCIDENTE
    if incident and priority == Priority.CRITICA:
        return replace(targets, calendar=ROUND_THE_CLOCK)
    if targets.calendar == ROUND_THE_CLOCK and (incident or targets.all_types):
        return targets
    return replace(targets, calendar=schedule)
