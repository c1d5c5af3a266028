"""Administration use cases: catalog, SLA policies, priority matrix, agents and groups,
calendar closures and settings.

Every change is refused to anyone but an active administrator, validated (a
ValidationError names the form field), audited (an event with entity/entity_key and
{field: [old, new]}), and runs in one transaction: nothing is written on error.

A change that moves due times (an SLA policy saved or deleted, a service moved to
another category, a closure added or removed) recomputes the open tickets it affects
in the same transaction: each gets its new due times, one "recalcular ANS" event and a
new version. Time already consumed and paused is kept. The priority matrix applies to
classifications made from then on; it never re-prioritises open tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from mesa_tui.domain.calendar import BusinessCalendar, calendar_for
from mesa_tui.domain.catalog import (
    CatalogEntry,
    CategoryInfo,
    PreviewRow,
    category_problem,
    clean_entry,
    is_service_code,
    validate_entry,
)
from mesa_tui.domain.closures import ClosureInfo, HolidayInfo, closure_reason_problem
from mesa_tui.domain.dates import format_day
from mesa_tui.domain.policies import PolicyInfo, PolicyScope, RecomputeResult, policy_problems
from mesa_tui.domain.priority import matrix_problems
from mesa_tui.domain.settings import normalize_setting
from mesa_tui.domain.sla import SlaTargets, ticket_targets
from mesa_tui.domain.staff import AgentInfo, GroupInfo, agent_problems, group_problems
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import PRIORITY_ORDER, Role
from mesa_tui.services import catalog as catalog_files
from mesa_tui.services.catalog import ImportResult
from mesa_tui.services.desk import AUDITED, LEGAL_DAY_CHOICES, utcnow
from mesa_tui.services.errors import NotFound, PermissionDenied, ValidationError
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import catalog_repo, tickets_repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Database
from mesa_tui.store.models import Agent, SupportGroup

T = TypeVar("T")

RECOMPUTE_ACTION = "recalcular ANS"
# What a recompute may change on a ticket: the audited fields plus the targets.
_RECOMPUTED = (*AUDITED, "tto_target_s", "ttr_target_s")
_SCOPE_ORDER = {PolicyScope.DEFAULT: 0, PolicyScope.CATEGORY: 1, PolicyScope.SERVICE: 2}
_MIN_YEAR, _MAX_YEAR = 1900, 2200

_CATALOG = "editar el catálogo de servicios"
_POLICIES = "cambiar las políticas de ANS"
_MATRIX = "cambiar la matriz de prioridad"
_STAFF = "administrar agentes y grupos"
_CALENDAR = "cambiar el calendario de atención"
_SETTINGS = "cambiar los parámetros de la mesa de ayuda"


def _raise_first(problems: list[tuple[str, str]]) -> None:
    """Forms show one message at a time: the first problem found."""
    if problems:
        field, message = problems[0]
        raise ValidationError(field, message)


def _sentence(message: str) -> str:
    """validate_entry's messages follow "línea N:" in files; on a form they stand alone."""
    return message[:1].upper() + message[1:] + "."


def _snapshot(t: Any) -> dict[str, Any]:
    return {f: getattr(t, f) for f in _RECOMPUTED}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f: (before[f], after[f]) for f in before if before[f] != after[f]}


def _require_admin(actor: ActorInfo | None, what: str) -> None:
    if actor is None or not actor.is_admin:
        raise PermissionDenied(f"Solo un administrador puede {what}.")


