"""Reads and writes of tickets and their reference data, for the services, in domain
values: ActorInfo, Group, ServiceRef, TicketRecord, TicketInfo."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.catalog import ServiceRef
from mesa_tui.domain.changes import LastChange
from mesa_tui.domain.sla import SlaTargets
from mesa_tui.domain.staff import Group
from mesa_tui.domain.ticket_record import TicketRecord
from mesa_tui.domain.tickets import ActorInfo, CommentInfo, EventInfo, TicketInfo
from mesa_tui.domain.vocab import SYSTEM_ROLE
from mesa_tui.store import schedules_repo
from mesa_tui.store.lookups import names_by_id
from mesa_tui.store.models import (
    Agent,
    CalendarClosure,
    CatalogService,
    Comment,
    Counter,
    PriorityRule,
    ServiceCategory,
    Setting,
    SlaPolicy,
    SupportGroup,
    Survey,
    Ticket,
    TicketEvent,
)
from mesa_tui.store.ticket_rows import record_of, record_values

# --- agents and groups ----------------------------------------------------------


def actor_info(agent: Agent) -> ActorInfo:
    assert agent.id is not None  # a row read from the database has its id
    return ActorInfo(
        id=agent.id,
        login=agent.login,
        full_name=agent.full_name,
        role=agent.role,
        level=agent.level,
        group_id=agent.group_id,
        active=agent.active,
    )


def actor_by_login(s: Session, login: str) -> ActorInfo | None:
    agent = s.exec(select(Agent).where(Agent.login == login)).first()
    return actor_info(agent) if agent is not None else None


def actor_by_id(s: Session, agent_id: int) -> ActorInfo | None:
    agent = s.get(Agent, agent_id)
    return actor_info(agent) if agent is not None else None


def list_agents(s: Session, active_only: bool = True) -> list[ActorInfo]:
    """The desk's staff (the system actor apart), by name."""
    q = select(Agent).where(Agent.role != SYSTEM_ROLE).order_by(col(Agent.full_name))
    if active_only:
        q = q.where(col(Agent.active).is_(True))
    return [actor_info(a) for a in s.exec(q).all()]


def _group(g: SupportGroup) -> Group:
    assert g.id is not None  # a row read from the database has its id
    return Group(id=g.id, name=g.name, level=g.level, active=g.active)


def group_by_id(s: Session, group_id: int) -> Group | None:
    g = s.get(SupportGroup, group_id)
    return _group(g) if g is not None else None


def groups(s: Session, active_only: bool = True) -> list[Group]:
    q = select(SupportGroup).order_by(col(SupportGroup.level), col(SupportGroup.name))
    if active_only:
        q = q.where(col(SupportGroup.active).is_(True))
    return [_group(g) for g in s.exec(q).all()]


def first_group_at_level(s: Session, level: int) -> Group | None:
    q = (
        select(SupportGroup)
        .where(SupportGroup.level == level, col(SupportGroup.active).is_(True))
        .order_by(col(SupportGroup.id))
    )
    g = s.exec(q).first()
    return _group(g) if g is not None else None


# --- reference data ---------------------------------------------------------


def _service(s: Session, row: CatalogService) -> ServiceRef:
    assert row.id is not None  # a row read from the database has its id
    return ServiceRef(
        id=row.id,
        code=row.code,
        name=row.name,
        category_id=row.category_id,
        active=row.active,
        schedule=schedules_repo.service_schedule_code(s, row.id),
    )


def service_by_id(s: Session, service_id: int) -> ServiceRef | None:
    row = s.get(CatalogService, service_id)
    return _service(s, row) if row is not None else None


def service_by_code(s: Session, code: str) -> ServiceRef | None:
    row = s.exec(select(CatalogService).where(CatalogService.code == code)).first()
    return _service(s, row) if row is not None else None


def priority_matrix(s: Session) -> dict[tuple[int, int], str]:
    return {(r.impact, r.urgency): r.priority for r in s.exec(select(PriorityRule)).all()}


def _find_policy(s: Session, service: ServiceRef, priority: str) -> SlaPolicy | None:
    """The most specific policy: the service's, else its category's, else the default."""
    service_id, category_id = col(SlaPolicy.service_id), col(SlaPolicy.category_id)
    rows = s.exec(
        select(SlaPolicy).where(
            SlaPolicy.priority == priority,
            sa.or_(
                service_id == service.id,
                sa.and_(service_id.is_(None), category_id == service.category_id),
                sa.and_(service_id.is_(None), category_id.is_(None)),
            ),
        )
    ).all()
    return min(rows, key=lambda p: (p.service_id is None, p.category_id is None), default=None)


