"""Pick a requester from the directory by typing part of their name, e-mail or document,
or ask for a new one. The directory lives in the database: the picker posts `Query` as
the text changes and the screen answers with `show_matches` (attributes down, messages up)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mesa_tui.domain.limits import SEARCH
from mesa_tui.domain.requesters import RequesterInfo
from mesa_tui.widgets.limited import LimitedInput

NEW = "new"


def _label(r: RequesterInfo, width: int) -> Text:
    text = Text.assemble((r.name, "bold"), f"  {r.email or r.phone_text}  ", (r.dependency_name, "dim"))
    if r.vip:
        text.append("  VIP", style="bold magenta")
    text.truncate(width, overflow="ellipsis")
    return text


def chosen_text(r: RequesterInfo) -> Text:
    text = Text.assemble(("✓ ", "green"), (r.name, "bold"))
    for part in (r.dependency_name, r.contact, r.document):
        if part:
            text.append(f" · {part}")
    if r.vip:
        text.append("  VIP", style="bold magenta")
    return text


class RequesterPicker(Vertical):
    """A search box over the directory; up/down move in the matches, enter picks (the
    last option creates a requester with what was typed)."""

    BINDINGS = [
        Binding(
            "down", "move(1)", "Siguiente", show=False, id="requester_picker.down", tooltip="Siguiente solicitante"
        ),
        Binding("up", "move(-1)", "Anterior", show=False, id="requester_picker.up", tooltip="Solicitante anterior"),
    ]

    class Query(Message):
        """The text typed changed: the screen reads the matches."""

        def __init__(self, picker: RequesterPicker, text: str) -> None:
            super().__init__()
            self.picker = picker
            self.text = text

    class Chosen(Message):
        def __init__(self, picker: RequesterPicker, requester: RequesterInfo) -> None:
            super().__init__()
            self.picker = picker
            self.requester = requester

    class NewWanted(Message):
        """The person is not in the directory: create them (starting from the text typed)."""

        def __init__(self, picker: RequesterPicker, text: str) -> None:
            super().__init__()
            self.picker = picker
            self.text = text

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.value: RequesterInfo | None = None
        self._shown: list[RequesterInfo] = []

    def compose(self) -> ComposeResult:
        yield LimitedInput(
            placeholder="Nombre, correo o documento; Enter elige (o crea uno nuevo)",
            id="requester-search",
            compact=True,
            limit=SEARCH,
        )
        yield OptionList(id="requester-options")
        yield Static(Text("Ningún solicitante elegido", style="dim"), id="requester-chosen")

    def on_mount(self) -> None:
        options = self.query_one("#requester-options", OptionList)
        options.can_focus = False
        options.display = False

    @property
    def text(self) -> str:
        return self.query_one("#requester-search", Input).value

    @on(Input.Changed, "#requester-search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Query(self, event.value))
        else:
            self.show_matches("", [])

    def show_matches(self, text: str, found: Sequence[RequesterInfo]) -> None:
        """The matches of `text` (dropped when the box says something else by now)."""
        if text != self.text:
            return
        self._shown = list(found)
        options = self.query_one("#requester-options", OptionList)
        # One line per person (the list wraps long ones otherwise), room left for the scrollbar.
        width = max((self.size.width or 58) - 4, 20)
        items = [Option(_label(r, width), id=str(r.id)) for r in self._shown]
        if text.strip():
            items.append(Option(Text.assemble(("+ Nuevo solicitante: ", "bold green"), text.strip()), id=NEW))
        options.set_options(items)
        options.display = bool(items)
        if items:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#requester-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#requester-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#requester-options", OptionList)
        if options.highlighted is not None and options.option_count:
            self._pick(options.highlighted)

    @on(OptionList.OptionSelected, "#requester-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int) -> None:
        if index < len(self._shown):
            self.choose(self._shown[index])
        else:
            self.post_message(self.NewWanted(self, self.text.strip()))

    def choose(self, requester: RequesterInfo) -> None:
        self.value = requester
        self.query_one("#requester-options", OptionList).display = False
        self.query_one("#requester-chosen", Static).update(chosen_text(requester))
        self.post_message(self.Chosen(self, requester))

    def clear(self) -> None:
        self.value = None
        self.query_one("#requester-chosen", Static).update(Text("Ningún solicitante elegido", style="dim"))
