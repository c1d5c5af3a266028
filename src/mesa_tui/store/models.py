"""Tables of the help desk. Every datetime is stored aware, in UTC.

Business-time quantities (SLA consumed time) are integer microseconds so the
arithmetic stays exact across SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive values are refused.

    SQLite has no time zone type, so values are normalised to UTC on the way in
    and tagged as UTC on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def sqlite_text(value: datetime) -> str:
    """How UTCDateTime stores an instant in SQLite (SQLAlchemy's DATETIME text, in
    UTC), for the bulk inserts that hand rows to the driver directly."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _dt(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime(), nullable=nullable, index=index)


class ServiceCategory(SQLModel, table=True):
    __tablename__ = "service_category"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)


class CatalogService(SQLModel, table=True):
    __tablename__ = "catalog_service"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=7, unique=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text())
    category_id: int = Field(foreign_key="service_category.id", index=True)
    users: str = Field(default="", max_length=200)
    hours: str = Field(default="", max_length=120)
    channels: str = Field(default="", max_length=300)
    ans_text: str = Field(default="", sa_type=sa.Text())
    active: bool = Field(default=True)


class Schedule(SQLModel, table=True):
    """Named weekly hours that SLA clocks count (domain.schedules). Never deleted: tickets
    keep its code in `sla_calendar`. "office" and "24x7" are built in and fixed."""

    __tablename__ = "schedule"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True)
    name: str = Field(max_length=60, unique=True)
    week: str = Field(sa_type=sa.Text())  # JSON: seven day texts, Monday first ("08:00-12:00, 14:00-18:00")
    holidays: bool = Field(default=True)  # closes on public holidays and the entity's closures
    active: bool = Field(default=True)


class ServiceSchedule(SQLModel, table=True):
    """The schedule of a service that has its own; a service without a row keeps Oficina."""

    __tablename__ = "service_schedule"
    service_id: int = Field(foreign_key="catalog_service.id", primary_key=True)
    schedule_id: int = Field(foreign_key="schedule.id", index=True)


class SupportGroup(SQLModel, table=True):
    __tablename__ = "support_group"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    level: int = Field(default=1)
    active: bool = Field(default=True)


class Agent(SQLModel, table=True):
    __tablename__ = "agent"
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=60, unique=True)
    full_name: str = Field(max_length=120)
    role: str = Field(max_length=12)  # agent | supervisor | admin
    level: int = Field(default=1)
    group_id: int | None = Field(default=None, foreign_key="support_group.id", index=True)
    active: bool = Field(default=True)


class AgentCredential(SQLModel, table=True):
    """A password account's secrets, kept apart from the agent row every screen reads:
    the argon2id hash of the password, the hash of the one-time enrolment code an
    administrator issued, and the count of consecutive failed logins."""

    __tablename__ = "agent_credential"
    agent_id: int = Field(foreign_key="agent.id", primary_key=True)
    password_hash: str | None = Field(default=None, max_length=200)
    password_set_at: datetime | None = _dt(nullable=True)
    enrol_code_hash: str | None = Field(default=None, max_length=200)
    enrol_expires_at: datetime | None = _dt(nullable=True)
    failures: int = Field(default=0)
    locked_until: datetime | None = _dt(nullable=True)


class AgentSshKey(SQLModel, table=True):
    """An agent's SSH public key: a line of the service account's authorized_keys while
    the agent is active. A key opens one agent's session only: its fingerprint is unique."""

    __tablename__ = "agent_ssh_key"
    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="agent.id", index=True)
    key_type: str = Field(max_length=40)
    key_data: str = Field(sa_type=sa.Text())  # the base64 blob
    comment: str = Field(default="", max_length=200)
    fingerprint: str = Field(max_length=60, unique=True)  # SHA256:..., as ssh-keygen -l prints it
    added_at: datetime = _dt()
    added_by_id: int | None = Field(default=None, foreign_key="agent.id")


class AgentSession(SQLModel, table=True):
    """An interactive session (terminal, SSH, browser): open while `ended_at` is empty
    and its process keeps `seen_at` fresh (domain/sessions.py)."""

    __tablename__ = "agent_session"
    __table_args__ = (sa.Index("ix_agent_session_open", "ended_at", "seen_at"),)
    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="agent.id", index=True)
    operator_id: int | None = Field(default=None, foreign_key="agent.id")
    kind: str = Field(max_length=12)  # terminal | ssh | navegador
    method: str = Field(default="", max_length=120)  # how they proved who they are
    origin: str = Field(default="", max_length=200)  # where from: SSH client, terminal
    started_at: datetime = _dt()
    seen_at: datetime = _dt()
    ended_at: datetime | None = _dt(nullable=True)
    end_reason: str = Field(default="", max_length=200)
    ended_by_id: int | None = Field(default=None, foreign_key="agent.id")


