"""Named work schedules through the administrator's use cases, against a real database:
created, edited and deactivated with an audit event each, attached to a service (whose
open tickets move to its hours at once), and refused to anyone but an administrator.

Due times are worked out by hand. SER-001 gets "Lun–vie 08:00–18:00" (the seed's
SER-001 ANS: Monday to Friday 8 am to 6 pm); the office closes Friday at 17:00.
Friday 20 November 2026; Monday 23 is a working day.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.services.admin import RECOMPUTE_ACTION
from mesa_tui.services.errors import NotFound, PermissionDenied, ValidationError
from mesa_tui.store.models import Schedule, ServiceSchedule, SlaPolicy, Ticket, TicketEvent
from tests.services.support import bog, events
from tests.support import actor_of, system_of

WEEKDAYS = ["08:00-18:00"] * 5 + ["", ""]
H = timedelta(hours=1)


def everything(db) -> dict[str, list]:
    with db.read() as s:
        return {
            m.__tablename__: sorted(repr(r.model_dump()) for r in s.exec(select(m)).all())
            for m in (Schedule, ServiceSchedule, SlaPolicy, Ticket, TicketEvent)
        }


@pytest.fixture
def weekdays(admin, boss):
    return admin.create_schedule(boss, "Lun–vie 08:00–18:00", WEEKDAYS).schedule


def test_a_schedule_is_created_numbered_and_audited(db, admin, boss):
    saved = admin.create_schedule(boss, "  Lun–vie 08:00–18:00 ", WEEKDAYS)
    assert (saved.schedule.code, saved.schedule.name, saved.tickets_updated) == ("HOR-001", "Lun–vie 08:00–18:00", 0)
    assert [(s.code, s.name, s.summary) for s in admin.schedules(system_of(admin))] == [
        ("office", "Oficina", "lun–jue 08:00–18:00 · vie 08:00–17:00"),
        ("24x7", "24x7", "lun–dom 00:00–24:00"),
        ("HOR-001", "Lun–vie 08:00–18:00", "lun–vie 08:00–18:00"),
    ]
    assert admin.create_schedule(boss, "Sábados", [""] * 5 + ["08:00-12:00", ""], holidays=False).schedule.code == (
        "HOR-002"
    )
    (ev,) = events(db, TicketEvent.entity == "schedule", TicketEvent.entity_key == "HOR-001")
    assert (ev.action, ev.actor_id) == ("crear", boss.id)
    assert json.loads(ev.changes)["week"] == [None, WEEKDAYS]


def test_a_service_counts_its_schedule_from_the_moment_it_is_attached(db, desk, admin, boss, log, now, weekdays):
    now.set(bog(11, 20, 16, 30))
    before = log(type="requerimiento")  # media, 2 h / 16 h, on Oficina: Friday ends at 17:00
    assert before.ttr_due_at == bog(11, 24, 13, 30)  # Fri 0.5 + Mon 10 + Tue 5.5
    now.set(bog(11, 20, 16, 45))

    assert admin.set_service_schedule(boss, "SER-001", "HOR-001").tickets_updated == 1

    moved = desk.get(system_of(desk), before.id)
    assert moved.sla_calendar == "HOR-001"
    # 15 min counted on Oficina; from 16:45 on, Friday runs to 18:00.
    assert moved.tto_due_at == bog(11, 23, 8, 30)  # 1 h 45: Fri 1 h 15 + Mon 30 min
    assert moved.ttr_due_at == bog(11, 24, 12, 30)  # 15 h 45: Fri 1 h 15 + Mon 10 h + Tue 4 h 30
    (ev,) = events(db, TicketEvent.ticket_id == before.id, TicketEvent.action == RECOMPUTE_ACTION)
    assert json.loads(ev.changes)["sla_calendar"] == ["office", "HOR-001"]
    assert "Lun–vie 08:00–18:00" in ev.note
    attached = events(db, TicketEvent.entity == "service", TicketEvent.entity_key == "SER-001")[-1]
    assert (attached.action, json.loads(attached.changes)) == ("modificar", {"schedule": ["office", "HOR-001"]})
    assert attached.actor_id == boss.id
    assert admin.service_schedules(system_of(admin)) == {"SER-001": "HOR-001"}

    now.set(bog(11, 20, 17, 30))
    request = log(type="requerimiento")
    assert (request.sla_calendar, request.tto_due_at, request.ttr_due_at) == (
        "HOR-001",
        bog(11, 23, 9, 30),  # Fri 30 min + Mon 1 h 30
        bog(11, 24, 13, 30),  # Fri 0.5 + Mon 10 + Tue 5.5
    )
    critical_request = log(type="requerimiento", impact=1, urgency=1)
    assert (critical_request.sla_calendar, critical_request.ttr_due_at) == ("HOR-001", bog(11, 23, 11, 30))
    outage = log(type="incidente", impact=1, urgency=1)
    assert (outage.sla_calendar, outage.ttr_due_at) == ("24x7", bog(11, 20, 21, 30))
    other = log(type="requerimiento", service_code="SER-002")
    assert other.sla_calendar == "office"

    # Back to Oficina: the service has no schedule of its own any more.
    assert admin.set_service_schedule(boss, "SER-001", "office").tickets_updated == 3
    assert desk.get(system_of(desk), request.id).sla_calendar == "office"
    assert desk.get(system_of(desk), outage.id).sla_calendar == "24x7"
    assert admin.service_schedules(system_of(admin)) == {}
    assert admin.set_service_schedule(boss, "SER-001", "office").tickets_updated == 0


def test_holidays_and_closures_apply_to_a_named_schedule(desk, admin, boss, log, now, weekdays):
    admin.set_service_schedule(boss, "SER-001", "HOR-001")
    now.set(bog(11, 13, 17, 30))  # Friday before the holiday Monday 16
    ticket = log(type="requerimiento")
    assert ticket.tto_due_at == bog(11, 17, 9, 30)  # Fri 30 min + Tue 1 h 30
    now.set(bog(11, 13, 17, 45))
    assert admin.add_closure(boss, date(2026, 11, 17), "Traslado de sede").tickets_updated == 1
    assert desk.get(system_of(desk), ticket.id).tto_due_at == bog(11, 18, 9, 30)


def test_a_saturday_schedule_can_be_closed_on_a_saturday(db, desk, admin, boss, log, now):
    """A closure means something on any day a schedule that closes would open: with
    only the office hours a Saturday is refused; once a service works Saturdays, it
    can be closed and that service's clocks skip it."""
    now.set(bog(11, 20, 16))  # Friday
    before = everything(db)
    with pytest.raises(ValidationError, match="no es día hábil"):
        admin.add_closure(boss, date(2026, 11, 21), "Jornada electoral")
    assert everything(db) == before
    saturdays = admin.create_schedule(boss, "Sábados", [""] * 5 + ["08:00-12:00", ""]).schedule
    admin.set_service_schedule(boss, "SER-001", saturdays.code)
    ticket = log(type="requerimiento")
    assert ticket.tto_due_at == bog(11, 21, 10)  # two hours of Saturday morning
    assert admin.add_closure(boss, date(2026, 11, 21), "Jornada electoral").tickets_updated == 1
    assert desk.get(system_of(desk), ticket.id).tto_due_at == bog(11, 28, 10)


