"""How a ticket's SLA clocks are stored: six columns per clock (target in seconds,
times in microseconds so the arithmetic stays exact on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mesa_tui.domain.sla import Clock

US = timedelta(microseconds=1)
CLOCK_FIELDS = ("target_s", "consumed_us", "anchor_at", "paused_at", "stopped_at", "paused_us")
# Both clocks' columns, TTO's first.
CLOCK_COLUMNS = tuple(f"{w}_{f}" for w in ("tto", "ttr") for f in CLOCK_FIELDS)


def clock_of(row: Any, which: str) -> Clock:
    """The `which` ("tto" or "ttr") clock of anything with the ticket's clock columns
    as attributes: an ORM row or a result row."""
    g = lambda name: getattr(row, f"{which}_{name}")  # noqa: E731
    return Clock(
        target=timedelta(seconds=g("target_s")),
        consumed=g("consumed_us") * US,
        anchor=g("anchor_at"),
        paused_at=g("paused_at"),
        stopped_at=g("stopped_at"),
        paused_total=g("paused_us") * US,
    )
