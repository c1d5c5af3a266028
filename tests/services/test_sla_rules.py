"""Two SLA rules the domain check found, against a real database.

24x7 is for critical incidents (the seed's exception, SER-001: services that go down
are attended round the clock); a critical request, petition or complaint follows the
service's hours unless its policy says its round-the-clock hours apply to every type.

A closure (or a reopened day) changes business time from the moment it is recorded
on: time already counted today stays counted, for running and paused clocks alike.

Due times are worked out by hand from the office hours (Mon-Thu 08-18, Fri 08-17,
Bogotá); Monday 16 November 2026 is a holiday, Monday 23 is not.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from mesa_tui.domain.sla import ClockState
from mesa_tui.store.models import TicketEvent
from tests.services.support import bog, events, recompute_events
from tests.support import actor_of, system_of

# --- 24x7 is for critical incidents ------------------------------------------------------


@pytest.mark.parametrize("ticket_type", ["requerimiento", "peticion", "queja"])
def test_a_critical_request_logged_friday_afternoon_follows_office_hours(desk, log, now, ticket_type):
    now.set(bog(11, 20, 16, 30))
    ticket = log(impact=1, urgency=1, type=ticket_type)
    assert (ticket.priority, ticket.sla_calendar) == ("crítica", "office")
    assert ticket.tto_due_at == bog(11, 20, 17)  # 30 min: Friday closes at 17:00
    assert ticket.ttr_due_at == bog(11, 23, 11, 30)  # 4 h: 30 min Friday + 3 h 30 Monday
    now.set(bog(11, 21, 10))  # Saturday: the office is closed, nothing ran out
    assert ticket.ttr.state(desk.calendar(system_of(desk), ticket.sla_calendar), now()) is ClockState.EN_TIEMPO


def test_a_critical_incident_still_runs_round_the_clock(desk, log, now):
    now.set(bog(11, 20, 16, 30))
    outage = log(impact=1, urgency=1, type="incidente", subject="Caída del canal de la sede")
    assert (outage.priority, outage.sla_calendar) == ("crítica", "24x7")
    assert outage.ttr_due_at == bog(11, 20, 20, 30)
    now.set(bog(11, 21, 10))
    assert outage.ttr.state(desk.calendar(system_of(desk), "24x7"), now()) is ClockState.VENCIDO


def test_classifying_a_request_as_critical_keeps_it_on_office_hours(desk, log, now):
    ticket = log(type="requerimiento")  # media, Wed 09:00
    now.set(bog(11, 18, 10))
    classified = desk.classify(actor_of(desk, "jperez"), ticket.id, impact=1, urgency=1, nature="software")
    assert (classified.priority, classified.sla_calendar) == ("crítica", "office")
    # 4 h from Wed 09:00 on office hours, the hour already run kept: Wed 13:00.
    assert classified.ttr_due_at == bog(11, 18, 13)
    retyped = desk.classify(
        actor_of(desk, "jperez"), ticket.id, impact=1, urgency=1, nature="software", type="incidente"
    )
    assert retyped.sla_calendar == "24x7"


def test_a_policy_may_extend_its_24x7_hours_to_every_type(db, desk, admin, boss, log, now):
    now.set(bog(11, 20, 16, 30))
    request = log(impact=1, urgency=1, type="requerimiento")
    assert request.sla_calendar == "office"
    critical = next(p for p in admin.policies(system_of(admin)) if p.scope_key is None and p.priority == "crítica")
    assert (critical.calendar, critical.all_types) == ("24x7", False)

    assert admin.save_policy(boss, None, "crítica", 30, 240, "24x7", all_types=True).tickets_updated == 1
    after = desk.get(system_of(desk), request.id)
    assert after.sla_calendar == "24x7"
    assert after.ttr_due_at == bog(11, 20, 20, 30)
    assert log(impact=1, urgency=1, type="peticion").sla_calendar == "24x7"
    critical = next(p for p in admin.policies(system_of(admin)) if p.scope_key is None and p.priority == "crítica")
    assert critical.all_types is True
    (ev,) = events(db, TicketEvent.entity_key == "default:crítica")
    assert json.loads(ev.changes) == {"all_types": [False, True]}

    # Back to incidents only: the request returns to office hours from now on.
    now.set(bog(11, 20, 16, 45))
    admin.save_policy(boss, None, "crítica", 30, 240, "24x7", all_types=False)
    back = desk.get(system_of(desk), request.id)
    assert back.sla_calendar == "office"
    # 15 min counted round the clock, 3 h 45 left from 16:45: 15 min Friday + 3 h 30 Monday.
    assert back.ttr_due_at == bog(11, 23, 11, 30)


def test_a_24x7_policy_for_another_priority_covers_its_incidents_only(desk, admin, boss, log):
    admin.save_policy(boss, "SER-001", "alta", 60, 12 * 60, "24x7")
    incident = log(impact=1, urgency=2, type="incidente")
    request = log(impact=1, urgency=2, type="requerimiento")
    assert (incident.priority, incident.sla_calendar) == ("alta", "24x7")
    assert incident.ttr_due_at == bog(11, 18, 21)  # 12 h round the clock from Wed 09:00
    assert (request.priority, request.sla_calendar) == ("alta", "office")
    assert request.ttr_due_at == bog(11, 19, 11)  # Wed 09-18 (9 h) + Thu 08-11 (3 h)


# --- closures count from the moment they are recorded ---------------------------------------


def test_closing_today_keeps_the_hours_a_running_clock_already_counted(db, desk, admin, boss, log, now):
    ticket = log(type="requerimiento")  # media, Wed 09:00: 2 h / 16 h, nobody took it
    assert ticket.ttr_due_at == bog(11, 19, 15)
    now.set(bog(11, 19, 12))
    assert admin.add_closure(boss, date(2026, 11, 19), "Corte de energía en la sede").tickets_updated == 1
    after = desk.get(system_of(desk), ticket.id)
    office = desk.calendar(system_of(desk), "office")
    # Wed 9 h + Thu 08-12 (4 h) stay counted; 3 h left from Friday 08:00.
    assert after.ttr.elapsed(office, now()) == after.tto.elapsed(office, now()) == timedelta(hours=13)
    assert after.ttr_due_at == bog(11, 20, 11)
    assert after.tto_due_at == ticket.tto_due_at  # due Wed 11:00, long gone: unchanged
    now.set(bog(11, 20, 9))
    assert desk.get(system_of(desk), ticket.id).ttr.elapsed(
        desk.calendar(system_of(desk), "office"), now()
    ) == timedelta(hours=14)
    (ev,) = recompute_events(db, ticket.id)
    assert "Corte de energía" in ev.note


def test_closing_today_keeps_what_a_paused_clock_counted_too(desk, admin, boss, log, now):
    ticket = log(type="requerimiento")
    jperez = actor_of(desk, "jperez")
    now.set(bog(11, 18, 9, 30))
    desk.take(jperez, ticket.id)
    now.set(bog(11, 19, 10))
    paused = desk.wait(jperez, ticket.id, "Esperando al usuario")  # Wed 9 h + Thu 2 h
    assert paused.ttr.consumed == timedelta(hours=11)
    now.set(bog(11, 19, 12))
    admin.add_closure(boss, date(2026, 11, 19), "Corte de energía en la sede")
    assert desk.get(system_of(desk), ticket.id).ttr.consumed == timedelta(hours=11)
    now.set(bog(11, 20, 8))
    resumed = desk.resume(jperez, ticket.id)
    assert resumed.ttr_due_at == bog(11, 20, 13)  # 5 h left from Friday 08:00


def test_reopening_today_counts_from_the_moment_it_reopens(desk, admin, boss, log, now):
    admin.add_closure(boss, date(2026, 11, 19), "Día cívico")
    ticket = log(type="requerimiento")
    assert ticket.ttr_due_at == bog(11, 20, 15)  # Wed 9 h + Fri 7 h
    now.set(bog(11, 19, 12))
    assert admin.remove_closure(boss, date(2026, 11, 19)).tickets_updated == 1
    after = desk.get(system_of(desk), ticket.id)
    # The morning was closed and stays so: Wed 9 h counted; 7 h from Thu 12:00: Thu 6 h + Fri 1 h.
    assert after.ttr.elapsed(desk.calendar(system_of(desk), "office"), now()) == timedelta(hours=9)
    assert after.ttr_due_at == bog(11, 20, 9)


def test_a_closure_after_the_due_times_rewrites_nothing(db, desk, admin, boss, log, now):
    ticket = log(type="requerimiento")  # due Thu 15:00
    now.set(bog(11, 18, 12))  # three hours already counted today
    assert admin.add_closure(boss, date(2026, 11, 23), "Inventario anual").tickets_updated == 0
    assert desk.get(system_of(desk), ticket.id) == ticket
    assert recompute_events(db, ticket.id) == []
