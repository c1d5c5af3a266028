"""The office calendar: public holidays, and the closures the entity decrees.

A closure counts from the moment it is recorded: a day closed (or reopened) while it
runs leaves the business time already counted that day as it was, for running and
paused clocks alike; only what is left of the day changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.closures import ClosureInfo, HolidayInfo, closure_reason_problem
from mesa_tui.domain.dates import format_day
from mesa_tui.domain.policies import RecomputeResult
from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import AdminBase
from mesa_tui.services.admin.recompute import Clock, recalendar
from mesa_tui.services.checks import named, raise_first
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import recompute_repo, schedules_repo, tickets_repo
from mesa_tui.store.engine import Session

_MIN_YEAR, _MAX_YEAR = 1900, 2200

_CALENDAR = "cambiar el calendario de atención"


class CalendarAdmin(AdminBase):
    """Holidays and closures; a closure change moves the due times of the open tickets that count that day."""

    def holidays(self, actor: ActorInfo, year: int) -> list[HolidayInfo]:
        """Public holidays the office calendar observes in `year` (closures apart)."""
        with self._reading(actor):
            pass  # only the reader is checked: the holidays are the calendar's, not the database's
        if not isinstance(year, int) or isinstance(year, bool) or not _MIN_YEAR <= year <= _MAX_YEAR:
            raise ValidationError("year", f"El año debe estar entre {_MIN_YEAR} y {_MAX_YEAR}.")
        return [HolidayInfo(day=d, name=n) for d, n in calendar_for("office").holidays_in(year)]

    def closures(self, actor: ActorInfo) -> list[ClosureInfo]:
        with self._reading(actor) as s:
            return repo.closures(s)

    def add_closure(self, actor: ActorInfo, day: date, reason: str) -> RecomputeResult:
        """Close the office on `day` (a date the entity decrees, not a public holiday) and
        move the due times of the open tickets that count that day."""
        self._require_admin(actor, _CALENDAR)
        _check_day(day)
        raise_first(named("reason", closure_reason_problem(reason)))
        reason = reason.strip()

        def tx(s: Session, who: ActorInfo, now: datetime) -> RecomputeResult:
            existing = repo.closure_reason(s, day)
            if existing is not None:
                raise ValidationError("day", f"El {format_day(day)} ya es un día de cierre ({existing}).")
            _not_counted_yet(s, day, now, "cerrar")
            old = _closing_calendars(s)
            _business_day(day, old)
            repo.add_closure(s, day, reason)
            self._event(s, who, now, "closure", day.isoformat(), "crear", {"reason": (None, reason)})
            note = f"Cierre agregado: {format_day(day)} ({reason})"
            return RecomputeResult(_recalendar(s, self.now, day, old, note))

        return self._write(actor, _CALENDAR, tx)

    def remove_closure(self, actor: ActorInfo, day: date) -> RecomputeResult:
        self._require_admin(actor, _CALENDAR)
        _check_day(day)

        def tx(s: Session, who: ActorInfo, now: datetime) -> RecomputeResult:
            reason = repo.closure_reason(s, day)
            if reason is None:
                raise NotFound(f"El {format_day(day)} no es un día de cierre.")
            _not_counted_yet(s, day, now, "reabrir")
            old = _closing_calendars(s)
            repo.delete_closure(s, day)
            self._event(s, who, now, "closure", day.isoformat(), "eliminar", {"reason": (reason, None)})
            note = f"Cierre eliminado: {format_day(day)} ({reason})"
            return RecomputeResult(_recalendar(s, self.now, day, old, note))

        return self._write(actor, _CALENDAR, tx)


def _closing_calendars(s: Session) -> dict[str, BusinessCalendar]:
    """The calendars a closure changes, by schedule code: those of the schedules that close
    on holidays and closures (Oficina and the like; never 24x7)."""
    closures = tickets_repo.closure_days(s)
    return {sch.code: sch.calendar(closures) for sch in schedules_repo.schedules(s) if sch.holidays}


def _recalendar(s: Session, clock: Clock, day: date, old: dict[str, BusinessCalendar], note: str) -> int:
    """The open tickets opened by the end of `day` that count a closing schedule or a PQRS
    legal term, recomputed on the calendars as they are now."""
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar_for("office").tz)
    tickets = recompute_repo.open_tickets_on_calendars(s, old, created_before=end, legal_terms=True)
    return recalendar(s, clock, tickets, old, _closing_calendars(s), note)


def _not_counted_yet(s: Session, day: date, now: datetime, verb: str) -> None:
    """A past day whose business time tickets already counted can't change any more."""
    tz = calendar_for("office").tz
    if day >= now.astimezone(tz).date():
        return
    start = datetime.combine(day, time(0), tzinfo=tz)
    counted = recompute_repo.tickets_computed_across(s, start, start + timedelta(days=1))
    if counted:
        raise ValidationError(
            "day",
            f"El {format_day(day)} ya pasó y el ANS de {counted} caso(s) ya contó ese día: "
            f"no se puede {verb}. Solo se pueden cambiar fechas de hoy en adelante.",
        )


def _check_day(day: Any) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError("day", "Indique una fecha válida.")
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        raise ValidationError("day", f"El año debe estar entre {_MIN_YEAR} y {_MAX_YEAR}.")


def _business_day(day: date, closing: dict[str, BusinessCalendar]) -> None:
    """A closure only means something on a day some schedule that closes would otherwise
    open: a weekday for Oficina, a Saturday for a Saturday schedule."""
    base = calendar_for("office")
    start = datetime.combine(day, time(0), tzinfo=base.tz)
    if any(cal.between(start, start + timedelta(days=1)) > timedelta(0) for cal in closing.values()):
        return
    holiday = dict(base.holidays_in(day.year)).get(day)
    why = f"es festivo ({holiday})" if holiday else "no es día hábil en ningún horario"
    raise ValidationError("day", f"El {format_day(day)} {why}: la oficina ya está cerrada ese día.")
