"""The keys of the current screen, on one line at the bottom.

Textual's Footer rebuilds a widget per key every time the bindings change (a
cursor move, a focus change), and in 8.2 each rebuild leaves the old key
widgets referenced by its data bindings: over a working day they pile up and
make every full garbage collection slower. This bar is a single widget that
redraws one line of text instead.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
        }
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # x ranges of each key on the line, for clicks: (start, end, node, action)
        self._spans: list[tuple[int, int, DOMNode, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        self.refresh()

    def _shown(self) -> list[tuple[Binding, DOMNode]]:
        seen: set[str] = set()
        shown: list[tuple[Binding, DOMNode]] = []
        palette = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (binding, active.node)
                continue
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((binding, active.node))
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            shown.append(palette)
        return shown

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for binding, node in self._shown():
            start = line.cell_len
            line.append(f" {self.app.get_key_display(binding)} ", style=key_style)
            line.append(f"{binding.description or 'Comandos'} ", style=description_style)
            self._spans.append((start, line.cell_len, node, binding.action))
        return line

    async def on_click(self, event: events.Click) -> None:
        for start, end, node, action in self._spans:
            if start <= event.x < end:
                await self.app.run_action(action, node)
                return
