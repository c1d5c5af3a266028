"""The session registry: one row per interactive session, from its start to its end."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from mesa_tui.domain.sessions import SessionInfo
from mesa_tui.store.models import Agent, AgentSession


def _info(row: AgentSession, agent: Agent) -> SessionInfo:
    assert row.id is not None
    return SessionInfo(
        id=row.id,
        agent_id=row.agent_id,
        agent_login=agent.login,
        agent_name=agent.full_name,
        kind=row.kind,
        method=row.method,
        origin=row.origin,
        started_at=row.started_at,
        seen_at=row.seen_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
    )


def start(s: Session, agent_id: int, operator_id: int | None, kind: str, method: str, origin: str, at: datetime) -> int:
    row = AgentSession(
        agent_id=agent_id,
        operator_id=operator_id,
        kind=kind,
        method=method[:120],
        origin=origin[:200],
        started_at=at,
        seen_at=at,
    )
    s.add(row)
    s.flush()
    assert row.id is not None
    return row.id


def session(s: Session, session_id: int, for_update: bool = False) -> SessionInfo | None:
    q = select(AgentSession, Agent).join(Agent, col(Agent.id) == col(AgentSession.agent_id))
    q = q.where(AgentSession.id == session_id)
    if for_update and s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(of=AgentSession)
    found = s.exec(q).first()
    return _info(*found) if found else None


def seen(s: Session, session_id: int, at: datetime) -> None:
    row = s.get(AgentSession, session_id)
    if row is not None and row.ended_at is None:
        row.seen_at = at
        s.add(row)
        s.flush()


def end(s: Session, session_id: int, at: datetime, reason: str, by_id: int | None) -> None:
    row = s.get(AgentSession, session_id)
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason, row.ended_by_id = at, reason[:200], by_id
        s.add(row)
        s.flush()


def open_sessions(s: Session, seen_since: datetime) -> list[SessionInfo]:
    """Sessions not ended whose process was heard from since `seen_since`, oldest first."""
    q = (
        select(AgentSession, Agent)
        .join(Agent, col(Agent.id) == col(AgentSession.agent_id))
        .where(col(AgentSession.ended_at).is_(None), col(AgentSession.seen_at) >= seen_since)
        .order_by(col(AgentSession.started_at), col(AgentSession.id))
    )
    return [_info(row, agent) for row, agent in s.exec(q).all()]
