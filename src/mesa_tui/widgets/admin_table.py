"""The admin lists: a table of a few dozen rows keyed by id, and the search box over it.

Reference data is small (a catalog of ~35 services, a dozen agents), so a list
is read whole; a reload that brings the same keys in the same order only
rewrites the cells that changed, so the cursor and the scroll never jump.
"""

from __future__ import annotations

import unicodedata

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row, table_bindings

__all__ = ["AdminTable", "Column", "Row", "SearchBox", "matches"]


def fold(text: str) -> str:
    """Lower case without accents, so «informatica» finds «Informática»."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(query: str, *texts: str) -> bool:
    """Whether every word of `query` is in one of `texts` (accents and case ignored)."""
    haystack = fold(" ".join(texts))
    return all(word in haystack for word in fold(query).split())


class AdminTable(KeyedTable, inherit_bindings=False):
    """Enter is left to the panel, which edits the row under the cursor."""

    BINDINGS = table_bindings("admin")
    MIN_FLEX_WIDTH = 8


class SearchBox(Input):
    """The `/` box over a list: Enter or down goes back to the list, Esc clears it."""

    BINDINGS = [
        Binding(
            "down,enter",
            "done",
            "Ir a la lista",
            show=False,
            id="admin.search_done",
            tooltip="Volver a la lista con la búsqueda puesta",
        ),
        Binding(
            "escape",
            "clear",
            "Quitar búsqueda",
            show=False,
            id="admin.search_clear",
            tooltip="Borrar la búsqueda y volver a la lista",
        ),
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
