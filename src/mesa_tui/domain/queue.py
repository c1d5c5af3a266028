"""What the agents' queue asks for and what each row shows: pure values.

The queue never holds more than a page: `QueueQuery` says which tickets and in
which order, `PageRequest` says which page of them (keyset: the sort value and
id of the row the page starts after or before), and `QueuePage` is the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.sla import Clock, ClockState, format_remaining
from mesa_tui.domain.text import thousands
from mesa_tui.domain.vocab import OPEN_STATUSES, PRIORITY_ORDER, Priority, Status

# How far a filtered count goes before it says "more than".
COUNT_CAP = 1000


class QueueView(StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    GROUP = "group"
    OPEN = "open"

    @property
    def label(self) -> str:
        return VIEW_LABELS[self]


VIEW_LABELS = {
    QueueView.MINE: "Mis casos",
    QueueView.UNASSIGNED: "Sin asignar",
    QueueView.GROUP: "Mi grupo",
    QueueView.OPEN: "Todos los abiertos",
}


class SortKey(StrEnum):
    DUE = "due"
    CODE = "code"
    SUBJECT = "subject"
    REQUESTER = "requester"
    SERVICE = "service"
    PRIORITY = "priority"
    STATUS = "status"
    AGENT = "agent"

    @property
    def label(self) -> str:
        return SORT_LABELS[self]


SORT_LABELS = {
    SortKey.DUE: "Vencimiento ANS",
    SortKey.CODE: "Código",
    SortKey.SUBJECT: "Asunto",
    SortKey.REQUESTER: "Solicitante",
    SortKey.SERVICE: "Servicio",
    SortKey.PRIORITY: "Prioridad",
    SortKey.STATUS: "Estado",
    SortKey.AGENT: "Agente",
}

# Statuses in the order a queue sorts them: the order of the workflow.
STATUS_ORDER = tuple(Status)
PRIORITY_RANK = {p.value: i for i, p in enumerate(PRIORITY_ORDER)}
STATUS_RANK = {s.value: i for i, s in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class QueueQuery:
    """Which tickets a queue shows and in which order.

    `status` None means every open status; any other status (resolved, closed,
    cancelled...) replaces the open set, so a closed ticket can be found too.
    """

    view: QueueView = QueueView.OPEN
    text: str = ""
    status: Status | None = None
    priority: Priority | None = None
    service_code: str | None = None
    level: int | None = None
    sort: SortKey = SortKey.DUE
    descending: bool = False

    @property
    def statuses(self) -> tuple[Status, ...]:
        return (self.status,) if self.status is not None else OPEN_STATUSES

    @property
    def filtered(self) -> bool:
        return bool(self.text.strip()) or any(
            v is not None for v in (self.status, self.priority, self.service_code, self.level)
        )

    def cleared(self) -> QueueQuery:
        """The same view and order with no filters."""
        return QueueQuery(view=self.view, sort=self.sort, descending=self.descending)

    def with_(self, **changes: Any) -> QueueQuery:
        return replace(self, **changes)

    def describe_filters(self) -> str:
        """The active filters in Spanish, for the filter bar ("" when none)."""
        parts = []
        if self.text.strip():
            parts.append(f"texto «{self.text.strip()}»")
        if self.status is not None:
            parts.append(f"estado {self.status.label}")
        if self.priority is not None:
            parts.append(f"prioridad {self.priority.label}")
        if self.service_code:
            parts.append(f"servicio {self.service_code}")
        if self.level is not None:
            parts.append(f"nivel {self.level}")
        return ", ".join(parts)

    def describe_sort(self) -> str:
        return f"{self.sort.label} {'↓' if self.descending else '↑'}"


class PageDirection(StrEnum):
    FIRST = "first"
    LAST = "last"
    AFTER = "after"  # the page after the cursor row
    BEFORE = "before"  # the page before the cursor row
    FROM = "from"  # the page starting at the cursor row (refresh in place)


@dataclass(frozen=True)
class PageCursor:
    """A row's place in the order: its sort value and its id (the tie-break)."""

    value: Any
    id: int


@dataclass(frozen=True)
class PageRequest:
    direction: PageDirection = PageDirection.FIRST
    cursor: PageCursor | None = None
    size: int = 30

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("page size must be at least 1")
        needs_cursor = self.direction in (PageDirection.AFTER, PageDirection.BEFORE, PageDirection.FROM)
        if needs_cursor and self.cursor is None:
            raise ValueError(f"{self.direction} paging needs a cursor")


@dataclass(frozen=True)
class SlaView:
    """What the SLA column shows for a row at one moment."""

    state: ClockState
    remaining: str
    which: str  # "tto" (respuesta) or "ttr" (solución)


@dataclass(frozen=True)
class QueueRow:
    id: int
    code: str
    version: int
    subject: str
    requester_name: str
    requester_dependency: str
    service_code: str
    service_name: str
    priority: str
    impact: int
    urgency: int
    nature: str | None
    type: str
    status: str
    level: int
    agent_id: int | None
    agent_name: str
    group_id: int | None
    group_name: str
    due_at: datetime
    sla_calendar: str
    clock_kind: str  # which clock runs now: "tto" until the first response, then "ttr"
    clock: Clock
    cursor: PageCursor

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def is_open(self) -> bool:
        return Status(self.status) in OPEN_STATUSES

    def sla(self, cal: BusinessCalendar, now: datetime, risk: float) -> SlaView:
        return SlaView(
            state=self.clock.state(cal, now, risk),
            remaining=format_remaining(self.clock.remaining(cal, now)),
            which=self.clock_kind,
        )


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    has_before: bool
    has_after: bool
    request: PageRequest = field(default_factory=PageRequest)

    @property
    def first(self) -> PageCursor | None:
        return self.rows[0].cursor if self.rows else None

    @property
    def last(self) -> PageCursor | None:
        return self.rows[-1].cursor if self.rows else None


@dataclass(frozen=True)
class QueueCount:
    """How many tickets a query matches, counted up to COUNT_CAP."""

    value: int
    capped: bool

    def label(self) -> str:
        if self.capped:
            return f">{thousands(self.value)}"
        return thousands(self.value)


def normalize_text(text: str) -> str:
    """The text filter as typed, trimmed and with inner runs of spaces collapsed."""
    return " ".join(text.split())