def policy_targets(s: Session, service: ServiceRef, priority: str) -> SlaTargets | None:
    """Targets of the most specific policy for a service and priority (None: no policy at all)."""
    p = _find_policy(s, service, priority)
    if p is None:
        return None
    return SlaTargets(timedelta(minutes=p.tto_minutes), timedelta(minutes=p.ttr_minutes), p.calendar, p.all_types)


def closure_days(s: Session) -> list[date]:
    return list(s.exec(select(col(CalendarClosure.day))).all())


def calendar(s: Session, code: str) -> BusinessCalendar:
    """The business calendar of the schedule `code` (a ticket's sla_calendar), closures included."""
    schedule = schedules_repo.schedule_by_code(s, code)
    if schedule is None:
        raise LookupError(f"schedule {code!r} is not in the database")
    return schedule.calendar(closure_days(s))


def calendars(s: Session) -> dict[str, BusinessCalendar]:
    """The calendar of every schedule, inactive ones too, by code: what turns any ticket's
    clocks into due times and states."""
    closures = closure_days(s)
    return {schedule.code: schedule.calendar(closures) for schedule in schedules_repo.schedules(s)}


def setting(s: Session, key: str, default: str) -> str:
    row = s.get(Setting, key)
    return row.value if row is not None else default


def category_name(s: Session, category_id: int) -> str:
    cat = s.get(ServiceCategory, category_id)
    return cat.name if cat else ""


# --- tickets ----------------------------------------------------------------


def next_ticket_code(s: Session, year: int) -> str:
    name = f"ticket:{year}"
    if s.get(Counter, name) is None:
        # Two first tickets of a year may race to create the row: let one win.
        if s.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            s.execute(pg_insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
        else:
            s.execute(sa.text("INSERT OR IGNORE INTO counter (name, value) VALUES (:n, 0)").bindparams(n=name))
    value = s.execute(
        sa.update(Counter)
        .where(col(Counter.name) == name)
        .values(value=Counter.value + 1)
        .returning(col(Counter.value))
    ).scalar_one()
    return f"MDA-{year}-{value:06d}"


def ticket_by_id(s: Session, ticket_id: int) -> TicketRecord | None:
    row = s.get(Ticket, ticket_id)
    return record_of(row) if row is not None else None


def ticket_for_update(s: Session, ticket_id: int) -> TicketRecord | None:
    """The ticket, locked until the transaction ends (SQLite's writers are serialised
    by BEGIN IMMEDIATE already)."""
    q = select(Ticket).where(Ticket.id == ticket_id)
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    row = s.exec(q).first()
    return record_of(row) if row is not None else None


def ticket_id_by_code(s: Session, code: str) -> int | None:
    return s.exec(select(Ticket.id).where(Ticket.code == code)).first()


def insert_ticket(s: Session, record: TicketRecord) -> int:
    """Add a new ticket; returns (and sets on the record) its id."""
    row = Ticket(**record_values(record))
    s.add(row)
    s.flush()
    assert row.id is not None  # the flush assigned it
    record.id = row.id
    return row.id


def save_ticket(s: Session, record: TicketRecord) -> None:
    """Write back what changed on a ticket read in this transaction (flushed with the
    transaction's next flush)."""
    row = s.get(Ticket, record.id)
    if row is None:
        raise LookupError(f"ticket {record.id} is not in the database")
    for column, value in record_values(record).items():
        if getattr(row, column) != value:
            setattr(row, column, value)


def ticket_info(s: Session, t: TicketRecord) -> TicketInfo:
    assert t.id is not None  # a saved ticket
    svc = s.get(CatalogService, t.service_id)
    agents = names_by_id(s, Agent, (t.agent_id, t.created_by_id), "full_name")
    grp = s.get(SupportGroup, t.group_id) if t.group_id else None
    return TicketInfo(
        id=t.id,
        code=t.code,
        version=t.version,
        requester_name=t.requester_name,
        requester_dependency=t.requester_dependency,
        requester_contact=t.requester_contact,
        channel=t.channel,
        service_id=t.service_id,
        service_code=svc.code if svc else "",
        service_name=svc.name if svc else "",
        service_category=category_name(s, svc.category_id) if svc else "",
        type=t.type,
        subject=t.subject,
        description=t.description,
        impact=t.impact,
        urgency=t.urgency,
        priority=t.priority,
        nature=t.nature,
        status=t.status,
        level=t.level,
        group_id=t.group_id,
        group_name=grp.name if grp else "",
        agent_id=t.agent_id,
        agent_name=agents.get(t.agent_id, "") if t.agent_id else "",
        created_by_name=agents.get(t.created_by_id, "") if t.created_by_id else "",
        created_at=t.created_at,
        updated_at=t.updated_at,
        first_response_at=t.first_response_at,
        resolved_at=t.resolved_at,
        closed_at=t.closed_at,
        solution=t.solution,
        solution_mode=t.solution_mode,
        legal_due_on=t.legal_due_on,
        wait_reason=t.wait_reason,
        sla_calendar=t.sla_calendar,
        tto=t.tto,
        ttr=t.ttr,
        tto_due_at=t.tto_due_at,
        ttr_due_at=t.ttr_due_at,
        due_at=t.due_at,
        requester_id=t.requester_id,
    )


def timeline(s: Session, ticket_id: int) -> list[EventInfo | CommentInfo]:
    """Events and comments of a ticket, newest first."""
    events = s.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).all()
    comments = s.exec(select(Comment).where(Comment.ticket_id == ticket_id)).all()
    ids = [*(e.actor_id for e in events), *(e.operator_id for e in events), *(c.author_id for c in comments)]
    who = names_by_id(s, Agent, ids, "full_name")
    items: list[EventInfo | CommentInfo] = [
        EventInfo(
            id=e.id,
            at=e.at,
            actor_name=who.get(e.actor_id, "Sistema") if e.actor_id else "Sistema",
            action=e.action,
            changes={k: tuple(v) for k, v in json.loads(e.changes).items()},
            note=e.note,
            operator_name=who.get(e.operator_id, "") if e.operator_id else "",
        )
        for e in events
        if e.id is not None
    ]
    items += [
        CommentInfo(
            id=c.id,
            at=c.at,
            author_name=who.get(c.author_id, "Sistema") if c.author_id else "Sistema",
            body=c.body,
            public=c.public,
        )
        for c in comments
        if c.id is not None
    ]
    items.sort(key=lambda i: (i.at, isinstance(i, CommentInfo), i.id), reverse=True)
    return items


