"""Work schedules driven by keys: created in the Horarios tab, attached to a service from
its form in the catalog, refused at the field when a day can't be read; the database,
the audit trail and the open tickets checked after."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mesa_tui.screens.admin.catalog import ServiceDialog
from mesa_tui.screens.admin.schedules import ScheduleDialog
from mesa_tui.services.admin import RECOMPUTE_ACTION, Admin
from tests.screens.admin.support import audit, field_error, open_admin, press, type_text
from tests.screens.support import SIZE, toasts
from tests.support import system_of

BOG = ZoneInfo("America/Bogota")


async def test_a_schedule_is_created_by_keys_and_attached_to_a_service(make_app, db, desk, now, log):
    ticket = log(type="requerimiento")  # SER-001, media, Wednesday 09:00: Wed 9 h + Thu 7 h on Oficina
    assert ticket.ttr_due_at == datetime(2026, 11, 19, 15, 0, tzinfo=BOG)
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "schedules")
        await press(app, pilot, "n")
        assert isinstance(app.screen, ScheduleDialog)
        await type_text(pilot, "Lunes a viernes")
        for _weekday in range(5):  # Monday to Friday; Saturday and Sunday stay blank: closed
            await press(app, pilot, "tab")
            await type_text(pilot, "07:00-19:00")
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ScheduleDialog)
        assert screen.query_one("#schedules-table").current_key == "HOR-001"
        assert ("information", "Horario «Lunes a viernes» creado (HOR-001)") in toasts(app)

        await press(app, pilot, "1")  # the catalog, SER-001 under the cursor
        await press(app, pilot, "e")
        assert isinstance(app.screen, ServiceDialog)
        # Código, categoría, estado, nombre, descripción, usuarios, horario: the schedule is next.
        await press(app, pilot, *["tab"] * 7, "enter", "down", "down", "enter")
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ServiceDialog)

    (schedule,) = [s for s in admin.schedules(system_of(admin)) if s.code == "HOR-001"]
    assert (schedule.name, schedule.summary, schedule.holidays) == ("Lunes a viernes", "lun–vie 07:00–19:00", True)
    assert audit(db, "schedule", "HOR-001")[0].action == "crear"
    assert admin.service_schedules(system_of(admin)) == {"SER-001": "HOR-001"}
    assert audit(db, "service", "SER-001")[-1].changes == {"schedule": ["office", "HOR-001"]}
    after = desk.get(system_of(desk), ticket.id)
    assert after.sla_calendar == "HOR-001"
    # From Wednesday 09:00 on the new hours: Wed 09-19 (10 h) + Thu 07-13 (6 h).
    assert after.ttr_due_at == datetime(2026, 11, 19, 13, 0, tzinfo=BOG)
    assert [e.action for e in audit(db, "ticket", ticket.code)][-1] == RECOMPUTE_ACTION


async def test_a_day_that_cannot_be_read_is_refused_at_its_field(make_app, db, now):
    admin = Admin(db, now=now)
    before = admin.schedules(system_of(admin))
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "schedules")
        await press(app, pilot, "n")
        await type_text(pilot, "Turnos")
        await press(app, pilot, "tab")
        await type_text(pilot, "08:00-12:00")
        await press(app, pilot, "tab")
        await type_text(pilot, "8 a 12")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ScheduleDialog)
        assert field_error(app, "day1") == (
            "El martes: «8 a 12» no es un tramo; escriba inicio-fin, p. ej. 08:00-12:00."
        )
        await press(app, pilot, "escape")
    assert admin.schedules(system_of(admin)) == before
    assert audit(db, "schedule", "HOR-001") == []


async def test_the_built_in_schedules_offer_no_edit(make_app, db):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "schedules")
        panel = screen.panel("schedules")
        assert screen.query_one("#schedules-table").current_key == "office"
        assert panel.check_action("edit", ()) is False
        assert panel.check_action("deactivate", ()) is False
        await press(app, pilot, "e")
        assert not isinstance(app.screen, ScheduleDialog)
