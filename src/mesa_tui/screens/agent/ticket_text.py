"""The ticket's own text (description and solution), never cut: a scrollable pane in
the detail and a "ver completo" dialog with all of it, at any terminal size."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from mesa_tui.domain.tickets import TicketInfo
from mesa_tui.widgets.format import mode_label
from mesa_tui.widgets.plain import plain

# Scrolling keys shared by the pane and the dialog (arrows, PgUp/PgDn, Home/End come
# with VerticalScroll itself).
_SCROLL_KEYS: list[BindingType] = [
    Binding("j", "scroll_down", "Bajar", show=False, id="ticket_text.down", tooltip="Bajar en el texto"),
    Binding("k", "scroll_up", "Subir", show=False, id="ticket_text.up", tooltip="Subir en el texto"),
    Binding("space", "page_down", "Página", show=False, id="ticket_text.page", tooltip="Bajar una página"),
    Binding("g", "scroll_home", "Inicio", show=False, id="ticket_text.home", tooltip="Ir al principio del texto"),
    Binding("G", "scroll_end", "Final", show=False, id="ticket_text.end", tooltip="Ir al final del texto"),
]


def ticket_texts(info: TicketInfo) -> Text:
    """The description and, when there is one, the solution, whole and as typed."""
    text = Text.assemble(("Descripción:", "bold"), "\n")
    text.append_text(plain(info.description or "—"))
    if info.solution:
        text.append("\n\n")
        mode = f" ({mode_label(info.solution_mode).lower()})" if info.solution_mode else ""
        text.append(f"Solución{mode}:", style="bold green")
        text.append("\n")
        text.append_text(plain(info.solution))
    return text


class TicketTextPane(VerticalScroll):
    """The description and solution in the detail: as tall as the screen allows, the
    rest reached by scrolling (tab focuses it; l opens everything in a dialog)."""

    BINDINGS = _SCROLL_KEYS

    def compose(self) -> ComposeResult:
        yield Static("", id="ticket-text-body")

    def show(self, info: TicketInfo) -> None:
        self.query_one("#ticket-text-body", Static).update(ticket_texts(info))


class FullTextDialog(ModalScreen[None]):
    """All of the ticket's text, scrollable: Esc goes back."""

    BINDINGS = [
        Binding("escape,q,l", "close", "Volver", id="ticket_text.close", tooltip="Volver al caso"),
    ]

    def __init__(self, info: TicketInfo) -> None:
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="full-text"):
            yield Label(plain(f"{self.info.code} · {self.info.subject}"), id="dialog-title")
            yield TicketTextPane(id="full-text")
            yield Label("↑↓ j k  PgUp PgDn espacio  Inicio/Fin g G · Esc volver", id="full-text-keys")

    def on_mount(self) -> None:
        pane = self.query_one("#full-text", TicketTextPane)
        pane.show(self.info)
        pane.focus()

    def action_close(self) -> None:
        self.dismiss(None)
