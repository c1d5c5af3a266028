"""The supervisor screens' tables, on the shared keyed table (widgets/keyed_table.py).

A refresh removes the rows that left, rewrites only the cells that changed in
the rows that stayed in place and adds the rest, so a live board keeps its
cursor on the same ticket and never flickers. `BoardTable` adds the SLA
board's paging: like the queue, it holds one page and asks for the next or the
previous one at its edges.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.message import Message

from mesa_tui.domain.board import SlaBoardRow
from mesa_tui.domain.queue import PageDirection
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row, table_bindings

__all__ = ["BoardTable", "Column", "Row", "SupervisorTable"]


class SupervisorTable(KeyedTable, inherit_bindings=False):
    BINDINGS = table_bindings("supervisor")


class BoardTable(SupervisorTable, inherit_bindings=False):
    """One page of the SLA board. Row keys are ticket ids (as strings)."""

    BINDINGS = [
        Binding("enter", "open", "Abrir", id="board.open", tooltip="Abrir el caso seleccionado"),
        Binding(
            "j,down",
            "down",
            "Bajar",
            show=False,
            id="board.down",
            tooltip="Bajar una fila; en la última, pasar a la página siguiente",
        ),
        Binding(
            "k,up",
            "up",
            "Subir",
            show=False,
            id="board.up",
            tooltip="Subir una fila; en la primera, volver a la página anterior",
        ),
        Binding(
            "pagedown,ctrl+f",
            "page('after')",
            "Pág. siguiente",
            show=False,
            id="board.next_page",
            tooltip="Mostrar la página siguiente",
        ),
        Binding(
            "pageup,ctrl+b",
            "page('before')",
            "Pág. anterior",
            show=False,
            id="board.prev_page",
            tooltip="Mostrar la página anterior",
        ),
        Binding(
            "g,home", "page('first')", "Inicio", show=False, id="board.top", tooltip="Ir al caso que vence primero"
        ),
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
