"""Helpers of the services tests (`from tests.services.support import ...`)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlmodel import select

from mesa_tui.services.admin import RECOMPUTE_ACTION
from mesa_tui.store.models import TicketEvent

BOG = ZoneInfo("America/Bogota")


def bog(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of 2026 in Bogotá."""
    return datetime(2026, month, day, hour, minute, tzinfo=BOG)


def events(db, *where) -> list[SimpleNamespace]:
    """The audit events that match `where`, oldest first, as plain values."""
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(*where).order_by(TicketEvent.id)).all()
        return [SimpleNamespace(**r.model_dump()) for r in rows]


def recompute_events(db, ticket_id: int) -> list[SimpleNamespace]:
    return events(db, TicketEvent.ticket_id == ticket_id, TicketEvent.action == RECOMPUTE_ACTION)