def test_new_hours_count_from_the_moment_they_are_saved(db, desk, admin, boss, log, now, weekdays):
    admin.set_service_schedule(boss, "SER-001", "HOR-001")
    now.set(bog(11, 23, 8))
    ticket = log(type="requerimiento")
    assert ticket.ttr_due_at == bog(11, 24, 14)  # Mon 10 h + Tue 6 h
    now.set(bog(11, 23, 10))  # 2 h counted on the old hours

    renamed = admin.update_schedule(boss, "HOR-001", "Lun–vie extendido", WEEKDAYS, True)
    assert (renamed.schedule.name, renamed.tickets_updated) == ("Lun–vie extendido", 0)
    saved = admin.update_schedule(boss, "HOR-001", "Lun–vie extendido", ["09:00-19:00"] * 5 + ["", ""], True)

    assert saved.tickets_updated == 1
    after = desk.get(system_of(desk), ticket.id)
    # 08-10 counted on the old hours stays counted, though the new ones open at 09:00 (counted
    # again, 08-09 would be given back and it would fall due at 15:00): 14 h left from Mon
    # 10:00: Mon 10-19 (9 h) + Tue 09-14 (5 h).
    assert after.ttr_due_at == bog(11, 24, 14)
    assert after.ttr.elapsed(desk.calendar(system_of(desk), "HOR-001"), now()) == 2 * H  # the 2 h before, as counted
    assert after.version == ticket.version + 1
    modified = events(db, TicketEvent.entity == "schedule", TicketEvent.entity_key == "HOR-001")
    assert [e.action for e in modified] == ["crear", "modificar", "modificar"]
    assert json.loads(modified[1].changes) == {"name": ["Lun–vie 08:00–18:00", "Lun–vie extendido"]}
    assert json.loads(modified[2].changes)["week"][1] == ["09:00-19:00"] * 5 + ["", ""]
    (ev,) = events(db, TicketEvent.ticket_id == ticket.id, TicketEvent.action == RECOMPUTE_ACTION)
    assert "lun–vie 09:00–19:00" in ev.note


