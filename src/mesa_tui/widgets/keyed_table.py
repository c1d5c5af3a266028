"""A DataTable of rows keyed by id, refreshed by a keyed diff: the admin lists,
the supervisor's tables and (with paging, widgets/paging.py) the SLA board.

A refresh removes the rows that left, rewrites only the cells that changed in
the rows that stayed in place and adds the rest, so a list keeps its cursor on
the same row and never flickers. A str cell is shown as written (DataTable
would read it as markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingsMap
from textual.widgets import DataTable
from textual.widgets.data_table import CursorType

from mesa_tui.widgets.format import clip
from mesa_tui.widgets.plain import plain

Cell = str | Text
K = TypeVar("K")
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
    dim: bool = False  # inactive entries read dimmed
    style: str = ""  # applied to the whole row (a total row reads bold)
    label: Cell | None = None  # a row header the cursor can't land on


def column_widths(columns: Sequence[Column], total: int, padding: int = 1, min_flex: int = 6) -> dict[str, int]:
    """Each column's width for a table `total` cells wide: fixed ones as given,
    the flexible ones share the rest, at least `min_flex` each in all (the first
    takes what rounding leaves)."""
    fixed = sum(c.width for c in columns) + 2 * padding * len(columns) + _SCROLLBAR
    flexible = [c for c in columns if not c.width]
    free = max(total - fixed, min_flex * len(flexible))
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


def cursor_row_after(keys: list[K], keep: K | None, at: str | None, old: int) -> int:
    """Where the cursor goes in a list just shown (not empty): on `keep` if it is
    there, else to the top or the bottom (`at`), else where it was."""
    if keep is not None and keep in keys:
        return keys.index(keep)
    if at == "top":
        return 0
    if at == "bottom":
        return len(keys) - 1
    return min(max(old, 0), len(keys) - 1)


def table_bindings(prefix: str) -> list[Binding]:
    """DataTable's moves with Spanish descriptions and ids under `prefix`, so help
    and the palette list them and they can be remapped."""
    return [
        Binding("j,down", "cursor_down", "Bajar", show=False, id=f"{prefix}.down", tooltip="Bajar una fila"),
        Binding("k,up", "cursor_up", "Subir", show=False, id=f"{prefix}.up", tooltip="Subir una fila"),
        Binding(
            "pagedown", "page_down", "Pág. siguiente", show=False, id=f"{prefix}.page_down", tooltip="Bajar una página"
        ),
        Binding("pageup", "page_up", "Pág. anterior", show=False, id=f"{prefix}.page_up", tooltip="Subir una página"),
        Binding("g,home", "scroll_top", "Inicio", show=False, id=f"{prefix}.top", tooltip="Ir a la primera fila"),
        Binding("G,end", "scroll_bottom", "Final", show=False, id=f"{prefix}.bottom", tooltip="Ir a la última fila"),
    ]


class KeyedTable(DataTable[Text], inherit_bindings=False):
    """A list of a few dozen rows keyed by a string id; `show_rows` diffs by key.

    `moves` names the ids of its moving keys (`table_bindings(moves)`: "admin",
    "supervisor"), which replace DataTable's English ones without ids; a subclass
    may add its own BINDINGS, or give them all and no `moves`.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        moves: str | None = None,
        min_flex: int = 6,
        cursor_type: CursorType = "row",
        cell_padding: int = 1,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(cursor_type=cursor_type, cell_padding=cell_padding, **kwargs)
        if moves is not None:
            # Textual merges BINDINGS per class; the ids of the moving keys are chosen per list.
            own = BindingsMap(table_bindings(moves)).key_to_bindings
            self._bindings = BindingsMap.from_keys({**own, **self._bindings.key_to_bindings})
        self.spec = tuple(columns)
        self.min_flex = min_flex  # the least each flexible column gets on a narrow screen
        self._rows: list[Row] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._widths = column_widths(self.spec, 116, cell_padding, min_flex)

    def on_mount(self) -> None:
        self._build_columns()

    def on_resize(self) -> None:
        widths = column_widths(self.spec, self.size.width, self.cell_padding, self.min_flex)
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
            label = Text(col.label, justify="right") if col.numeric else Text(col.label)
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

    def _cells_of(self, row: Row) -> tuple[Text, ...]:
        out: list[Text] = []
        for col, value in zip(self.spec, row.cells, strict=False):
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
            cells = self._cells_of(wanted[key])
            for col, value, old in zip(self.spec, cells, self._cells[key], strict=False):
                if not same_cell(value, old):
                    self.update_cell(key, col.key, value)
            self._cells[key] = cells
        for key in order[in_place:]:
            cells = self._cells_of(wanted[key])
            self._cells[key] = cells
            label = wanted[key].label
            self.add_row(*cells, key=key, label=plain(label) if label is not None else None)
        self._rows = list(wanted.values())
        if rows:
            self.move_cursor(row=cursor_row_after(order, target_key, at, old_index), animate=False, scroll=True)
