"""The supervisor screens' tables: rows keyed by id, refreshed by a keyed diff.

A refresh removes the rows that left, rewrites only the cells that changed in
the rows that stayed in place and adds the rest, so a live board keeps its
cursor on the same ticket and never flickers. `BoardTable` adds the SLA
board's paging: like the queue, it holds one page and asks for the next or the
previous one at its edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from mesa_tui.domain.indicators import SlaBoardRow
from mesa_tui.domain.queue import PageDirection
from mesa_tui.widgets.format import clip

Cell = str | Text
_SCROLLBAR = 2  # kept free so a vertical scrollbar never forces a horizontal one


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0  # 0: a share of what the fixed columns leave
    share: int = 1
    numeric: bool = False  # right-aligned, header too


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]
    dim: bool = False
    style: str = ""  # applied to the whole row (a total row reads bold)


def column_widths(columns: Sequence[Column], total: int, padding: int = 1) -> dict[str, int]:
    """Each column's width for a table `total` cells wide: fixed ones as given,
    the flexible ones share the rest (the first takes what rounding leaves)."""
    fixed = sum(c.width for c in columns) + 2 * padding * len(columns) + _SCROLLBAR
    flexible = [c for c in columns if not c.width]
    free = max(total - fixed, 6 * len(flexible))
    shares = sum(c.share for c in flexible) or 1
    widths = {c.key: c.width or max(free * c.share // shares, 6) for c in columns}
    if flexible:
        widths[flexible[0].key] += max(free - sum(widths[c.key] for c in flexible), 0)
    return widths


def same_cell(a: Cell, b: Cell) -> bool:
    """Whether two cells show the same: Text's own == ignores its base style, and a
    ticket that turns from "en tiempo" to "en riesgo" may keep its text and change colour."""
    if isinstance(a, Text) and isinstance(b, Text):
        return (a.plain, a.style, a.spans, a.justify) == (b.plain, b.style, b.spans, b.justify)
    return a == b


class SupervisorTable(DataTable, inherit_bindings=False):
    """A list of a few dozen rows keyed by a string id; `show_rows` diffs by key.

    Its own keys replace DataTable's (English, without ids) so that help and the
    palette list them in Spanish and they can be remapped.
    """

    BINDINGS = [
        Binding("j,down", "cursor_down", "Bajar", show=False, id="supervisor.down", tooltip="Bajar una fila"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="supervisor.up", tooltip="Subir una fila"),
        Binding("pagedown", "page_down", "Pág. siguiente", show=False, id="supervisor.page_down", tooltip="Bajar una página"),
        Binding("pageup", "page_up", "Pág. anterior", show=False, id="supervisor.page_up", tooltip="Subir una página"),
        Binding("g,home", "scroll_top", "Inicio", show=False, id="supervisor.top", tooltip="Ir a la primera fila"),
        Binding("G,end", "scroll_bottom", "Final", show=False, id="supervisor.bottom", tooltip="Ir a la última fila"),
    ]

    def __init__(self, columns: Sequence[Column], cursor_type: str = "row", cell_padding: int = 1, **kwargs) -> None:
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(cursor_type=cursor_type, cell_padding=cell_padding, **kwargs)
        self.spec = tuple(columns)
        self._rows: list[Row] = []
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._widths = column_widths(self.spec, 116, cell_padding)

    def on_mount(self) -> None:
        self._build_columns()

    def on_resize(self) -> None:
        widths = column_widths(self.spec, self.size.width, self.cell_padding)
        if widths != self._widths:
            self._widths = widths
            rows = self._rows
            self._build_columns()
            self._rows = []
            self.show_rows(rows)

    def _build_columns(self) -> None:
        self.clear(columns=True)
        self._cells = {}
        for col in self.spec:
            label = Text(col.label, justify="right") if col.numeric else col.label
            self.add_column(label, width=self._widths[col.key], key=col.key)

    # --- content ----------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [row.key for row in self._rows]

    @property
    def current_key(self) -> str | None:
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row].key

    def _render(self, row: Row) -> tuple[Cell, ...]:
        out: list[Cell] = []
        for col, value in zip(self.spec, row.cells):
            width = self._widths[col.key]
            if isinstance(value, Text):
                text = value.copy()
                text.truncate(width, overflow="ellipsis")
            else:
                text = Text(clip(value, width))
            if col.numeric:
                text.justify = "right"
            if row.style:
                text.stylize(row.style)
            if row.dim:
                text.stylize("dim")
            out.append(text)
        return tuple(out)

    def show_rows(self, rows: Sequence[Row], keep: str | None = None, at: str | None = None) -> None:
        """Show `rows` by a keyed diff. The cursor goes to `keep` if it is still
        there, else to the top or bottom (`at`), else stays on its row (or at
        its position when that row left)."""
        target_key = keep if keep is not None or at is not None else self.current_key
        old_index = self.cursor_row
        wanted = {row.key: row for row in rows}
        order = list(wanted)
        for key in [k for k in self.keys if k not in wanted]:
            self.remove_row(key)
            del self._cells[key]
        kept = [k for k in self.keys if k in wanted]
        # The rows still in their place keep their cells; the rest are added in order.
        in_place = 0
        while in_place < len(kept) and kept[in_place] == order[in_place]:
            in_place += 1
        for key in kept[in_place:]:
            self.remove_row(key)
            del self._cells[key]
        for key in order[:in_place]:
            cells = self._render(wanted[key])
            for col, value, old in zip(self.spec, cells, self._cells[key]):
                if not same_cell(value, old):
                    self.update_cell(key, col.key, value)
            self._cells[key] = cells
        for key in order[in_place:]:
            cells = self._render(wanted[key])
            self._cells[key] = cells
            self.add_row(*cells, key=key)
        self._rows = list(wanted.values())
        if not rows:
            return
        if target_key in wanted:
            target = order.index(target_key)
        elif at == "top":
            target = 0
        elif at == "bottom":
            target = len(order) - 1
        else:
            target = min(max(old_index, 0), len(order) - 1)
        self.move_cursor(row=target, animate=False, scroll=True)


class BoardTable(SupervisorTable, inherit_bindings=False):
    """One page of the SLA board. Row keys are ticket ids (as strings)."""

    BINDINGS = [
        Binding("enter", "open", "Abrir", id="board.open", tooltip="Abrir el caso seleccionado"),
        Binding(
            "j,down", "down", "Bajar", show=False, id="board.down",
            tooltip="Bajar una fila; en la última, pasar a la página siguiente",
        ),
        Binding(
            "k,up", "up", "Subir", show=False, id="board.up",
            tooltip="Subir una fila; en la primera, volver a la página anterior",
        ),
        Binding("pagedown,ctrl+f", "page('after')", "Pág. siguiente", show=False, id="board.next_page", tooltip="Mostrar la página siguiente"),
        Binding("pageup,ctrl+b", "page('before')", "Pág. anterior", show=False, id="board.prev_page", tooltip="Mostrar la página anterior"),
        Binding("g,home", "page('first')", "Inicio", show=False, id="board.top", tooltip="Ir al caso que vence primero"),
        Binding("G,end", "page('last')", "Final", show=False, id="board.bottom", tooltip="Ir al caso que vence último"),
    ]

    class PageRequested(Message):
        def __init__(self, direction: PageDirection) -> None:
            super().__init__()
            self.direction = direction

    class OpenRequested(Message):
        def __init__(self, row: SlaBoardRow) -> None:
            super().__init__()
            self.row = row

    class RowChanged(Message):
        """The row under the cursor is now another ticket (or none)."""

        def __init__(self, row: SlaBoardRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, columns: Sequence[Column], **kwargs) -> None:
        super().__init__(columns, **kwargs)
        self._tickets: dict[str, SlaBoardRow] = {}
        self._has_before = False
        self._has_after = False
        self._announced: str | None = None

    @property
    def current(self) -> SlaBoardRow | None:
        key = self.current_key
        return self._tickets.get(key) if key is not None else None

    @property
    def tickets_shown(self) -> list[SlaBoardRow]:
        return [self._tickets[k] for k in self.keys]

    def show_page(
        self,
        tickets: Sequence[SlaBoardRow],
        rows: Sequence[Row],
        has_before: bool,
        has_after: bool,
        keep_id: int | None = None,
        at: str | None = None,
    ) -> None:
        self._has_before, self._has_after = has_before, has_after
        self._tickets = {str(t.id): t for t in tickets}
        self.show_rows(rows, keep=str(keep_id) if keep_id is not None else None, at=at)
        self._announce()

    def _announce(self) -> None:
        key = self.current_key
        if key != self._announced or key is None:
            self._announced = key
            self.post_message(self.RowChanged(self.current))

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
