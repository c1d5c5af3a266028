"""The calendar tab: closures added and removed by keys move the open tickets' due times at once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mesa_tui.domain.dates import parse_day
from mesa_tui.screens.admin.calendar import ClosureDialog
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.admin import Admin
from tests.screens.admin.support import audit, field_error, open_admin, press, shown, type_text
from tests.screens.support import SIZE, toasts
from tests.support import system_of

BOG = ZoneInfo("America/Bogota")


def test_dates_are_read_the_colombian_way_or_iso():
    assert parse_day("24/12/2026") == date(2026, 12, 24)
    assert parse_day(" 2026-12-24 ") == date(2026, 12, 24)
    assert parse_day("31/02/2026") is None
    assert parse_day("12-24-2026") is None


async def test_a_closure_added_and_removed_moves_the_due_times(make_app, db, desk, now, log):
    ticket = log(impact=2, urgency=2)  # media, Wednesday 09:00: due Thursday 15:00
    thursday_due = datetime(2026, 11, 19, 15, 0, tzinfo=BOG)
    assert ticket.ttr_due_at == thursday_due
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "calendar")
        assert "Festivos de 2026 (19)" in shown(screen.query_one("#holidays-title"))
        await press(app, pilot, "n")
        assert isinstance(app.screen, ClosureDialog)
        await type_text(pilot, "19/11/2026")
        await press(app, pilot, "tab")
        await type_text(pilot, "Decreto 88")
        await press(app, pilot, "enter")
        assert not isinstance(app.screen, ClosureDialog)

        assert [(c.day, c.reason) for c in admin.closures(system_of(admin))] == [(date(2026, 11, 19), "Decreto 88")]
        # Thursday closed: the 7 hours left after Wednesday run on Friday from 08:00.
        assert desk.get(system_of(desk), ticket.id).ttr_due_at == datetime(2026, 11, 20, 15, 0, tzinfo=BOG)
        assert (
            "information",
            "Cierre agregado el jueves 19 de noviembre de 2026: se recalculó el vencimiento de 1 caso abierto",
        ) in toasts(app)
        assert screen.query_one("#closures-table").current_key == "2026-11-19"

        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "enter")
        assert admin.closures(system_of(admin)) == []
        assert desk.get(system_of(desk), ticket.id).ttr_due_at == thursday_due

    assert [(e.action, e.changes) for e in audit(db, "closure", "2026-11-19")] == [
        ("crear", {"reason": [None, "Decreto 88"]}),
        ("eliminar", {"reason": ["Decreto 88", None]}),
    ]


async def test_bad_closure_dates_are_refused_at_the_field_and_nothing_is_saved(make_app, db, now, log):
    now.set(now() - timedelta(days=1))  # Tuesday 09:00: a ticket counts Tuesday's hours
    log()
    now.set(now() + timedelta(days=1))
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "calendar")
        await press(app, pilot, "n")
        await type_text(pilot, "31/02/2026")
        await press(app, pilot, "tab")
        await type_text(pilot, "Motivo")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "day").startswith("Escriba una fecha válida")

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "17/11/2026")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "day") == (
            "El martes 17 de noviembre de 2026 ya pasó y el ANS de 1 caso(s) ya contó ese día: "
            "no se puede cerrar. Solo se pueden cambiar fechas de hoy en adelante."
        )

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "8/12/2026")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "day").startswith("El martes 8 de diciembre de 2026 es festivo")
        await press(app, pilot, "escape")
    assert admin.closures(system_of(admin)) == []
    assert audit(db, "closure", "2026-11-17") == []


async def test_the_year_moves_with_the_brackets(make_app):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "calendar")
        await press(app, pilot, "right_square_bracket")
        assert "Festivos de 2027" in shown(screen.query_one("#holidays-title"))
        holidays = screen.query_one("#holidays-table")
        assert holidays.keys[0] == "2027-01-01"
        await press(app, pilot, "left_square_bracket", "left_square_bracket")
        assert "Festivos de 2025" in shown(screen.query_one("#holidays-title"))
