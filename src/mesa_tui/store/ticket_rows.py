"""How a ticket is stored: its record's fields in columns of the same name, and six
columns per SLA clock (target in seconds, times in microseconds so the arithmetic
stays exact on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import timedelta
from typing import Any

from sqlalchemy import RowMapping

from mesa_tui.domain.sla import Clock
from mesa_tui.domain.ticket_record import TicketRecord

US = timedelta(microseconds=1)
CLOCK_FIELDS = ("target_s", "consumed_us", "anchor_at", "paused_at", "stopped_at", "paused_us")
# Both clocks' columns, TTO's first.
CLOCK_COLUMNS = tuple(f"{w}_{f}" for w in ("tto", "ttr") for f in CLOCK_FIELDS)
# A ticket row's values by column name: a result row's mapping or a plain dict.
ColumnValues = Mapping[str, Any] | RowMapping


def clock_of(row: Any, which: str) -> Clock:
    """The `which` ("tto" or "ttr") clock of anything with the ticket's clock columns
    as attributes: an ORM row or a result row."""
    return clock_from({f"{which}_{f}": getattr(row, f"{which}_{f}") for f in CLOCK_FIELDS}, which)


def clock_values(which: str, clock: Clock) -> dict[str, Any]:
    """The six stored columns of a clock."""
    return {
        f"{which}_target_s": int(clock.target.total_seconds()),
        f"{which}_consumed_us": clock.consumed // US,
        f"{which}_anchor_at": clock.anchor,
        f"{which}_paused_at": clock.paused_at,
        f"{which}_stopped_at": clock.stopped_at,
        f"{which}_paused_us": clock.paused_total // US,
    }


# The record's fields stored in a column of the same name (all but the id and the clocks).
PLAIN_COLUMNS = tuple(f.name for f in fields(TicketRecord) if f.name not in ("id", "tto", "ttr"))
TICKET_COLUMNS = ("id", *PLAIN_COLUMNS, *CLOCK_COLUMNS)


def record_from(values: ColumnValues) -> TicketRecord:
    """The domain record of a ticket from its column values (a result row's mapping:
    thousands of them are read at once, and a mapping is the fast way in)."""
    return TicketRecord(
        id=values["id"],
        **{c: values[c] for c in PLAIN_COLUMNS},
        tto=clock_from(values, "tto"),
        ttr=clock_from(values, "ttr"),
    )


def record_of(row: Any) -> TicketRecord:
    """The domain record of a ticket row read through the ORM."""
    return record_from({c: getattr(row, c) for c in TICKET_COLUMNS})


def record_values(record: TicketRecord) -> dict[str, Any]:
    """Every stored column of a record but the id."""
    return {
        **{c: getattr(record, c) for c in PLAIN_COLUMNS},
        **clock_values("tto", record.tto),
        **clock_values("ttr", record.ttr),
    }


def clock_from(values: ColumnValues, which: str) -> Clock:
    """The `which` clock from a row's column values (see record_from)."""
    return Clock(
        target=timedelta(seconds=values[f"{which}_target_s"]),
        consumed=values[f"{which}_consumed_us"] * US,
        anchor=values[f"{which}_anchor_at"],
        paused_at=values[f"{which}_paused_at"],
        stopped_at=values[f"{which}_stopped_at"],
        paused_total=values[f"{which}_paused_us"] * US,
    )
