"""Reads for the agents' screens: queue pages, counts, and the pickers' lists.

Read-only: no permission check beyond the view itself (every agent sees the
open queue), no audit event. Returns domain values only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.queue import COUNT_CAP, PageRequest, QueueCount, QueuePage, QueueQuery, QueueRow, SlaView
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.base import Service
from mesa_tui.store import catalog_repo, queue_repo, schedules_repo
from mesa_tui.store import tickets_repo as repo


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


class QueueService(Service):
    def page(self, actor: ActorInfo, query: QueueQuery, request: PageRequest) -> QueuePage:
        with self._reader(actor) as (s, who):
            rows, before, after = queue_repo.page(s, query, request, who.id, who.group_id)
        return QueuePage(rows=tuple(rows), has_before=before, has_after=after, request=request)

    def count(self, actor: ActorInfo, query: QueueQuery) -> QueueCount:
        with self._reader(actor) as (s, who):
            n, capped = queue_repo.count(s, query, who.id, who.group_id, COUNT_CAP)
        return QueueCount(n, capped)

    def sla_context(self, actor: ActorInfo) -> SlaContext:
        with self._reader(actor) as (s, _who):
            calendars = repo.calendars(s)
            names = {schedule.code: schedule.name for schedule in schedules_repo.schedules(s)}
            risk = float(repo.setting(s, "risk_threshold", "0.75"))
        return SlaContext(calendars, risk, names)

    def services(self, actor: ActorInfo) -> list[CatalogEntry]:
        """Active catalog services, by code: what a new ticket may be logged against."""
        with self._reader(actor) as (s, _who):
            return catalog_repo.list_services(s, include_inactive=False)

    def priority_matrix(self, actor: ActorInfo) -> dict[tuple[int, int], str]:
        with self._reader(actor) as (s, _who):
            return repo.priority_matrix(s)
