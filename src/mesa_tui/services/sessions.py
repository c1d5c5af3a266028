"""The session registry: administrators see who is connected, how, from where and
since when, and may end a session; each session's process keeps its row alive.

The rows are made and closed by services/identity.py (`open_session`,
`password_login`, `close_session`). A session's process calls `keep_alive` every
few seconds (domain/sessions.py CHECK_SECONDS): a read that raises SessionEnded
once an administrator ended it (or the agent was deactivated), and a heartbeat
write once a minute. Ending a session is audited ("terminar" on the entity
"session"); the session's own end ("salir") is audited by the session itself.
"""

from __future__ import annotations

from mesa_tui.domain.sessions import ADMIN_END_REASON, ENDED_BY_ADMIN, SessionInfo, heartbeat_due, stale_since
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.base import Service
from mesa_tui.services.errors import NotFound, PermissionDenied, SessionEnded, ValidationError
from mesa_tui.store import sessions_repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Session

SESSION = "session"
_END = "terminar sesiones"


class Sessions(Service):
    """Open sessions over one database."""

    def active(self, actor: ActorInfo) -> list[SessionInfo]:
        """Sessions open now (ended ones and those whose process went silent left out)."""
        require_actor(actor)
        with self.db.read() as s:
            _admin(s, actor, "ver las sesiones abiertas")
            return sessions_repo.open_sessions(s, stale_since(self.now()))

    def end(self, actor: ActorInfo, session_id: int) -> SessionInfo:
        """End another agent's session: it closes within seconds, with a message."""
        require_actor(actor)

        def tx(s: Session) -> SessionInfo:
            now = self.now()
            who = _admin(s, actor, _END)
            row = sessions_repo.session(s, session_id, for_update=True)
            if row is None or row.ended_at is not None:
                raise NotFound("Esa sesión ya terminó.")
            if actor.session_id == row.id:
                raise ValidationError("session", "Esta es su propia sesión: para salir use Ctrl+Q.")
            sessions_repo.end(s, row.id, now, ADMIN_END_REASON, who.id)
            write_event(
                s,
                actor_id=who.id,
                operator_id=who.operator_id,
                action="terminar",
                at=now,
                note=f"Sesión de {row.agent_login} ({row.kind_label}, {row.origin})"[:500],
                entity=SESSION,
                entity_key=row.agent_login[:40],
            )
            ended = sessions_repo.session(s, row.id)
            assert ended is not None
            return ended

        return self.db.write(tx)

    def keep_alive(self, actor: ActorInfo) -> None:
        """The session of `actor` is still on: raises SessionEnded when an administrator
        ended it or the agent can no longer act; writes its heartbeat when one is due."""
        require_actor(actor)
        if actor.session_id is None:
            return
        with self.db.read() as s:
            current_actor(s, actor)
            row = sessions_repo.session(s, actor.session_id)
        if row is None:
            return
        if row.ended_at is not None:
            raise SessionEnded(ENDED_BY_ADMIN if row.end_reason == ADMIN_END_REASON else "Su sesión terminó.")
        if heartbeat_due(row.seen_at, self.now()):
            session_id = row.id
            self.db.write(lambda s: sessions_repo.seen(s, session_id, self.now()))


def _admin(s: Session, actor: ActorInfo, what: str) -> ActorInfo:
    who = current_actor(s, actor)
    if not who.is_admin:
        raise PermissionDenied(f"Solo un administrador puede {what}.")
    return who
