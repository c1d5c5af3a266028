"""Recomputing open tickets after a change that moves due times: new targets from a
policy or a service's schedule, or a calendar that changed (a closure added or removed,
a schedule's hours edited). Each ticket that really changes gets its new due times,
one "recalcular ANS" event and a new version. A change counts from the moment it is
made: business time already consumed, counted and paused is kept as it was.

The recompute is the desk's own work: its events name the system actor ("sistema").
Its instant is read from `clock` once the caller has locked the tickets (on PostgreSQL
an admin change may wait there behind an agent's transaction), so no ticket is
stamped, nor has a running clock moved back, before a change already committed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.sla import SlaTargets, ticket_targets
from mesa_tui.domain.targets import OFFICE
from mesa_tui.domain.ticket_record import AUDITED, TicketRecord
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import diff
from mesa_tui.store import identity_repo, recompute_repo, schedules_repo, tickets_repo
from mesa_tui.store.engine import Session

RECOMPUTE_ACTION = "recalcular ANS"
# The targets of a policy that governs a ticket (None: no policy at all).
PolicyOf = Callable[[TicketRecord], SlaTargets | None]
Clock = Callable[[], datetime]


def _snapshot(t: TicketRecord) -> dict[str, Any]:
    """What a recompute may change on a ticket: the audited fields plus the clocks."""
    return {**t.audited(), "tto": t.tto, "ttr": t.ttr}


def policy_lookup(s: Session) -> PolicyOf:
    """Targets of the policy that governs a ticket now, looked up once per service and priority."""
    found: dict[tuple[int, str], SlaTargets | None] = {}

    def lookup(t: TicketRecord) -> SlaTargets | None:
        key = (t.service_id, t.priority)
        if key not in found:
            service = tickets_repo.service_by_id(s, t.service_id)
            found[key] = tickets_repo.policy_targets(s, service, t.priority) if service is not None else None
        return found[key]

    return lookup


def retarget(s: Session, clock: Clock, tickets: list[TicketRecord], policy_of: PolicyOf, note: str) -> int:
    """Give `tickets` (locked by the caller) their policy's targets and calendar (their
    service's schedule, or 24x7) from now on, keeping the time consumed and paused so far
    (stopped clocks keep their target). Returns how many changed."""
    now = clock()
    cals: dict[str, BusinessCalendar] = {}
    schedules: dict[int, str] = {}

    def cal(code: str) -> BusinessCalendar:
        if code not in cals:
            cals[code] = tickets_repo.calendar(s, code)
        return cals[code]

    changes = _Changes(identity_repo.system_actor(s), now, note)
    for t in tickets:
        if t.service_id not in schedules:
            schedules[t.service_id] = schedules_repo.service_schedule_code(s, t.service_id)
        new = ticket_targets(policy_of(t), t.priority, t.type, schedules[t.service_id])
        before = _snapshot(t)
        t.retarget(new, cal(t.sla_calendar), cal(new.calendar), now)
        changes.add(t, before)
    return changes.write(s)


def recalendar(
    s: Session,
    clock: Clock,
    tickets: list[TicketRecord],
    old: Mapping[str, BusinessCalendar],
    new: Mapping[str, BusinessCalendar],
    note: str,
) -> int:
    """After calendars changed (now, read from `clock` once the caller locked `tickets`):
    `old` and `new` hold, by schedule code, the ones that changed. Clocks on them keep what
    the old calendar counted until now and count the new one from then on; PQRS legal due
    dates move with the office calendar."""
    now = clock()
    changes = _Changes(identity_repo.system_actor(s), now, note)
    for t in tickets:
        before = _snapshot(t)
        if t.sla_calendar in old:
            t.recalendar(old[t.sla_calendar], new[t.sla_calendar], now)
        if t.legal_due_on is not None and OFFICE in old:
            t.legal_due_on = t.legal_due_moved(old[OFFICE], new[OFFICE])
        changes.add(t, before)
    return changes.write(s)


class _Changes:
    """The recomputed tickets that really changed and their "recalcular ANS" events,
    written in two statements at the end."""

    def __init__(self, who: ActorInfo, now: datetime, note: str):
        self.who, self.now, self.note = who, now, note
        self.tickets: list[TicketRecord] = []
        self.events: list[dict[str, Any]] = []

    def add(self, t: TicketRecord, before: dict[str, Any]) -> None:
        t.refresh_due()
        if _snapshot(t) == before:
            return
        t.touch(self.now)
        self.tickets.append(t)
        self.events.append(
            {
                "ticket_id": t.id,
                "entity_key": t.code,
                "at": self.now,
                "actor_id": self.who.id,
                "action": RECOMPUTE_ACTION,
                "changes": {f: v for f, v in diff(before, _snapshot(t)).items() if f in AUDITED},
                "note": self.note,
            }
        )

    def write(self, s: Session) -> int:
        recompute_repo.update_tickets(s, self.tickets)
        recompute_repo.insert_ticket_events(s, self.events)
        return len(self.tickets)
