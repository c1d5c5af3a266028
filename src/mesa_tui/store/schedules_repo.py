"""Work schedules and the services that count their own, in domain values (WorkSchedule).

A schedule's week is stored as JSON: the seven day texts a person types, Monday first
("08:00-12:00, 14:00-18:00", "" when closed), read back with domain.schedules.parse_day.
A service without a service_schedule row keeps the built-in Oficina ("office")."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from mesa_tui.domain.schedules import WorkSchedule, parse_day
from mesa_tui.domain.targets import OFFICE
from mesa_tui.store.models import CatalogService, Schedule, ServiceSchedule


def _schedule(row: Schedule) -> WorkSchedule:
    days = json.loads(row.week)
    week = tuple(parse_day(text, weekday) for weekday, text in enumerate(days))
    return WorkSchedule(code=row.code, name=row.name, week=week, holidays=row.holidays, active=row.active)


def _row(s: Session, code: str) -> Schedule | None:
    return s.exec(select(Schedule).where(Schedule.code == code)).first()


def schedules(s: Session) -> list[WorkSchedule]:
    """Every schedule, inactive ones too (old tickets still count them), in the order created."""
    return [_schedule(row) for row in s.exec(select(Schedule).order_by(col(Schedule.id))).all()]


def schedule_by_code(s: Session, code: str) -> WorkSchedule | None:
    row = _row(s, code)
    return _schedule(row) if row is not None else None


def name_clash(s: Session, name: str, except_code: str | None = None) -> str | None:
    """The schedule whose name equals `name` ignoring case (SQLite's lower() is ASCII-only)."""
    wanted = name.casefold()
    for code, existing in s.exec(select(Schedule.code, Schedule.name)).all():
        if code != except_code and existing.casefold() == wanted:
            return existing
    return None


def save_schedule(s: Session, schedule: WorkSchedule) -> None:
    """Create the schedule with this code, or change its name, week, holidays and state."""
    week = json.dumps(list(schedule.day_texts), ensure_ascii=False)
    row = _row(s, schedule.code) or Schedule(code=schedule.code, name=schedule.name, week=week)
    row.name, row.week, row.holidays, row.active = schedule.name, week, schedule.holidays, schedule.active
    s.add(row)
    s.flush()


# --- services ---------------------------------------------------------------------


def service_schedule_code(s: Session, service_id: int) -> str:
    """The code of the schedule a service's SLA clocks count."""
    q = (
        select(Schedule.code)
        .join(ServiceSchedule, col(ServiceSchedule.schedule_id) == Schedule.id)
        .where(ServiceSchedule.service_id == service_id)
    )
    return s.exec(q).first() or OFFICE


def service_schedules(s: Session) -> dict[str, str]:
    """{service code: schedule code} of the services that count a schedule of their own."""
    q = (
        select(CatalogService.code, Schedule.code)
        .join(ServiceSchedule, col(ServiceSchedule.service_id) == CatalogService.id)
        .join(Schedule, col(Schedule.id) == ServiceSchedule.schedule_id)
    )
    return dict(s.exec(q).all())


def services_using(s: Session, code: str) -> list[str]:
    """Codes of the services that count the schedule `code` as their own, in order."""
    q = (
        select(CatalogService.code)
        .join(ServiceSchedule, col(ServiceSchedule.service_id) == CatalogService.id)
        .join(Schedule, col(Schedule.id) == ServiceSchedule.schedule_id)
        .where(Schedule.code == code)
        .order_by(col(CatalogService.code))
    )
    return list(s.exec(q).all())


def set_service_schedule(s: Session, service_id: int, code: str) -> None:
    """Attach the schedule `code` to a service; Oficina is what a service has without a row."""
    link = s.get(ServiceSchedule, service_id)
    if code == OFFICE:
        if link is not None:
            s.delete(link)
            s.flush()
        return
    row = _row(s, code)
    if row is None or row.id is None:
        raise LookupError(f"schedule {code!r} is not in the database")
    if link is None:
        link = ServiceSchedule(service_id=service_id, schedule_id=row.id)
    link.schedule_id = row.id
    s.add(link)
    s.flush()
