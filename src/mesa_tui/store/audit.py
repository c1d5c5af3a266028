"""The append-only audit trail. Only inserts: no function here updates or deletes events.

A use case's events are kept on its session and appended to the hash chain
(store/audit_chain.py) when its transaction is about to commit, in the order
they were written, and the tickets they name are told to the sessions that
watch (store/changes.py) in the same commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.store.audit_chain import NewEvent, append
from mesa_tui.store.changes import notify_tickets
from mesa_tui.store.engine import last_in_transaction
from mesa_tui.store.models import TicketEvent

_PENDING = "mesa_audit_pending"


def plain(value: Any) -> Any:
    """A JSON-ready form of a field value (dates as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def changes_json(changes: dict[str, tuple[Any, Any]] | None) -> str:
    """The stored form of an event's changes: {field: [old, new]}, keys sorted."""
    payload = {k: [plain(o), plain(n)] for k, (o, n) in (changes or {}).items()}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def write_event(
    s: Session,
    *,
    actor_id: int | None,
    action: str,
    at: datetime,
    changes: dict[str, tuple[Any, Any]] | None = None,
    note: str = "",
    ticket_id: int | None = None,
    entity: str = "ticket",
    entity_key: str = "",
    operator_id: int | None = None,
) -> None:
    write_events(
        s, [NewEvent(ticket_id, entity, entity_key, at, actor_id, action, changes_json(changes), note, operator_id)]
    )


def write_events(s: Session, events: Sequence[NewEvent]) -> None:
    """Events for the chain, appended when this write transaction commits."""
    pending: list[NewEvent] | None = s.info.get(_PENDING)
    if pending is None:
        pending = s.info[_PENDING] = []
        last_in_transaction(s, _chain_pending)
    pending.extend(events)


def _chain_pending(s: Session) -> None:
    events = s.info.pop(_PENDING, [])
    s.flush()  # the rows the events name (a ticket just logged) are in the database first
    conn = s.connection()
    append(conn, events)
    # Every ticket change is audited: its event tells the other sessions, at commit.
    notify_tickets(conn, (e.ticket_id for e in events if e.ticket_id is not None))


def events_of_entity(s: Session, entity: str, entity_key: str) -> list[TicketEvent]:
    q = (
        select(TicketEvent)
        .where(TicketEvent.entity == entity, TicketEvent.entity_key == entity_key)
        .order_by(col(TicketEvent.id))
    )
    return list(s.exec(q).all())


def count_events(s: Session) -> int:
    """Every event of the trail, ticket and admin ones alike."""
    return s.exec(select(sa.func.count()).select_from(TicketEvent)).one()