class Admin:
    """The administrator's use cases over one database."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow):
        self.db = db
        self.now = now

    # --- catalog -----------------------------------------------------------------

    def services(self, include_inactive: bool = True) -> list[CatalogEntry]:
        with self.db.read() as s:
            return catalog_repo.list_services(s, include_inactive)

    def create_service(self, actor: ActorInfo, entry: CatalogEntry) -> CatalogEntry:
        _require_admin(actor, _CATALOG)
        entry = _clean(entry)

        def tx(s, who: Agent, now: datetime) -> CatalogEntry:
            _raise_first(_entry_problems(s, entry))
            _code_free(s, entry.code)
            result = catalog_repo.upsert_entries(s, [entry])
            _status, changes = result.changes[entry.code]
            self._event(s, who, now, "service", entry.code, "crear", changes)
            return entry

        return self._write(actor, _CATALOG, tx)

    def update_service(self, actor: ActorInfo, code: str, entry: CatalogEntry) -> CatalogEntry:
        """Every field may change, the code too when the new one is free. Moving the service
        to another category re-targets its open tickets when that changes their policy."""
        _require_admin(actor, _CATALOG)
        code = code.strip().upper()
        entry = _clean(entry)

        def tx(s, who: Agent, now: datetime) -> CatalogEntry:
            row = _service(s, code)
            _raise_first(_entry_problems(s, entry))
            changes: dict[str, tuple[Any, Any]] = {}
            if entry.code != code:
                _code_free(s, entry.code)
                repo.rename_service(s, row, entry.code)
                changes["code"] = (code, entry.code)
            old_category = row.category_id
            result = catalog_repo.upsert_entries(s, [entry])
            changes.update(result.changes.get(entry.code, (None, {}))[1])
            if not changes:
                return entry
            self._event(s, who, now, "service", entry.code, "modificar", changes)
            if row.category_id != old_category:
                tickets = repo.open_tickets_of_service(s, row.id)
                self._retarget(
                    s, who, now, tickets, self._policy_lookup(s), f"Servicio {entry.code} cambió de categoría"
                )
            return entry

        return self._write(actor, _CATALOG, tx)

    def set_service_active(self, actor: ActorInfo, code: str, active: bool) -> CatalogEntry:
        """An inactive entry can't be chosen for new tickets and still shows on old ones.
        Entries are never deleted."""
        _require_admin(actor, _CATALOG)
        code = code.strip().upper()

        def tx(s, who: Agent, now: datetime) -> CatalogEntry:
            row = _service(s, code)
            if row.active != active:
                action = "activar" if active else "desactivar"
                self._event(s, who, now, "service", code, action, {"active": (row.active, active)})
                repo.set_service_active(s, row, active)
            return next(e for e in catalog_repo.list_services(s) if e.code == code)

        return self._write(actor, _CATALOG, tx)

    def categories(self) -> list[CategoryInfo]:
        with self.db.read() as s:
            return repo.categories(s)

    def add_category(self, actor: ActorInfo, name: str) -> CategoryInfo:
        _require_admin(actor, _CATALOG)
        name = (name or "").strip()
        _raise_first(_named("name", category_problem(name)))

        def tx(s, who: Agent, now: datetime) -> CategoryInfo:
            clash = repo.category_name_clash(s, name)
            if clash:
                raise ValidationError("name", f"Ya existe la categoría «{clash}».")
            row = repo.add_category(s, name)
            self._event(s, who, now, "category", str(row.id), "crear", {"name": (None, name)})
            return CategoryInfo(id=row.id, name=name, services=0)

        return self._write(actor, _CATALOG, tx)

    def rename_category(self, actor: ActorInfo, old: str, new: str) -> CategoryInfo:
        _require_admin(actor, _CATALOG)
        old, new = (old or "").strip(), (new or "").strip()
        _raise_first(_named("name", category_problem(new)))

        def tx(s, who: Agent, now: datetime) -> CategoryInfo:
            row = repo.category_by_name(s, old)
            if row is None:
                raise NotFound(f"No existe la categoría «{old}».")
            clash = repo.category_name_clash(s, new, except_id=row.id)
            if clash:
                raise ValidationError("name", f"Ya existe la categoría «{clash}».")
            if new != row.name:
                self._event(s, who, now, "category", str(row.id), "modificar", {"name": (row.name, new)})
                row.name = new
                s.add(row)
                s.flush()
            return next(c for c in repo.categories(s) if c.id == row.id)

        return self._write(actor, _CATALOG, tx)

    def preview_import(self, text: str) -> list[PreviewRow]:
        return catalog_files.preview_import(self.db, text)

    def import_catalog(self, actor: ActorInfo, text: str) -> ImportResult:
        """All or nothing; services the file moves to another category re-target
        their open tickets in the same transaction, as an edit from the form does."""
        _require_admin(actor, "importar el catálogo de servicios")

        def tx(s, who: Agent, now: datetime) -> ImportResult:
            result, moved = catalog_files.import_in(s, text, who.id, now)
            lookup = self._policy_lookup(s)
            for code in moved:
                row = _service(s, code)
                tickets = repo.open_tickets_of_service(s, row.id)
                self._retarget(s, who, now, tickets, lookup, f"Servicio {code} cambió de categoría")
            return result

        return self._write(actor, "importar el catálogo de servicios", tx)

    def export_catalog(self) -> str:
        return catalog_files.export_catalog(self.db)

    # --- SLA policies --------------------------------------------------------------

    def policies(self) -> list[PolicyInfo]:
        """Default policies first, then per category, then per service; by priority within each."""
        with self.db.read() as s:
            rows = repo.policies(s)
        rank = {p.value: i for i, p in enumerate(PRIORITY_ORDER)}
        return sorted(rows, key=lambda p: (_SCOPE_ORDER[p.scope], p.scope_label, rank.get(p.priority, 9)))

    def save_policy(
        self,
        actor: ActorInfo,
        scope: str | None,
        priority: str,
        tto_minutes: int,
        ttr_minutes: int,
        calendar: str,
    ) -> RecomputeResult:
        """Create or change the policy of `scope` (a service code, a category name, or None
        for the default) and `priority`, and re-target the open tickets it governs."""
        _require_admin(actor, _POLICIES)
        _raise_first(policy_problems(priority, tto_minutes, ttr_minutes, calendar))

        def tx(s, who: Agent, now: datetime) -> RecomputeResult:
            service_id, category_id, label = self._scope(s, scope)
            row = repo.policy_row(s, service_id, category_id, priority)
            new = {"tto_minutes": tto_minutes, "ttr_minutes": ttr_minutes, "calendar": calendar}
            old = dict.fromkeys(new) if row is None else {f: getattr(row, f) for f in new}
            changes = _diff(old, new)
            if not changes:
                return RecomputeResult(0)
            repo.save_policy_row(s, row, service_id, category_id, priority, tto_minutes, ttr_minutes, calendar)
            key = _policy_key(service_id, category_id, priority)
            note = f"{label} · {priority}"
            self._event(s, who, now, "policy", key, "crear" if row is None else "modificar", changes, note)
            targets = SlaTargets(timedelta(minutes=tto_minutes), timedelta(minutes=ttr_minutes), calendar)
            tickets = repo.governed_open_tickets(s, service_id, category_id, priority)
            done = "creada" if row is None else "modificada"
            return RecomputeResult(
                self._retarget(s, who, now, tickets, lambda t: targets, f"Política de ANS {done}: {note}")
            )

        return self._write(actor, _POLICIES, tx)

    def delete_policy(self, actor: ActorInfo, scope: str | None, priority: str) -> RecomputeResult:
        """Remove a service's or category's policy; its open tickets fall to the next one.
        The default policies can be changed, not deleted."""
        _require_admin(actor, _POLICIES)
        if scope is None:
            raise ValidationError("scope", "Las políticas predeterminadas no se eliminan: modifique sus tiempos.")

        def tx(s, who: Agent, now: datetime) -> RecomputeResult:
            service_id, category_id, label = self._scope(s, scope)
            row = repo.policy_row(s, service_id, category_id, priority)
            if row is None:
                raise NotFound(f"No hay una política de ANS para {label} con prioridad {priority}.")
            changes = {f: (getattr(row, f), None) for f in ("tto_minutes", "ttr_minutes", "calendar")}
            repo.delete_policy_row(s, row)
            note = f"{label} · {priority}"
            key = _policy_key(service_id, category_id, priority)
            self._event(s, who, now, "policy", key, "eliminar", changes, note)
            tickets = repo.governed_open_tickets(s, service_id, category_id, priority)
            return RecomputeResult(
                self._retarget(s, who, now, tickets, self._policy_lookup(s), f"Política de ANS eliminada: {note}")
            )

        return self._write(actor, _POLICIES, tx)

    # --- priority matrix ----------------------------------------------------------

    def matrix(self) -> dict[tuple[int, int], str]:
        with self.db.read() as s:
            return tickets_repo.priority_matrix(s)

    def set_priority(self, actor: ActorInfo, impact: int, urgency: int, priority: str) -> None:
        """Applies to tickets classified from now on; open tickets keep their priority."""
        _require_admin(actor, _MATRIX)
        _raise_first(matrix_problems(impact, urgency, priority))

        def tx(s, who: Agent, now: datetime) -> None:
            rule = repo.priority_rule(s, impact, urgency)
            old = rule.priority if rule else None
            if old != priority:
                repo.save_priority_rule(s, impact, urgency, priority)
                self._event(s, who, now, "priority", f"{impact}x{urgency}", "modificar", {"priority": (old, priority)})

        self._write(actor, _MATRIX, tx)

    # --- agents and groups ------------------------------------------------------------

    def agents(self, include_inactive: bool = False) -> list[AgentInfo]:
        with self.db.read() as s:
            return repo.agents(s, include_inactive)

    def create_agent(
        self, actor: ActorInfo, login: str, full_name: str, role: str, level: int, group_id: int | None
    ) -> AgentInfo:
        _require_admin(actor, _STAFF)
        login, full_name = (login or "").strip(), (full_name or "").strip()
        _raise_first(agent_problems(login, full_name, role, level))

        def tx(s, who: Agent, now: datetime) -> AgentInfo:
            _login_free(s, login)
            _usable_group(s, group_id)
            agent = repo.save_agent(
                s, Agent(login=login, full_name=full_name, role=role, level=level, group_id=group_id)
            )
            fields = {"login": login, "full_name": full_name, "role": role, "level": level, "group_id": group_id}
            self._event(s, who, now, "agent", str(agent.id), "crear", {f: (None, v) for f, v in fields.items()})
            return repo.agent_info(s, agent)

        return self._write(actor, _STAFF, tx)

    def update_agent(
        self,
        actor: ActorInfo,
        agent_id: int,
        login: str,
        full_name: str,
        role: str,
        level: int,
        group_id: int | None,
    ) -> AgentInfo:
        _require_admin(actor, _STAFF)
        login, full_name = (login or "").strip(), (full_name or "").strip()
        _raise_first(agent_problems(login, full_name, role, level))

        def tx(s, who: Agent, now: datetime) -> AgentInfo:
            agent = _agent(s, agent_id)
            if login != agent.login:
                _login_free(s, login)
            if group_id != agent.group_id:
                _usable_group(s, group_id)
            if agent.role == Role.ADMIN and role != Role.ADMIN and agent.active:
                _not_last_admin(s, agent, "role")
            new = {"login": login, "full_name": full_name, "role": role, "level": level, "group_id": group_id}
            changes = _diff({f: getattr(agent, f) for f in new}, new)
            if changes:
                for f, v in new.items():
                    setattr(agent, f, v)
                repo.save_agent(s, agent)
                self._event(s, who, now, "agent", str(agent.id), "modificar", changes)
            return repo.agent_info(s, agent)

        return self._write(actor, _STAFF, tx)

    def set_agent_active(self, actor: ActorInfo, agent_id: int, active: bool) -> AgentInfo:
        """Agents are never deleted (their tickets and events name them). A deactivated agent
        can no longer log in; their open tickets stay assigned (`open_tickets` says how many)
        for a supervisor to reassign."""
        _require_admin(actor, _STAFF)

        def tx(s, who: Agent, now: datetime) -> AgentInfo:
            agent = _agent(s, agent_id)
            if agent.active != active:
                if not active:
                    if agent.id == who.id:
                        raise ValidationError("active", "No puede desactivar su propio usuario.")
                    if agent.role == Role.ADMIN:
                        _not_last_admin(s, agent, "active")
                self._event(
                    s,
                    who,
                    now,
                    "agent",
                    str(agent.id),
                    "activar" if active else "desactivar",
                    {"active": (agent.active, active)},
                )
                agent.active = active
                repo.save_agent(s, agent)
            return repo.agent_info(s, agent)

        return self._write(actor, _STAFF, tx)

    def groups(self, include_inactive: bool = True) -> list[GroupInfo]:
        with self.db.read() as s:
            return repo.groups(s, include_inactive)

    def create_group(self, actor: ActorInfo, name: str, level: int) -> GroupInfo:
        _require_admin(actor, _STAFF)
        name = (name or "").strip()
        _raise_first(group_problems(name, level))

        def tx(s, who: Agent, now: datetime) -> GroupInfo:
            _group_name_free(s, name)
            group = repo.save_group(s, SupportGroup(name=name, level=level))
            self._event(s, who, now, "group", str(group.id), "crear", {"name": (None, name), "level": (None, level)})
            return repo.group_info(s, group)

        return self._write(actor, _STAFF, tx)

    def update_group(self, actor: ActorInfo, group_id: int, name: str, level: int) -> GroupInfo:
        _require_admin(actor, _STAFF)
        name = (name or "").strip()
        _raise_first(group_problems(name, level))

        def tx(s, who: Agent, now: datetime) -> GroupInfo:
            group = _group(s, group_id)
            _group_name_free(s, name, except_id=group.id)
            if group.active and group.level == 1 and level != 1:
                _not_last_first_level(s, group, "level")
            changes = _diff({"name": group.name, "level": group.level}, {"name": name, "level": level})
            if changes:
                group.name, group.level = name, level
                repo.save_group(s, group)
                self._event(s, who, now, "group", str(group.id), "modificar", changes)
            return repo.group_info(s, group)

        return self._write(actor, _STAFF, tx)

    def set_group_active(self, actor: ActorInfo, group_id: int, active: bool) -> GroupInfo:
        """An inactive group receives no new tickets or escalations; its agents and open
        tickets stay where they are."""
        _require_admin(actor, _STAFF)

        def tx(s, who: Agent, now: datetime) -> GroupInfo:
            group = _group(s, group_id)
            if group.active != active:
                if not active and group.level == 1:
                    _not_last_first_level(s, group, "active")
                self._event(
                    s,
                    who,
                    now,
                    "group",
                    str(group.id),
                    "activar" if active else "desactivar",
                    {"active": (group.active, active)},
                )
                group.active = active
                repo.save_group(s, group)
            return repo.group_info(s, group)

        return self._write(actor, _STAFF, tx)

    # --- calendar ----------------------------------------------------------------------

    def holidays(self, year: int) -> list[HolidayInfo]:
        """Public holidays the office calendar observes in `year` (closures apart)."""
        if not isinstance(year, int) or isinstance(year, bool) or not _MIN_YEAR <= year <= _MAX_YEAR:
            raise ValidationError("year", f"El año debe estar entre {_MIN_YEAR} y {_MAX_YEAR}.")
        return [HolidayInfo(day=d, name=n) for d, n in calendar_for("office").holidays_in(year)]

    def closures(self) -> list[ClosureInfo]:
        with self.db.read() as s:
            return repo.closures(s)

    def add_closure(self, actor: ActorInfo, day: date, reason: str) -> RecomputeResult:
        """Close the office on `day` (a date the entity decrees, not a public holiday) and
        move the due times of the open tickets that count that day."""
        _require_admin(actor, _CALENDAR)
        _check_day(day)
        _raise_first(_named("reason", closure_reason_problem(reason)))
        reason = reason.strip()

        def tx(s, who: Agent, now: datetime) -> RecomputeResult:
            existing = repo.closure_row(s, day)
            if existing is not None:
                raise ValidationError("day", f"El {format_day(day)} ya es un día de cierre ({existing.reason}).")
            _business_day(day)
            old_cal = tickets_repo.calendar(s, "office")
            self._not_counted_yet(s, day, now, "cerrar")
            repo.add_closure(s, day, reason)
            self._event(s, who, now, "closure", day.isoformat(), "crear", {"reason": (None, reason)})
            note = f"Cierre agregado: {format_day(day)} ({reason})"
            return RecomputeResult(self._recalendar(s, who, now, day, old_cal, note))

        return self._write(actor, _CALENDAR, tx)

    def remove_closure(self, actor: ActorInfo, day: date) -> RecomputeResult:
        _require_admin(actor, _CALENDAR)
        _check_day(day)

        def tx(s, who: Agent, now: datetime) -> RecomputeResult:
            row = repo.closure_row(s, day)
            if row is None:
                raise NotFound(f"El {format_day(day)} no es un día de cierre.")
            old_cal = tickets_repo.calendar(s, "office")
            self._not_counted_yet(s, day, now, "reabrir")
            reason = row.reason
            repo.delete_closure(s, row)
            self._event(s, who, now, "closure", day.isoformat(), "eliminar", {"reason": (reason, None)})
            note = f"Cierre eliminado: {format_day(day)} ({reason})"
            return RecomputeResult(self._recalendar(s, who, now, day, old_cal, note))

        return self._write(actor, _CALENDAR, tx)

    # --- settings ------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        with self.db.read() as s:
            return repo.settings(s)

    def set_setting(self, actor: ActorInfo, key: str, value: Any) -> str:
        """Store a validated setting; returns the stored text. The error names the key as its field."""
        _require_admin(actor, _SETTINGS)

        def tx(s, who: Agent, now: datetime) -> str:
            row = repo.setting_row(s, key)
            if row is None:
                raise ValidationError("key", f"El parámetro «{key}» no existe.")
            try:
                stored = normalize_setting(key, value)
            except ValueError as exc:
                raise ValidationError(key, str(exc)) from None
            if stored != row.value:
                self._event(s, who, now, "setting", key, "modificar", {"value": (row.value, stored)})
                repo.save_setting(s, row, stored)
            return stored

        return self._write(actor, _SETTINGS, tx)

    # --- internals ---------------------------------------------------------------------

    def _write(self, actor: ActorInfo, what: str, fn: Callable[[Any, Agent, datetime], T]) -> T:
        now = self.now()

        def tx(s) -> T:
            # The role is checked again inside the transaction: it may have changed since login.
            who = tickets_repo.agent_by_id(s, actor.id)
            if who is None or not who.active or who.role != Role.ADMIN:
                raise PermissionDenied(f"Solo un administrador puede {what}.")
            return fn(s, who, now)

        return self.db.write(tx)

    @staticmethod
    def _event(
        s,
        who: Agent,
        now: datetime,
        entity: str,
        key: str,
        action: str,
        changes: dict[str, tuple[Any, Any]],
        note: str = "",
    ) -> None:
        write_event(
            s, actor_id=who.id, action=action, at=now, changes=changes, note=note, entity=entity, entity_key=key
        )

    @staticmethod
    def _scope(s, scope: str | None) -> tuple[int | None, int | None, str]:
        """(service_id, category_id, label) of a policy scope."""
        if scope is None:
            return None, None, "Predeterminada"
        key = scope.strip()
        if is_service_code(key.upper()):
            service = repo.service_row(s, key.upper())
            if service is None:
                raise ValidationError("scope", f"El servicio «{key}» no existe en el catálogo.")
            return service.id, None, f"{service.code} · {service.name}"
        category = repo.category_by_name(s, key)
        if category is None:
            raise ValidationError("scope", f"No existe el servicio ni la categoría «{key}».")
        return None, category.id, f"Categoría {category.name}"

    @staticmethod
    def _policy_lookup(s) -> Callable[[Any], SlaTargets | None]:
        """Targets of the policy that governs a ticket now, looked up once per service and priority."""
        found: dict[tuple[int, str], SlaTargets | None] = {}

        def lookup(t: Any) -> SlaTargets | None:
            key = (t.service_id, t.priority)
            if key not in found:
                found[key] = tickets_repo.policy_targets(s, tickets_repo.service_by_id(s, t.service_id), t.priority)
            return found[key]

        return lookup

    def _retarget(
        self,
        s,
        who: Agent,
        now: datetime,
        tickets: list[Any],
        policy_of: Callable[[Any], SlaTargets | None],
        note: str,
    ) -> int:
        """Give tickets their policy's targets and calendar from `now` on, keeping the time
        consumed and paused so far (stopped clocks keep their target). Returns how many changed."""
        cals: dict[str, BusinessCalendar] = {}

        def cal(kind: str) -> BusinessCalendar:
            if kind not in cals:
                cals[kind] = tickets_repo.calendar(s, kind)
            return cals[kind]

        changes = _Changes(who, now, note)
        for t in tickets:
            new = ticket_targets(policy_of(t), t.priority, t.type)
            before = _snapshot(t)
            tickets_repo.retarget_clocks(t, new, cal(t.sla_calendar), cal(new.calendar), now)
            changes.add(t, before)
        return changes.write(s)

    def _recalendar(self, s, who: Agent, now: datetime, day: date, old_cal: BusinessCalendar, note: str) -> int:
        """After a closure change: the due times of the open tickets that count office days
        become what their clocks give on the new calendar; PQRS legal due dates move with it."""
        new_cal = tickets_repo.calendar(s, "office")
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=new_cal.tz)
        changes = _Changes(who, now, note)
        for t in repo.open_tickets_on_office_days(s, created_before=end):
            before = _snapshot(t)
            if t.sla_calendar == "office":
                for which in ("tto", "ttr"):
                    tickets_repo.set_clock(t, which, tickets_repo.clock_of(t, which), new_cal)
            if t.legal_due_on is not None:
                t.legal_due_on = _moved_legal_due(t, old_cal, new_cal)
            changes.add(t, before)
        return changes.write(s)

    @staticmethod
    def _not_counted_yet(s, day: date, now: datetime, verb: str) -> None:
        """A past day whose business time tickets already counted can't change any more."""
        tz = calendar_for("office").tz
        if day >= now.astimezone(tz).date():
            return
        start = datetime.combine(day, time(0), tzinfo=tz)
        counted = repo.tickets_computed_across(s, start, start + timedelta(days=1))
        if counted:
            raise ValidationError(
                "day",
                f"El {format_day(day)} ya pasó y el ANS de {counted} caso(s) ya contó ese día: "
                f"no se puede {verb}. Solo se pueden cambiar fechas de hoy en adelante.",
            )


