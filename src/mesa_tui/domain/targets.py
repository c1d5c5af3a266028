"""SLA target units: minutes, hours and business days.

Targets are stored in minutes of business time. The admin types them in minutes,
hours or business days; a business day is a fixed amount of business time so that a
clock can count it: one fifth of the office week (Mon-Thu 10 h + Fri 9 h = 49 h),
i.e. 9 h 48 min. Five business days are then exactly one office week from any start,
and in weeks without holidays a target of N days lands within 48 minutes of "the same
hour N business days later", however large N is (a 10 h day would drift one hour
later for every Friday crossed). On the 24x7 calendar a day is 24 h.
"""

from __future__ import annotations

from enum import StrEnum

# A policy's calendar: its service's hours ("office", the built-in Oficina schedule unless
# the service has its own) or round the clock.
OFFICE, ROUND_THE_CLOCK = "office", "24x7"
CALENDARS = (OFFICE, ROUND_THE_CLOCK)
CALENDAR_LABELS = {OFFICE: "Horario de atención", ROUND_THE_CLOCK: "24x7"}

OFFICE_DAY_MINUTES = 49 * 60 // 5  # 588: the office week over its five days
# A year of minutes: far beyond any real target, and keeps due times within the calendar's range.
MAX_TARGET_MINUTES = 365 * 24 * 60


class TargetUnit(StrEnum):
    MINUTES = "min"
    HOURS = "h"
    DAYS = "d"


def day_minutes(calendar: str) -> int:
    return 24 * 60 if calendar == "24x7" else OFFICE_DAY_MINUTES


def unit_minutes(unit: TargetUnit, calendar: str) -> int:
    return {TargetUnit.MINUTES: 1, TargetUnit.HOURS: 60, TargetUnit.DAYS: day_minutes(calendar)}[unit]


def to_minutes(amount: int, unit: TargetUnit | str, calendar: str = "office") -> int:
    return amount * unit_minutes(TargetUnit(unit), calendar)


def natural_unit(minutes: int, calendar: str = "office") -> tuple[int, TargetUnit]:
    """The largest unit that expresses `minutes` exactly, as (amount, unit): what a form shows."""
    for unit in (TargetUnit.DAYS, TargetUnit.HOURS):
        size = unit_minutes(unit, calendar)
        if minutes and minutes % size == 0:
            return minutes // size, unit
    return minutes, TargetUnit.MINUTES


def format_target(minutes: int, calendar: str = "office") -> str:
    """ "30 min", "4 h", "1 h 30 min", "2 días hábiles" (office) or "2 días" (24x7)."""
    amount, unit = natural_unit(minutes, calendar)
    if unit is TargetUnit.DAYS:
        word = "día" if amount == 1 else "días"
        if calendar == "24x7":
            return f"{amount} {word}"
        return f"{amount} {word} {'hábil' if amount == 1 else 'hábiles'}"
    if unit is TargetUnit.HOURS:
        return f"{amount} h"
    hours, rest = divmod(amount, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"