class Dependency(SQLModel, table=True):
    """A dependency of the entity (Secretaría de Hacienda...): a list admins keep. Never
    deleted (requesters point to it); an inactive one is offered to nobody new."""

    __tablename__ = "dependency"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    active: bool = Field(default=True)


class Requester(SQLModel, table=True):
    """A person the desk serves (domain/requesters.py). `email` is stored lower case and
    unique when present (NULL when absent: both engines let NULLs repeat in a unique
    index), so mail finds its sender by one index lookup; so is the document.
    `search_text` is the folded name, e-mail and document the directory searches."""

    __tablename__ = "requester"
    __table_args__ = (
        sa.Index("ix_requester_email", "email", unique=True),
        sa.Index("ix_requester_document", "document_type", "document_number", unique=True),
        sa.Index("ix_requester_name", "name", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    document_type: str | None = Field(default=None, max_length=3)
    document_number: str | None = Field(default=None, max_length=20)
    dependency_id: int | None = Field(default=None, foreign_key="dependency.id", index=True)
    email: str | None = Field(default=None, max_length=120)
    phone: str = Field(default="", max_length=30)
    extension: str = Field(default="", max_length=10)
    position: str = Field(default="", max_length=120)
    vip: bool = Field(default=False)
    notes: str = Field(default="", sa_type=sa.Text())
    search_text: str = Field(default="", max_length=300)
    privacy_notice_version: str | None = Field(default=None, max_length=20)
    privacy_notice_at: datetime | None = _dt(nullable=True)
    anonymized: bool = Field(default=False)
    anonymized_at: datetime | None = _dt(nullable=True)
    active: bool = Field(default=True)
    created_at: datetime = _dt()
    updated_at: datetime = _dt()


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        sa.Index("ix_ticket_status_due", "status", "due_at", "id"),
        sa.Index("ix_ticket_agent_status_due", "agent_id", "status", "due_at", "id"),
        sa.Index("ix_ticket_group_status_due", "group_id", "status", "due_at", "id"),
        # The SLA board's order: by priority, then due time, one range per (status, priority).
        sa.Index("ix_ticket_status_priority_due", "status", "priority", "due_at", "id"),
        sa.Index("ix_ticket_created", "created_at", "id"),
        # Supervisor aggregations and indicators: covering indexes, so a year
        # of a million tickets is counted without touching the table.
        sa.Index(
            "ix_ticket_supervisor",
            "status",
            "level",
            "agent_id",
            "service_id",
            "created_at",
            "sla_calendar",
            "due_at",
            "tto_stopped_at",
            "tto_target_s",
            "ttr_target_s",
        ),
        sa.Index("ix_ticket_created_kpi", "created_at", "status", "nature"),
        sa.Index("ix_ticket_resolved_kpi", "resolved_at", "status", "nature", "solution_mode", "ttr_met"),
        sa.Index("ix_ticket_first_response", "first_response_at", "status", "tto_met"),
        # A requester's tickets, newest first; the queue's search by e-mail.
        sa.Index("ix_ticket_requester", "requester_id", "created_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    version: int = Field(default=1)
    requester_name: str = Field(max_length=120)
    requester_dependency: str = Field(default="", max_length=120)
    requester_contact: str = Field(default="", max_length=120)
    # The requester; the three columns above are the ticket's snapshot of them (kept in
    # step by the requester's edits) so the queue and the indicators never join.
    requester_id: int | None = Field(default=None, foreign_key="requester.id")
    channel: str = Field(max_length=30)
    service_id: int = Field(foreign_key="catalog_service.id", index=True)
    type: str = Field(max_length=20)
    subject: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text())
    impact: int = Field(default=3)
    urgency: int = Field(default=3)
    priority: str = Field(max_length=10)
    nature: str | None = Field(default=None, max_length=20)
    status: str = Field(max_length=12)
    level: int = Field(default=1)
    group_id: int | None = Field(default=None, foreign_key="support_group.id")
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    created_by_id: int | None = Field(default=None, foreign_key="agent.id")
    created_at: datetime = _dt()
    updated_at: datetime = _dt()
    first_response_at: datetime | None = _dt(nullable=True)
    resolved_at: datetime | None = _dt(nullable=True)
    closed_at: datetime | None = _dt(nullable=True)
    solution: str | None = Field(default=None, sa_type=sa.Text())
    solution_mode: str | None = Field(default=None, max_length=10)  # remoto | en_sitio
    legal_due_on: date | None = Field(default=None)
    wait_reason: str | None = Field(default=None, max_length=200)
    # SLA: the calendar both clocks run on and the two clocks' state.
    sla_calendar: str = Field(max_length=8)  # code of a schedule: office | 24x7 | HOR-001...
    tto_target_s: int
    tto_consumed_us: int = Field(default=0, sa_type=sa.BigInteger())
    tto_anchor_at: datetime | None = _dt(nullable=True)
    tto_paused_at: datetime | None = _dt(nullable=True)
    tto_stopped_at: datetime | None = _dt(nullable=True)
    tto_paused_us: int = Field(default=0, sa_type=sa.BigInteger())
    tto_due_at: datetime = _dt()
    tto_met: bool | None = Field(default=None)
    ttr_target_s: int
    ttr_consumed_us: int = Field(default=0, sa_type=sa.BigInteger())
    ttr_anchor_at: datetime | None = _dt(nullable=True)
    ttr_paused_at: datetime | None = _dt(nullable=True)
    ttr_stopped_at: datetime | None = _dt(nullable=True)
    ttr_paused_us: int = Field(default=0, sa_type=sa.BigInteger())
    ttr_due_at: datetime = _dt()
    ttr_met: bool | None = Field(default=None)
    # Due time of the clock that is running now (TTO until first response,
    # then TTR): what queues sort and page by.
    due_at: datetime = _dt()


class TicketEvent(SQLModel, table=True):
    """Append-only audit trail, hash-chained. Ticket events carry ticket_id;
    admin changes carry entity/entity_key instead. `operator_id` is the administrator
    who acted for `actor_id` (`--as`), when someone did."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        sa.Index("ix_event_ticket", "ticket_id", "id"),
        sa.Index("ix_event_entity", "entity", "entity_key", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    entity: str = Field(default="ticket", max_length=20)
    entity_key: str = Field(default="", max_length=40)
    at: datetime = _dt()
    actor_id: int | None = Field(default=None, foreign_key="agent.id")
    action: str = Field(max_length=30)
    changes: str = Field(default="{}", sa_type=sa.Text())  # JSON {field: [old, new]}
    note: str = Field(default="", sa_type=sa.Text())
    operator_id: int | None = Field(default=None, foreign_key="agent.id")
    # The hash chain (store/audit_chain.py): the previous event's hash, this
    # event's, and the version of the canonical form it was computed over.
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    hash_version: int


class AuditHead(SQLModel, table=True):
    """The audit chain's last event (one row, id 1): what the next event chains
    to, locked by each writer on PostgreSQL, and what the newest events are
    checked against."""

    __tablename__ = "audit_head"
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_id: int
    last_hash: str = Field(max_length=64)


class Comment(SQLModel, table=True):
    __tablename__ = "comment"
    __table_args__ = (sa.Index("ix_comment_ticket", "ticket_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    author_id: int | None = Field(default=None, foreign_key="agent.id")
    at: datetime = _dt()
    body: str = Field(sa_type=sa.Text())
    public: bool = Field(default=False)


class SlaPolicy(SQLModel, table=True):
    """Targets per priority, for one service, one category, or the default
    (both empty). The most specific match wins."""

    __tablename__ = "sla_policy"
    __table_args__ = (sa.UniqueConstraint("service_id", "category_id", "priority", name="uq_sla_policy_scope"),)
    id: int | None = Field(default=None, primary_key=True)
    service_id: int | None = Field(default=None, foreign_key="catalog_service.id")
    category_id: int | None = Field(default=None, foreign_key="service_category.id")
    priority: str = Field(max_length=10)
    tto_minutes: int
    ttr_minutes: int
    calendar: str = Field(default="office", max_length=8)  # office (the service's hours) | 24x7
    # Whether the 24x7 hours cover every ticket type; by default only incidents.
    all_types: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class PriorityRule(SQLModel, table=True):
    __tablename__ = "priority_rule"
    impact: int = Field(primary_key=True)
    urgency: int = Field(primary_key=True)
    priority: str = Field(max_length=10)


class CalendarClosure(SQLModel, table=True):
    __tablename__ = "calendar_closure"
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    reason: str = Field(default="", max_length=200)


class Survey(SQLModel, table=True):
    __tablename__ = "survey"
    __table_args__ = (sa.Index("ix_survey_at_score", "at", "score"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    score: int
    comment: str = Field(default="", sa_type=sa.Text())
    at: datetime = _dt()


class Setting(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)


class Counter(SQLModel, table=True):
    """Sequences for readable codes (one row per name, e.g. ticket:2026)."""

    __tablename__ = "counter"
    name: str = Field(primary_key=True, max_length=40)
    value: int = Field(default=0)


def table_of(model: type[SQLModel]) -> sa.Table:
    """A table model's Core table, for the reads and bulk writes that skip the ORM."""
    table = model.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table=True models
    assert isinstance(table, sa.Table)
    return table
