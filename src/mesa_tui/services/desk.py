"""Ticket use cases: one transaction each, role-checked, audited.

Every method takes the acting agent first and, for changes to an existing
ticket, the version the caller read (`expected_version`): a stale read is
refused with ConflictError instead of overwriting a colleague's change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.sla import Clock, ticket_targets
from mesa_tui.domain.tickets import (
    ActorInfo,
    TicketInfo,
    contact_problem,
    permission_problem,
    text_problem,
)
from mesa_tui.domain.vocab import (
    PQRS_LEGAL_DAYS,
    Channel,
    Nature,
    SolutionMode,
    Status,
    TicketType,
)
from mesa_tui.domain.workflow import Action, TransitionError, next_status
from mesa_tui.services.clock import utcnow
from mesa_tui.services.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    UnknownLogin,
    ValidationError,
)
from mesa_tui.store import tickets_repo as repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Database
from mesa_tui.store.models import Ticket

# Fields whose changes the audit trail records; replaying them rebuilds a ticket.
AUDITED = (
    "status",
    "agent_id",
    "group_id",
    "level",
    "type",
    "service_id",
    "impact",
    "urgency",
    "priority",
    "nature",
    "sla_calendar",
    "tto_due_at",
    "ttr_due_at",
    "tto_met",
    "ttr_met",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "solution",
    "solution_mode",
    "wait_reason",
    "legal_due_on",
    "version",
)

LEGAL_DAY_CHOICES = (10, 15, 30)


def _snapshot(t: Ticket) -> dict[str, Any]:
    return {f: getattr(t, f) for f in AUDITED}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f: (before[f], after[f]) for f in AUDITED if before[f] != after[f]}


def _required(value: str | None, field: str, label: str, max_len: int = 2000) -> str:
    problem = text_problem(value, label, max_len)
    if problem:
        raise ValidationError(field, problem)
    return value.strip()


def _enum(enum, value: str, field: str, label: str):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(field, f"{label} «{value}» no es válido (use: {allowed}).") from None


def _scale(value: Any, field: str, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
        raise ValidationError(field, f"{label} debe ser 1, 2 o 3 (recibido: {value!r}).")
    return value


@dataclass(frozen=True)
class NewTicket:
    requester_name: str
    requester_dependency: str
    requester_contact: str
    channel: str
    service_code: str
    type: str
    subject: str
    description: str = ""
    impact: int = 2
    urgency: int = 2
    legal_days: int | None = None


class Desk:
    """The help desk's use cases over one database."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow):
        self.db = db
        self.now = now

    # --- who is acting -----------------------------------------------------

    def actor(self, login: str) -> ActorInfo:
        with self.db.read() as s:
            agent = repo.agent_by_login(s, login)
            if agent is None:
                raise UnknownLogin(
                    f"El usuario «{login}» no está registrado como agente de la mesa de ayuda. "
                    "Pida a un administrador que lo cree o use --as LOGIN."
                )
            if not agent.active:
                raise UnknownLogin(f"El agente «{login}» está inactivo.")
            return repo.actor_info(agent)

    def resolve_actor(self, os_login: str, as_login: str | None) -> ActorInfo:
        """The OS login maps to an agent; an admin may act as someone else."""
        if as_login is None or as_login == os_login:
            return self.actor(os_login)
        with self.db.read() as s:
            me = repo.agent_by_login(s, os_login)
            my_role, my_active = (me.role, me.active) if me is not None else (None, False)
            has_agents = bool(repo.list_agents(s, active_only=False))
        if my_role is not None and not my_active:
            raise UnknownLogin(f"El agente «{os_login}» está inactivo.")
        if my_role is not None and my_role != "admin":
            raise PermissionDenied("Solo un administrador puede actuar como otro usuario (--as).")
        if my_role is None and has_agents:
            raise UnknownLogin(f"El usuario del sistema «{os_login}» no es un agente: no puede usar --as.")
        return self.actor(as_login)

    # --- reading -----------------------------------------------------------

    def get(self, ticket_id: int) -> TicketInfo:
        with self.db.read() as s:
            t = s.get(Ticket, ticket_id)
            if t is None:
                raise NotFound(f"No existe el caso {ticket_id}.")
            return repo.ticket_info(s, t)

    def find(self, code: str) -> TicketInfo:
        code = code.strip().upper()
        with self.db.read() as s:
            ticket_id = repo.ticket_id_by_code(s, code)
            if ticket_id is None:
                raise NotFound(f"No existe el caso {code}.")
            return repo.ticket_info(s, s.get(Ticket, ticket_id))

    def timeline(self, ticket_id: int):
        with self.db.read() as s:
            return repo.timeline(s, ticket_id)

    def risk_threshold(self) -> float:
        with self.db.read() as s:
            return float(repo.setting(s, "risk_threshold", "0.75"))

    def calendar(self, kind: str):
        with self.db.read() as s:
            return repo.calendar(s, kind)

    def agents(self):
        with self.db.read() as s:
            return repo.list_agents(s)

    def groups(self):
        with self.db.read() as s:
            return [(g.id, g.name, g.level) for g in repo.groups(s)]

    # --- log ---------------------------------------------------------------

    def log(self, actor: ActorInfo, new: NewTicket) -> TicketInfo:
        name = _required(new.requester_name, "requester_name", "El nombre del solicitante", 120)
        dependency = (new.requester_dependency or "").strip()
        if len(dependency) > 120:
            raise ValidationError("requester_dependency", "La dependencia admite hasta 120 caracteres.")
        problem = contact_problem(new.requester_contact or "")
        if problem:
            raise ValidationError("requester_contact", problem)
        channel = _enum(Channel, new.channel, "channel", "El canal")
        ttype = _enum(TicketType, new.type, "type", "El tipo")
        subject = _required(new.subject, "subject", "El asunto", 200)
        description = (new.description or "").strip()
        impact = _scale(new.impact, "impact", "El impacto")
        urgency = _scale(new.urgency, "urgency", "La urgencia")
        legal_days = new.legal_days if new.legal_days is not None else PQRS_LEGAL_DAYS
        if ttype.is_pqrs and legal_days not in LEGAL_DAY_CHOICES:
            raise ValidationError("legal_days", "El plazo legal de una PQRS es de 10, 15 o 30 días hábiles.")
        now = self.now()

        def tx(s) -> TicketInfo:
            who = self._fresh_actor(s, actor)
            service = repo.service_by_code(s, (new.service_code or "").strip().upper())
            if service is None:
                raise ValidationError("service", f"El servicio «{new.service_code}» no existe en el catálogo.")
            if not service.active:
                raise ValidationError("service", f"El servicio {service.code} está inactivo: elija otro.")
            priority = repo.priority_matrix(s)[(impact, urgency)]
            targets = ticket_targets(repo.policy_targets(s, service, priority), priority, ttype)
            kind = targets.calendar
            cal = repo.calendar(s, kind)
            group = repo.first_group_at_level(s, 1)
            t = Ticket(
                code=repo.next_ticket_code(s, now.astimezone(cal.tz).year),
                requester_name=name,
                requester_dependency=dependency,
                requester_contact=new.requester_contact.strip(),
                channel=channel.value,
                service_id=service.id,
                type=ttype.value,
                subject=subject,
                description=description,
                impact=impact,
                urgency=urgency,
                priority=priority,
                status=Status.NUEVO.value,
                level=1,
                group_id=group.id if group else None,
                created_by_id=who.id,
                created_at=now,
                updated_at=now,
                sla_calendar=kind,
                tto_target_s=0,
                ttr_target_s=0,
            )
            if ttype.is_pqrs:
                t.legal_due_on = repo.calendar(s, "office").add_business_days(now, legal_days)
            repo.set_clock(t, "tto", Clock.start(now, targets.tto), cal)
            repo.set_clock(t, "ttr", Clock.start(now, targets.ttr), cal)
            repo.refresh_due(t)
            s.add(t)
            s.flush()
            empty = dict.fromkeys(AUDITED)
            write_event(
                s,
                ticket_id=t.id,
                entity_key=t.code,
                actor_id=who.id,
                action=Action.REGISTRAR.value,
                at=now,
                changes=_diff(empty, _snapshot(t)),
                note=f"Canal: {channel.label}",
            )
            return repo.ticket_info(s, t)

        return self.db.write(tx)

    # --- actions on an existing ticket --------------------------------------

    def take(self, actor: ActorInfo, ticket_id: int, expected_version: int | None = None) -> TicketInfo:
        def mutate(s, t, who, now, cal):
            t.agent_id = who.id
            if who.group_id is not None:
                group = repo.group_by_id(s, who.group_id)
                t.group_id, t.level = group.id, group.level
            self._first_response(t, now, cal)

        return self._act(actor, ticket_id, Action.TOMAR, expected_version, mutate)

    def assign(
        self,
        actor: ActorInfo,
        ticket_id: int,
        agent_login: str | None = None,
        group_id: int | None = None,
        expected_version: int | None = None,
        note: str = "",
    ) -> TicketInfo:
        if agent_login is None and group_id is None:
            raise ValidationError("agent", "Indique el agente o el grupo al que se asigna el caso.")

        def mutate(s, t, who, now, cal):
            if group_id is not None:
                group = repo.group_by_id(s, group_id)
                if group is None or not group.active:
                    raise ValidationError("group", "El grupo elegido no existe o está inactivo.")
                t.group_id, t.level = group.id, group.level
            if agent_login is not None:
                agent = repo.agent_by_login(s, agent_login)
                if agent is None or not agent.active:
                    raise ValidationError("agent", f"El agente «{agent_login}» no existe o está inactivo.")
                t.agent_id = agent.id
                if group_id is None and agent.group_id is not None:
                    group = repo.group_by_id(s, agent.group_id)
                    t.group_id, t.level = group.id, group.level
            else:
                t.agent_id = None

        return self._act(actor, ticket_id, Action.ASIGNAR, expected_version, mutate, note=note)

    def classify(
        self,
        actor: ActorInfo,
        ticket_id: int,
        *,
        impact: int,
        urgency: int,
        nature: str,
        type: str | None = None,
        service_code: str | None = None,
        expected_version: int | None = None,
    ) -> TicketInfo:
        impact = _scale(impact, "impact", "El impacto")
        urgency = _scale(urgency, "urgency", "La urgencia")
        nature_v = _enum(Nature, nature, "nature", "La naturaleza")
        ttype = _enum(TicketType, type, "type", "El tipo") if type is not None else None

        def mutate(s, t, who, now, cal):
            service = repo.service_by_id(s, t.service_id)
            if service_code is not None and service_code.strip().upper() != service.code:
                service = repo.service_by_code(s, service_code.strip().upper())
                if service is None:
                    raise ValidationError("service", f"El servicio «{service_code}» no existe en el catálogo.")
                if not service.active:
                    raise ValidationError("service", f"El servicio {service.code} está inactivo: elija otro.")
            priority = repo.priority_matrix(s)[(impact, urgency)]
            if priority != t.priority and t.nature is not None and not who.is_supervisor:
                raise PermissionDenied("Solo un supervisor puede cambiar la prioridad de un caso ya clasificado.")
            retarget = (
                priority != t.priority or service.id != t.service_id or (ttype is not None and ttype.value != t.type)
            )
            t.impact, t.urgency, t.nature, t.service_id = impact, urgency, nature_v.value, service.id
            if ttype is not None and ttype.value != t.type:
                t.type = ttype.value
                # The legal term runs from the filing date, whatever the type was then.
                if not ttype.is_pqrs:
                    t.legal_due_on = None
                elif t.legal_due_on is None:
                    t.legal_due_on = repo.calendar(s, "office").add_business_days(t.created_at, PQRS_LEGAL_DAYS)
            if retarget:
                self._retarget(s, t, service, priority, now)

        return self._act(actor, ticket_id, Action.CLASIFICAR, expected_version, mutate)

    def escalate(
        self,
        actor: ActorInfo,
        ticket_id: int,
        reason: str,
        group_id: int | None = None,
        expected_version: int | None = None,
    ) -> TicketInfo:
        reason = _required(reason, "reason", "El motivo del escalamiento", 500)

        def mutate(s, t, who, now, cal):
            if group_id is not None:
                group = repo.group_by_id(s, group_id)
                if group is None or not group.active:
                    raise ValidationError("group", "El grupo elegido no existe o está inactivo.")
                if group.id == t.group_id:
                    raise ValidationError("group", "El caso ya está en ese grupo.")
            else:
                if t.level >= 3:
                    raise ValidationError("group", "El caso ya está en el nivel 3: elija otro grupo.")
                group = repo.first_group_at_level(s, t.level + 1)
                if group is None:
                    raise ValidationError("group", f"No hay un grupo activo de nivel {t.level + 1}.")
            t.group_id, t.level, t.agent_id = group.id, group.level, None

        return self._act(actor, ticket_id, Action.ESCALAR, expected_version, mutate, note=reason)

    def wait(self, actor: ActorInfo, ticket_id: int, reason: str, expected_version: int | None = None) -> TicketInfo:
        reason = _required(reason, "reason", "El motivo de la espera", 200)

        def mutate(s, t, who, now, cal):
            for which in ("tto", "ttr"):
                clock = repo.clock_of(t, which)
                if clock.running:
                    repo.set_clock(t, which, clock.pause(cal, now), cal)
            t.wait_reason = reason

        return self._act(actor, ticket_id, Action.ESPERAR, expected_version, mutate, note=reason)

    def resume(
        self, actor: ActorInfo, ticket_id: int, note: str = "", expected_version: int | None = None
    ) -> TicketInfo:
        def mutate(s, t, who, now, cal):
            for which in ("tto", "ttr"):
                clock = repo.clock_of(t, which)
                if clock.paused:
                    repo.set_clock(t, which, clock.resume(cal, now), cal)
            t.wait_reason = None

        return self._act(actor, ticket_id, Action.REANUDAR, expected_version, mutate, note=note.strip())

    def resolve(
        self,
        actor: ActorInfo,
        ticket_id: int,
        solution: str,
        mode: str,
        expected_version: int | None = None,
    ) -> TicketInfo:
        solution = _required(solution, "solution", "La solución", 4000)
        if not mode:
            raise ValidationError("mode", "Indique si la solución fue remota o en sitio.")
        mode_v = _enum(SolutionMode, mode, "mode", "La forma de solución")

        def mutate(s, t, who, now, cal):
            self._first_response(t, now, cal)
            ttr = repo.clock_of(t, "ttr")
            if ttr.paused:
                ttr = ttr.resume(cal, now)
            repo.set_clock(t, "ttr", ttr.stop(cal, now), cal)
            t.solution, t.solution_mode, t.resolved_at, t.wait_reason = solution, mode_v.value, now, None
            if t.agent_id is None:
                t.agent_id = who.id

        return self._act(actor, ticket_id, Action.RESOLVER, expected_version, mutate)

    def close(
        self, actor: ActorInfo | None, ticket_id: int, note: str = "", expected_version: int | None = None
    ) -> TicketInfo:
        def mutate(s, t, who, now, cal):
            t.closed_at = now

        return self._act(actor, ticket_id, Action.CERRAR, expected_version, mutate, note=note.strip())

    def reopen(self, actor: ActorInfo, ticket_id: int, reason: str, expected_version: int | None = None) -> TicketInfo:
        reason = _required(reason, "reason", "El motivo de la reapertura", 500)

        def mutate(s, t, who, now, cal):
            repo.set_clock(t, "ttr", repo.clock_of(t, "ttr").reopen(cal, now), cal)
            t.resolved_at, t.solution, t.solution_mode = None, None, None

        return self._act(actor, ticket_id, Action.REABRIR, expected_version, mutate, note=reason)

    def cancel(self, actor: ActorInfo, ticket_id: int, reason: str, expected_version: int | None = None) -> TicketInfo:
        reason = _required(reason, "reason", "El motivo de la anulación", 500)

        def mutate(s, t, who, now, cal):
            t.wait_reason = None

        return self._act(actor, ticket_id, Action.ANULAR, expected_version, mutate, note=reason)

    def comment(self, actor: ActorInfo, ticket_id: int, body: str, public: bool = False) -> TicketInfo:
        body = _required(body, "body", "El comentario", 4000)

        def mutate(s, t, who, now, cal):
            repo.add_comment(s, t.id, who.id, now, body, public)
            if public and t.status != Status.NUEVO:
                # A public answer to the requester is a first response.
                self._first_response(t, now, cal)

        note = "Comentario público" if public else "Nota interna"
        return self._act(actor, ticket_id, Action.COMENTAR, None, mutate, note=note)

    def survey(self, actor: ActorInfo, ticket_id: int, score: int, comment: str = "") -> TicketInfo:
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise ValidationError("score", f"La calificación va de 1 a 5 (recibido: {score!r}).")
        comment = (comment or "").strip()
        if score <= 2 and not comment:
            raise ValidationError("comment", "Con una calificación de 1 o 2 el comentario es obligatorio.")

        def mutate(s, t, who, now, cal):
            if repo.survey_of(s, t.id) is not None:
                raise ValidationError("score", f"El caso {t.code} ya tiene su encuesta de satisfacción.")
            repo.add_survey(s, t.id, score, comment, now)

        return self._act(
            actor, ticket_id, Action.ENCUESTA, None, mutate, note=f"Calificación {score}/5 {comment}".strip()
        )

    # --- maintenance --------------------------------------------------------

    def auto_close(self) -> list[str]:
        """Close tickets resolved for N business days (cron-safe, idempotent)."""
        now = self.now()
        with self.db.read() as s:
            days = int(repo.setting(s, "auto_close_business_days", "3"))
            cal = repo.calendar(s, "office")
            candidates = repo.resolved_ticket_ids(s, now)
            due = []
            for ticket_id in candidates:
                t = s.get(Ticket, ticket_id)
                if cal.add_business_days(t.resolved_at, days) < now.astimezone(cal.tz).date():
                    due.append((ticket_id, t.version))
        closed = []
        for ticket_id, version in due:
            try:
                info = self.close(
                    None, ticket_id, note=f"Cierre automático: {days} días hábiles resuelto", expected_version=version
                )
            except (ConflictError, TransitionRefused):
                continue  # someone reopened or closed it meanwhile
            closed.append(info.code)
        return closed

    # --- internals -----------------------------------------------------------

    def _fresh_actor(self, s, actor: ActorInfo | None) -> ActorInfo | None:
        if actor is None:
            return None
        agent = repo.agent_by_id(s, actor.id)
        if agent is None or not agent.active:
            raise PermissionDenied("Su usuario no existe o está inactivo.")
        return repo.actor_info(agent)

    def _retarget(self, s, t: Ticket, service, priority: str, now: datetime) -> None:
        targets = ticket_targets(repo.policy_targets(s, service, priority), priority, t.type)
        repo.retarget_clocks(t, targets, repo.calendar(s, t.sla_calendar), repo.calendar(s, targets.calendar), now)
        t.priority = priority

    def _first_response(self, t: Ticket, now: datetime, cal) -> None:
        tto = repo.clock_of(t, "tto")
        if tto.stopped:
            return
        if tto.paused:
            tto = tto.resume(cal, now)
        repo.set_clock(t, "tto", tto.stop(cal, now), cal)
        t.first_response_at = now

    def _act(
        self,
        actor: ActorInfo | None,
        ticket_id: int,
        action: Action,
        expected_version: int | None,
        mutate: Callable,
        note: str = "",
    ) -> TicketInfo:
        def tx(s) -> TicketInfo:
            t = repo.ticket_for_update(s, ticket_id)
            if t is None:
                raise NotFound(f"No existe el caso {ticket_id}.")
            # Read once the row is locked, so a ticket's changes are stamped in commit order
            # (a clock never pauses or stops before the instant it last moved).
            now = self.now()
            if expected_version is not None and t.version != expected_version:
                raise ConflictError(
                    f"El caso {t.code} fue modificado por otra persona mientras lo veía: "
                    "se recargó, revise y repita la acción."
                )
            who = self._fresh_actor(s, actor)
            if who is not None:
                problem = permission_problem(who, action, t.agent_id)
                if problem:
                    raise PermissionDenied(problem)
            try:
                status = next_status(action, t.status)
            except TransitionError as exc:
                raise TransitionRefused(str(exc)) from None
            before = _snapshot(t)
            cal = repo.calendar(s, t.sla_calendar)
            mutate(s, t, who, now, cal)
            t.status = status.value
            repo.refresh_due(t)
            if _diff(before, _snapshot(t)):
                t.version += 1
                t.updated_at = now
            write_event(
                s,
                ticket_id=t.id,
                entity_key=t.code,
                actor_id=who.id if who else None,
                action=action.value,
                at=now,
                changes=_diff(before, _snapshot(t)),
                note=note,
            )
            s.flush()
            return repo.ticket_info(s, t)

        return self.db.write(tx)
