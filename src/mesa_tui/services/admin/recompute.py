"""Recomputing open tickets after a change that moves due times: new targets from a
policy, or a calendar that gained or lost a closure. Each ticket that really changes
gets its new due times, one "recalcular ANS" event and a new version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.sla import SlaTargets, ticket_targets
from mesa_tui.services.admin.base import diff
from mesa_tui.services.desk import AUDITED, LEGAL_DAY_CHOICES
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import tickets_repo
from mesa_tui.store.models import Agent

RECOMPUTE_ACTION = "recalcular ANS"
# What a recompute may change on a ticket: the audited fields plus the targets.
_RECOMPUTED = (*AUDITED, "tto_target_s", "ttr_target_s")


def _snapshot(t: Any) -> dict[str, Any]:
    return {f: getattr(t, f) for f in _RECOMPUTED}


def policy_lookup(s) -> Callable[[Any], SlaTargets | None]:
    """Targets of the policy that governs a ticket now, looked up once per service and priority."""
    found: dict[tuple[int, str], SlaTargets | None] = {}

    def lookup(t: Any) -> SlaTargets | None:
        key = (t.service_id, t.priority)
        if key not in found:
            found[key] = tickets_repo.policy_targets(s, tickets_repo.service_by_id(s, t.service_id), t.priority)
        return found[key]

    return lookup


def retarget(
    s,
    who: Agent,
    now: datetime,
    tickets: list[Any],
    policy_of: Callable[[Any], SlaTargets | None],
    note: str,
) -> int:
    """Give tickets their policy's targets and calendar from `now` on, keeping the time
    consumed and paused so far (stopped clocks keep their target). Returns how many changed."""
    cals: dict[str, BusinessCalendar] = {}

    def cal(kind: str) -> BusinessCalendar:
        if kind not in cals:
            cals[kind] = tickets_repo.calendar(s, kind)
        return cals[kind]

    changes = _Changes(who, now, note)
    for t in tickets:
        new = ticket_targets(policy_of(t), t.priority, t.type)
        before = _snapshot(t)
        tickets_repo.retarget_clocks(t, new, cal(t.sla_calendar), cal(new.calendar), now)
        changes.add(t, before)
    return changes.write(s)


def recalendar(s, who: Agent, now: datetime, day: date, old_cal: BusinessCalendar, note: str) -> int:
    """After a closure change: the due times of the open tickets that count office days
    become what their clocks give on the new calendar; PQRS legal due dates move with it."""
    new_cal = tickets_repo.calendar(s, "office")
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=new_cal.tz)
    changes = _Changes(who, now, note)
    for t in repo.open_tickets_on_office_days(s, created_before=end):
        before = _snapshot(t)
        if t.sla_calendar == "office":
            for which in ("tto", "ttr"):
                tickets_repo.set_clock(t, which, tickets_repo.clock_of(t, which), new_cal)
        if t.legal_due_on is not None:
            t.legal_due_on = moved_legal_due(t, old_cal, new_cal)
        changes.add(t, before)
    return changes.write(s)


class _Changes:
    """The recomputed tickets that really changed and their "recalcular ANS" events,
    written in two statements at the end."""

    def __init__(self, who: Agent, now: datetime, note: str):
        self.who, self.now, self.note = who, now, note
        self.rows: list[Any] = []
        self.events: list[dict[str, Any]] = []

    def add(self, t: Any, before: dict[str, Any]) -> None:
        tickets_repo.refresh_due(t)
        if _snapshot(t) == before:
            return
        t.version += 1
        t.updated_at = self.now
        self.rows.append(t)
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

    def write(self, s) -> int:
        repo.update_ticket_rows(s, self.rows)
        repo.insert_ticket_events(s, self.events)
        return len(self.rows)


def moved_legal_due(t: Any, old_cal: BusinessCalendar, new_cal: BusinessCalendar) -> date:
    """The PQRS legal due date counted again on the new calendar: the same number of
    business days after the ticket was logged."""
    for days in LEGAL_DAY_CHOICES:
        if old_cal.add_business_days(t.created_at, days) == t.legal_due_on:
            return new_cal.add_business_days(t.created_at, days)
    return t.legal_due_on
