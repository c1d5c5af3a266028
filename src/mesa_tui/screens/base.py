"""What every screen of the desk shares: the context, help and palette built from
the screen's own bindings, and the reference lists read when first needed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from rich.text import Text
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from mesa_tui.domain.changes import TicketChange
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.vocab import Role
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.dialogs import HelpScreen
from mesa_tui.screens.loading import Loader

R = TypeVar("R")


class MesaScreen(Screen[R]):
    """A screen of the desk: knows the desk context; `?`/F1 and the palette list its keys."""

    HELP_TITLE = ""
    HELP_NOTES: tuple[str, ...] = ()  # how to read the screen, shown above its keys in the help

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._reference: Loader[Reference] = Loader(self, "reference", self._reference_failed)

    def _bindings_in_use(self) -> list[tuple[str, Binding, DOMNode, bool]]:
        """(keys, binding, node, enabled) per binding id, in the order the screen offers them."""
        grouped: dict[str, tuple[list[str], Binding, DOMNode, bool]] = {}
        for key, active in self.active_bindings.items():
            binding = active.binding
            ident = binding.id or f"{binding.action}:{key}"
            display = self.app.get_key_display(Binding(key, binding.action))
            if ident in grouped:
                grouped[ident][0].append(display)
            else:
                grouped[ident] = ([display], binding, active.node, active.enabled)
        return [("/".join(keys), binding, node, enabled) for keys, binding, node, enabled in grouped.values()]

    def help_rows(self) -> list[tuple[str, str, str, str]]:
        """(keys, what, detail, binding id) for every key the screen offers now."""
        return [
            (keys, binding.description, binding.tooltip, binding.id)
            for keys, binding, _node, enabled in self._bindings_in_use()
            if enabled and binding.id and binding.description
        ]

    def palette_commands(self) -> Iterable[SystemCommand]:
        for keys, binding, node, enabled in self._bindings_in_use():
            if not enabled or not binding.description or binding.action in ("command_palette", "app.command_palette"):
                continue
            yield SystemCommand(
                f"{binding.description} ({keys})",
                binding.tooltip or binding.description,
                partial(self.app.run_action, binding.action, node),
            )

    def title_line(self, area: str) -> Text:
        """The top bar: the desk, the area on view and who is working."""
        actor = self.ctx.actor
        return Text.assemble(
            ("Mesa de ayuda TIC", "bold"),
            f"  ·  {area}  ·  ",
            (actor.display_name, "bold"),
            f" ({Role(actor.role).label})",
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.HELP_TITLE, self.help_rows(), self.HELP_NOTES))

    def with_reference(self, then: Callable[[Reference], None]) -> None:
        """Call `then` with the reference lists, reading them first if needed."""
        if self.ctx.reference is not None:
            then(self.ctx.reference)
        else:
            self._reference.load(self.ctx.load_reference, then)

    def _reference_failed(self, error: DeskError) -> None:
        self.notify(f"No se pudieron leer las listas de referencia: {error.message}", severity="error", markup=False)

    def tickets_changed(self, changes: tuple[TicketChange, ...]) -> None:
        """Tickets were committed elsewhere while this screen is on view: a screen
        that shows tickets reads again what it shows (a page, its ticket)."""

    def notify_refusal(self, error: DeskError) -> None:
        self.notify(error.message, title="No se pudo", severity="error", timeout=8, markup=False)
