"""Domain values of tickets, what each role may do, and input checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.limits import too_long
from mesa_tui.domain.sla import Clock, ClockState
from mesa_tui.domain.vocab import SYSTEM_ROLE, Role, Status
from mesa_tui.domain.workflow import Action


@dataclass(frozen=True)
class ActorInfo:
    """Who acts: an agent as stored, and, when an administrator acts for them (`--as`),
    that administrator (the operator). The services re-read both inside every call."""

    id: int
    login: str
    full_name: str
    role: str
    level: int = 1
    group_id: int | None = None
    active: bool = True
    operator_id: int | None = None
    operator_name: str = ""
    # The interactive session this actor acts in (its row in the session registry), if any.
    session_id: int | None = None

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_system(self) -> bool:
        """The desk's own actor ("sistema"): auto-close, recomputes, the first setup."""
        return self.role == SYSTEM_ROLE

    @property
    def display_name(self) -> str:
        return acted_by(self.full_name, self.operator_name)


def acted_by(actor_name: str, operator_name: str = "") -> str:
    """Who did something: "Rafael Puello (como Jorge Pérez)" when an administrator acted
    for an agent, else the agent's name."""
    return f"{operator_name} (como {actor_name})" if operator_name else actor_name


@dataclass(frozen=True)
class TicketInfo:
    id: int
    code: str
    version: int
    requester_name: str
    requester_dependency: str
    requester_contact: str
    channel: str
    service_id: int
    service_code: str
    service_name: str
    service_category: str
    type: str
    subject: str
    description: str
    impact: int
    urgency: int
    priority: str
    nature: str | None
    status: str
    level: int
    group_id: int | None
    group_name: str
    agent_id: int | None
    agent_name: str
    created_by_name: str
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    solution: str | None
    solution_mode: str | None
    legal_due_on: date | None
    wait_reason: str | None
    sla_calendar: str
    tto: Clock
    ttr: Clock
    tto_due_at: datetime
    ttr_due_at: datetime
    due_at: datetime
    requester_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (Status.NUEVO, Status.ASIGNADO, Status.EN_PROCESO, Status.EN_ESPERA)

    def running_clock(self) -> tuple[str, Clock]:
        return ("tto", self.tto) if self.tto.stopped_at is None else ("ttr", self.ttr)

    def clock_state(self, cal: BusinessCalendar, now: datetime, risk: float = 0.75) -> ClockState:
        return self.running_clock()[1].state(cal, now, risk)


@dataclass(frozen=True, slots=True)
class ExportedTicket:
    """A ticket as the ticket export lists it: what it is, where it stands and its
    SLA clocks, with its survey score (None without a survey)."""

    code: str
    created_at: datetime
    type: str
    channel: str
    requester_name: str
    requester_dependency: str
    service_id: int
    nature: str | None
    subject: str
    priority: str
    status: str
    level: int
    group_id: int | None
    agent_id: int | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    solution_mode: str | None
    sla_calendar: str
    tto: Clock
    ttr: Clock
    tto_due_at: datetime
    tto_met: bool | None
    ttr_due_at: datetime
    ttr_met: bool | None
    survey_score: int | None


@dataclass(frozen=True)
class EventInfo:
    id: int
    at: datetime
    actor_name: str
    action: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    note: str = ""
    operator_name: str = ""  # the administrator who acted for the actor (`--as`)

    @property
    def by(self) -> str:
        return acted_by(self.actor_name, self.operator_name)

    @property
    def solution(self) -> tuple[str, str | None]:
        """The solution a "resolver" event gave and its mode, kept in the event's changes
        (a later reopening clears the ticket's, never the event's); ("", None) otherwise."""
        if self.action != Action.RESOLVER.value:
            return "", None
        text = (self.changes.get("solution") or (None, None))[1]
        mode = (self.changes.get("solution_mode") or (None, None))[1]
        return str(text or ""), mode


@dataclass(frozen=True)
class CommentInfo:
    id: int
    at: datetime
    author_name: str
    body: str
    public: bool


# Actions that any agent may take on a ticket nobody holds or that they hold;
# on a colleague's ticket they are for supervisors (reassignment).
_OWNER_ACTIONS = {
    Action.TOMAR,
    Action.ASIGNAR,
    Action.ESCALAR,
    Action.ESPERAR,
    Action.REANUDAR,
    Action.RESOLVER,
    Action.REABRIR,
    Action.CERRAR,
}
_SUPERVISOR_ONLY = {Action.ANULAR}
# Recording a survey speaks for the requester: the agent who handled the ticket
# (closed tickets have one) or a supervisor, never a colleague. The requester's own
# reply by mail is to come in as the system, which is not an agent these rules judge
# (like the automatic close).
_HOLDER_ONLY = {Action.ENCUESTA}
# What the desk does by itself on a ticket, as "sistema": closing what stayed resolved
# (auto-close). The requester's survey by mail will join it when mail comes in.
_SYSTEM_ACTIONS = {Action.CERRAR}


def permission_problem(actor: ActorInfo, action: Action, holder_id: int | None) -> str | None:
    """Why `actor` may not take `action` on a ticket held by `holder_id` (None if allowed)."""
    if not actor.active:
        return "Su usuario está inactivo."
    if actor.is_system:
        return None if action in _SYSTEM_ACTIONS else f"El sistema no puede {action.verb} casos."
    if actor.is_supervisor:
        return None
    if action in _SUPERVISOR_ONLY:
        return f"Solo un supervisor puede {action.verb} casos."
    if action in _OWNER_ACTIONS and holder_id not in (None, actor.id):
        return f"El caso está asignado a otro agente: solo un supervisor puede {action.verb} casos ajenos."
    if action in _HOLDER_ONLY and holder_id != actor.id:
        return f"Solo el agente a cargo del caso o un supervisor puede {action.verb} este caso."
    return None


def text_problem(value: str | None, label: str, max_len: int) -> str | None:
    """Why a required text is refused: empty, or longer than `max_len` (domain/limits.py)."""
    if value is None or not value.strip():
        # The label's article gives the gender: "La solución es obligatoria."
        return f"{label} es {'obligatoria' if label.startswith('La ') else 'obligatorio'}."
    return too_long(value, label, max_len)


@dataclass(frozen=True)
class NewTicket:
    """What an agent types to log a ticket (`Desk.log`)."""

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
    # The requester picked from the directory: the three requester fields above are
    # then taken from their record. Without it, the ticket's requester is the one with
    # the e-mail typed, or a new one made of what was typed.
    requester_id: int | None = None
