"""The ticket export takes dates people can mean: a year outside the reports'
window (the indicators' FIRST_YEAR..LAST_YEAR) is refused at its field, cleanly,
for the screens and the command line alike."""

from __future__ import annotations

from datetime import date

import pytest

from mesa_tui.services.errors import ValidationError
from mesa_tui.services.reports import FIRST_YEAR, LAST_YEAR, Reports
from tests.support import actor_of


@pytest.fixture
def reports(db, now):
    return Reports(db, now=now)


@pytest.mark.parametrize(
    ("date_from", "date_to", "field", "message"),
    [
        (
            date(1, 1, 1),
            date(9999, 12, 31),
            "date_from",
            "La fecha inicial debe estar entre los años 2000 y 2100 (recibida: 0001-01-01).",
        ),
        (
            date(2026, 1, 1),
            date(9999, 12, 31),
            "date_to",
            "La fecha final debe estar entre los años 2000 y 2100 (recibida: 9999-12-31).",
        ),
        (
            date(1999, 12, 31),
            date(2026, 1, 1),
            "date_from",
            "La fecha inicial debe estar entre los años 2000 y 2100 (recibida: 1999-12-31).",
        ),
    ],
)
def test_dates_outside_the_reports_years_are_refused(desk, reports, tmp_path, date_from, date_to, field, message):
    out = tmp_path / "casos.csv"
    with pytest.raises(ValidationError) as err:
        reports.export_tickets(actor_of(desk, "supervisor"), date_from, date_to, out, "csv")
    assert (err.value.field, err.value.message) == (field, message)
    assert not out.exists()


def test_the_whole_window_is_accepted(desk, reports, log, tmp_path):
    log(by="supervisor")
    out = tmp_path / "casos.csv"
    written = reports.export_tickets(
        actor_of(desk, "supervisor"), date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31), out, "csv"
    )
    assert written == 1 and out.is_file()
