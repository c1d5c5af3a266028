"""Recomputing open tickets after a change that moves due times: new targets from a
policy, or a calendar that gained or lost a closure. Each ticket that really changes
gets its new due times, one "recalcular ANS" event and a new version; time already
consumed and paused is kept.

The recompute is the desk's own work: its events name the system actor ("sistema"),
and their instant is read once the tickets are locked (on PostgreSQL an admin change
may wait there behind an agent's), so no clock is moved back before a change already
committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.sla import SlaTargets, ticket_targets
from mesa_tui.domain.ticket_record import AUDITED, TicketRecord
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import diff
from mesa_tui.store import identity_repo, recompute_repo, tickets_repo
from mesa_tui.store.engine import Session

RECOMPUTE_ACTION = "recalcular ANS"
# The targets of a policy that governs a ticket (None: no policy at all).
PolicyOf = Callable[[TicketRecord], SlaTargets | None]
Clock = Callable[[], datetime]


def _snapshot(t: TicketRecord) -> dict[str, Any]:
    """What a recompute may change on a ticket: the audited fields plus the targets."""
    return {**t.audited(), "tto_target": t.tto.target, "ttr_target": t.ttr.target}


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
    """Give `tickets` (locked by the caller) their policy's targets and calendar from now
    on, keeping the time consumed and paused so far (stopped clocks keep their target).
    Returns how many changed."""
    now = clock()
    cals: dict[str, BusinessCalendar] = {}

    def cal(kind: str) -> BusinessCalendar:
        if kind not in cals:
            cals[kind] = tickets_repo.calendar(s, kind)
        return cals[kind]

    changes = _Changes(identity_repo.system_actor(s), now, note)
    for t in tickets:
        new = ticket_targets(policy_of(t), t.priority, t.type)
        before = _snapshot(t)
        t.retarget(new, cal(t.sla_calendar), cal(new.calendar), now)
        changes.add(t, before)
    return changes.write(s)


def recalendar(s: Session, clock: Clock, day: date, old_cal: BusinessCalendar, note: str) -> int:
    """After a closure change: the due times of the open tickets that count office days
    become what their clocks give on the new calendar; PQRS legal due dates move with it."""
    new_cal = tickets_repo.calendar(s, "office")
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=new_cal.tz)
    tickets = recompute_repo.open_tickets_on_office_days(s, created_before=end)
    changes = _Changes(identity_repo.system_actor(s), clock(), note)
    for t in tickets:
        before = _snapshot(t)
        if t.sla_calendar == "office":
            t.recompute_due(new_cal)
        if t.legal_due_on is not None:
            t.legal_due_on = t.legal_due_moved(old_cal, new_cal)
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
