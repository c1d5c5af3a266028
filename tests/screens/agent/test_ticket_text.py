"""The ticket's whole text is read by keys at any terminal size (issue 15.1), and every
solution given stays in the timeline after a reopening, with who gave it (15.2)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.agent.ticket_text import FullTextDialog
from tests.screens.agent.test_ticket_actions import open_ticket
from tests.screens.support import settle
from tests.support import actor_of, system_of

DESCRIPTION = "\n".join(f"Línea {i:02d} del correo reenviado por el usuario" for i in range(1, 61))
SOLUTION = "\n".join(f"Paso {i:02d}: acción número {i} de la solución" for i in range(1, 11))
LAST_OF_DESCRIPTION = "Línea 60 del correo reenviado por el usuario"
LAST_OF_SOLUTION = "Paso 10: acción número 10 de la solución"


def on_screen(app) -> str:
    """What the terminal shows now, line by line (the screen on top, as painted)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def resolved_long_ticket(app, pilot, desk, log):
    """A ticket with a 60-line description, opened by keys, then resolved in 10 steps."""
    ticket = log(by="jperez", description=DESCRIPTION)
    jperez = actor_of(desk, "jperez")
    desk.take(jperez, ticket.id)
    await open_ticket(app, pilot, ticket.code)
    desk.resolve(jperez, ticket.id, SOLUTION, "remoto")
    await pilot.press("R")
    await settle(app, pilot)
    assert app.screen.view.info.solution == SOLUTION
    return ticket


async def seen_while_pressing(app, pilot, key: str, times: int) -> str:
    seen = on_screen(app)
    for _ in range(times):
        await pilot.press(key)
        await pilot.pause()
        seen += "\n" + on_screen(app)
    return seen


async def test_the_text_pane_scrolls_to_the_last_line_of_each(make_app, desk, log):
    """At 120x40 the pane shows a third of the screen; tab focuses it and the keys
    scroll it. (At 80x24 the fields fill the screen: l, below, shows the text.)"""
    app = make_app("jperez")
    async with app.run_test(size=(120, 40)) as pilot:
        await resolved_long_ticket(app, pilot, desk, log)
        first = on_screen(app)
        assert "Línea 01 del correo" in first
        assert LAST_OF_DESCRIPTION not in first and LAST_OF_SOLUTION not in first  # the pane is shorter
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "ticket-text"
        seen = await seen_while_pressing(app, pilot, "pagedown", 40)
        assert LAST_OF_DESCRIPTION in seen and LAST_OF_SOLUTION in seen
        assert LAST_OF_SOLUTION in on_screen(app)  # the end stays in view
        await pilot.press("home")
        await pilot.pause()
        assert "Línea 01 del correo" in on_screen(app)
        # j and k move the text while it has the focus, not the timeline.
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.screen.query_one("#ticket-text").scroll_offset.y == 2


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_ver_completo_shows_all_of_the_text(make_app, desk, log, size):
    app = make_app("jperez")
    async with app.run_test(size=size) as pilot:
        ticket = await resolved_long_ticket(app, pilot, desk, log)
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, FullTextDialog)
        assert ticket.code in on_screen(app)
        seen = await seen_while_pressing(app, pilot, "space", 20)
        assert LAST_OF_DESCRIPTION in seen and LAST_OF_SOLUTION in seen
        await pilot.press("g")
        await pilot.pause()
        assert "Línea 01 del correo" in on_screen(app)
        await pilot.press("G")
        await pilot.pause()
        assert LAST_OF_SOLUTION in on_screen(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)


async def test_a_reopened_tickets_solutions_stay_in_the_timeline(make_app, desk, log):
    ticket = log(by="jperez")
    desk.take(actor_of(desk, "jperez"), ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ticket(app, pilot, ticket.code)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press(*"Se reinició el equipo")
        await pilot.press("tab", "enter")  # forma de solución: la primera, remota
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        await pilot.press(*"Volvió a fallar", "enter")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert (info.status, info.solution) == ("en_proceso", None)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press(*"Se cambió la fuente de poder")
        await pilot.press("tab", "enter", "down", "enter")  # en sitio
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert (info.status, info.solution, info.solution_mode) == (
            "resuelto",
            "Se cambió la fuente de poder",
            "en_sitio",
        )
        shown = on_screen(app)
        assert "Jorge Pérez Julio resolvió" in shown
        assert "Solución (remota):\n      Se reinició el equipo" in _timeline_text(app)
        assert "Solución (en sitio):\n      Se cambió la fuente de poder" in _timeline_text(app)
        assert _timeline_text(app).count("Jorge Pérez Julio resolvió") == 2
        assert "Se reinició el equipo" in shown and "Se cambió la fuente de poder" in shown


def _timeline_text(app) -> str:
    return app.screen.query_one("#timeline-body", Static).render().plain
