"""Named work schedules: reading the hours people type, and the due times their
calendars give. Expected instants are worked out by hand: in November 2026 Monday 16 is
a public holiday (Independencia de Cartagena), Monday 23 is not."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mesa_tui.domain.schedules import (
    ALWAYS_SCHEDULE,
    OFFICE_SCHEDULE,
    ScheduleError,
    WorkSchedule,
    calendar_for,
    describe,
    format_day,
    next_schedule_code,
    parse_day,
    schedule_problems,
)
from mesa_tui.domain.sla import Clock, SlaTargets, ticket_targets

BOG = ZoneInfo("America/Bogota")
H = timedelta(hours=1)


def bog(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BOG)


def weekdays(hours: str) -> WorkSchedule:
    week, problems = schedule_problems("Lun–vie 08:00–18:00", [hours] * 5 + ["", ""])
    assert problems == [] and week is not None
    return WorkSchedule("HOR-001", "Lun–vie 08:00–18:00", week)


MON_FRI = weekdays("08:00-18:00")


# --- due times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "closures", "start", "target", "due"),
    [
        # Friday 17:30: half an hour left on Friday, the rest on Monday.
        (MON_FRI, (), bog(20, 17, 30), 2 * H, bog(23, 9, 30)),
        # The office closes Friday at 17:00: Monday from 08:00.
        (OFFICE_SCHEDULE, (), bog(20, 17, 30), 2 * H, bog(23, 10)),
        # Monday 16 is a holiday: Tuesday.
        (MON_FRI, (), bog(13, 17, 30), 2 * H, bog(17, 9, 30)),
        # ...and Tuesday 17 closed by the entity: Wednesday.
        (MON_FRI, (date(2026, 11, 17),), bog(13, 17, 30), 2 * H, bog(18, 9, 30)),
        # A full week: Friday 17:30 + 50 h = Fri 0.5 + Tue..Fri 40 h + Mon 23 9.5 h (Mon 16 holiday).
        (MON_FRI, (), bog(13, 17, 30), 50 * H, bog(23, 17, 30)),
        # Round the clock knows no holidays nor closures.
        (ALWAYS_SCHEDULE, (date(2026, 11, 16),), bog(16, 10), 2 * H, bog(16, 12)),
        (ALWAYS_SCHEDULE, (), bog(13, 17, 30), 2 * H, bog(13, 19, 30)),
    ],
)
def test_due_times_on_a_schedule(schedule, closures, start, target, due):
    cal = schedule.calendar(closures)
    assert cal.add(start, target) == due
    assert cal.between(start, due) == target
    assert Clock.start(start, target).due(cal) == due


def test_split_days_and_weekends():
    week, problems = schedule_problems("Partido", ["08:00-12:00, 14:00-18:00"] * 5 + ["08:00-12:00", ""])
    assert problems == []
    cal = WorkSchedule("HOR-002", "Partido", week).calendar()
    assert cal.add(bog(20, 11), 2 * H) == bog(20, 15)  # lunch 12-14 doesn't count
    assert cal.add(bog(20, 17), 3 * H) == bog(21, 10)  # Saturday morning does
    assert cal.add(bog(21, 11), 2 * H) == bog(23, 9)  # Sunday doesn't


def test_calendars_are_shared_and_24x7_ignores_closures():
    assert MON_FRI.calendar() is weekdays("08:00-18:00").calendar()
    closed = [date(2026, 11, 19)]
    assert MON_FRI.calendar(closed) is MON_FRI.calendar(set(closed))
    assert not MON_FRI.calendar(closed).is_open(bog(19, 10))
    assert ALWAYS_SCHEDULE.calendar(closed) is ALWAYS_SCHEDULE.calendar()
    assert calendar_for("office") is OFFICE_SCHEDULE.calendar()
    assert OFFICE_SCHEDULE.builtin and ALWAYS_SCHEDULE.builtin and not MON_FRI.builtin


# --- which calendar a ticket runs on --------------------------------------------------


ROUND_INCIDENTS = SlaTargets(H, 8 * H, "24x7")
ROUND_ALL = SlaTargets(H, 8 * H, "24x7", all_types=True)
OFFICE_POLICY = SlaTargets(H, 8 * H, "office")


@pytest.mark.parametrize(
    ("policy", "priority", "ticket_type", "calendar"),
    [
        (None, "crítica", "incidente", "24x7"),  # outages run round the clock
        (None, "crítica", "requerimiento", "HOR-001"),  # a request follows its service
        (None, "crítica", "peticion", "HOR-001"),
        (None, "alta", "incidente", "HOR-001"),
        (OFFICE_POLICY, "crítica", "incidente", "24x7"),  # whatever the policy says
        (ROUND_INCIDENTS, "alta", "incidente", "24x7"),
        (ROUND_INCIDENTS, "alta", "requerimiento", "HOR-001"),
        (ROUND_ALL, "alta", "queja", "24x7"),
        (ROUND_ALL, "crítica", "requerimiento", "24x7"),
        (OFFICE_POLICY, "baja", "requerimiento", "HOR-001"),
    ],
)
def test_the_calendar_a_ticket_runs_on(policy, priority, ticket_type, calendar):
    targets = ticket_targets(policy, priority, ticket_type, "HOR-001")
    assert targets.calendar == calendar
    assert ticket_targets(policy, priority, ticket_type).calendar == calendar.replace("HOR-001", "office")


# --- reading what people type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("08:00-18:00", ((time(8), time(18)),)),
        ("8:00 - 12:00, 14:00-18:00", ((time(8), time(12)), (time(14), time(18)))),
        ("14:00–18:00; 08:00–12:00", ((time(8), time(12)), (time(14), time(18)))),  # any order, en dash
        ("", ()),
        ("   ", ()),
        ("00:00-24:00", ((time(0), time(0)),)),
        ("18:00-00:00", ((time(18), time(0)),)),  # 00:00 as an end is midnight
        ("08:00-12:00, 12:00-14:00", ((time(8), time(12)), (time(12), time(14)))),  # touching is fine
    ],
)
def test_a_day_as_people_type_it(text, day):
    assert parse_day(text) == day
    assert parse_day(format_day(day)) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("08:00", "El martes: «08:00» no es un tramo; escriba inicio-fin, p. ej. 08:00-12:00."),
        ("ocho a doce", "El martes: «ocho a doce» no es un tramo; escriba inicio-fin, p. ej. 08:00-12:00."),
        ("08:00-25:00", "El martes: «25:00» no es una hora válida; escriba HH:MM, p. ej. 08:00 o 14:30."),
        ("24:00-08:00", "El martes: «24:00» no es una hora válida; escriba HH:MM, p. ej. 08:00 o 14:30."),
        ("8h-12h", "El martes: «8h» no es una hora válida; escriba HH:MM, p. ej. 08:00 o 14:30."),
        ("12:00-08:00", "El martes: el tramo 12:00-08:00 termina antes de empezar o está vacío."),
        ("08:00-08:00", "El martes: el tramo 08:00-08:00 termina antes de empezar o está vacío."),
        ("08:00-12:00, 11:00-14:00", "El martes: los tramos 08:00-12:00 y 11:00-14:00 se superponen."),
    ],
)
def test_a_day_that_cannot_be_read_says_why_in_spanish(text, message):
    with pytest.raises(ScheduleError) as err:
        parse_day(text, weekday=1)
    assert str(err.value) == message


def test_a_schedule_form_names_the_field_of_each_problem():
    week, problems = schedule_problems("", ["08:00-18:00", "25:00-26:00", "", "", "", "", ""])
    assert week is None
    assert [field for field, _ in problems] == ["name", "day1"]
    assert problems[0][1] == "El nombre del horario es obligatorio."
    week, problems = schedule_problems("Cerrado", [""] * 7)
    assert problems == [("day0", "El horario no tiene ninguna hora de atención: escriba al menos un tramo.")]
    _week, problems = schedule_problems("x" * 61, ["08:00-18:00"] + [""] * 6)
    assert problems == [("name", "El nombre del horario admite hasta 60 caracteres (tiene 61).")]


def test_a_schedule_in_one_line():
    assert OFFICE_SCHEDULE.summary == "lun–jue 08:00–18:00 · vie 08:00–17:00"
    assert ALWAYS_SCHEDULE.summary == "lun–dom 00:00–24:00"
    assert MON_FRI.summary == "lun–vie 08:00–18:00"
    week, _ = schedule_problems(
        "x", ["08:00-12:00, 14:00-18:00", "", "08:00-12:00, 14:00-18:00", "", "", "09:00-13:00", ""]
    )
    assert describe(week) == "lun 08:00–12:00, 14:00–18:00 · mié 08:00–12:00, 14:00–18:00 · sáb 09:00–13:00"
    assert OFFICE_SCHEDULE.day_texts == ("08:00-18:00",) * 4 + ("08:00-17:00", "", "")


def test_new_schedules_are_numbered():
    assert next_schedule_code(["office", "24x7"]) == "HOR-001"
    assert next_schedule_code(["office", "HOR-001", "HOR-007", "HOR-12"]) == "HOR-008"
    assert next_schedule_code(["HOR-999"]) is None
