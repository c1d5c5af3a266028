"""The append-only audit trail. Only inserts: no function here updates or deletes events."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.store.models import TicketEvent


def plain(value: Any) -> Any:
    """A JSON-ready form of a field value (dates as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


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
    payload = {k: [plain(o), plain(n)] for k, (o, n) in (changes or {}).items()}
    s.add(
        TicketEvent(
            ticket_id=ticket_id,
            entity=entity,
            entity_key=entity_key,
            at=at,
            actor_id=actor_id,
            action=action,
            changes=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            note=note,
            operator_id=operator_id,
        )
    )


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
