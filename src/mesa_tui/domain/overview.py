"""The queue overview: open tickets by status, level, agent and service, their age
in business days, and today's and this week's throughput."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.dates import local_day_start
from mesa_tui.domain.vocab import Role, Status


@dataclass(frozen=True)
class AgeingBucket:
    """Open tickets whose age in business days is in [min_days, max_days]."""

    min_days: int
    max_days: int | None
    label: str


AGEING_BUCKETS: tuple[AgeingBucket, ...] = (
    AgeingBucket(0, 0, "Hoy"),
    AgeingBucket(1, 2, "1 a 2 días hábiles"),
    AgeingBucket(3, 5, "3 a 5 días hábiles"),
    AgeingBucket(6, 10, "6 a 10 días hábiles"),
    AgeingBucket(11, 20, "11 a 20 días hábiles"),
    AgeingBucket(21, None, "Más de 20 días hábiles"),
)


def age_cutoff(cal: BusinessCalendar, now: datetime, days: int) -> datetime:
    """The instant such that a ticket created before it is at least `days` business days old.

    A ticket's age is the number of business days after the local day it was
    created, up to and including today: created today, 0; created on Friday
    and seen on Monday, 1; created on Saturday and seen on Monday, 1. So age >= k
    exactly when the ticket was created before the k-th business day counted
    back from today (today included when it is one).
    """
    if days < 1:
        raise ValueError("an age cutoff is for 1 business day or more")
    today = now.astimezone(cal.tz).date()
    tomorrow_noon = datetime.combine(today + timedelta(days=1), time(12), tzinfo=cal.tz)
    return local_day_start(cal.add_business_days(tomorrow_noon, -days), cal.tz)


def ageing_cutoffs(cal: BusinessCalendar, now: datetime) -> tuple[datetime, ...]:
    """One cutoff per bucket after the first: created_at < cutoffs[i - 1] means the
    ticket belongs to bucket i or an older one."""
    return tuple(age_cutoff(cal, now, b.min_days) for b in AGEING_BUCKETS[1:])


@dataclass(frozen=True)
class AgentLoad:
    agent_id: int
    name: str
    level: int
    group_name: str
    by_status: Mapping[str, int]  # open statuses only
    overdue: int  # working tickets whose running clock is past its due time

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True)
class ServiceLoad:
    service_id: int
    code: str
    name: str
    category: str
    count: int


@dataclass(frozen=True)
class CategoryLoad:
    category: str
    count: int


@dataclass(frozen=True)
class AgeingCount:
    bucket: AgeingBucket
    count: int


@dataclass(frozen=True)
class Throughput:
    """Tickets received and resolved today and this week (Monday on), cancelled excluded."""

    received_today: int
    resolved_today: int
    received_week: int
    resolved_week: int


# Statuses the overview's status x level matrix shows: the open ones and the
# resolved ones still waiting to be closed.
OVERVIEW_STATUSES: tuple[Status, ...] = (
    Status.NUEVO,
    Status.ASIGNADO,
    Status.EN_PROCESO,
    Status.EN_ESPERA,
    Status.RESUELTO,
)
OPEN_STATUS_VALUES = tuple(s.value for s in OVERVIEW_STATUSES[:4])
WORKING_STATUS_VALUES = tuple(s.value for s in OVERVIEW_STATUSES[:3])


@dataclass(frozen=True)
class QueueOverview:
    at: datetime
    by_status_level: Mapping[tuple[str, int], int]  # (status, level) -> tickets
    agents: tuple[AgentLoad, ...]  # every active agent, busiest first
    unassigned: int  # open tickets nobody holds
    services: tuple[ServiceLoad, ...]  # open tickets per service, most first
    categories: tuple[CategoryLoad, ...]
    ageing: tuple[AgeingCount, ...]  # open tickets, in AGEING_BUCKETS order
    throughput: Throughput

    def count(self, status: str, level: int) -> int:
        return self.by_status_level.get((status, level), 0)

    def status_total(self, status: str) -> int:
        return sum(n for (st, _), n in self.by_status_level.items() if st == status)

    def level_total(self, level: int, statuses: Sequence[str] = OPEN_STATUS_VALUES) -> int:
        return sum(n for (st, lv), n in self.by_status_level.items() if lv == level and st in statuses)

    @property
    def open_total(self) -> int:
        return sum(n for (st, _), n in self.by_status_level.items() if st in OPEN_STATUS_VALUES)


def build_overview(
    now: datetime,
    cube: Iterable[tuple[str, int, int | None, int, int, int, int]],
    resolved_by_level: Mapping[int, int],
    throughput: Throughput,
    agents: Iterable[tuple[int, str, str, int, str, bool]],
    services: Mapping[int, tuple[str, str, str]],
) -> QueueOverview:
    """The overview from the store's counts: `cube` rows are (status, level, agent_id,
    service_id, age bucket, tickets, overdue), `agents` rows (id, name, role, level,
    group name, active) and `services` maps an id to (code, name, category)."""
    by_status_level: dict[tuple[str, int], int] = defaultdict(int)
    agent_status: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    agent_overdue: dict[int, int] = defaultdict(int)
    by_service: dict[int, int] = defaultdict(int)
    by_bucket = [0] * len(AGEING_BUCKETS)
    unassigned = 0
    for status, level, agent_id, service_id, bucket, n, overdue in cube:
        by_status_level[(status, level)] += n
        by_service[service_id] += n
        by_bucket[bucket] += n
        if agent_id is None:
            unassigned += n
        else:
            agent_status[agent_id][status] += n
            agent_overdue[agent_id] += overdue
    for level, n in resolved_by_level.items():
        by_status_level[(Status.RESUELTO.value, level)] += n

    loads = [
        AgentLoad(
            agent_id=i,
            name=name,
            level=level,
            group_name=group,
            by_status=dict(agent_status.get(i, {})),
            overdue=agent_overdue.get(i, 0),
        )
        for i, name, role, level, group, active in agents
        # Every active agent, idle ones included; supervisors only when they hold tickets.
        if (active and role == Role.AGENT) or i in agent_status
    ]
    loads.sort(key=lambda a: (-a.total, a.name))

    service_loads = []
    by_category: dict[str, int] = defaultdict(int)
    for service_id, n in by_service.items():
        code, name, category = services.get(service_id, ("", "", ""))
        service_loads.append(ServiceLoad(service_id, code, name, category, n))
        by_category[category] += n
    service_loads.sort(key=lambda x: (-x.count, x.code))
    categories = sorted((CategoryLoad(c, n) for c, n in by_category.items()), key=lambda x: (-x.count, x.category))

    return QueueOverview(
        at=now,
        by_status_level=dict(by_status_level),
        agents=tuple(loads),
        unassigned=unassigned,
        services=tuple(service_loads),
        categories=tuple(categories),
        ageing=tuple(AgeingCount(b, n) for b, n in zip(AGEING_BUCKETS, by_bucket, strict=True)),
        throughput=throughput,
    )
