"""Reads and writes behind the administrator's screens, in domain values: categories,
catalog entries, SLA policies, the priority matrix, agents, groups, calendar closures
and settings. The open tickets a change recomputes are in recompute_repo."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.domain.catalog import CategoryInfo
from mesa_tui.domain.closures import ClosureInfo
from mesa_tui.domain.policies import PolicyInfo, PolicyScope
from mesa_tui.domain.staff import AgentInfo, Group, GroupInfo
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import OPEN_STATUSES, SYSTEM_ROLE
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
)

_OPEN = [s.value for s in OPEN_STATUSES]
POLICY_FIELDS = ("tto_minutes", "ttr_minutes", "calendar", "all_types")


def _get(s: Session, model: type[Any], key: object) -> Any:
    """The row of `model` with primary key `key`; LookupError when there is none (the
    services check existence before they change anything)."""
    row = s.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key!r} is not in the database")
    return row


def _save(s: Session, row: Any) -> None:
    s.add(row)
    s.flush()


# --- categories -----------------------------------------------------------------


def categories(s: Session) -> list[CategoryInfo]:
    q = (
        select(ServiceCategory.id, ServiceCategory.name, sa.func.count(col(CatalogService.id)))
        .join(CatalogService, col(CatalogService.category_id) == ServiceCategory.id, isouter=True)
        .group_by(col(ServiceCategory.id), col(ServiceCategory.name))
        .order_by(col(ServiceCategory.name))
    )
    return [CategoryInfo(id=i, name=n, services=c) for i, n, c in s.exec(q).all() if i is not None]


def category_id(s: Session, name: str) -> int | None:
    """The id of the category named exactly `name`."""
    return s.exec(select(ServiceCategory.id).where(ServiceCategory.name == name)).first()


def category_name_clash(s: Session, name: str, except_id: int | None = None) -> str | None:
    """The existing category whose name equals `name` ignoring case (SQLite's lower() is ASCII-only)."""
    wanted = name.casefold()
    for id_, existing in s.exec(select(ServiceCategory.id, ServiceCategory.name)).all():
        if id_ != except_id and existing.casefold() == wanted:
            return existing
    return None


def add_category(s: Session, name: str) -> int:
    row = ServiceCategory(name=name)
    _save(s, row)
    assert row.id is not None  # the flush assigned it
    return row.id


def rename_category(s: Session, category_id: int, name: str) -> None:
    row = _get(s, ServiceCategory, category_id)
    row.name = name
    _save(s, row)


# --- catalog entries ------------------------------------------------------------


def rename_service(s: Session, service_id: int, code: str) -> None:
    row = _get(s, CatalogService, service_id)
    row.code = code
    _save(s, row)


def set_service_active(s: Session, service_id: int, active: bool) -> None:
    row = _get(s, CatalogService, service_id)
    row.active = active
    _save(s, row)


# --- SLA policies ---------------------------------------------------------------


def policies(s: Session) -> list[PolicyInfo]:
    services = {i: (c, n) for i, c, n in s.exec(select(CatalogService.id, CatalogService.code, CatalogService.name))}
    cats = dict(s.exec(select(ServiceCategory.id, ServiceCategory.name)).all())
    out = []
    for p in s.exec(select(SlaPolicy)).all():
        assert p.id is not None  # a row read from the database has its id
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
                all_types=p.all_types,
            )
        )
    return out


def _policy_row(s: Session, service_id: int | None, category_id: int | None, priority: str) -> SlaPolicy | None:
    service, category = col(SlaPolicy.service_id), col(SlaPolicy.category_id)
    q = select(SlaPolicy).where(
        SlaPolicy.priority == priority,
        service.is_(None) if service_id is None else service == service_id,
        category.is_(None) if category_id is None else category == category_id,
    )
    return s.exec(q).first()