def test_a_schedule_in_use_cannot_be_deactivated_and_an_inactive_one_cannot_be_attached(db, admin, boss, weekdays):
    admin.set_service_schedule(boss, "SER-001", "HOR-001")
    with pytest.raises(ValidationError) as err:
        admin.set_schedule_active(boss, "HOR-001", False)
    assert err.value.message == "El horario «Lun–vie 08:00–18:00» lo cuentan SER-001: asígneles otro horario antes."
    admin.set_service_schedule(boss, "SER-001", "office")
    assert admin.set_schedule_active(boss, "HOR-001", False).active is False
    with pytest.raises(ValidationError) as err:
        admin.set_service_schedule(boss, "SER-002", "HOR-001")
    assert err.value.field == "schedule"
    assert "inactivo" in err.value.message
    assert admin.set_schedule_active(boss, "HOR-001", True).active is True
    actions = [e.action for e in events(db, TicketEvent.entity == "schedule", TicketEvent.entity_key == "HOR-001")]
    assert actions == ["crear", "desactivar", "activar"]


@pytest.mark.parametrize("code", ["office", "24x7"])
def test_the_built_in_schedules_are_fixed(db, admin, boss, code):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.update_schedule(boss, code, "Otro", WEEKDAYS, True)
    assert "es fijo" in err.value.message
    with pytest.raises(ValidationError):
        admin.set_schedule_active(boss, code, False)
    assert everything(db) == before


@pytest.mark.parametrize(
    ("name", "days", "field"),
    [
        ("", WEEKDAYS, "name"),
        ("Oficina", WEEKDAYS, "name"),  # taken
        ("oficina", WEEKDAYS, "name"),  # taken, whatever the case
        ("Nuevo", ["08:00-18:00", "8 a 6"] + [""] * 5, "day1"),
        ("Nuevo", [""] * 7, "day0"),
    ],
)
def test_bad_schedules_are_refused_at_the_field_and_nothing_is_saved(db, admin, boss, name, days, field):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.create_schedule(boss, name, days)
    assert err.value.field == field
    assert everything(db) == before


def test_unknown_services_and_schedules_are_refused(db, admin, boss):
    before = everything(db)
    with pytest.raises(NotFound):
        admin.set_service_schedule(boss, "SER-099", "24x7")
    with pytest.raises(ValidationError):
        admin.set_service_schedule(boss, "SER-001", "HOR-042")
    with pytest.raises(NotFound):
        admin.update_schedule(boss, "HOR-042", "Nuevo", WEEKDAYS, True)
    assert everything(db) == before


def test_the_service_form_saves_its_schedule_with_one_recompute(db, desk, admin, boss, log, weekdays):
    ticket = log(type="requerimiento")
    entry = next(e for e in admin.services(system_of(admin)) if e.code == "SER-001")
    admin.update_service(boss, "SER-001", entry, schedule="HOR-001")
    assert desk.get(system_of(desk), ticket.id).sla_calendar == "HOR-001"
    assert len(events(db, TicketEvent.ticket_id == ticket.id, TicketEvent.action == RECOMPUTE_ACTION)) == 1
    # The catalog file carries no schedule: importing it again leaves the service's alone.
    admin.import_catalog(boss, admin.export_catalog(system_of(admin)))
    assert admin.service_schedules(system_of(admin)) == {"SER-001": "HOR-001"}
    new = admin.create_service(boss, _entry(), schedule="HOR-001")
    assert admin.service_schedules(system_of(admin)) == {"SER-001": "HOR-001", new.code: "HOR-001"}


def _entry() -> CatalogEntry:
    return CatalogEntry(
        code="SER-035",
        name="Firma electrónica",
        description="Certificados de firma electrónica.",
        category="SEGURIDAD",
        users="Funcionarios",
        hours="Lunes a viernes de 8:00 a 18:00",
        channels="Correo",
        ans_text="2 días hábiles",
    )


MUTATIONS = {
    "create_schedule": lambda a, who: a.create_schedule(who, "Nuevo", WEEKDAYS),
    "update_schedule": lambda a, who: a.update_schedule(who, "HOR-001", "Nuevo", WEEKDAYS, True),
    "set_schedule_active": lambda a, who: a.set_schedule_active(who, "HOR-001", False),
    "set_service_schedule": lambda a, who: a.set_service_schedule(who, "SER-001", "HOR-001"),
    "update_service": lambda a, who: a.update_service(
        who, "SER-001", next(e for e in a.services(system_of(a)) if e.code == "SER-001"), schedule="HOR-001"
    ),
}


@pytest.mark.parametrize("login", ["supervisor", "jperez"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_only_administrators_may_change_schedules(db, desk, admin, login, name, weekdays):
    before = everything(db)
    with pytest.raises(PermissionDenied) as err:
        MUTATIONS[name](admin, actor_of(desk, login))
    assert "administrador" in err.value.message
    assert everything(db) == before
