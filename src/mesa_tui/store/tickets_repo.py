"""Reads and writes of tickets and their reference data, for the services."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from mesa_tui.domain.calendar import BusinessCalendar, calendar_for
from mesa_tui.domain.sla import Clock, SlaTargets
from mesa_tui.domain.tickets import (
    ActorInfo,
    CommentInfo,
    EventInfo,
    TicketInfo,
)
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
from mesa_tui.store.ticket_rows import US, clock_of

# --- agents -----------------------------------------------------------------


def actor_info(agent: Agent) -> ActorInfo:
    return ActorInfo(
        id=agent.id,
        login=agent.login,
        full_name=agent.full_name,
        role=agent.role,
        level=agent.level,
        group_id=agent.group_id,
        active=agent.active,
    )


def agent_by_login(s: Session, login: str) -> Agent | None:
    return s.exec(select(Agent).where(Agent.login == login)).first()


def agent_by_id(s: Session, agent_id: int) -> Agent | None:
    return s.get(Agent, agent_id)


def list_agents(s: Session, active_only: bool = True) -> list[ActorInfo]:
    q = select(Agent).order_by(Agent.full_name)
    if active_only:
        q = q.where(Agent.active.is_(True))
    return [actor_info(a) for a in s.exec(q).all()]


def group_by_id(s: Session, group_id: int) -> SupportGroup | None:
    return s.get(SupportGroup, group_id)


def groups(s: Session, active_only: bool = True) -> list[SupportGroup]:
    q = select(SupportGroup).order_by(SupportGroup.level, SupportGroup.name)
    if active_only:
        q = q.where(SupportGroup.active.is_(True))
    return list(s.exec(q).all())


def first_group_at_level(s: Session, level: int) -> SupportGroup | None:
    q = select(SupportGroup).where(SupportGroup.level == level, SupportGroup.active.is_(True)).order_by(SupportGroup.id)
    return s.exec(q).first()


# --- reference data ---------------------------------------------------------


def service_by_id(s: Session, service_id: int) -> CatalogService | None:
    return s.get(CatalogService, service_id)


def service_by_code(s: Session, code: str) -> CatalogService | None:
    return s.exec(select(CatalogService).where(CatalogService.code == code)).first()


def priority_matrix(s: Session) -> dict[tuple[int, int], str]:
    return {(r.impact, r.urgency): r.priority for r in s.exec(select(PriorityRule)).all()}


def find_policy(s: Session, service: CatalogService, priority: str) -> SlaPolicy | None:
    """The most specific policy: the service's, else its category's, else the default."""
    rows = s.exec(
        select(SlaPolicy).where(
            SlaPolicy.priority == priority,
            sa.or_(
                SlaPolicy.service_id == service.id,
                sa.and_(SlaPolicy.service_id.is_(None), SlaPolicy.category_id == service.category_id),
                sa.and_(SlaPolicy.service_id.is_(None), SlaPolicy.category_id.is_(None)),
            ),
        )
    ).all()
    return min(rows, key=lambda p: (p.service_id is None, p.category_id is None), default=None)


def _targets(p: SlaPolicy | None) -> SlaTargets | None:
    if p is None:
        return None
    return SlaTargets(timedelta(minutes=p.tto_minutes), timedelta(minutes=p.ttr_minutes), p.calendar)


def policy_targets(s: Session, service: CatalogService, priority: str) -> SlaTargets | None:
    """Targets of the most specific policy for a service and priority (None: no policy at all)."""
    return _targets(find_policy(s, service, priority))


def closure_days(s: Session) -> list[date]:
    return list(s.exec(select(CalendarClosure.day)).all())


def calendar(s: Session, kind: str) -> BusinessCalendar:
    return calendar_for(kind, closure_days(s))


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
        if s.bind.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            s.exec(pg_insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
        else:
            s.exec(sa.text("INSERT OR IGNORE INTO counter (name, value) VALUES (:n, 0)").bindparams(n=name))
    value = s.exec(
        sa.update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()
    return f"MDA-{year}-{value:06d}"


def ticket_for_update(s: Session, ticket_id: int) -> Ticket | None:
    q = select(Ticket).where(Ticket.id == ticket_id)
    if s.bind.dialect.name == "postgresql":
        q = q.with_for_update()
    return s.exec(q).first()


def ticket_id_by_code(s: Session, code: str) -> int | None:
    return s.exec(select(Ticket.id).where(Ticket.code == code)).first()


def set_clock(t: Ticket, which: str, clock: Clock, cal: BusinessCalendar) -> None:
    setattr(t, f"{which}_target_s", int(clock.target.total_seconds()))
    setattr(t, f"{which}_consumed_us", clock.consumed // US)
    setattr(t, f"{which}_anchor_at", clock.anchor)
    setattr(t, f"{which}_paused_at", clock.paused_at)
    setattr(t, f"{which}_stopped_at", clock.stopped_at)
    setattr(t, f"{which}_paused_us", clock.paused_total // US)
    # The calendar answers in its own zone; the row and the audit trail keep UTC.
    setattr(t, f"{which}_due_at", clock.due(cal).astimezone(UTC))
    setattr(t, f"{which}_met", clock.met(cal))


def retarget_clocks(t, targets: SlaTargets, old_cal: BusinessCalendar, new_cal: BusinessCalendar, now) -> None:
    """New targets and calendar from `now` on, keeping the time consumed and paused
    so far; stopped clocks keep the target they were judged by."""
    moves_calendar = targets.calendar != t.sla_calendar
    for which, target in (("tto", targets.tto), ("ttr", targets.ttr)):
        clock = clock_of(t, which)
        if not clock.stopped and (moves_calendar or clock.target != target):
            clock = clock.retarget(old_cal, new_cal, now, target)
        set_clock(t, which, clock, new_cal)
    t.sla_calendar = targets.calendar


def refresh_due(t: Ticket) -> None:
    """The queue sorts by the due time of the clock that matters now."""
    t.due_at = t.tto_due_at if t.tto_stopped_at is None else t.ttr_due_at


def ticket_info(s: Session, t: Ticket) -> TicketInfo:
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
        tto=clock_of(t, "tto"),
        ttr=clock_of(t, "ttr"),
        tto_due_at=t.tto_due_at,
        ttr_due_at=t.ttr_due_at,
        due_at=t.due_at,
    )


def timeline(s: Session, ticket_id: int) -> list[EventInfo | CommentInfo]:
    """Events and comments of a ticket, newest first."""
    events = s.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).all()
    comments = s.exec(select(Comment).where(Comment.ticket_id == ticket_id)).all()
    who = names_by_id(s, Agent, [*(e.actor_id for e in events), *(c.author_id for c in comments)], "full_name")
    items: list[EventInfo | CommentInfo] = [
        EventInfo(
            id=e.id,
            at=e.at,
            actor_name=who.get(e.actor_id, "Sistema") if e.actor_id else "Sistema",
            action=e.action,
            changes={k: tuple(v) for k, v in json.loads(e.changes).items()},
            note=e.note,
        )
        for e in events
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
    ]
    items.sort(key=lambda i: (i.at, isinstance(i, CommentInfo), i.id), reverse=True)
    return items


def add_comment(s: Session, ticket_id: int, author_id: int | None, at, body: str, public: bool) -> Comment:
    c = Comment(ticket_id=ticket_id, author_id=author_id, at=at, body=body, public=public)
    s.add(c)
    return c


def survey_of(s: Session, ticket_id: int) -> Survey | None:
    return s.exec(select(Survey).where(Survey.ticket_id == ticket_id)).first()


def add_survey(s: Session, ticket_id: int, score: int, comment: str, at) -> Survey:
    sv = Survey(ticket_id=ticket_id, score=score, comment=comment, at=at)
    s.add(sv)
    return sv


def resolved_ticket_ids(s: Session, resolved_before) -> list[int]:
    q = select(Ticket.id).where(Ticket.status == "resuelto", Ticket.resolved_at <= resolved_before).order_by(Ticket.id)
    return list(s.exec(q).all())


def events_of_ticket(s: Session, ticket_id: int) -> list[TicketEvent]:
    return list(s.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)).all())
