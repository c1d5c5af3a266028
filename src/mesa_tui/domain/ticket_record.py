"""A ticket as the use cases change it: its stored fields and its two SLA clocks, and
the rules that keep the fields derived from the clocks (due times, met flags, the due
time the queue sorts by) and the PQRS legal due date consistent.

The store reads and writes it; the services change it inside one transaction. It is
mutable on purpose: a use case changes a few fields, and `audited()` before and after
tells what the audit event records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.sla import Clock, SlaTargets
from mesa_tui.domain.vocab import LEGAL_DAY_CHOICES, PQRS_LEGAL_DAYS, Status, TicketType

# Fields whose changes the audit trail records; replaying them rebuilds a ticket.
AUDITED = (
    "status",
    "agent_id",
    "group_id",
    "level",
    "type",
    "service_id",
    "impact",
    "urgency",
    "priority",
    "nature",
    "sla_calendar",
    "tto_due_at",
    "ttr_due_at",
    "tto_met",
    "ttr_met",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "solution",
    "solution_mode",
    "wait_reason",
    "legal_due_on",
    "version",
)


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The audited fields that differ between two `audited()` snapshots, as {field: (old, new)}."""
    return {f: (before[f], after[f]) for f in AUDITED if before[f] != after[f]}


@dataclass(slots=True, eq=False)
class TicketRecord:
    id: int | None  # None until the store inserts it
    code: str
    version: int
    requester_name: str
    requester_dependency: str
    requester_contact: str
    requester_id: int | None
    channel: str
    service_id: int
    type: str
    subject: str
    description: str
    impact: int
    urgency: int
    priority: str
    nature: str | None
    status: str
    level: int
    group_id: int | None
    agent_id: int | None
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    solution: str | None
    solution_mode: str | None
    legal_due_on: date | None
    wait_reason: str | None
    sla_calendar: str  # code of the schedule both clocks run on ("office", "24x7", "HOR-001"...)
    tto: Clock  # time to own / first response
    ttr: Clock  # time to resolve
    tto_due_at: datetime
    tto_met: bool | None
    ttr_due_at: datetime
    ttr_met: bool | None
    # Due time of the clock that runs now (TTO until the first response, then TTR):
    # what queues sort and page by.
    due_at: datetime

    @classmethod
    def opened(
        cls,
        *,
        code: str,
        requester_name: str,
        requester_dependency: str,
        requester_contact: str,
        requester_id: int | None = None,
        channel: str,
        service_id: int,
        type: str,
        subject: str,
        description: str,
        impact: int,
        urgency: int,
        priority: str,
        group_id: int | None,
        created_by_id: int | None,
        now: datetime,
        targets: SlaTargets,
        cal: BusinessCalendar,
        legal_due_on: date | None,
    ) -> TicketRecord:
        """A ticket logged at `now`: new, on the first level, both clocks starting."""
        tto, ttr = Clock.start(now, targets.tto), Clock.start(now, targets.ttr)
        ticket = cls(
            id=None,
            code=code,
            version=1,
            requester_name=requester_name,
            requester_dependency=requester_dependency,
            requester_contact=requester_contact,
            requester_id=requester_id,
            channel=channel,
            service_id=service_id,
            type=type,
            subject=subject,
            description=description,
            impact=impact,
            urgency=urgency,
            priority=priority,
            nature=None,
            status=Status.NUEVO.value,
            level=1,
            group_id=group_id,
            agent_id=None,
            created_by_id=created_by_id,
            created_at=now,
            updated_at=now,
            first_response_at=None,
            resolved_at=None,
            closed_at=None,
            solution=None,
            solution_mode=None,
            legal_due_on=legal_due_on,
            wait_reason=None,
            sla_calendar=targets.calendar,
            tto=tto,
            ttr=ttr,
            tto_due_at=now,
            tto_met=None,
            ttr_due_at=now,
            ttr_met=None,
            due_at=now,
        )
        ticket.set_clock("tto", tto, cal)
        ticket.set_clock("ttr", ttr, cal)
        ticket.refresh_due()
        return ticket

    def audited(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in AUDITED}

    def touch(self, now: datetime) -> None:
        """A change others must not overwrite: a new version, stamped `now`."""
        self.version += 1
        self.updated_at = now

    # --- clocks -------------------------------------------------------------------

    def clock(self, which: str) -> Clock:
        return self.tto if which == "tto" else self.ttr

    def set_clock(self, which: str, clock: Clock, cal: BusinessCalendar) -> None:
        """A clock with the due time and met flag it gives on `cal`.

        A clock that had already run out keeps the instant it did: that is history, and
        counting back from where the clock stands now would go over time the calendar
        may count differently since (a day closed while it ran, other hours)."""
        before, before_due = self.clock(which), self.tto_due_at if which == "tto" else self.ttr_due_at
        since = clock.anchor or clock.paused_at or clock.stopped_at
        ran_out = clock.consumed >= clock.target and since is not None and before_due <= since
        # The calendar answers in its own zone; the record and the audit trail keep UTC.
        due = before_due if ran_out and clock.target == before.target else clock.due(cal).astimezone(UTC)
        met = clock.met(cal)
        if which == "tto":
            self.tto, self.tto_due_at, self.tto_met = clock, due, met
        else:
            self.ttr, self.ttr_due_at, self.ttr_met = clock, due, met

    def refresh_due(self) -> None:
        """The queue sorts by the due time of the clock that matters now."""
        self.due_at = self.tto_due_at if self.tto.stopped_at is None else self.ttr_due_at

    def recalendar(self, old_cal: BusinessCalendar, new_cal: BusinessCalendar, now: datetime) -> None:
        """The ticket's calendar changed at `now` (a closure added or removed, its schedule
        edited): business time up to `now` stays as `old_cal` counted it, and `new_cal`
        counts from `now` on. A running clock is charged up to `now`; a paused or stopped
        one already holds what it counted. Only due times from here on can move."""
        for which in ("tto", "ttr"):
            clock = self.clock(which)
            anchor = clock.anchor
            # Charged only when the calendars count the time already run differently (a day
            # closed or reopened while it runs, other hours): otherwise nothing is rewritten.
            if anchor is not None and anchor < now and old_cal.between(anchor, now) != new_cal.between(anchor, now):
                clock = clock.retarget(old_cal, new_cal, now, clock.target)
            self.set_clock(which, clock, new_cal)

    def retarget(
        self, targets: SlaTargets, old_cal: BusinessCalendar, new_cal: BusinessCalendar, now: datetime
    ) -> None:
        """New targets and calendar from `now` on, keeping the time consumed and paused
        so far; stopped clocks keep the target they were judged by."""
        moves_calendar = targets.calendar != self.sla_calendar
        for which, target in (("tto", targets.tto), ("ttr", targets.ttr)):
            clock = self.clock(which)
            if not clock.stopped and (moves_calendar or clock.target != target):
                clock = clock.retarget(old_cal, new_cal, now, target)
            self.set_clock(which, clock, new_cal)
        self.sla_calendar = targets.calendar

    def first_response(self, now: datetime, cal: BusinessCalendar) -> None:
        """The first response stops the TTO clock (once)."""
        tto = self.tto
        if tto.stopped:
            return
        if tto.paused:
            tto = tto.resume(cal, now)
        self.set_clock("tto", tto.stop(cal, now), cal)
        self.first_response_at = now

    def pause(self, now: datetime, cal: BusinessCalendar) -> None:
        """Waiting on someone pauses the running clocks."""
        for which in ("tto", "ttr"):
            clock = self.clock(which)
            if clock.running:
                self.set_clock(which, clock.pause(cal, now), cal)

    def resume(self, now: datetime, cal: BusinessCalendar) -> None:
        for which in ("tto", "ttr"):
            clock = self.clock(which)
            if clock.paused:
                self.set_clock(which, clock.resume(cal, now), cal)

    def solved(self, now: datetime, cal: BusinessCalendar) -> None:
        """A solution answers the requester (first response) and stops the TTR clock."""
        self.first_response(now, cal)
        ttr = self.ttr
        if ttr.paused:
            ttr = ttr.resume(cal, now)
        self.set_clock("ttr", ttr.stop(cal, now), cal)

    def reopened(self, now: datetime, cal: BusinessCalendar) -> None:
        self.set_clock("ttr", self.ttr.reopen(cal, now), cal)

    # --- PQRS legal term ----------------------------------------------------------------

    def retyped(self, ticket_type: TicketType, office: Callable[[], BusinessCalendar]) -> None:
        """A new type. The legal term runs from the filing date, whatever the type was
        then; `office` gives the office calendar, read only when a PQRS needs its term."""
        self.type = ticket_type.value
        if not ticket_type.is_pqrs:
            self.legal_due_on = None
        elif self.legal_due_on is None:
            self.legal_due_on = office().add_business_days(self.created_at, PQRS_LEGAL_DAYS)

    def legal_due_moved(self, old_office: BusinessCalendar, new_office: BusinessCalendar) -> date | None:
        """The PQRS legal due date counted again on a changed office calendar: the same
        number of business days after the ticket was logged."""
        for days in LEGAL_DAY_CHOICES:
            if old_office.add_business_days(self.created_at, days) == self.legal_due_on:
                return new_office.add_business_days(self.created_at, days)
        return self.legal_due_on
