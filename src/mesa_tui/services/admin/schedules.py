"""Work schedules (horarios): create, edit, deactivate, and the one each service counts.

Editing a schedule's hours recomputes, in the same transaction, the open tickets that
count it: business time counted until then stays, the new hours count from then on (as
for a closure). Moving a service to another schedule re-targets its open tickets as a
policy change does. Oficina and 24x7 are fixed: the business-day unit, the PQRS legal
terms and the round-the-clock policies rest on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from mesa_tui.domain.catalog import ServiceRef
from mesa_tui.domain.policies import RecomputeResult
from mesa_tui.domain.schedules import ScheduleSaved, Week, WorkSchedule, next_schedule_code, schedule_problems
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import AdminBase, diff
from mesa_tui.services.admin.recompute import policy_lookup, recalendar, retarget
from mesa_tui.services.checks import raise_first
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import recompute_repo, schedules_repo, tickets_repo
from mesa_tui.store.engine import Session

_SCHEDULES = "cambiar los horarios de atención"


def _audited(schedule: WorkSchedule) -> dict[str, Any]:
    """What the audit trail records of a schedule."""
    return {
        "name": schedule.name,
        "week": list(schedule.day_texts),
        "holidays": schedule.holidays,
        "active": schedule.active,
    }


class ScheduleAdmin(AdminBase):
    """Named schedules and the services that count them."""

    def schedules(self, actor: ActorInfo) -> list[WorkSchedule]:
        with self._reading(actor) as s:
            return schedules_repo.schedules(s)

    def service_schedules(self, actor: ActorInfo) -> dict[str, str]:
        """{service code: schedule code} of the services with a schedule of their own (the
        rest count Oficina)."""
        with self._reading(actor) as s:
            return schedules_repo.service_schedules(s)

    def create_schedule(self, actor: ActorInfo, name: str, days: Sequence[str], holidays: bool = True) -> ScheduleSaved:
        """A new schedule, coded HOR-NNN: `days` are the seven days as typed, Monday first
        ("08:00-12:00, 14:00-18:00"; blank: closed)."""
        self._require_admin(actor, _SCHEDULES)
        name, week = _checked(name, days)

        def tx(s: Session, who: ActorInfo, now: datetime) -> ScheduleSaved:
            _name_free(s, name)
            code = next_schedule_code(sch.code for sch in schedules_repo.schedules(s))
            if code is None:
                raise ValidationError("name", "Ya hay 999 horarios: modifique uno de los existentes.")
            schedule = WorkSchedule(code, name, week, holidays=bool(holidays))
            schedules_repo.save_schedule(s, schedule)
            changes = {f: (None, v) for f, v in _audited(schedule).items()}
            self._event(s, who, now, "schedule", code, "crear", changes)
            return ScheduleSaved(schedule, 0)

        return self._write(actor, _SCHEDULES, tx)

    def update_schedule(
        self, actor: ActorInfo, code: str, name: str, days: Sequence[str], holidays: bool
    ) -> ScheduleSaved:
        """New name, hours or holidays. New hours recompute the open tickets that count them."""
        self._require_admin(actor, _SCHEDULES)
        name, week = _checked(name, days)

        def tx(s: Session, who: ActorInfo, now: datetime) -> ScheduleSaved:
            old = _editable(s, code)
            _name_free(s, name, except_code=code)
            new = WorkSchedule(code, name, week, holidays=bool(holidays), active=old.active)
            changes = diff(_audited(old), _audited(new))
            if not changes:
                return ScheduleSaved(old, 0)
            schedules_repo.save_schedule(s, new)
            self._event(s, who, now, "schedule", code, "modificar", changes)
            if new.week == old.week and new.holidays == old.holidays:
                return ScheduleSaved(new, 0)
            closures = tickets_repo.closure_days(s)
            tickets = recompute_repo.open_tickets_on_calendars(s, [code])
            note = f"Horario «{name}» modificado: {new.summary}"
            moved = recalendar(
                s, self.now, tickets, {code: old.calendar(closures)}, {code: new.calendar(closures)}, note
            )
            return ScheduleSaved(new, moved)

        return self._write(actor, _SCHEDULES, tx)

    def set_schedule_active(self, actor: ActorInfo, code: str, active: bool) -> WorkSchedule:
        """An inactive schedule can't be given to a service; one that services count can't be
        deactivated. Schedules are never deleted: old tickets keep counting theirs."""
        self._require_admin(actor, _SCHEDULES)

        def tx(s: Session, who: ActorInfo, now: datetime) -> WorkSchedule:
            schedule = _editable(s, code)
            if schedule.active == active:
                return schedule
            if not active:
                users = schedules_repo.services_using(s, code)
                if users:
                    shown = ", ".join(users[:5]) + (f" y {len(users) - 5} más" if len(users) > 5 else "")
                    raise ValidationError(
                        "active", f"El horario «{schedule.name}» lo cuentan {shown}: asígneles otro horario antes."
                    )
            changed = replace(schedule, active=active)
            schedules_repo.save_schedule(s, changed)
            action = "activar" if active else "desactivar"
            self._event(s, who, now, "schedule", code, action, {"active": (schedule.active, active)})
            return changed

        return self._write(actor, _SCHEDULES, tx)

    def set_service_schedule(self, actor: ActorInfo, service_code: str, schedule_code: str) -> RecomputeResult:
        """The schedule a service's SLA clocks count ("office" for Oficina); its open tickets
        are re-targeted (critical incidents and 24x7 policies keep running round the clock)."""
        self._require_admin(actor, _SCHEDULES)
        service_code = service_code.strip().upper()

        def tx(s: Session, who: ActorInfo, now: datetime) -> RecomputeResult:
            service = tickets_repo.service_by_code(s, service_code)
            if service is None:
                raise NotFound(f"El servicio {service_code} no existe en el catálogo.")
            note = link_schedule(s, who, now, service, schedule_code)
            if note is None:
                return RecomputeResult(0)
            tickets = recompute_repo.open_tickets_of_service(s, service.id)
            return RecomputeResult(retarget(s, self.now, tickets, policy_lookup(s), note))

        return self._write(actor, _SCHEDULES, tx)


def link_schedule(s: Session, who: ActorInfo, now: datetime, service: ServiceRef, code: str) -> str | None:
    """Attach the schedule `code` to `service`, audited; the note for the recompute of its
    open tickets, or None when it already had it. The caller re-targets the tickets."""
    if code == service.schedule:
        return None
    schedule = schedules_repo.schedule_by_code(s, code)
    if schedule is None:
        raise ValidationError("schedule", f"No existe el horario {code}.")
    if not schedule.active:
        raise ValidationError("schedule", f"El horario «{schedule.name}» está inactivo: actívelo o elija otro.")
    schedules_repo.set_service_schedule(s, service.id, code)
    AdminBase._event(s, who, now, "service", service.code, "modificar", {"schedule": (service.schedule, code)})
    return f"Servicio {service.code} pasó al horario «{schedule.name}»"


def _checked(name: str, days: Sequence[str]) -> tuple[str, Week]:
    """A schedule form's name and week, once the form is valid."""
    week, problems = schedule_problems(name, days)
    raise_first(problems)
    assert week is not None  # no problems
    return name.strip(), week


def _editable(s: Session, code: str) -> WorkSchedule:
    schedule = schedules_repo.schedule_by_code(s, code)
    if schedule is None:
        raise NotFound(f"No existe el horario {code}.")
    if schedule.builtin:
        raise ValidationError(
            "name",
            f"El horario «{schedule.name}» es fijo (de él dependen el día hábil, los plazos de las PQRS y "
            "el 24x7): cree otro horario y asígnelo a los servicios.",
        )
    return schedule


def _name_free(s: Session, name: str, except_code: str | None = None) -> None:
    clash = schedules_repo.name_clash(s, name, except_code)
    if clash:
        raise ValidationError("name", f"Ya existe el horario «{clash}».")
