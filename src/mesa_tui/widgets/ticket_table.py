"""The queue's table: one page of tickets, updated in place by ticket id.

It only ever holds a page. Reaching its edges with the cursor asks the screen
for the next or previous page (`PageRequested`); the screen answers with
`show_page`. A refresh that brings the same tickets in the same order only
rewrites the cells that changed, so the cursor and the scroll never jump.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from mesa_tui.domain.queue import PageDirection, QueueRow, SlaView, SortKey
from mesa_tui.widgets.format import clip, priority_text, sla_text, status_text


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
    ColumnSpec("sla", "ANS", 10, SortKey.DUE),
    ColumnSpec("agent", "Agente", 0, SortKey.AGENT, share=25),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_SLA_INDEX = [c.key for c in COLUMNS].index("sla")
_PADDING = 1  # cell padding on each side


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


class TicketTable(DataTable):
    """A page of the queue. Row keys are ticket ids (as strings)."""

    BINDINGS = [
        Binding("enter", "open", "Abrir", id="queue.open", tooltip="Abrir el caso seleccionado"),
        Binding(
            "j,down", "down", "Bajar", show=False, id="queue.down",
            tooltip="Bajar una fila; en la última, pasar a la página siguiente",
        ),
        Binding(
            "k,up", "up", "Subir", show=False, id="queue.up",
            tooltip="Subir una fila; en la primera, volver a la página anterior",
        ),
        Binding(
            "pagedown,ctrl+f", "page('after')", "Pág. siguiente", show=False, id="queue.next_page",
            tooltip="Mostrar la página siguiente de la cola",
        ),
        Binding(
            "pageup,ctrl+b", "page('before')", "Pág. anterior", show=False, id="queue.prev_page",
            tooltip="Mostrar la página anterior de la cola",
        ),
        Binding("g,home", "page('first')", "Inicio", show=False, id="queue.top", tooltip="Ir al primer caso de la cola"),
        Binding("G,end", "page('last')", "Final", show=False, id="queue.bottom", tooltip="Ir al último caso de la cola"),
    ]

    class PageRequested(Message):
        def __init__(self, direction: PageDirection) -> None:
            super().__init__()
            self.direction = direction

    class OpenRequested(Message):
        def __init__(self, row: QueueRow) -> None:
            super().__init__()
            self.row = row

    class RowChanged(Message):
        """The row under the cursor is now another ticket (or none)."""

        def __init__(self, row: QueueRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, cell_padding=_PADDING, **kwargs)
        self._rows: list[QueueRow] = []
        self._cells: dict[int, tuple] = {}
        self._last_slas: dict[int, SlaView] = {}
        self._widths: dict[str, int] = column_widths(120)
        self._sort = SortKey.DUE
        self._descending = False
        self._has_before = False
        self._has_after = False
        self._announced: int | None = None

    # --- columns ---------------------------------------------------------------

    def on_mount(self) -> None:
        self._build_columns()

    def _header(self, spec: ColumnSpec) -> Text:
        if spec.sort is self._sort:
            return Text(f"{spec.label} {'▼' if self._descending else '▲'}", style="bold")
        return Text(spec.label)

    def _build_columns(self) -> None:
        self.clear(columns=True)
        for spec in COLUMNS:
            self.add_column(self._header(spec), width=self._widths[spec.key], key=spec.key)

    def set_sort(self, sort: SortKey, descending: bool) -> None:
        if (sort, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = sort, descending
        for spec in COLUMNS:
            self.columns[spec.key].label = self._header(spec)
        self.refresh()

    def fit_width(self, width: int) -> bool:
        """Resize the flexible columns to a new table width; True if anything changed."""
        widths = column_widths(width)
        if widths == self._widths:
            return False
        self._widths = widths
        rows = self._rows
        self._rows, self._cells = [], {}
        self._build_columns()
        if rows:
            self._fill(rows, self._last_slas)
        return True

    # --- content ---------------------------------------------------------------

    @property
    def rows_shown(self) -> list[QueueRow]:
        return list(self._rows)

    @property
    def current(self) -> QueueRow | None:
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def _cell_values(self, row: QueueRow, sla: SlaView | None) -> tuple:
        w = self._widths
        requester = row.requester_name + (f" · {row.requester_dependency}" if row.requester_dependency else "")
        return (
            row.code,
            clip(row.subject, w["subject"]),
            clip(requester, w["requester"]),
            row.service_code,
            priority_text(row.priority),
            status_text(row.status),
            sla_text(sla) if sla is not None else Text("…", style="dim"),
            clip(short_name(row.agent_name) or "—", w["agent"]),
        )

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
        self._has_before, self._has_after = has_before, has_after
        slas = slas if slas is not None else {}
        old_index = self.cursor_row
        same_order = [r.id for r in rows] == [r.id for r in self._rows]
        if same_order:
            for row in rows:
                cells = self._cell_values(row, slas.get(row.id))
                old = self._cells.get(row.id)
                if old != cells:
                    for spec, value, before in zip(COLUMNS, cells, old or (None,) * len(COLUMNS)):
                        if value != before:
                            self.update_cell(str(row.id), spec.key, value)
                    self._cells[row.id] = cells
            self._rows = list(rows)
            self._last_slas = slas
        else:
            self._fill(rows, slas)
        if not rows:
            self._announce()
            return
        ids = [r.id for r in rows]
        if keep_id in ids:
            target = ids.index(keep_id)
        elif at == "top":
            target = 0
        elif at == "bottom":
            target = len(rows) - 1
        else:
            target = min(max(old_index, 0), len(rows) - 1)
        self.move_cursor(row=target, animate=False, scroll=True)
        self._announce()

    def update_slas(self, slas: dict[int, SlaView]) -> None:
        """Fill in the SLA column of the rows on screen."""
        self._last_slas = slas
        for row in self._rows:
            sla = slas.get(row.id)
            if sla is None:
                continue
            cells = self._cell_values(row, sla)
            if self._cells.get(row.id) != cells:
                self.update_cell(str(row.id), "sla", cells[_SLA_INDEX])
                self._cells[row.id] = cells

    def _fill(self, rows: list[QueueRow], slas: dict[int, SlaView]) -> None:
        self.clear()
        self._rows = list(rows)
        self._last_slas = slas
        self._cells = {}
        for row in rows:
            cells = self._cell_values(row, slas.get(row.id))
            self._cells[row.id] = cells
            self.add_row(*cells, key=str(row.id))

    def _announce(self) -> None:
        row = self.current
        rid = row.id if row else None
        if rid != self._announced or row is None:
            self._announced = rid
            self.post_message(self.RowChanged(row))

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        self._announce()

    # --- actions ----------------------------------------------------------------

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.OpenRequested(row))

    def action_down(self) -> None:
        if self._rows and self.cursor_row >= len(self._rows) - 1:
            if self._has_after:
                self.post_message(self.PageRequested(PageDirection.AFTER))
            return
        self.action_cursor_down()

    def action_up(self) -> None:
        if self.cursor_row <= 0:
            if self._has_before:
                self.post_message(self.PageRequested(PageDirection.BEFORE))
            return
        self.action_cursor_up()

    def action_page(self, direction: str) -> None:
        self.post_message(self.PageRequested(PageDirection(direction)))