def policy_values(s: Session, service_id: int | None, category_id: int | None, priority: str) -> dict[str, Any] | None:
    """The POLICY_FIELDS of the policy with this scope and priority, None when there is none."""
    row = _policy_row(s, service_id, category_id, priority)
    return None if row is None else {f: getattr(row, f) for f in POLICY_FIELDS}


def save_policy(
    s: Session,
    service_id: int | None,
    category_id: int | None,
    priority: str,
    tto_minutes: int,
    ttr_minutes: int,
    calendar: str,
    all_types: bool,
) -> None:
    """Create the policy with this scope and priority, or change its targets."""
    row = _policy_row(s, service_id, category_id, priority)
    if row is None:
        row = SlaPolicy(
            service_id=service_id,
            category_id=category_id,
            priority=priority,
            tto_minutes=tto_minutes,
            ttr_minutes=ttr_minutes,
            calendar=calendar,
            all_types=all_types,
        )
    else:
        row.tto_minutes, row.ttr_minutes, row.calendar = tto_minutes, ttr_minutes, calendar
        row.all_types = all_types
    _save(s, row)


def delete_policy(s: Session, service_id: int | None, category_id: int | None, priority: str) -> None:
    row = _policy_row(s, service_id, category_id, priority)
    if row is not None:
        s.delete(row)
        s.flush()


# --- priority matrix ------------------------------------------------------------


def priority_of(s: Session, impact: int, urgency: int) -> str | None:
    rule = s.get(PriorityRule, (impact, urgency))
    return rule.priority if rule is not None else None


def save_priority_rule(s: Session, impact: int, urgency: int, priority: str) -> None:
    row = s.get(PriorityRule, (impact, urgency)) or PriorityRule(impact=impact, urgency=urgency, priority=priority)
    row.priority = priority
    _save(s, row)


# --- agents and groups ----------------------------------------------------------


def _open_counts(s: Session, column: Any) -> dict[int, int]:
    q = select(column, sa.func.count()).where(col(Ticket.status).in_(_OPEN), column.is_not(None)).group_by(column)
    return dict(s.exec(q).all())


def agents(s: Session, include_inactive: bool) -> list[AgentInfo]:
    names = names_by_id(s, SupportGroup, None, "name")
    counts = _open_counts(s, col(Ticket.agent_id))
    q = select(Agent).where(Agent.role != SYSTEM_ROLE).order_by(col(Agent.full_name), col(Agent.id))
    if not include_inactive:
        q = q.where(col(Agent.active).is_(True))
    return [_agent_info(a, names, counts) for a in s.exec(q).all()]


def agent_info(s: Session, agent_id: int) -> AgentInfo:
    agent = _get(s, Agent, agent_id)
    names = names_by_id(s, SupportGroup, None, "name")
    count = s.exec(
        select(sa.func.count()).select_from(Ticket).where(Ticket.agent_id == agent_id, col(Ticket.status).in_(_OPEN))
    ).one()
    return _agent_info(agent, names, {agent_id: count})


def _agent_info(a: Agent, group_names: dict[int, str], counts: dict[int, int]) -> AgentInfo:
    assert a.id is not None  # a row read from the database has its id
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


def other_active_admins(s: Session, agent_id: int) -> int:
    q = (
        select(sa.func.count())
        .select_from(Agent)
        .where(Agent.role == "admin", col(Agent.active).is_(True), Agent.id != agent_id)
    )
    return s.exec(q).one()


def agent_logins(s: Session) -> list[str]:
    """Every agent's login (the system actor apart), in the order they were created."""
    return list(s.exec(select(Agent.login).where(Agent.role != SYSTEM_ROLE).order_by(col(Agent.id))).all())


def add_missing_agents(s: Session, staff: Iterable[tuple[str, str, str, str]]) -> list[AgentInfo]:
    """Create the agents of `staff` (login, full name, role, group name) whose login is
    not taken yet, at their group's level, in the order given; returns those created."""
    groups = {g.name: g for g in s.exec(select(SupportGroup)).all()}
    have = set(s.exec(select(Agent.login)).all())
    made = []
    for login, name, role, group in staff:
        if login not in have:
            g = groups[group]
            made.append(Agent(login=login, full_name=name, role=role, level=g.level, group_id=g.id))
    s.add_all(made)
    s.flush()
    names = {g.id: g.name for g in groups.values() if g.id is not None}
    return [_agent_info(a, names, {}) for a in made]


