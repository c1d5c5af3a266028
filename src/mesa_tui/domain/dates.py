"""Dates as people in Colombia type and read them, and where a Bogotá day starts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from mesa_tui.domain.calendar import BOGOTA

WEEKDAY_NAMES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTH_NAMES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str) -> date | None:
    """A date typed as AAAA-MM-DD or DD/MM/AAAA (the way Colombia writes it); None if not a date."""
    text = text.strip()
    if m := _ISO.match(text):
        y, mo, d = m.groups()
    elif m := _DMY.match(text):
        d, mo, y = m.groups()
    else:
        return None
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def format_day(day: date) -> str:
    """'jueves 19 de noviembre de 2026'."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} de {MONTH_NAMES[day.month - 1]} de {day.year}"


def local_day_start(day: date, tz: ZoneInfo = BOGOTA) -> datetime:
    """The UTC instant where `day` begins in `tz`."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
