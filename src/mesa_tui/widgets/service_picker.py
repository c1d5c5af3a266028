"""Pick a catalog service by typing part of its code, name or category."""

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

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.limits import SEARCH
from mesa_tui.widgets.limited import LimitedInput
from mesa_tui.widgets.search_box import matches


def matching(services: Sequence[CatalogEntry], query: str) -> list[CatalogEntry]:
    """Services whose code, name or category contain every word typed (accents and case ignored)."""
    return [s for s in services if matches(query, s.code, s.name, s.category)]


def _label(s: CatalogEntry, width: int) -> Text:
    """One line per service (the list wraps long ones otherwise)."""
    text = Text.assemble((s.code, "bold"), f"  {s.name}  ", (s.category.lower(), "dim"))
    text.truncate(width, overflow="ellipsis")
    return text


class ServicePicker(Vertical):
    """A search box over the catalog; up/down move in the matches, enter picks."""

    BINDINGS = [
        Binding("down", "move(1)", "Siguiente", show=False, id="picker.down", tooltip="Siguiente servicio de la lista"),
        Binding("up", "move(-1)", "Anterior", show=False, id="picker.up", tooltip="Servicio anterior de la lista"),
    ]

    class Chosen(Message):
        def __init__(self, picker: ServicePicker, entry: CatalogEntry) -> None:
            super().__init__()
            self.picker = picker
            self.entry = entry

    def __init__(self, services: Sequence[CatalogEntry] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = list(services)
        self.value: CatalogEntry | None = None
        self._shown: list[CatalogEntry] = []

    def compose(self) -> ComposeResult:
        yield LimitedInput(
            placeholder="Escriba código, nombre o categoría y elija con Enter",
            id="service-search",
            compact=True,
            limit=SEARCH,
        )
        yield OptionList(id="service-options")
        yield Static(Text("Ningún servicio elegido", style="dim"), id="service-chosen")

    def on_mount(self) -> None:
        self.query_one("#service-options", OptionList).can_focus = False
        self._filter("")

    def on_resize(self) -> None:
        self._filter(self.query_one("#service-search", Input).value)

    def set_services(self, services: Sequence[CatalogEntry]) -> None:
        self.services = list(services)
        self._filter(self.query_one("#service-search", Input).value)

    @on(Input.Changed, "#service-search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        self._shown = matching(self.services, text)
        options = self.query_one("#service-options", OptionList)
        width = max((options.size.width or 58) - 2, 20)
        options.set_options(Option(_label(s, width), id=s.code) for s in self._shown)
        if self._shown:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#service-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#service-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#service-options", OptionList)
        if options.highlighted is not None and self._shown:
            self.choose(self._shown[options.highlighted])

    @on(OptionList.OptionSelected, "#service-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(self._shown[event.option_index])

    def choose(self, entry: CatalogEntry) -> None:
        self.value = entry
        self.query_one("#service-chosen", Static).update(
            Text.assemble(("✓ ", "green"), (entry.code, "bold"), f" · {entry.name} ", (f"({entry.category})", "dim"))
        )
        self.post_message(self.Chosen(self, entry))
