"""The help desk's reads: a ticket and its timeline, and the reference data the
agents' screens offer (agents, groups, calendars). Each names its reader, whose
account is re-read first: a deactivated agent's next refresh ends the session."""

from __future__ import annotations

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.changes import LastChange
from mesa_tui.domain.tickets import ActorInfo, CommentInfo, EventInfo, TicketInfo
from mesa_tui.services.actors import require_actor
from mesa_tui.services.base import Service
from mesa_tui.services.errors import NotFound
from mesa_tui.store import tickets_repo as repo


class DeskReads(Service):
    """The database and clock the desk runs on, and its reads."""

    # --- reading -----------------------------------------------------------

    def get(self, actor: ActorInfo, ticket_id: int) -> TicketInfo:
        with self._reading(actor) as s:
            t = repo.ticket_by_id(s, ticket_id)
            if t is None:
                raise NotFound(f"No existe el caso {ticket_id}.")
            return repo.ticket_info(s, t)

    def find(self, actor: ActorInfo, code: str) -> TicketInfo:
        require_actor(actor)
        code = code.strip().upper()
        with self._reading(actor) as s:
            ticket_id = repo.ticket_id_by_code(s, code)
            t = repo.ticket_by_id(s, ticket_id) if ticket_id is not None else None
            if t is None:
                raise NotFound(f"No existe el caso {code}.")
            return repo.ticket_info(s, t)

    def last_change(self, actor: ActorInfo, ticket_id: int) -> LastChange:
        """The ticket's version now and who changed it last, when: what an open
        ticket shows when someone else moved it."""
        with self._reading(actor) as s:
            change = repo.last_change(s, ticket_id)
            if change is None:
                raise NotFound(f"No existe el caso {ticket_id}.")
            return change

    def timeline(self, actor: ActorInfo, ticket_id: int) -> list[EventInfo | CommentInfo]:
        with self._reading(actor) as s:
            return repo.timeline(s, ticket_id)

    def risk_threshold(self, actor: ActorInfo) -> float:
        with self._reading(actor) as s:
            return float(repo.setting(s, "risk_threshold", "0.75"))

    def calendar(self, actor: ActorInfo, kind: str) -> BusinessCalendar:
        with self._reading(actor) as s:
            return repo.calendar(s, kind)

    def agents(self, actor: ActorInfo) -> list[ActorInfo]:
        with self._reading(actor) as s:
            return repo.list_agents(s)

    def groups(self, actor: ActorInfo) -> list[tuple[int, str, int]]:
        with self._reading(actor) as s:
            return [(g.id, g.name, g.level) for g in repo.groups(s)]
