"""The queue's table: one page of tickets, drawn line by line.

It only ever holds a page, and pages like the SLA board (widgets/paging.py):
reaching its edges with the cursor asks the screen for the next or previous page
(`PageRequested`); the screen answers with `show_page`. Rows are kept as plain (text, style) cells and each line is built
as a strip of segments when painted: no per-cell renderables to measure, so a
page swap, a refresh or a focus change repaints in a few milliseconds (the
built-in DataTable takes tens, which is what an agent feels as a stall).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from mesa_tui.domain.queue import QueueRow, SlaView, SortKey
from mesa_tui.widgets.format import clip, priority_text, sla_text, status_text
from mesa_tui.widgets.keyed_table import cursor_row_after
from mesa_tui.widgets.paging import PagedList, paging_bindings


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    width: int  # 0: shares what the fixed columns leave
    sort: SortKey
    share: int = 0


COLUMNS = (
    ColumnSpec("code", "Código", 15, SortKey.CODE),
    ColumnSpec("subject", "Asunto", 0, SortKey.SUBJECT, share=42),
    ColumnSpec("requester", "Solicitante", 0, SortKey.REQUESTER, share=33),
    ColumnSpec("service", "Servicio", 8, SortKey.SERVICE),
    ColumnSpec("priority", "Prioridad", 9, SortKey.PRIORITY),
    ColumnSpec("status", "Estado", 10, SortKey.STATUS),
    ColumnSpec("sla", "ANS", 16, SortKey.DUE),
    ColumnSpec("agent", "Agente", 0, SortKey.AGENT, share=25),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_SLA_INDEX = [c.key for c in COLUMNS].index("sla")
_PADDING = 1  # blank cells on each side of a column

Cell = tuple[str, str]  # text, Rich style


def short_name(full_name: str) -> str:
    """First name and first surname: what fits in the agent column."""
    return " ".join(full_name.split()[:2])


def column_widths(total: int) -> dict[str, int]:
    """Each column's width for a table `total` cells wide."""
    fixed = sum(c.width for c in COLUMNS if c.width) + 2 * _PADDING * len(COLUMNS)
    free = max(total - fixed, 30)
    shares = sum(c.share for c in COLUMNS)
    widths = {c.key: c.width or max(free * c.share // shares, 6) for c in COLUMNS}
    # Give what rounding left over to the subject.
    widths["subject"] += max(free - sum(widths[c.key] for c in COLUMNS if not c.width), 0)
    return widths


@lru_cache(maxsize=256)
def _style(definition: str) -> Style:
    return Style.parse(definition) if definition else Style.null()


def _cell(text: Text | str) -> Cell:
    if isinstance(text, Text):
        return text.plain, str(text.style) if text.style else ""
    return text, ""


class TicketTable(PagedList[QueueRow], can_focus=True):
    """A page of the queue: a header line and one line per ticket."""

    DEFAULT_CSS = """
    TicketTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .ticket-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .ticket-table--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .ticket-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .ticket-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .ticket-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"ticket-table--header", "ticket-table--even-row", "ticket-table--cursor"}

    BINDINGS = paging_bindings(
        "queue",
        next_page="Mostrar la página siguiente de la cola",
        prev_page="Mostrar la página anterior de la cola",
        top="Ir al primer caso de la cola",
        bottom="Ir al último caso de la cola",
    )

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class SortRequested(Message):
        """A column header was clicked."""

        def __init__(self, sort: SortKey) -> None:
            super().__init__()
            self.sort = sort

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[QueueRow] = []
        self._cells: dict[int, tuple[Cell, ...]] = {}
        self._slas: dict[int, SlaView] = {}
        self._widths: dict[str, int] = column_widths(120)
        self._sort = SortKey.DUE
        self._descending = False
        self._strips: dict[tuple[int, bool], Strip] = {}

    # --- what is shown ---------------------------------------------------------

    @property
    def rows_shown(self) -> list[QueueRow]:
        return list(self._rows)

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def current(self) -> QueueRow | None:
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def cell_text(self, ticket_id: int, key: str) -> str:
        return self._cells[ticket_id][list(COLUMN_BY_KEY).index(key)][0]

    def header_text(self, key: str) -> str:
        return self._header(COLUMN_BY_KEY[key])

    def _header(self, spec: ColumnSpec) -> str:
        if spec.sort is self._sort:
            return f"{spec.label} {'▼' if self._descending else '▲'}"
        return spec.label

    def _cell_values(self, row: QueueRow, sla: SlaView | None) -> tuple[Cell, ...]:
        w = self._widths
        requester = row.requester_name + (f" · {row.requester_dependency}" if row.requester_dependency else "")
        return (
            (row.code, ""),
            (clip(row.subject, w["subject"]), ""),
            (clip(requester, w["requester"]), ""),
            (row.service_code, ""),
            _cell(priority_text(row.priority)),
            _cell(status_text(row.status)),
            _cell(sla_text(sla)) if sla is not None else ("…", "dim"),
            (clip(short_name(row.agent_name) or "—", w["agent"]), ""),
        )

    def _rebuild_cells(self) -> None:
        self._cells = {row.id: self._cell_values(row, self._slas.get(row.id)) for row in self._rows}
        self._strips.clear()
        self.refresh()

    # --- changes from the screen -------------------------------------------------

    def show_page(
        self,
        rows: list[QueueRow],
        slas: dict[int, SlaView] | None,
        has_before: bool,
        has_after: bool,
        keep_id: int | None = None,
        at: str | None = None,
    ) -> None:
        """Show a page. The cursor goes to `keep_id` if it is on the page, else to
        the top or bottom (`at`), else stays at the same position."""
        self._set_edges(has_before, has_after)
        old_index = self.cursor_row
        self._rows = list(rows)
        self._slas = dict(slas or {})
        self._rebuild_cells()
        self.cursor_row = cursor_row_after([r.id for r in rows], keep_id, at, old_index) if rows else 0

    def update_slas(self, slas: dict[int, SlaView]) -> None:
        """Fill in the SLA column of the rows on screen."""
        self._slas.update(slas)
        self._rebuild_cells()

    def set_sort(self, sort: SortKey, descending: bool) -> None:
        self._sort, self._descending = sort, descending
        self._strips.clear()
        self.refresh()

    def fit_width(self, width: int) -> bool:
        """Resize the flexible columns to a new table width; True if anything changed."""
        widths = column_widths(width)
        if widths == self._widths:
            return False
        self._widths = widths
        self._rebuild_cells()
        return True

    # --- painting ------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_focus(self) -> None:
        self._strips.clear()

    def on_blur(self) -> None:
        self._strips.clear()

    def watch_cursor_row(self, old: int, new: int) -> None:
        if self._rows:
            clamped = min(max(new, 0), len(self._rows) - 1)
            if clamped != new:
                self.cursor_row = clamped
                return
        self.refresh()
        self._announce()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            key = (-1, False)
        elif y - 1 < len(self._rows):
            key = (y - 1, y - 1 == self.cursor_row)
        else:
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._strips[key] = self._line(key[0], key[1], width)
        return strip

    def _line(self, index: int, cursor: bool, width: int) -> Strip:
        base = self.rich_style
        if index < 0:
            row_style = base + self.get_component_rich_style("ticket-table--header")
            cells: tuple[Cell, ...] = tuple((self._header(spec), "") for spec in COLUMNS)
        else:
            row_style = base
            if index % 2 == 1:
                row_style += self.get_component_rich_style("ticket-table--even-row")
            cells = self._cells[self._rows[index].id]
        cursor_style = self.get_component_rich_style("ticket-table--cursor") if cursor else None
        pad = " " * _PADDING
        segments = []
        for spec, (text, style) in zip(COLUMNS, cells, strict=True):
            cell_style = row_style + _style(style)
            if cursor_style is not None:
                cell_style = row_style + cursor_style + Style(bold=_style(style).bold)
            segments.append(Segment(pad, row_style if cursor_style is None else row_style + cursor_style))
            segments.append(Segment(set_cell_size(text, self._widths[spec.key]), cell_style))
            segments.append(Segment(pad, row_style if cursor_style is None else row_style + cursor_style))
        fill = row_style if cursor_style is None else row_style + cursor_style
        return Strip(segments).adjust_cell_length(width, fill)

    # --- input ----------------------------------------------------------------------

    def _position(self) -> tuple[int, int]:
        return self.cursor_row, len(self._rows)

    def _step(self, delta: int) -> None:
        if self._rows:
            self.cursor_row += delta

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for spec in COLUMNS:
                x -= self._widths[spec.key] + 2 * _PADDING
                if x < 0:
                    self.post_message(self.SortRequested(spec.sort))
                    return
            return
        index = event.y - 1
        if 0 <= index < len(self._rows):
            self.cursor_row = index
            if event.chain >= 2:
                self.action_open()
