"""The dialogs every screen uses: an action's form (which runs its use case
itself), a yes/no question, one line of text, and the help.

Titles, intros and messages are shown as written: they quote subjects and names.

An action dialog is handed the use case to run (`run(values) -> result`) and
runs it itself, in a thread worker: a validation refusal then shows next to the
field it is about and the dialog stays open with what was typed; so does a
database that is busy or out of reach, whose sentence shows in the dialog (the
same keys try again). Any other refusal (permission, transition, conflict)
closes the dialog and goes back to the screen, which says so and reloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.limits import REASON
from mesa_tui.screens.loading import UNEXPECTED, Loader
from mesa_tui.services.errors import ValidationError
from mesa_tui.store.errors import StoreError
from mesa_tui.widgets.form import FormField, show_field_errors
from mesa_tui.widgets.limited import LimitedInput
from mesa_tui.widgets.plain import plain

R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """How an action dialog ended: what the use case returned, or its refusal
    (then `error` is set and `info` means nothing)."""

    info: R
    error: DeskError | None = None


class ActionDialog(ModalScreen[Outcome[R] | None], Generic[R]):
    """Base of the action dialogs: fields, a confirm button, Esc to back out."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="dialog.cancel", tooltip="Cerrar el diálogo sin cambiar nada"),
        Binding("ctrl+s", "submit", "Confirmar", id="dialog.submit", tooltip="Confirmar y ejecutar la acción"),
    ]

    def __init__(
        self, title: str, run: Callable[[dict[str, Any]], R], confirm: str = "Confirmar", intro: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.run = run
        self.confirm = confirm
        self.intro = intro
        self.busy = False
        self.runner: Loader[R] = Loader(self, "dialog", self._failed, unexpected=UNEXPECTED)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(plain(self.title_text), id="dialog-title")
            if self.intro:
                yield Static(plain(self.intro), id="dialog-intro")
            yield from self.fields()
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.confirm, variant="primary", id="submit")
                yield Button("Cancelar", id="cancel")
        # A dialog lives seconds: Textual's Footer is fine here (long-lived screens use KeyBar).
        yield Footer(compact=True)

    def fields(self) -> ComposeResult:
        yield from ()

    def values(self) -> dict[str, Any]:
        return {}

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        """Input the dialog can refuse before asking the service (field -> message)."""
        return {}

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.action_submit()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_submit(self) -> None:
        if self.busy:
            return
        self._general_error(None)
        values = self.values()
        problems = self.problems(values)
        show_field_errors(self, problems)
        if problems:
            self._focus_field(next(iter(problems)))
            return
        self.busy = True
        self.add_class("-busy")
        self.runner.load(partial(self.run, values), self._succeeded)

    def _succeeded(self, info: R) -> None:
        self.dismiss(Outcome(info))

    def _failed(self, error: DeskError) -> None:
        self.busy = False
        self.remove_class("-busy")
        if isinstance(error, ValidationError):
            if show_field_errors(self, {error.field: error.message}):
                self._focus_field(error.field)
            else:
                self._general_error(error.message)
            return
        if isinstance(error, StoreError):
            self._general_error(error.message)  # nothing was written: the same keys try again
            return
        self.dismiss(Outcome[Any](None, error))

    def _general_error(self, message: str | None) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(plain(message or ""))
        error.set_class(bool(message), "-shown")

    def _focus_field(self, name: str) -> None:
        for widget in self.query(f"#field-{name} > *"):
            if widget.focusable:
                widget.focus()
                return


class ConfirmDialog(ActionDialog[R]):
    """A yes/no question for the actions that need no input."""

    def __init__(
        self, title: str, question: str, run: Callable[[dict[str, Any]], R], confirm: str = "Sí, confirmar"
    ) -> None:
        super().__init__(title, run, confirm=confirm, intro=question)


class ReasonDialog(ActionDialog[R]):
    """One line of text: the reason of a wait, a reopening, a cancellation."""

    def __init__(
        self,
        title: str,
        label: str,
        run: Callable[[dict[str, Any]], R],
        field: str = "reason",
        placeholder: str = "",
        confirm: str = "Confirmar",
        intro: str = "",
        limit: int = REASON,
    ) -> None:
        super().__init__(title, run, confirm=confirm, intro=intro)
        self.label = label
        self.field = field
        self.placeholder = placeholder
        self.limit = limit  # domain/limits.py: what the use case takes

    def fields(self) -> ComposeResult:
        box = LimitedInput(placeholder=self.placeholder, id=f"input-{self.field}", limit=self.limit)
        yield FormField(self.label, box, self.field)

    def values(self) -> dict[str, Any]:
        return {self.field: self.query_one(f"#input-{self.field}", Input).value}


class OneFieldDialog(ReasonDialog[R]):
    """One line of text that starts with the current value: a name, a setting."""

    def __init__(
        self,
        title: str,
        label: str,
        run: Callable[[dict[str, Any]], R],
        field: str = "name",
        value: str = "",
        confirm: str = "Guardar",
        intro: str = "",
        limit: int = REASON,
    ) -> None:
        super().__init__(title, label, run, field=field, confirm=confirm, intro=intro, limit=limit)
        self.initial = value

    def on_mount(self) -> None:
        box = self.query_one(f"#input-{self.field}", Input)
        box.value = self.initial
        box.cursor_position = len(self.initial)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, with what it does."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Cerrar", id="help.close", tooltip="Cerrar la ayuda"),
    ]

    def __init__(self, title: str, rows: Sequence[tuple[str, str, str, str]], notes: Sequence[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.notes = notes  # how to read the screen, above its keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Tecla", style="bold cyan", no_wrap=True)
        table.add_column("Acción", no_wrap=True)
        table.add_column("Detalle", style="dim", ratio=1)
        table.add_column("Id", style="dim italic", no_wrap=True)
        for row in self.rows:
            table.add_row(*map(plain, row))  # the keys come from the person's keys.toml
        with Vertical(id="dialog", classes="wide"):
            yield Label(plain(f"Ayuda · {self.title_text}"), id="dialog-title")
            with VerticalScroll(id="help-body"):
                for note in self.notes:
                    yield Static(plain(note), classes="help-note")
                yield Static(table)
            yield Static(
                Text('Para cambiar una tecla: ~/.config/mesa-tui/keys.toml con [keys] y una línea id = "tecla".'),
                classes="field-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
