"""Named work schedules (horarios): the weekly hours a service's SLA clocks count.

A schedule is seven days, Monday first, each a sorted tuple of open segments, and
whether it closes on Colombian public holidays and the entity's closures. Two are
built in and fixed: "office" (Oficina, the help desk's hours, which also measure
business days and PQRS legal terms) and "24x7" (round the clock, never closed). The
others are the administrator's, coded HOR-001, HOR-002... A ticket's `sla_calendar`
is the code of the schedule its clocks run on, so tickets written before schedules
existed ("office", "24x7") keep their meaning.

People type a day as "08:00-12:00, 14:00-18:00" (blank: closed); `parse_day` reads
it and says in Spanish what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from itertools import pairwise

from mesa_tui.domain.calendar import OFFICE_HOURS, BusinessCalendar
from mesa_tui.domain.dates import WEEKDAY_NAMES
from mesa_tui.domain.targets import OFFICE, ROUND_THE_CLOCK
from mesa_tui.domain.tickets import text_problem

# An open segment of a day; an end of 00:00 is midnight (24:00).
Segment = tuple[time, time]
Day = tuple[Segment, ...]
Week = tuple[Day, ...]  # seven days, Monday first

MAX_SCHEDULE_NAME = 60
_CODE = re.compile(r"^HOR-(\d{3})\Z")
_HOUR = re.compile(r"^(\d{1,2}):(\d{2})\Z")
_MIDNIGHT = time(0)
_SHORT_DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")


class ScheduleError(ValueError):
    """A day of a schedule that can't be read; the message is Spanish and names the day."""


@dataclass(frozen=True)
class WorkSchedule:
    code: str
    name: str
    week: Week
    holidays: bool = True  # closes on public holidays and on the entity's closures
    active: bool = True

    @property
    def builtin(self) -> bool:
        """Oficina and 24x7 are fixed: the business-day unit and round-the-clock policies rest on them."""
        return self.code in BUILTIN

    @property
    def summary(self) -> str:
        return describe(self.week)

    @property
    def day_texts(self) -> tuple[str, ...]:
        """Each day as a person types it, Monday first ("" when closed)."""
        return tuple(format_day(day) for day in self.week)

    def calendar(self, closures: Iterable[date] = ()) -> BusinessCalendar:
        """The schedule's business calendar (shared): its week, in Bogotá, minus holidays and
        `closures` when it observes them."""
        return _calendar(self.week, self.holidays, frozenset(closures) if self.holidays else frozenset())


@dataclass(frozen=True)
class ScheduleSaved:
    """A schedule as saved, and how many open tickets it moved."""

    schedule: WorkSchedule
    tickets_updated: int


def _week_of(hours: dict[int, Sequence[Segment]]) -> Week:
    return tuple(tuple(hours.get(weekday, ())) for weekday in range(7))


OFFICE_SCHEDULE = WorkSchedule(OFFICE, "Oficina", _week_of(dict(OFFICE_HOURS)))
ALWAYS_SCHEDULE = WorkSchedule(
    ROUND_THE_CLOCK, "24x7", _week_of({weekday: ((_MIDNIGHT, _MIDNIGHT),) for weekday in range(7)}), holidays=False
)
BUILTIN = {s.code: s for s in (OFFICE_SCHEDULE, ALWAYS_SCHEDULE)}


@lru_cache(maxsize=64)
def _calendar(week: Week, holidays: bool, closures: frozenset[date]) -> BusinessCalendar:
    if closures:
        return _calendar(week, holidays, frozenset()).with_closures(closures)
    return BusinessCalendar(
        {weekday: list(day) for weekday, day in enumerate(week) if day}, holiday_country="CO" if holidays else None
    )


def calendar_for(code: str, closures: Iterable[date] = ()) -> BusinessCalendar:
    """Shared calendar of a built-in schedule: "office" (with the entity's closures) or "24x7"."""
    try:
        return BUILTIN[code].calendar(closures)
    except KeyError:
        raise ValueError(f"unknown calendar kind {code!r}; the built-in ones are 'office' and '24x7'") from None


# --- reading and writing a day -------------------------------------------------------


def _hour(text: str, end: bool) -> time | None:
    """A typed hour (None when it can't be read); 24:00 ends a day, as midnight."""
    m = _HOUR.match(text.strip())
    if not m:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    if end and (hours, minutes) == (24, 0):
        return _MIDNIGHT
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _minutes(t: time, end: bool) -> int:
    return 24 * 60 if end and t == _MIDNIGHT else t.hour * 60 + t.minute


