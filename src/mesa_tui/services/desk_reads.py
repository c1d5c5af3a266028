"""The help desk's reads: who is acting, a ticket and its timeline, and the
reference data the agents' screens offer (agents, groups, calendars)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.tickets import ActorInfo, CommentInfo, EventInfo, TicketInfo
from mesa_tui.services.clock import utcnow
from mesa_tui.services.errors import NotFound, PermissionDenied, UnknownLogin
from mesa_tui.store import tickets_repo as repo
from mesa_tui.store.engine import Database, Session


class DeskReads:
    """The database and clock the desk runs on, and its reads."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow):
        self.db = db
        self.now = now

    # --- who is acting -----------------------------------------------------

    def actor(self, login: str) -> ActorInfo:
        with self.db.read() as s:
            agent = repo.actor_by_login(s, login)
        if agent is None:
            raise UnknownLogin(
                f"El usuario «{login}» no está registrado como agente de la mesa de ayuda. "
                "Pida a un administrador que lo cree o use --as LOGIN."
            )
        if not agent.active:
            raise UnknownLogin(f"El agente «{login}» está inactivo.")
        return agent

    def resolve_actor(self, os_login: str, as_login: str | None) -> ActorInfo:
        """The OS login maps to an agent; an admin may act as someone else."""
        if as_login is None or as_login == os_login:
            return self.actor(os_login)
        with self.db.read() as s:
            me = repo.actor_by_login(s, os_login)
            my_role, my_active = (me.role, me.active) if me is not None else (None, False)
            has_agents = bool(repo.list_agents(s, active_only=False))
        if my_role is not None and not my_active:
            raise UnknownLogin(f"El agente «{os_login}» está inactivo.")
        if my_role is not None and my_role != "admin":
            raise PermissionDenied("Solo un administrador puede actuar como otro usuario (--as).")
        if my_role is None and has_agents:
            raise UnknownLogin(f"El usuario del sistema «{os_login}» no es un agente: no puede usar --as.")
        return self.actor(as_login)

    # --- reading -----------------------------------------------------------

    def get(self, ticket_id: int) -> TicketInfo:
        with self.db.read() as s:
            t = repo.ticket_by_id(s, ticket_id)
            if t is None:
                raise NotFound(f"No existe el caso {ticket_id}.")
            return repo.ticket_info(s, t)

    def find(self, code: str) -> TicketInfo:
        code = code.strip().upper()
        with self.db.read() as s:
            ticket_id = repo.ticket_id_by_code(s, code)
            t = repo.ticket_by_id(s, ticket_id) if ticket_id is not None else None
            if t is None:
                raise NotFound(f"No existe el caso {code}.")
            return repo.ticket_info(s, t)

    def timeline(self, ticket_id: int) -> list[EventInfo | CommentInfo]:
        with self.db.read() as s:
            return repo.timeline(s, ticket_id)

    def risk_threshold(self) -> float:
        with self.db.read() as s:
            return float(repo.setting(s, "risk_threshold", "0.75"))

    def calendar(self, kind: str) -> BusinessCalendar:
        with self.db.read() as s:
            return repo.calendar(s, kind)

    def agents(self) -> list[ActorInfo]:
        with self.db.read() as s:
            return repo.list_agents(s)

    def groups(self) -> list[tuple[int, str, int]]:
        with self.db.read() as s:
            return [(g.id, g.name, g.level) for g in repo.groups(s)]

    # --- internals -----------------------------------------------------------

    def _fresh_actor(self, s: Session, actor: ActorInfo | None) -> ActorInfo | None:
        if actor is None:
            return None
        agent = repo.actor_by_id(s, actor.id)
        if agent is None or not agent.active:
            raise PermissionDenied("Su usuario no existe o está inactivo.")
        return agent
