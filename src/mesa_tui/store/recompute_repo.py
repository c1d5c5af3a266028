"""The open tickets an administrator's change recomputes (an SLA policy, a service's
category or schedule, a calendar closure, a schedule's hours), read and written back
in bulk with their events.

Thousands of tickets are recomputed at once: Core statements and plain records cost
a fraction of ORM objects, whose attribute tracking dominates at that size."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mesa_tui.domain.ticket_record import TicketRecord
from mesa_tui.domain.vocab import OPEN_STATUSES, Status
from mesa_tui.store.audit import changes_json, write_events
from mesa_tui.store.audit_chain import NewEvent
from mesa_tui.store.models import CatalogService, SlaPolicy, Ticket, table_of
from mesa_tui.store.ticket_rows import record_from, record_values

_OPEN = [s.value for s in OPEN_STATUSES]
_TICKETS = table_of(Ticket)
_SERVICES = table_of(CatalogService)
# What recomputing due times may change on a ticket.
RECOMPUTED_COLUMNS = (
    *(
        f"{which}_{name}"
        for which in ("tto", "ttr")
        for name in (
            "target_s",
            "consumed_us",
            "anchor_at",
            "paused_at",
            "stopped_at",
            "paused_us",
            "due_at",
            "met",
        )
    ),
    "sla_calendar",
    "due_at",
    "legal_due_on",
    "version",
    "updated_at",
)


def _open_tickets(s: Session, *where: sa.ColumnElement[bool]) -> list[TicketRecord]:
    """Open tickets, locked for the transaction."""
    q = (
        sa.select(_TICKETS)
        .select_from(_TICKETS.join(_SERVICES, _SERVICES.c.id == _TICKETS.c.service_id))
        .where(_TICKETS.c.status.in_(_OPEN), *where)
        .order_by(_TICKETS.c.id)
    )
    if s.get_bind().dialect.name == "postgresql":
        # SQLite serialises writers with BEGIN IMMEDIATE; PostgreSQL needs the rows locked.
        q = q.with_for_update(of=_TICKETS)
    return [record_from(row._mapping) for row in s.connection().execute(q)]


def governed_open_tickets(
    s: Session, service_id: int | None, category_id: int | None, priority: str
) -> list[TicketRecord]:
    """Open tickets of `priority` that the policy with this scope governs (whether or not
    the row exists yet): the most specific policy wins, so a category's policy governs
    its services that have none of their own, and the default governs the rest."""
    service_policy = (
        select(SlaPolicy.id)
        .where(SlaPolicy.service_id == _TICKETS.c.service_id, SlaPolicy.priority == priority)
        .exists()
    )
    category_policy = (
        select(SlaPolicy.id)
        .where(
            col(SlaPolicy.service_id).is_(None),
            SlaPolicy.category_id == _SERVICES.c.category_id,
            SlaPolicy.priority == priority,
        )
        .exists()
    )
    where = [_TICKETS.c.priority == priority]
    if service_id is not None:
        where.append(_TICKETS.c.service_id == service_id)
    elif category_id is not None:
        where += [_SERVICES.c.category_id == category_id, ~service_policy]
    else:
        where += [~service_policy, ~category_policy]
    return _open_tickets(s, *where)


def open_tickets_of_service(s: Session, service_id: int) -> list[TicketRecord]:
    return _open_tickets(s, _TICKETS.c.service_id == service_id)


def open_tickets_on_calendars(
    s: Session, codes: Collection[str], created_before: datetime | None = None, legal_terms: bool = False
) -> list[TicketRecord]:
    """Open tickets whose SLA clocks count one of the schedules `codes` (or, with
    `legal_terms`, that have a PQRS legal due date), opened before `created_before`."""
    counts: sa.ColumnElement[bool] = _TICKETS.c.sla_calendar.in_(list(codes))
    if legal_terms:
        counts = sa.or_(counts, _TICKETS.c.legal_due_on.is_not(None))
    where = [counts]
    if created_before is not None:
        where.append(_TICKETS.c.created_at < created_before)
    return _open_tickets(s, *where)


def tickets_computed_across(s: Session, start: datetime, end: datetime) -> int:
    """Tickets whose SLA time was already counted over [start, end): opened before `end`
    and still open, or resolved after `start`. Cancelled tickets no longer count."""
    q = (
        select(sa.func.count())
        .select_from(Ticket)
        .where(
            col(Ticket.created_at) < end,
            Ticket.status != Status.ANULADO.value,
            sa.or_(col(Ticket.status).in_(_OPEN), col(Ticket.ttr_stopped_at) >= start),
        )
    )
    return s.exec(q).one()


def update_tickets(s: Session, records: Sequence[TicketRecord]) -> None:
    """Write back RECOMPUTED_COLUMNS of records from the open-ticket reads (one executemany)."""
    if not records:
        return
    stmt = _TICKETS.update().where(_TICKETS.c.id == sa.bindparam("row_id"))
    params = []
    for r in records:
        values = record_values(r)
        params.append({"row_id": r.id, **{c: values[c] for c in RECOMPUTED_COLUMNS}})
    s.connection().execute(stmt, params)


def insert_ticket_events(s: Session, events: Sequence[dict[str, Any]]) -> None:
    """Many ticket audit events, chained in one insert at commit; same `changes` JSON as write_event."""
    write_events(
        s,
        [
            NewEvent(
                e["ticket_id"],
                "ticket",
                e["entity_key"],
                e["at"],
                e["actor_id"],
                e["action"],
                changes_json(e["changes"]),
                e["note"],
            )
            for e in events
        ],
    )
