"""Helpers for driving the app in screen tests (`from tests.screens.support import ...`)."""

from __future__ import annotations

from textual.geometry import Region
from textual.worker import WorkerCancelled

SIZE = (120, 40)


async def settle(app, pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (a worker's message may start another)."""
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # superseded by a newer request of the same group
        await pilot.pause()


def toasts(app) -> list[tuple[str, str]]:
    """(severity, message) of every notification the app has shown."""
    return [(n.severity, n.message) for n in app._notifications]


def footer_keys(app) -> set[str]:
    """Descriptions of the keys the footer offers on the current screen."""
    return {b.description for _, b, enabled, _ in app.screen.active_bindings.values() if b.show and enabled}


def shown_texts(app) -> list[str]:
    """What each widget of the screen on top shows (toasts included), one string per
    widget with its lines joined, as painted: markup would show here already rendered."""
    texts = []
    for widget in app.screen.walk_children(with_self=False):
        if widget.display and widget.outer_size.area:
            strips = widget.render_lines(Region(0, 0, *widget.outer_size))
            texts.append("\n".join(strip.text for strip in strips))
    return texts