def last_change(s: Session, ticket_id: int) -> LastChange | None:
    """The ticket's version and its newest event (when, by whom); None if there is no such ticket."""
    version = s.exec(select(Ticket.version).where(Ticket.id == ticket_id)).first()
    if version is None:
        return None
    q = (
        select(TicketEvent.at, TicketEvent.actor_id, TicketEvent.operator_id)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(col(TicketEvent.id).desc())
        .limit(1)
    )
    event = s.exec(q).first()
    if event is None:
        return LastChange(ticket_id, version, None, "Sistema")
    at, actor_id, operator_id = event
    who = names_by_id(s, Agent, (actor_id, operator_id), "full_name")
    actor = who.get(actor_id, "Sistema") if actor_id else "Sistema"
    return LastChange(ticket_id, version, at, actor, who.get(operator_id, "") if operator_id else "")


def add_comment(s: Session, ticket_id: int, author_id: int | None, at: datetime, body: str, public: bool) -> None:
    s.add(Comment(ticket_id=ticket_id, author_id=author_id, at=at, body=body, public=public))


def has_survey(s: Session, ticket_id: int) -> bool:
    return s.exec(select(Survey).where(Survey.ticket_id == ticket_id)).first() is not None


def add_survey(s: Session, ticket_id: int, score: int, comment: str, at: datetime) -> None:
    s.add(Survey(ticket_id=ticket_id, score=score, comment=comment, at=at))


def resolved_tickets(s: Session, resolved_before: datetime) -> list[tuple[int, int, str, datetime]]:
    """(id, version, code, resolved_at) of the tickets resolved (not yet closed) before an instant, by id."""
    q = (
        select(Ticket.id, Ticket.version, Ticket.code, Ticket.resolved_at)
        .where(Ticket.status == "resuelto", col(Ticket.resolved_at) <= resolved_before)
        .order_by(col(Ticket.id))
    )
    return [(i, v, code, at) for i, v, code, at in s.exec(q).all() if i is not None and at is not None]
