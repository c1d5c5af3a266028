"""The admin lists: a table of a few dozen rows keyed by id, and the search box over it.

Reference data is small (a catalog of ~35 services, a dozen agents), so a list
is read whole; a reload that brings the same keys in the same order only
rewrites the cells that changed, so the cursor and the scroll never jump.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input

from mesa_tui.widgets.format import clip

Cell = str | Text

_PADDING = 1  # cell padding on each side
_SCROLLBAR = 2  # kept free so a vertical scrollbar never forces a horizontal one


def fold(text: str) -> str:
    """Lower case without accents, so «informatica» finds «Informática»."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(query: str, *texts: str) -> bool:
    """Whether every word of `query` is in one of `texts` (accents and case ignored)."""
    haystack = fold(" ".join(texts))
    return all(word in haystack for word in fold(query).split())


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0  # 0: a share of what the fixed columns leave
    share: int = 1


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]
    dim: bool = False  # inactive entries read dimmed
    label: Cell | None = None  # a row header the cursor can't land on


def column_widths(columns: Sequence[Column], total: int) -> dict[str, int]:
    fixed = sum(c.width for c in columns) + 2 * _PADDING * len(columns) + _SCROLLBAR
    free = max(total - fixed, 8 * sum(1 for c in columns if not c.width))
    shares = sum(c.share for c in columns if not c.width) or 1
    widths = {c.key: c.width or max(free * c.share // shares, 6) for c in columns}
    flexible = [c for c in columns if not c.width]
    if flexible:
        widths[flexible[0].key] += max(free - sum(widths[c.key] for c in flexible), 0)
    return widths


class AdminTable(DataTable, inherit_bindings=False):
    """Rows keyed by a string id; `show_rows` updates them in place.

    Its own keys replace DataTable's (English, without ids) so that help and the
    palette list them in Spanish and they can be remapped; Enter is left to the
    panel, which edits the row under the cursor.
    """

    BINDINGS = [
        Binding("j,down", "cursor_down", "Bajar", show=False, id="admin.down", tooltip="Bajar una fila"),
        Binding("k,up", "cursor_up", "Subir", show=False, id="admin.up", tooltip="Subir una fila"),
        Binding("pagedown", "page_down", "Pág. siguiente", show=False, id="admin.page_down", tooltip="Bajar una página"),
        Binding("pageup", "page_up", "Pág. anterior", show=False, id="admin.page_up", tooltip="Subir una página"),
        Binding("g,home", "scroll_top", "Inicio", show=False, id="admin.top", tooltip="Ir a la primera fila"),
        Binding("G,end", "scroll_bottom", "Final", show=False, id="admin.bottom", tooltip="Ir a la última fila"),
    ]

    def __init__(self, columns: Sequence[Column], cursor_type: str = "row", **kwargs) -> None:
        super().__init__(cursor_type=cursor_type, zebra_stripes=True, cell_padding=_PADDING, **kwargs)
        self.spec = tuple(columns)
        self._rows: list[Row] = []
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._widths = column_widths(self.spec, 116)

    def on_mount(self) -> None:
        self._build_columns()

    def on_resize(self) -> None:
        widths = column_widths(self.spec, self.size.width)
        if widths != self._widths:
            self._widths = widths
            self._build_columns()
            self._fill(self._rows)

    def _build_columns(self) -> None:
        self.clear(columns=True)
        self._cells = {}
        for col in self.spec:
            self.add_column(col.label, width=self._widths[col.key], key=col.key)

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
            if row.dim:
                text.stylize("dim")
            out.append(text)
        return tuple(out)

    def show_rows(self, rows: Sequence[Row], keep: str | None = None) -> None:
        """Show `rows`; the cursor stays on `keep` (or its current row) when it is still there."""
        target_key = keep if keep is not None else self.current_key
        old_index = self.cursor_row
        if [r.key for r in rows] == self.keys and len(self._cells) == len(rows):
            for row in rows:
                cells = self._render(row)
                before = self._cells[row.key]
                for col, value, old in zip(self.spec, cells, before):
                    if value != old:
                        self.update_cell(row.key, col.key, value)
                self._cells[row.key] = cells
            self._rows = list(rows)
        else:
            self._fill(rows)
        if not rows:
            return
        keys = self.keys
        target = keys.index(target_key) if target_key in keys else min(max(old_index, 0), len(rows) - 1)
        self.move_cursor(row=target, animate=False, scroll=True)

    def _fill(self, rows: Sequence[Row]) -> None:
        self.clear()
        self._rows = list(rows)
        self._cells = {}
        for row in rows:
            cells = self._render(row)
            self._cells[row.key] = cells
            self.add_row(*cells, key=row.key, label=row.label)


class SearchBox(Input):
    """The `/` box over a list: Enter or down goes back to the list, Esc clears it."""

    BINDINGS = [
        Binding("down,enter", "done", "Ir a la lista", show=False, id="admin.search_done", tooltip="Volver a la lista con la búsqueda puesta"),
        Binding("escape", "clear", "Quitar búsqueda", show=False, id="admin.search_clear", tooltip="Borrar la búsqueda y volver a la lista"),
    ]

    class Done(Message):
        def __init__(self, box: SearchBox) -> None:
            super().__init__()
            self.box = box

        @property
        def control(self) -> SearchBox:
            return self.box

    def action_done(self) -> None:
        self.post_message(self.Done(self))

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Done(self))
