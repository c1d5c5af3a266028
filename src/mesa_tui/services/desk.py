"""Ticket use cases: one transaction each, role-checked, audited.

Every method takes the acting agent first and, for changes to an existing
ticket, the version the caller read (`expected_version`): a stale read is
refused with ConflictError instead of overwriting a colleague's change.

The ticket is a domain record (TicketRecord): the rules of its clocks and due
times are the record's; a use case looks up what it needs, changes the record
and hands it back to the store with its audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mesa_tui.domain import limits
from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.classification import REASON_MAX, Reclassification
from mesa_tui.domain.sla import ticket_targets
from mesa_tui.domain.ticket_record import AUDITED, TicketRecord, audit_changes
from mesa_tui.domain.tickets import ActorInfo, NewTicket, TicketInfo, permission_problem
from mesa_tui.domain.vocab import LEGAL_DAY_CHOICES, PQRS_LEGAL_DAYS, Channel, Nature, SolutionMode, Status, TicketType
from mesa_tui.domain.workflow import Action, TransitionError, next_status
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.checks import check_reclassification, enum_value, optional_text, required_text, scale_value
from mesa_tui.services.desk_reads import DeskReads
from mesa_tui.services.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from mesa_tui.services.requester_base import contact_value, ticket_requester
from mesa_tui.services.routing import active_group, group_of, route, usable_service
from mesa_tui.store import identity_repo
from mesa_tui.store import tickets_repo as repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Session

# What an action does to the ticket it acts on, after the checks every action shares.
Mutation = Callable[[Session, TicketRecord, ActorInfo, datetime, BusinessCalendar], None]


class Desk(DeskReads):
    """The help desk's use cases over one database: the reads (DeskReads), logging a
    ticket and every action on one."""

    # --- log ---------------------------------------------------------------

    def log(self, actor: ActorInfo, new: NewTicket) -> TicketInfo:
        require_actor(actor)
        name = dependency = contact = ""
        if new.requester_id is None:
            name = required_text(
                new.requester_name, "requester_name", "El nombre del solicitante", limits.REQUESTER_NAME
            )
            dependency = optional_text(
                new.requester_dependency, "requester_dependency", "La dependencia", limits.REQUESTER_DEPENDENCY
            )
            contact = contact_value(new.requester_contact, "requester_contact")  # "6056411370 ext. 1234"
        channel = enum_value(Channel, new.channel, "channel", "El canal")
        ttype = enum_value(TicketType, new.type, "type", "El tipo")
        subject = required_text(new.subject, "subject", "El asunto", limits.SUBJECT)
        description = optional_text(new.description, "description", "La descripción", limits.DESCRIPTION)
        impact = scale_value(new.impact, "impact", "El impacto")
        urgency = scale_value(new.urgency, "urgency", "La urgencia")
        legal_days = new.legal_days if new.legal_days is not None else PQRS_LEGAL_DAYS
        if ttype.is_pqrs and legal_days not in LEGAL_DAY_CHOICES:
            raise ValidationError("legal_days", "El plazo legal de una PQRS es de 10, 15 o 30 días hábiles.")

        def tx(s: Session) -> TicketInfo:
            now = self.now()  # inside the transaction: stamped in commit order
            who = current_actor(s, actor)
            service = usable_service(s, new.service_code)
            priority = repo.priority_matrix(s)[(impact, urgency)]
            targets = ticket_targets(repo.policy_targets(s, service, priority), priority, ttype, service.schedule)
            cal = repo.calendar(s, targets.calendar)
            group = repo.first_group_at_level(s, 1)
            code = repo.next_ticket_code(s, now.astimezone(cal.tz).year)
            legal_due = repo.calendar(s, "office").add_business_days(now, legal_days) if ttype.is_pqrs else None
            requester_id, snapshot = ticket_requester(s, who, now, new.requester_id, (name, dependency, contact), code)
            t = TicketRecord.opened(
                code=code,
                requester_name=snapshot[0],
                requester_dependency=snapshot[1],
                requester_contact=snapshot[2],
                requester_id=requester_id,
                channel=channel.value,
                service_id=service.id,
                type=ttype.value,
                subject=subject,
                description=description,
                impact=impact,
                urgency=urgency,
                priority=priority,
                group_id=group.id if group else None,
                created_by_id=who.id,
                now=now,
                targets=targets,
                cal=cal,
                legal_due_on=legal_due,
            )
            ticket_id = repo.insert_ticket(s, t)
            write_event(
                s,
                ticket_id=ticket_id,
                entity_key=t.code,
                actor_id=who.id,
                operator_id=who.operator_id,
                action=Action.REGISTRAR.value,
                at=now,
                changes=audit_changes(dict.fromkeys(AUDITED), t.audited()),
                note=f"Canal: {channel.label}",
            )
            return repo.ticket_info(s, t)

        return self.db.write(tx)

    # --- actions on an existing ticket --------------------------------------

    def take(self, actor: ActorInfo, ticket_id: int, expected_version: int | None = None) -> TicketInfo:
        require_actor(actor)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.agent_id = who.id
            if who.group_id is not None:
                route(t, group_of(s, who.group_id))
            t.first_response(now, cal)

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
        require_actor(actor)
        if agent_login is None and group_id is None:
            raise ValidationError("agent", "Indique el agente o el grupo al que se asigna el caso.")
        note = optional_text(note, "note", "La nota", limits.REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            if group_id is not None:
                route(t, active_group(s, group_id))
            if agent_login is not None:
                agent = repo.actor_by_login(s, agent_login)
                if agent is None or not agent.active or agent.is_system:
                    raise ValidationError("agent", f"El agente «{agent_login}» no existe o está inactivo.")
                t.agent_id = agent.id
                if group_id is None and agent.group_id is not None:
                    route(t, group_of(s, agent.group_id))
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
        reason: str = "",  # the event's note; some changes need one (domain.classification)
    ) -> TicketInfo:
        require_actor(actor)
        reason = optional_text(reason, "reason", "El motivo", REASON_MAX)
        impact = scale_value(impact, "impact", "El impacto")
        urgency = scale_value(urgency, "urgency", "La urgencia")
        nature_v = enum_value(Nature, nature, "nature", "La naturaleza")
        ttype = enum_value(TicketType, type, "type", "El tipo") if type is not None else None

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            service = repo.service_by_id(s, t.service_id)
            if service is None:  # the foreign key makes this impossible
                raise NotFound(f"El servicio {t.service_id} no existe en el catálogo.")
            if service_code is not None and service_code.strip().upper() != service.code:
                service = usable_service(s, service_code)
            priority = repo.priority_matrix(s)[(impact, urgency)]
            change = Reclassification(t.agent_id, t.nature is not None, t.type, ttype or t.type, t.priority, priority)
            check_reclassification(who, change, reason)
            retarget = (
                priority != t.priority or service.id != t.service_id or (ttype is not None and ttype.value != t.type)
            )
            t.impact, t.urgency, t.nature, t.service_id = impact, urgency, nature_v.value, service.id
            if ttype is not None and ttype.value != t.type:
                t.retyped(ttype, lambda: repo.calendar(s, "office"))
            if retarget:
                targets = ticket_targets(repo.policy_targets(s, service, priority), priority, t.type, service.schedule)
                t.retarget(targets, repo.calendar(s, t.sla_calendar), repo.calendar(s, targets.calendar), now)
                t.priority = priority

        return self._act(actor, ticket_id, Action.CLASIFICAR, expected_version, mutate, note=reason)

    def escalate(
        self,
        actor: ActorInfo,
        ticket_id: int,
        reason: str,
        group_id: int | None = None,
        expected_version: int | None = None,
    ) -> TicketInfo:
        require_actor(actor)
        reason = required_text(reason, "reason", "El motivo del escalamiento", limits.REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            if group_id is not None:
                group = active_group(s, group_id)
                if group.id == t.group_id:
                    raise ValidationError("group", "El caso ya está en ese grupo.")
            else:
                if t.level >= 3:
                    raise ValidationError("group", "El caso ya está en el nivel 3: elija otro grupo.")
                found = repo.first_group_at_level(s, t.level + 1)
                if found is None:
                    raise ValidationError("group", f"No hay un grupo activo de nivel {t.level + 1}.")
                group = found
            route(t, group)
            t.agent_id = None

        return self._act(actor, ticket_id, Action.ESCALAR, expected_version, mutate, note=reason)

    def wait(self, actor: ActorInfo, ticket_id: int, reason: str, expected_version: int | None = None) -> TicketInfo:
        require_actor(actor)
        reason = required_text(reason, "reason", "El motivo de la espera", limits.WAIT_REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.pause(now, cal)
            t.wait_reason = reason

        return self._act(actor, ticket_id, Action.ESPERAR, expected_version, mutate, note=reason)

    def resume(
        self, actor: ActorInfo, ticket_id: int, note: str = "", expected_version: int | None = None
    ) -> TicketInfo:
        require_actor(actor)
        note = optional_text(note, "note", "La nota", limits.REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.resume(now, cal)
            t.wait_reason = None

        return self._act(actor, ticket_id, Action.REANUDAR, expected_version, mutate, note=note)

    def resolve(
        self,
        actor: ActorInfo,
        ticket_id: int,
        solution: str,
        mode: str,
        expected_version: int | None = None,
    ) -> TicketInfo:
        require_actor(actor)
        solution = required_text(solution, "solution", "La solución", limits.SOLUTION)
        if not mode:
            raise ValidationError("mode", "Indique si la solución fue remota o en sitio.")
        mode_v = enum_value(SolutionMode, mode, "mode", "La forma de solución")

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.solved(now, cal)
            t.solution, t.solution_mode, t.resolved_at, t.wait_reason = solution, mode_v.value, now, None
            if t.agent_id is None:
                t.agent_id = who.id

        return self._act(actor, ticket_id, Action.RESOLVER, expected_version, mutate)

    def close(
        self, actor: ActorInfo, ticket_id: int, note: str = "", expected_version: int | None = None
    ) -> TicketInfo:
        require_actor(actor)
        note = optional_text(note, "note", "La nota", limits.REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.closed_at = now

        return self._act(actor, ticket_id, Action.CERRAR, expected_version, mutate, note=note)

    def reopen(self, actor: ActorInfo, ticket_id: int, reason: str, expected_version: int | None = None) -> TicketInfo:
        require_actor(actor)
        reason = required_text(reason, "reason", "El motivo de la reapertura", limits.REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.reopened(now, cal)
            t.resolved_at, t.solution, t.solution_mode = None, None, None

        return self._act(actor, ticket_id, Action.REABRIR, expected_version, mutate, note=reason)

    def cancel(self, actor: ActorInfo, ticket_id: int, reason: str, expected_version: int | None = None) -> TicketInfo:
        require_actor(actor)
        reason = required_text(reason, "reason", "El motivo de la anulación", limits.REASON)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            t.wait_reason = None

        return self._act(actor, ticket_id, Action.ANULAR, expected_version, mutate, note=reason)

    def comment(self, actor: ActorInfo, ticket_id: int, body: str, public: bool = False) -> TicketInfo:
        require_actor(actor)
        body = required_text(body, "body", "El comentario", limits.COMMENT)

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            assert t.id is not None  # a saved ticket
            repo.add_comment(s, t.id, who.id, now, body, public)
            if public and t.status != Status.NUEVO:
                # A public answer to the requester is a first response.
                t.first_response(now, cal)

        note = "Comentario público" if public else "Nota interna"
        return self._act(actor, ticket_id, Action.COMENTAR, None, mutate, note=note)

    def survey(self, actor: ActorInfo, ticket_id: int, score: int, comment: str = "") -> TicketInfo:
        require_actor(actor)
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise ValidationError("score", f"La calificación va de 1 a 5 (recibido: {score!r}).")
        comment = (comment or "").strip()
        if score <= 2 and not comment:
            raise ValidationError("comment", "Con una calificación de 1 o 2 el comentario es obligatorio.")

        def mutate(s: Session, t: TicketRecord, who: ActorInfo, now: datetime, cal: BusinessCalendar) -> None:
            assert t.id is not None  # a saved ticket
            if repo.has_survey(s, t.id):
                raise ValidationError("score", f"El caso {t.code} ya tiene su encuesta de satisfacción.")
            repo.add_survey(s, t.id, score, comment, now)

        return self._act(
            actor, ticket_id, Action.ENCUESTA, None, mutate, note=f"Calificación {score}/5 {comment}".strip()
        )

    # --- maintenance --------------------------------------------------------

    def auto_close(self, actor: ActorInfo, dry_run: bool = False) -> list[str]:
        """Close tickets resolved for N business days (cron-safe, idempotent). The desk
        closes them as its own actor ("sistema"); `actor` asks for it (the system actor
        itself from `mesa maintenance`, or a supervisor). `dry_run` only lists the codes
        that would close, changing nothing."""
        require_actor(actor)
        now = self.now()
        with self.db.read() as s:
            who = current_actor(s, actor)
            if not (who.is_system or who.is_supervisor):
                raise PermissionDenied("Solo un supervisor puede ejecutar el cierre automático.")
            system = identity_repo.system_actor(s) if not who.is_system else who
            days = int(repo.setting(s, "auto_close_business_days", "3"))
            cal = repo.calendar(s, "office")
            today = now.astimezone(cal.tz).date()
            candidates = [
                (ticket_id, version, code)
                for ticket_id, version, code, resolved_at in repo.resolved_tickets(s, now)
                if cal.add_business_days(resolved_at, days) < today
            ]
        if dry_run:
            return [code for _id, _version, code in candidates]
        due = [(ticket_id, version) for ticket_id, version, _code in candidates]
        closed = []
        for ticket_id, version in due:
            try:
                info = self.close(
                    system, ticket_id, note=f"Cierre automático: {days} días hábiles resuelto", expected_version=version
                )
            except (ConflictError, TransitionRefused):
                continue  # someone reopened or closed it meanwhile
            closed.append(info.code)
        return closed

    # --- internals -----------------------------------------------------------

    def _act(
        self,
        actor: ActorInfo,
        ticket_id: int,
        action: Action,
        expected_version: int | None,
        mutate: Mutation,
        note: str = "",
    ) -> TicketInfo:
        require_actor(actor)

        def tx(s: Session) -> TicketInfo:
            who = current_actor(s, actor)
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
            problem = permission_problem(who, action, t.agent_id)
            if problem:
                raise PermissionDenied(problem)
            try:
                status = next_status(action, t.status)
            except TransitionError as exc:
                raise TransitionRefused(str(exc)) from None
            before = t.audited()
            cal = repo.calendar(s, t.sla_calendar)
            mutate(s, t, who, now, cal)
            t.status = status.value
            t.refresh_due()
            if audit_changes(before, t.audited()):
                t.touch(now)
            repo.save_ticket(s, t)
            write_event(
                s,
                ticket_id=t.id,
                entity_key=t.code,
                actor_id=who.id,
                operator_id=who.operator_id,
                action=action.value,
                at=now,
                changes=audit_changes(before, t.audited()),
                note=note,
            )
            s.flush()
            return repo.ticket_info(s, t)

        return self.db.write(tx)
