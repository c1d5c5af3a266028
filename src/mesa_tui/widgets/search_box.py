"""The `/` box over a list, and the matching it filters by.

Reference data is small (a catalog of ~35 services, a dozen agents): a list is
read whole and filtered on screen as the person types.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.message import Message

from mesa_tui.domain.limits import SEARCH
from mesa_tui.domain.text import fold
from mesa_tui.widgets.limited import LimitedInput


def matches(query: str, *texts: str) -> bool:
    """Whether every word of `query` is in one of `texts` (accents and case ignored)."""
    haystack = fold(" ".join(texts))
    return all(word in haystack for word in fold(query).split())


class SearchBox(LimitedInput):
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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(limit=SEARCH, label="Búsqueda", **kwargs)

    def action_done(self) -> None:
        self.post_message(self.Done(self))

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Done(self))
