"""The services' default clock. Tests and the demo pass their own `now` instead."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now."""
    return datetime.now(UTC)
