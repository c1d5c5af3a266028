"""Agents' SSH public keys: stored, listed, removed, and the lines of the service
account's authorized_keys (the keys of active agents)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.domain.ssh_keys import AuthorizedKey, KeyParts, SshKeyInfo
from mesa_tui.domain.vocab import SYSTEM_ROLE
from mesa_tui.store.models import Agent, AgentSshKey


def _info(row: AgentSshKey, login: str) -> SshKeyInfo:
    assert row.id is not None
    return SshKeyInfo(
        id=row.id,
        agent_id=row.agent_id,
        agent_login=login,
        key_type=row.key_type,
        data=row.key_data,
        comment=row.comment,
        fingerprint=row.fingerprint,
        added_at=row.added_at,
    )


def keys_of(s: Session, agent_id: int) -> list[SshKeyInfo]:
    q = (
        select(AgentSshKey, Agent.login)
        .join(Agent, col(Agent.id) == col(AgentSshKey.agent_id))
        .where(AgentSshKey.agent_id == agent_id)
        .order_by(col(AgentSshKey.added_at), col(AgentSshKey.id))
    )
    return [_info(row, login) for row, login in s.exec(q).all()]


def key_by_id(s: Session, key_id: int) -> SshKeyInfo | None:
    q = select(AgentSshKey, Agent.login).join(Agent, col(Agent.id) == col(AgentSshKey.agent_id))
    found = s.exec(q.where(AgentSshKey.id == key_id)).first()
    return _info(*found) if found else None


def key_by_fingerprint(s: Session, fingerprint: str) -> SshKeyInfo | None:
    q = select(AgentSshKey, Agent.login).join(Agent, col(Agent.id) == col(AgentSshKey.agent_id))
    found = s.exec(q.where(AgentSshKey.fingerprint == fingerprint)).first()
    return _info(*found) if found else None


def key_count(s: Session, agent_id: int) -> int:
    q = select(sa.func.count()).select_from(AgentSshKey).where(AgentSshKey.agent_id == agent_id)
    return s.exec(q).one()


def add_key(
    s: Session, agent_id: int, parts: KeyParts, fingerprint: str, at: datetime, by_id: int | None
) -> SshKeyInfo:
    row = AgentSshKey(
        agent_id=agent_id,
        key_type=parts.key_type,
        key_data=parts.data,
        comment=parts.comment,
        fingerprint=fingerprint,
        added_at=at,
        added_by_id=by_id,
    )
    s.add(row)
    s.flush()
    assert row.id is not None
    found = key_by_id(s, row.id)
    assert found is not None
    return found


def delete_key(s: Session, key_id: int) -> None:
    s.exec(sa.delete(AgentSshKey).where(col(AgentSshKey.id) == key_id))


def authorized(s: Session) -> list[AuthorizedKey]:
    """Every key of an active agent (the system actor never logs in), in a stable order."""
    q = (
        select(Agent.login, AgentSshKey.key_type, AgentSshKey.key_data, AgentSshKey.comment)
        .join(Agent, col(Agent.id) == col(AgentSshKey.agent_id))
        .where(col(Agent.active).is_(True), Agent.role != SYSTEM_ROLE)
        .order_by(col(Agent.login), col(AgentSshKey.id))
    )
    return [AuthorizedKey(login, key_type, data, comment) for login, key_type, data, comment in s.exec(q).all()]
