"""Helpers for the admin screen tests (`from tests.screens.admin.support import ...`)."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

from rich.console import Console

from mesa_tui.screens.admin.screen import AREAS, AdminScreen, area_key
from mesa_tui.store.audit import events_of_entity
from tests.screens.support import settle

AREA_KEYS = {name: area_key(number) for number, (name, _label, _panel) in enumerate(AREAS, start=1)}


async def open_admin(app, pilot, area: str = "catalog") -> AdminScreen:
    """Open the administration over the queue (as the app's admin key does) on `area`'s tab."""
    await settle(app, pilot)
    screen = AdminScreen(app.ctx)
    app.push_screen(screen)
    await settle(app, pilot)
    if area != "catalog":
        await pilot.press(AREA_KEYS[area])
        await settle(app, pilot)
    return screen


async def press(app, pilot, *keys: str) -> None:
    """Press keys, then let the workers they start finish."""
    await pilot.press(*keys)
    await settle(app, pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def audit(db, entity: str, key: str) -> list[SimpleNamespace]:
    """The audit events of one admin record, oldest first, with their changes decoded."""
    with db.read() as s:
        return [
            SimpleNamespace(action=e.action, changes=json.loads(e.changes), note=e.note, actor_id=e.actor_id)
            for e in events_of_entity(s, entity, key)
        ]


def shown(widget) -> str:
    """The plain text a Static shows, at its width."""
    console = Console(file=io.StringIO(), width=widget.size.width or 100, color_system=None)
    with console.capture() as captured:
        console.print(widget.content)
    return captured.get()


def field_error(app, name: str) -> str:
    """The message shown under a form field of the dialog on top ("" when none)."""
    return str(app.screen.query_one(f"#error-{name}").content)