def _hhmm(t: time, end: bool = False) -> str:
    return "24:00" if end and t == _MIDNIGHT else f"{t.hour:02d}:{t.minute:02d}"


def parse_day(text: str, weekday: int = 0) -> Day:
    """ "08:00-12:00, 14:00-18:00" as sorted segments; blank is a closed day. Raises
    ScheduleError with a Spanish message that names the day."""
    where = f"El {WEEKDAY_NAMES[weekday]}"
    segments: list[Segment] = []
    for piece in re.split(r"[,;]", text):
        piece = piece.strip()
        if not piece:
            continue
        parts = re.split(r"\s*[-–]\s*", piece)
        if len(parts) != 2:
            raise ScheduleError(f"{where}: «{piece}» no es un tramo; escriba inicio-fin, p. ej. 08:00-12:00.")
        start, end = _hour(parts[0], end=False), _hour(parts[1], end=True)
        for typed, value in zip(parts, (start, end), strict=True):
            if value is None:
                raise ScheduleError(f"{where}: «{typed}» no es una hora válida; escriba HH:MM, p. ej. 08:00 o 14:30.")
        assert start is not None and end is not None  # checked just above
        if _minutes(start, False) >= _minutes(end, True):
            raise ScheduleError(f"{where}: el tramo {piece} termina antes de empezar o está vacío.")
        segments.append((start, end))
    segments.sort(key=lambda seg: _minutes(seg[0], False))
    for (a_start, a_end), (b_start, b_end) in pairwise(segments):
        if _minutes(b_start, False) < _minutes(a_end, True):
            raise ScheduleError(
                f"{where}: los tramos {_hhmm(a_start)}-{_hhmm(a_end, True)} y "
                f"{_hhmm(b_start)}-{_hhmm(b_end, True)} se superponen."
            )
    return tuple(segments)


def format_day(day: Day) -> str:
    """A day as parse_day reads it back: "08:00-12:00, 14:00-18:00" ("" when closed)."""
    return ", ".join(f"{_hhmm(start)}-{_hhmm(end, True)}" for start, end in day)


def describe(week: Week) -> str:
    """One line for lists: "lun–jue 08:00–18:00 · vie 08:00–17:00"."""
    parts = []
    weekday = 0
    while weekday < 7:
        last = weekday
        while last + 1 < 7 and week[last + 1] == week[weekday]:
            last += 1
        if week[weekday]:
            days = _SHORT_DAYS[weekday] if last == weekday else f"{_SHORT_DAYS[weekday]}–{_SHORT_DAYS[last]}"
            hours = ", ".join(f"{_hhmm(s)}–{_hhmm(e, True)}" for s, e in week[weekday])
            parts.append(f"{days} {hours}")
        weekday = last + 1
    return " · ".join(parts)


def day_field(weekday: int) -> str:
    """The form field of a weekday: what ValidationError.field names."""
    return f"day{weekday}"


def schedule_problems(name: str, days: Sequence[str]) -> tuple[Week | None, list[tuple[str, str]]]:
    """The week typed on a schedule form, and its problems as (field, Spanish message)."""
    problems: list[tuple[str, str]] = []
    name_problem = text_problem(name, "El nombre del horario", MAX_SCHEDULE_NAME)
    if name_problem:
        problems.append(("name", name_problem))
    if len(days) != 7:
        raise ValueError(f"a schedule has 7 days, got {len(days)}")
    parsed: list[Day] = []
    for weekday, text in enumerate(days):
        try:
            parsed.append(parse_day(text or "", weekday))
        except ScheduleError as exc:
            problems.append((day_field(weekday), str(exc)))
    if len(parsed) == 7 and not any(parsed):
        problems.append((day_field(0), "El horario no tiene ninguna hora de atención: escriba al menos un tramo."))
    return (tuple(parsed) if not problems else None), problems


def next_schedule_code(codes: Iterable[str]) -> str | None:
    """The code after the highest HOR-NNN in use; None when HOR-999 is taken."""
    numbers = [int(m.group(1)) for code in codes if (m := _CODE.match(code))]
    number = max(numbers, default=0) + 1
    return f"HOR-{number:03d}" if number <= 999 else None
