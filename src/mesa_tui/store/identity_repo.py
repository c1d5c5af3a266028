"""Who may act: the desk's own actor ("sistema"), the staff count the first setup
checks, and the password accounts' credentials (hashes only)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.domain.passwords import Credential
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import SYSTEM_LOGIN, SYSTEM_NAME, SYSTEM_ROLE, Role
from mesa_tui.store.models import Agent, AgentCredential, Ticket
from mesa_tui.store.tickets_repo import actor_info


def system_actor(s: Session) -> ActorInfo:
    """The "sistema" agent, created the first time it is needed (the reference seed
    creates it on every desk). It holds no group and can never log in."""
    row = s.exec(select(Agent).where(Agent.role == SYSTEM_ROLE).order_by(col(Agent.id))).first()
    if row is None:
        taken = s.exec(select(Agent.id).where(Agent.login == SYSTEM_LOGIN)).first() is not None
        row = Agent(login=f"_{SYSTEM_LOGIN}" if taken else SYSTEM_LOGIN, full_name=SYSTEM_NAME, role=SYSTEM_ROLE)
        s.add(row)
        s.flush()
    return actor_info(row)


def staff_count(s: Session) -> int:
    """Agents of the desk, active or not, the system actor apart."""
    q = select(sa.func.count()).select_from(Agent).where(Agent.role != SYSTEM_ROLE)
    return s.exec(q).one()


def admin_count(s: Session) -> int:
    """Active administrators."""
    q = select(sa.func.count()).select_from(Agent).where(Agent.role == Role.ADMIN.value, col(Agent.active).is_(True))
    return s.exec(q).one()


def ticket_count(s: Session) -> int:
    return s.exec(select(sa.func.count()).select_from(Ticket)).one()


def credential(s: Session, agent_id: int, for_update: bool = False) -> Credential:
    """The agent's credential (an empty one when they never had a code or a password)."""
    q = select(AgentCredential).where(AgentCredential.agent_id == agent_id)
    if for_update and s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    row = s.exec(q).first()
    if row is None:
        return Credential()
    return Credential(
        password_hash=row.password_hash,
        password_set_at=row.password_set_at,
        enrol_code_hash=row.enrol_code_hash,
        enrol_expires_at=row.enrol_expires_at,
        failures=row.failures,
        locked_until=row.locked_until,
    )


def save_credential(s: Session, agent_id: int, cred: Credential) -> None:
    row = s.get(AgentCredential, agent_id) or AgentCredential(agent_id=agent_id)
    row.password_hash, row.password_set_at = cred.password_hash, cred.password_set_at
    row.enrol_code_hash, row.enrol_expires_at = cred.enrol_code_hash, cred.enrol_expires_at
    row.failures, row.locked_until = cred.failures, cred.locked_until
    s.add(row)
    s.flush()


def agents_with_password(s: Session) -> set[int]:
    """Ids of the agents who can log in by password."""
    q = select(AgentCredential.agent_id).where(col(AgentCredential.password_hash).is_not(None))
    return set(s.exec(q).all())
