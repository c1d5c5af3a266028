"""Lists that hold one page of a longer list: the queue's table and the SLA board's.

A paged list only ever holds a page. Reaching its edges with the cursor asks the
screen for the next or the previous page (`PageRequested`); the screen answers
with `show_page`. Both paged lists speak the same messages, so one handler on the
screen side (screens/loading.py, `Pager`) serves both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widget import Widget

from mesa_tui.domain.queue import PageDirection
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row


class PagedRow(Protocol):
    """What a paged list needs of a row: the id of the ticket it shows."""

    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=PagedRow)


def paging_bindings(prefix: str, next_page: str, prev_page: str, top: str, bottom: str) -> list[BindingType]:
    """The keys of a paged list, with ids under `prefix` and the tooltips that say
    what its pages, first and last rows are."""
    return [
        Binding("enter", "open", "Abrir", id=f"{prefix}.open", tooltip="Abrir el caso seleccionado"),
        Binding(
            "j,down",
            "down",
            "Bajar",
            show=False,
            id=f"{prefix}.down",
            tooltip="Bajar una fila; en la última, pasar a la página siguiente",
        ),
        Binding(
            "k,up",
            "up",
            "Subir",
            show=False,
            id=f"{prefix}.up",
            tooltip="Subir una fila; en la primera, volver a la página anterior",
        ),
        Binding(
            "pagedown,ctrl+f",
            "page('after')",
            "Pág. siguiente",
            show=False,
            id=f"{prefix}.next_page",
            tooltip=next_page,
        ),
        Binding(
            "pageup,ctrl+b", "page('before')", "Pág. anterior", show=False, id=f"{prefix}.prev_page", tooltip=prev_page
        ),
        Binding("g,home", "page('first')", "Inicio", show=False, id=f"{prefix}.top", tooltip=top),
        Binding("G,end", "page('last')", "Final", show=False, id=f"{prefix}.bottom", tooltip=bottom),
    ]


class PagedList(Widget, Generic[R]):
    """The paging half of a list widget: its messages and the moves at its edges.

    The widget tells where its cursor is (`_position`) and moves it (`_step`);
    keys bound to `down`, `up`, `page(...)` and `open` do the rest.
    """

    class PageRequested(Message):
        def __init__(self, direction: PageDirection) -> None:
            super().__init__()
            self.direction = direction

    class OpenRequested(Message):
        def __init__(self, row: PagedRow) -> None:
            super().__init__()
            self.row = row

    class RowChanged(Message):
        """The row under the cursor is now another ticket (or none)."""

        def __init__(self, row: PagedRow | None) -> None:
            super().__init__()
            self.row = row

    _has_before = False
    _has_after = False
    _announced: int | None = None

    @property
    def current(self) -> R | None:
        """The row under the cursor."""
        raise NotImplementedError

    def _position(self) -> tuple[int, int]:
        """(the cursor's row, how many rows the page has)."""
        raise NotImplementedError

    def _step(self, delta: int) -> None:
        """Move the cursor `delta` rows within the page."""
        raise NotImplementedError

    def _set_edges(self, has_before: bool, has_after: bool) -> None:
        self._has_before, self._has_after = has_before, has_after

    def _announce(self) -> None:
        row = self.current
        ident = row.id if row is not None else None
        if ident != self._announced or row is None:
            self._announced = ident
            self.post_message(self.RowChanged(row))

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.OpenRequested(row))

    def action_down(self) -> None:
        cursor, total = self._position()
        if total and cursor >= total - 1:
            if self._has_after:
                self.post_message(self.PageRequested(PageDirection.AFTER))
            return
        self._step(1)

    def action_up(self) -> None:
        cursor, _total = self._position()
        if cursor <= 0:
            if self._has_before:
                self.post_message(self.PageRequested(PageDirection.BEFORE))
            return
        self._step(-1)

    def action_page(self, direction: str) -> None:
        self.post_message(self.PageRequested(PageDirection(direction)))


class PagedKeyedTable(KeyedTable, PagedList[R]):
    """One page of tickets in a keyed table (the SLA board). Row keys are the
    tickets' ids as strings; subclasses give the keys (BINDINGS)."""

    def __init__(self, columns: Sequence[Column], **kwargs: Any) -> None:
        super().__init__(columns, **kwargs)
        self._tickets: dict[str, R] = {}

    @property
    def current(self) -> R | None:
        key = self.current_key
        return self._tickets.get(key) if key is not None else None

    @property
    def tickets_shown(self) -> list[R]:
        return [self._tickets[k] for k in self.keys]

    def show_page(
        self,
        tickets: Sequence[R],
        rows: Sequence[Row],
        has_before: bool,
        has_after: bool,
        keep_id: int | None = None,
        at: str | None = None,
    ) -> None:
        self._set_edges(has_before, has_after)
        self._tickets = {str(t.id): t for t in tickets}
        self.show_rows(rows, keep=str(keep_id) if keep_id is not None else None, at=at)
        self._announce()

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        self._announce()

    def _position(self) -> tuple[int, int]:
        return self.cursor_row, len(self._rows)

    def _step(self, delta: int) -> None:
        if delta > 0:
            self.action_cursor_down()
        else:
            self.action_cursor_up()
