"""Reads for the agents' screens: queue pages, counts, and the pickers' lists.

Read-only: no permission check beyond the view itself (every agent sees the
open queue), no audit event. Returns domain values only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.queue import COUNT_CAP, PageRequest, QueueCount, QueuePage, QueueQuery, QueueRow, SlaView
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.clock import utcnow
from mesa_tui.store import catalog_repo, queue_repo, schedules_repo
from mesa_tui.store import tickets_repo as repo
from mesa_tui.store.engine import Database, Session


@dataclass(frozen=True)
class SlaContext:
    """What turns a clock into "en tiempo / en riesgo / vencido": the calendars of every
    schedule (with the entity's closures) by code, the risk threshold, and the schedules'
    names."""

    calendars: dict[str, BusinessCalendar]
    risk: float
    names: dict[str, str] = field(default_factory=dict)

    def of(self, row: QueueRow, now: datetime) -> SlaView:
        return row.sla(self.calendars[row.sla_calendar], now, self.risk)

    def warm(self, now: datetime) -> None:
        """Build the calendars' tables around `now` (the first use reads the
        holidays and lays out the year: a few hundred ms), so a screen's first
        SLA column does not pay for it."""
        for cal in self.calendars.values():
            cal.between(now - timedelta(days=7), now)


class QueueService:
    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow):
        self.db = db
        self.now = now

    @contextmanager
    def _reading(self, actor: ActorInfo) -> Iterator[tuple[Session, ActorInfo]]:
        """A read session and the reader as stored now (a deactivated agent's next
        refresh is refused: the session ends)."""
        require_actor(actor)
        with self.db.read() as s:
            yield s, current_actor(s, actor)

    def page(self, actor: ActorInfo, query: QueueQuery, request: PageRequest) -> QueuePage:
        with self._reading(actor) as (s, who):
            rows, before, after = queue_repo.page(s, query, request, who.id, who.group_id)
        return QueuePage(rows=tuple(rows), has_before=before, has_after=after, request=request)

    def count(self, actor: ActorInfo, query: QueueQuery) -> QueueCount:
        with self._reading(actor) as (s, who):
            n, capped = queue_repo.count(s, query, who.id, who.group_id, COUNT_CAP)
        return QueueCount(n, capped)

    def sla_context(self, actor: ActorInfo) -> SlaContext:
        with self._reading(actor) as (s, _who):
            calendars = repo.calendars(s)
            names = {schedule.code: schedule.name for schedule in schedules_repo.schedules(s)}
            risk = float(repo.setting(s, "risk_threshold", "0.75"))
        return SlaContext(calendars, risk, names)

    def services(self, actor: ActorInfo) -> list[CatalogEntry]:
        """Active catalog services, by code: what a new ticket may be logged against."""
        with self._reading(actor) as (s, _who):
            return catalog_repo.list_services(s, include_inactive=False)

    def priority_matrix(self, actor: ActorInfo) -> dict[tuple[int, int], str]:
        with self._reading(actor) as (s, _who):
            return repo.priority_matrix(s)