class _Changes:
    """The recomputed tickets that really changed and their "recalcular ANS" events,
    written in two statements at the end."""

    def __init__(self, who: Agent, now: datetime, note: str):
        self.who, self.now, self.note = who, now, note
        self.rows: list[Any] = []
        self.events: list[dict[str, Any]] = []

    def add(self, t: Any, before: dict[str, Any]) -> None:
        tickets_repo.refresh_due(t)
        if _snapshot(t) == before:
            return
        t.version += 1
        t.updated_at = self.now
        self.rows.append(t)
        self.events.append(
            {
                "ticket_id": t.id,
                "entity_key": t.code,
                "at": self.now,
                "actor_id": self.who.id,
                "action": RECOMPUTE_ACTION,
                "changes": {f: v for f, v in _diff(before, _snapshot(t)).items() if f in AUDITED},
                "note": self.note,
            }
        )

    def write(self, s) -> int:
        repo.update_ticket_rows(s, self.rows)
        repo.insert_ticket_events(s, self.events)
        return len(self.rows)


def _clean(entry: CatalogEntry) -> CatalogEntry:
    entry = clean_entry(entry)
    return replace(entry, code=entry.code.upper())


def _entry_problems(s, entry: CatalogEntry) -> list[tuple[str, str]]:
    return [(f, _sentence(m)) for f, m in validate_entry(entry, catalog_repo.category_names(s))]


