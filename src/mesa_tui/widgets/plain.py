"""Text shown as it is written: what people and mail supply is never read as markup.

Textual reads a str handed to a Static, a Label, a Select or OptionList option or
a table cell as content markup, and Rich reads a str cell of a Table the same
way: a requester named "Ana [/var]" stopped the app for every agent who opened
the ticket, and "[link=file:///...]" showed a live link. So the desk hands those
widgets `Text`, which is plain by construction: `plain(text)` for one piece,
`Text.assemble(...)` for a line of styled pieces, `plain_options(...)` for a
Select. Control characters (escape sequences) are shown as «?», never sent
to the terminal. The desk's own widgets take str and make it plain themselves (FormField,
the dialogs' titles, intros and errors, KeyedTable, TicketTable), and every
toast is sent with `markup=False`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.text import Text

from mesa_tui.domain.text import printable

V = TypeVar("V")


def plain(text: str | Text, style: str = "") -> Text:
    """`text` exactly as written, never read as markup (a Text is kept as it is)."""
    if isinstance(text, Text):
        return text
    return Text(printable(text), style=style)


def plain_options(options: Iterable[tuple[str, V]]) -> list[tuple[Text, V]]:
    """A Select's (label, value) pairs, the labels shown as written."""
    return [(plain(label), value) for label, value in options]
