"""What every agent screen is handed: the services, who is acting, the clock,
and the reference lists the dialogs pick from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.desk import Desk
from mesa_tui.services.queue import QueueService, SlaContext
from mesa_tui.services.requesters import Requesters


@dataclass(frozen=True)
class Reference:
    """Small lists that change rarely: read once, refreshed with `R`."""

    agents: tuple[ActorInfo, ...]
    groups: tuple[tuple[int, str, int], ...]  # (id, name, level)
    services: tuple[CatalogEntry, ...]
    matrix: dict[tuple[int, int], str]
    sla: SlaContext

    def group_name(self, group_id: int | None) -> str:
        return next((name for gid, name, _ in self.groups if gid == group_id), "")

    def agent_name(self, agent_id: int | None) -> str:
        return next((a.full_name for a in self.agents if a.id == agent_id), "")


@dataclass
class DeskContext:
    desk: Desk
    queue: QueueService
    actor: ActorInfo
    now: Callable[[], datetime]
    reference: Reference | None = field(default=None)

    @property
    def requesters(self) -> Requesters:
        """The directory of requesters, on the desk's database and clock."""
        return Requesters(self.desk.db, now=self.desk.now)

    def load_reference(self) -> Reference:
        """Read the reference lists and warm the calendars (call from a worker
        thread), and keep them."""
        sla = self.queue.sla_context(self.actor)
        sla.warm(self.now())
        ref = Reference(
            agents=tuple(self.desk.agents(self.actor)),
            groups=tuple(self.desk.groups(self.actor)),
            services=tuple(self.queue.services(self.actor)),
            matrix=self.queue.priority_matrix(self.actor),
            sla=sla,
        )
        self.reference = ref
        return ref