def _named(field: str, problem: str | None) -> list[tuple[str, str]]:
    return [(field, problem)] if problem else []


def _service(s, code: str):
    row = repo.service_row(s, code)
    if row is None:
        raise NotFound(f"El servicio {code} no existe en el catálogo.")
    return row


def _code_free(s, code: str) -> None:
    taken = repo.service_row(s, code)
    if taken is not None:
        raise ValidationError("code", f"El código {code} ya está en uso: {taken.name}.")


def _agent(s, agent_id: int) -> Agent:
    agent = tickets_repo.agent_by_id(s, agent_id)
    if agent is None:
        raise NotFound(f"No existe el agente {agent_id}.")
    return agent


def _login_free(s, login: str) -> None:
    taken = repo.agent_by_login(s, login)
    if taken is not None:
        raise ValidationError("login", f"El usuario «{login}» ya existe: {taken.full_name}.")


def _usable_group(s, group_id: int | None) -> None:
    if group_id is None:
        return
    group = tickets_repo.group_by_id(s, group_id)
    if group is None or not group.active:
        raise ValidationError("group_id", "El grupo elegido no existe o está inactivo.")


def _not_last_admin(s, agent: Agent, field: str) -> None:
    if repo.other_active_admins(s, agent.id) == 0:
        raise ValidationError(
            field, f"{agent.full_name} es el único administrador activo: nombre otro administrador antes."
        )


