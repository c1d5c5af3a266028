"""Text fields that stop at their limit (domain/limits.py) and say so.

Textual's Input drops a whole paste that would go past its max_length without a
word, and a TextArea has no limit at all. These keep what fits; when a paste had
to be cut, a notice names the field and its limit (a key typed into a full field
rings the bell). The use case refuses anything longer anyway: the field is
where a person sees it at once.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from mesa_tui.domain.text import thousands
from mesa_tui.widgets.form import FormField


def _fit(widget: Widget, text: str, room: int, limit: int, label: str) -> str:
    """What of `text` fits in `room` more characters; a paste that had to be cut is announced."""
    if len(text) <= room:
        return text
    kept = text[: max(room, 0)]
    if len(text) == 1:
        widget.app.bell()
        return kept
    field = label or next((a.label for a in widget.ancestors if isinstance(a, FormField)), "El campo")
    widget.notify(
        f"«{field}» admite hasta {thousands(limit)} caracteres: "
        f"de lo pegado entraron {thousands(len(kept))} de {thousands(len(text))}.",
        title="Texto recortado",
        severity="warning",
        timeout=8,
        markup=False,
    )
    return kept


class LimitedInput(Input):
    """One line of at most `limit` characters; `label` names it in the notice
    (by default the label of the form field it is in)."""

    def __init__(self, value: str | None = None, *, limit: int, label: str = "", **kwargs: Any) -> None:
        super().__init__(value, max_length=limit, **kwargs)
        self.limit = limit
        self.field_label = label

    def replace(self, text: str, start: int, end: int) -> None:
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        kept = _fit(self, text, self.limit - (len(value) - (end - start)), self.limit, self.field_label)
        if kept or not text:
            super().replace(kept, start, end)


class LimitedTextArea(TextArea):
    """A text box of at most `limit` characters (line breaks count)."""

    def __init__(self, text: str = "", *, limit: int, label: str = "", **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.limit = limit
        self.field_label = label

    def edit(self, edit: Edit) -> EditResult:
        # Every change goes through here: keys, a paste, insert() and replace().
        start, end = sorted((edit.from_location, edit.to_location))
        room = self.limit - (len(self.text) - len(self.get_text_range(start, end)))
        kept = _fit(self, edit.text, room, self.limit, self.field_label)
        if kept != edit.text:
            edit = Edit(kept, edit.from_location, edit.to_location, edit.maintain_selection_offset)
        return super().edit(edit)
