"""Reads and writes behind the administrator's screens: catalog entries and categories,
SLA policies and the tickets they govern, priority matrix, agents, groups, calendar
closures and settings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mesa_tui.domain.catalog import CategoryInfo
from mesa_tui.domain.closures import ClosureInfo
from mesa_tui.domain.policies import PolicyInfo, PolicyScope
from mesa_tui.domain.staff import AgentInfo, GroupInfo
from mesa_tui.domain.vocab import OPEN_STATUSES, Status
from mesa_tui.store.audit import plain
from mesa_tui.store.lookups import names_by_id
from mesa_tui.store.models import (
    Agent,
    CalendarClosure,
    CatalogService,
    PriorityRule,
    ServiceCategory,
    Setting,
    SlaPolicy,
    SupportGroup,
    Ticket,
    TicketEvent,
)

_OPEN = [s.value for s in OPEN_STATUSES]
_TICKETS = Ticket.__table__
# What recomputing due times may change on a ticket.
RECOMPUTED_COLUMNS = (
    *(
        f"{which}_{name}"
        for which in ("tto", "ttr")
        for name in (
            "target_s",
            "consumed_us",
            "anchor_at",
            "paused_at",
            "stopped_at",
            "paused_us",
            "due_at",
            "met",
        )
    ),
    "sla_calendar",
    "due_at",
    "legal_due_on",
    "version",
    "updated_at",
)


def _open_ticket_rows(s: Session, *where) -> list[SimpleNamespace]:
    """Open tickets as plain mutable rows, locked for the transaction.

    Thousands of tickets are recomputed at once: plain rows and Core statements cost a
    fraction of ORM objects, whose attribute tracking dominates at that size."""
    q = (
        sa.select(_TICKETS)
        .select_from(_TICKETS.join(CatalogService.__table__, CatalogService.id == _TICKETS.c.service_id))
        .where(_TICKETS.c.status.in_(_OPEN), *where)
        .order_by(_TICKETS.c.id)
    )
    if s.bind.dialect.name == "postgresql":
        # SQLite serialises writers with BEGIN IMMEDIATE; PostgreSQL needs the rows locked.
        q = q.with_for_update(of=_TICKETS)
    return [SimpleNamespace(**row._mapping) for row in s.connection().execute(q)]


def update_ticket_rows(s: Session, rows: Sequence[SimpleNamespace]) -> None:
    """Write back RECOMPUTED_COLUMNS of rows from the open-ticket queries (one executemany)."""
    if not rows:
        return
    stmt = _TICKETS.update().where(_TICKETS.c.id == sa.bindparam("row_id"))
    params = [{"row_id": r.id, **{c: getattr(r, c) for c in RECOMPUTED_COLUMNS}} for r in rows]
    s.connection().execute(stmt, params)


def insert_ticket_events(s: Session, events: Sequence[dict[str, Any]]) -> None:
    """Many ticket audit events in one insert; same columns and `changes` JSON as write_event."""
    if not events:
        return
    rows = [
        {
            "ticket_id": e["ticket_id"],
            "entity": "ticket",
            "entity_key": e["entity_key"],
            "at": e["at"],
            "actor_id": e["actor_id"],
            "action": e["action"],
            "changes": json.dumps(
                {k: [plain(o), plain(n)] for k, (o, n) in e["changes"].items()}, ensure_ascii=False, sort_keys=True
            ),
            "note": e["note"],
        }
        for e in events
    ]
    s.connection().execute(sa.insert(TicketEvent.__table__), rows)


# --- categories -----------------------------------------------------------------


def categories(s: Session) -> list[CategoryInfo]:
    q = (
        select(ServiceCategory.id, ServiceCategory.name, sa.func.count(CatalogService.id))
        .join(CatalogService, CatalogService.category_id == ServiceCategory.id, isouter=True)
        .group_by(ServiceCategory.id, ServiceCategory.name)
        .order_by(ServiceCategory.name)
    )
    return [CategoryInfo(id=i, name=n, services=c) for i, n, c in s.exec(q).all()]


def category_by_name(s: Session, name: str) -> ServiceCategory | None:
    return s.exec(select(ServiceCategory).where(ServiceCategory.name == name)).first()


def category_name_clash(s: Session, name: str, except_id: int | None = None) -> str | None:
    """The existing category whose name equals `name` ignoring case (SQLite's lower() is ASCII-only)."""
    wanted = name.casefold()
    for id_, existing in s.exec(select(ServiceCategory.id, ServiceCategory.name)).all():
        if id_ != except_id and existing.casefold() == wanted:
            return existing
    return None


def add_category(s: Session, name: str) -> ServiceCategory:
    row = ServiceCategory(name=name)
    s.add(row)
    s.flush()
    return row


# --- catalog entries ------------------------------------------------------------


def service_row(s: Session, code: str) -> CatalogService | None:
    return s.exec(select(CatalogService).where(CatalogService.code == code)).first()


def rename_service(s: Session, row: CatalogService, code: str) -> None:
    row.code = code
    s.add(row)
    s.flush()


def set_service_active(s: Session, row: CatalogService, active: bool) -> None:
    row.active = active
    s.add(row)
    s.flush()


# --- SLA policies ---------------------------------------------------------------


def policies(s: Session) -> list[PolicyInfo]:
    services = {i: (c, n) for i, c, n in s.exec(select(CatalogService.id, CatalogService.code, CatalogService.name))}
    cats = dict(s.exec(select(ServiceCategory.id, ServiceCategory.name)).all())
    out = []
    for p in s.exec(select(SlaPolicy)).all():
        code, name = services.get(p.service_id, (None, None))
        scope = (
            PolicyScope.SERVICE
            if p.service_id is not None
            else PolicyScope.CATEGORY
            if p.category_id is not None
            else PolicyScope.DEFAULT
        )
        out.append(
            PolicyInfo(
                id=p.id,
                scope=scope,
                service_code=code,
                service_name=name,
                category=cats.get(p.category_id),
                priority=p.priority,
                tto_minutes=p.tto_minutes,
                ttr_minutes=p.ttr_minutes,
                calendar=p.calendar,
            )
        )
    return out


def policy_row(s: Session, service_id: int | None, category_id: int | None, priority: str) -> SlaPolicy | None:
    q = select(SlaPolicy).where(
        SlaPolicy.priority == priority,
        SlaPolicy.service_id.is_(None) if service_id is None else SlaPolicy.service_id == service_id,
        SlaPolicy.category_id.is_(None) if category_id is None else SlaPolicy.category_id == category_id,
    )
    return s.exec(q).first()


def save_policy_row(
    s: Session,
    row: SlaPolicy | None,
    service_id: int | None,
    category_id: int | None,
    priority: str,
    tto_minutes: int,
    ttr_minutes: int,
    calendar: str,
) -> SlaPolicy:
    if row is None:
        row = SlaPolicy(service_id=service_id, category_id=category_id, priority=priority)
    row.tto_minutes, row.ttr_minutes, row.calendar = tto_minutes, ttr_minutes, calendar
    s.add(row)
    s.flush()
    return row


def delete_policy_row(s: Session, row: SlaPolicy) -> None:
    s.delete(row)
    s.flush()


def governed_open_tickets(
    s: Session, service_id: int | None, category_id: int | None, priority: str
) -> list[SimpleNamespace]:
    """Open tickets of `priority` that the policy with this scope governs (whether or not
    the row exists yet): the most specific policy wins, so a category's policy governs
    its services that have none of their own, and the default governs the rest."""
    service_policy = (
        select(SlaPolicy.id)
        .where(SlaPolicy.service_id == _TICKETS.c.service_id, SlaPolicy.priority == priority)
        .exists()
    )
    category_policy = (
        select(SlaPolicy.id)
        .where(
            SlaPolicy.service_id.is_(None),
            SlaPolicy.category_id == CatalogService.category_id,
            SlaPolicy.priority == priority,
        )
        .exists()
    )
    where = [_TICKETS.c.priority == priority]
    if service_id is not None:
        where.append(_TICKETS.c.service_id == service_id)
    elif category_id is not None:
        where += [CatalogService.category_id == category_id, ~service_policy]
    else:
        where += [~service_policy, ~category_policy]
    return _open_ticket_rows(s, *where)


def open_tickets_of_service(s: Session, service_id: int) -> list[SimpleNamespace]:
    return _open_ticket_rows(s, _TICKETS.c.service_id == service_id)


# --- priority matrix ------------------------------------------------------------


def priority_rule(s: Session, impact: int, urgency: int) -> PriorityRule | None:
    return s.get(PriorityRule, (impact, urgency))


def save_priority_rule(s: Session, impact: int, urgency: int, priority: str) -> None:
    row = s.get(PriorityRule, (impact, urgency)) or PriorityRule(impact=impact, urgency=urgency, priority=priority)
    row.priority = priority
    s.add(row)
    s.flush()


# --- agents and groups ----------------------------------------------------------


def _open_counts(s: Session, column) -> dict[int, int]:
    q = select(column, sa.func.count()).where(Ticket.status.in_(_OPEN), column.is_not(None)).group_by(column)
    return dict(s.exec(q).all())


def agents(s: Session, include_inactive: bool) -> list[AgentInfo]:
    names = names_by_id(s, SupportGroup, None, "name")
    counts = _open_counts(s, Ticket.agent_id)
    q = select(Agent).order_by(Agent.full_name, Agent.id)
    if not include_inactive:
        q = q.where(Agent.active.is_(True))
    return [_agent_info(a, names, counts) for a in s.exec(q).all()]


def agent_info(s: Session, agent: Agent) -> AgentInfo:
    names = names_by_id(s, SupportGroup, None, "name")
    count = s.exec(
        select(sa.func.count()).select_from(Ticket).where(Ticket.agent_id == agent.id, Ticket.status.in_(_OPEN))
    ).one()
    return _agent_info(agent, names, {agent.id: count})


def _agent_info(a: Agent, group_names: dict[int, str], counts: dict[int, int]) -> AgentInfo:
    return AgentInfo(
        id=a.id,
        login=a.login,
        full_name=a.full_name,
        role=a.role,
        level=a.level,
        group_id=a.group_id,
        group_name=group_names.get(a.group_id, "") if a.group_id else "",
        active=a.active,
        open_tickets=counts.get(a.id, 0),
    )


def agent_by_login(s: Session, login: str) -> Agent | None:
    return s.exec(select(Agent).where(Agent.login == login)).first()


def other_active_admins(s: Session, agent_id: int) -> int:
    q = (
        select(sa.func.count())
        .select_from(Agent)
        .where(Agent.role == "admin", Agent.active.is_(True), Agent.id != agent_id)
    )
    return s.exec(q).one()


def agent_logins(s: Session) -> list[str]:
    """Every agent's login, in the order they were created."""
    return list(s.exec(select(Agent.login).order_by(Agent.id)).all())


def add_missing_agents(s: Session, staff: Iterable[tuple[str, str, str, str]]) -> None:
    """Create the agents of `staff` (login, full name, role, group name) whose login is
    not taken yet, at their group's level, in the order given."""
    groups = {g.name: g for g in s.exec(select(SupportGroup)).all()}
    have = set(s.exec(select(Agent.login)).all())
    for login, name, role, group in staff:
        if login not in have:
            g = groups[group]
            s.add(Agent(login=login, full_name=name, role=role, level=g.level, group_id=g.id))
    s.flush()


def save_agent(s: Session, agent: Agent) -> Agent:
    s.add(agent)
    s.flush()
    return agent


def groups(s: Session, include_inactive: bool) -> list[GroupInfo]:
    q = select(SupportGroup).order_by(SupportGroup.level, SupportGroup.name)
    if not include_inactive:
        q = q.where(SupportGroup.active.is_(True))
    members = dict(
        s.exec(
            select(Agent.group_id, sa.func.count())
            .where(Agent.active.is_(True), Agent.group_id.is_not(None))
            .group_by(Agent.group_id)
        ).all()
    )
    counts = _open_counts(s, Ticket.group_id)
    return [_group_info(g, members, counts) for g in s.exec(q).all()]


def group_info(s: Session, group: SupportGroup) -> GroupInfo:
    return next(g for g in groups(s, include_inactive=True) if g.id == group.id)


def _group_info(g: SupportGroup, members: dict[int, int], counts: dict[int, int]) -> GroupInfo:
    return GroupInfo(
        id=g.id,
        name=g.name,
        level=g.level,
        active=g.active,
        agents=members.get(g.id, 0),
        open_tickets=counts.get(g.id, 0),
    )


def group_name_clash(s: Session, name: str, except_id: int | None = None) -> str | None:
    wanted = name.casefold()
    for id_, existing in s.exec(select(SupportGroup.id, SupportGroup.name)).all():
        if id_ != except_id and existing.casefold() == wanted:
            return existing
    return None


def other_active_groups_at_level(s: Session, level: int, except_id: int) -> int:
    q = (
        select(sa.func.count())
        .select_from(SupportGroup)
        .where(SupportGroup.level == level, SupportGroup.active.is_(True), SupportGroup.id != except_id)
    )
    return s.exec(q).one()


def save_group(s: Session, group: SupportGroup) -> SupportGroup:
    s.add(group)
    s.flush()
    return group


# --- calendar closures ----------------------------------------------------------


def closures(s: Session) -> list[ClosureInfo]:
    rows = s.exec(select(CalendarClosure).order_by(CalendarClosure.day)).all()
    return [ClosureInfo(day=r.day, reason=r.reason) for r in rows]


def closure_row(s: Session, day: date) -> CalendarClosure | None:
    return s.exec(select(CalendarClosure).where(CalendarClosure.day == day)).first()


def add_closure(s: Session, day: date, reason: str) -> None:
    s.add(CalendarClosure(day=day, reason=reason))
    s.flush()


def delete_closure(s: Session, row: CalendarClosure) -> None:
    s.delete(row)
    s.flush()


def tickets_computed_across(s: Session, start: datetime, end: datetime) -> int:
    """Tickets whose SLA time was already counted over [start, end): opened before `end`
    and still open, or resolved after `start`. Cancelled tickets no longer count."""
    q = (
        select(sa.func.count())
        .select_from(Ticket)
        .where(
            Ticket.created_at < end,
            Ticket.status != Status.ANULADO.value,
            sa.or_(Ticket.status.in_(_OPEN), Ticket.ttr_stopped_at >= start),
        )
    )
    return s.exec(q).one()


def open_tickets_on_office_days(s: Session, created_before: datetime) -> list[SimpleNamespace]:
    """Open tickets opened before `created_before` whose SLA clocks or PQRS legal due date
    count office business days."""
    return _open_ticket_rows(
        s,
        _TICKETS.c.created_at < created_before,
        sa.or_(_TICKETS.c.sla_calendar == "office", _TICKETS.c.legal_due_on.is_not(None)),
    )


# --- settings -------------------------------------------------------------------


def settings(s: Session) -> dict[str, str]:
    return {r.key: r.value for r in s.exec(select(Setting).order_by(Setting.key)).all()}


def setting_row(s: Session, key: str) -> Setting | None:
    return s.get(Setting, key)


def save_setting(s: Session, row: Setting, value: str) -> None:
    row.value = value
    s.add(row)
    s.flush()