def _group(s, group_id: int) -> SupportGroup:
    group = tickets_repo.group_by_id(s, group_id)
    if group is None:
        raise NotFound(f"No existe el grupo {group_id}.")
    return group


def _group_name_free(s, name: str, except_id: int | None = None) -> None:
    clash = repo.group_name_clash(s, name, except_id)
    if clash:
        raise ValidationError("name", f"Ya existe el grupo «{clash}».")


def _not_last_first_level(s, group: SupportGroup, field: str) -> None:
    if repo.other_active_groups_at_level(s, 1, group.id) == 0:
        raise ValidationError(
            field, f"«{group.name}» es el único grupo activo de nivel 1: los casos nuevos llegan a él."
        )


def _policy_key(service_id: int | None, category_id: int | None, priority: str) -> str:
    # Ids, not codes or names: both can be renamed and the history must stay together.
    if service_id is not None:
        return f"service:{service_id}:{priority}"
    if category_id is not None:
        return f"category:{category_id}:{priority}"
    return f"default:{priority}"


def _check_day(day: Any) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError("day", "Indique una fecha válida.")
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        raise ValidationError("day", f"El año debe estar entre {_MIN_YEAR} y {_MAX_YEAR}.")


def _business_day(day: date) -> None:
    """A closure only means something on a day the office would otherwise open."""
    base = calendar_for("office")
    start = datetime.combine(day, time(0), tzinfo=base.tz)
    if base.between(start, start + timedelta(days=1)) > timedelta(0):
        return
    holiday = dict(base.holidays_in(day.year)).get(day)
    why = f"es festivo ({holiday})" if holiday else "no es día hábil"
    raise ValidationError("day", f"El {format_day(day)} {why}: la oficina ya está cerrada ese día.")


def _moved_legal_due(t: Any, old_cal: BusinessCalendar, new_cal: BusinessCalendar) -> date:
    """The PQRS legal due date counted again on the new calendar: the same number of
    business days after the ticket was logged."""
    for days in LEGAL_DAY_CHOICES:
        if old_cal.add_business_days(t.created_at, days) == t.legal_due_on:
            return new_cal.add_business_days(t.created_at, days)
    return t.legal_due_on
