"""What the desk tells a session about tickets changed elsewhere (another agent's
session, the CLI, the auto-close): which ticket, at which version, and who did it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from mesa_tui.domain.tickets import acted_by


@dataclass(frozen=True)
class TicketChange:
    """A ticket committed at `version`. `ticket_id` None: many tickets changed at
    once (a recompute, a reconnection that may have missed some): read again."""

    ticket_id: int | None
    version: int | None = None

    @property
    def many(self) -> bool:
        return self.ticket_id is None


ANY_TICKET = TicketChange(None)


def touches(changes: Iterable[TicketChange], ticket_id: int, version: int) -> bool:
    """Whether `changes` may have moved the ticket beyond `version`."""
    return any(c.many or (c.ticket_id == ticket_id and (c.version or 0) > version) for c in changes)


@dataclass(frozen=True)
class LastChange:
    """A ticket's version now, and its newest event (a comment too): when, and by whom."""

    ticket_id: int
    version: int
    at: datetime | None
    actor_name: str
    operator_name: str = ""

    @property
    def by(self) -> str:
        return acted_by(self.actor_name, self.operator_name)


def ago(seconds: float) -> str:
    """ "hace 5 s", "hace 3 min", "hace 2 h": how long ago, short."""
    s = max(int(seconds), 0)
    if s < 60:
        return f"hace {s} s"
    if s < 3600:
        return f"hace {s // 60} min"
    return f"hace {s // 3600} h"
