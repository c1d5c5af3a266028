"""Form pieces: a labelled field with its validation message right under it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from mesa_tui.widgets.plain import plain


class FormField(Vertical):
    """Label, control and the message that explains what is wrong with it.

    The field's `name` is the service's field name (`ValidationError.field`),
    so a refusal lands next to the control it is about. Label, hint and message
    are shown as written (a refusal may quote what was typed).
    """

    DEFAULT_CLASSES = "form-field"

    def __init__(self, label: str, control: Widget, name: str, hint: str = "", **kwargs: Any) -> None:
        super().__init__(id=f"field-{name}", **kwargs)
        self._label = label
        self._control = control
        self._hint = hint
        self.field_name = name

    @property
    def label(self) -> str:
        return self._label

    def compose(self) -> ComposeResult:
        yield Label(plain(self._label), classes="field-label")
        yield self._control
        if self._hint:
            yield Static(plain(self._hint), classes="field-hint")
        yield Static("", classes="field-error", id=f"error-{self.field_name}")

    def set_error(self, message: str | None) -> None:
        error = self.query_one(f"#error-{self.field_name}", Static)
        error.update(plain(message or ""))
        self.set_class(bool(message), "-invalid")


def show_field_errors(root: Widget, errors: dict[str, str]) -> bool:
    """Show each message next to its field and clear the others; False if a
    message names a field this form does not have."""
    fields = {f.field_name: f for f in root.query(FormField)}
    for name, field in fields.items():
        field.set_error(errors.get(name))
    return all(name in fields for name in errors)