def create_agent(s: Session, login: str, full_name: str, role: str, level: int, group_id: int | None) -> int:
    agent = Agent(login=login, full_name=full_name, role=role, level=level, group_id=group_id)
    _save(s, agent)
    assert agent.id is not None  # the flush assigned it
    return agent.id


def save_agent(s: Session, agent: ActorInfo) -> None:
    """Write an agent's login, name, role, level, group and whether it is active."""
    row = _get(s, Agent, agent.id)
    row.login, row.full_name, row.role, row.level = agent.login, agent.full_name, agent.role, agent.level
    row.group_id, row.active = agent.group_id, agent.active
    _save(s, row)


def groups(s: Session, include_inactive: bool) -> list[GroupInfo]:
    q = select(SupportGroup).order_by(col(SupportGroup.level), col(SupportGroup.name))
    if not include_inactive:
        q = q.where(col(SupportGroup.active).is_(True))
    members = dict(
        s.exec(
            select(Agent.group_id, sa.func.count())
            .where(col(Agent.active).is_(True), col(Agent.group_id).is_not(None))
            .group_by(col(Agent.group_id))
        ).all()
    )
    counts = _open_counts(s, col(Ticket.group_id))
    return [_group_info(g, members, counts) for g in s.exec(q).all()]


def group_info(s: Session, group_id: int) -> GroupInfo:
    return next(g for g in groups(s, include_inactive=True) if g.id == group_id)


def _group_info(g: SupportGroup, members: dict[int | None, int], counts: dict[int, int]) -> GroupInfo:
    assert g.id is not None  # a row read from the database has its id
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
        .where(SupportGroup.level == level, col(SupportGroup.active).is_(True), SupportGroup.id != except_id)
    )
    return s.exec(q).one()


def create_group(s: Session, name: str, level: int) -> int:
    group = SupportGroup(name=name, level=level)
    _save(s, group)
    assert group.id is not None  # the flush assigned it
    return group.id


def save_group(s: Session, group: Group) -> None:
    """Write a group's name, level and whether it is active."""
    row = _get(s, SupportGroup, group.id)
    row.name, row.level, row.active = group.name, group.level, group.active
    _save(s, row)


# --- calendar closures ----------------------------------------------------------


def closures(s: Session) -> list[ClosureInfo]:
    rows = s.exec(select(CalendarClosure).order_by(col(CalendarClosure.day))).all()
    return [ClosureInfo(day=r.day, reason=r.reason) for r in rows]


def _closure_row(s: Session, day: date) -> CalendarClosure | None:
    return s.exec(select(CalendarClosure).where(CalendarClosure.day == day)).first()


def closure_reason(s: Session, day: date) -> str | None:
    """The reason of the closure on `day`, None when the office is not closed that day."""
    row = _closure_row(s, day)
    return row.reason if row is not None else None


def add_closure(s: Session, day: date, reason: str) -> None:
    _save(s, CalendarClosure(day=day, reason=reason))


def delete_closure(s: Session, day: date) -> None:
    row = _closure_row(s, day)
    if row is not None:
        s.delete(row)
        s.flush()


# --- settings -------------------------------------------------------------------


def settings(s: Session) -> dict[str, str]:
    return {r.key: r.value for r in s.exec(select(Setting).order_by(col(Setting.key))).all()}


def setting_value(s: Session, key: str) -> str | None:
    row = s.get(Setting, key)
    return row.value if row is not None else None


def save_setting(s: Session, key: str, value: str) -> None:
    row = _get(s, Setting, key)
    row.value = value
    _save(s, row)
