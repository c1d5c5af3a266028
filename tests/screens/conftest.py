"""Fixtures for driving the TUI: an app over the test database with the test's
clock, and a small queue of tickets worked a little."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support import actor_of, system_of


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch):
    """Text cursors that don't blink: a snapshot taken half a second later than
    usual (a loaded machine) would otherwise catch the cursor in its dark phase."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget, "_default_cursor_blink", False)
        monkeypatch.setattr(widget.__dict__["cursor_blink"], "_default", False)


@pytest.fixture
def make_app(desk, now):
    from mesa_tui.app import MesaApp

    def _make(login: str = "jperez", keymap: dict[str, str] | None = None, live: bool = False):
        # Live updates off unless a test is about them: a test's own writes would
        # otherwise re-read the screen under its feet.
        return MesaApp(desk, actor_of(desk, login), now=now, keymap=keymap, live=live)

    return _make


@pytest.fixture
def varied_tickets(desk, now, log):
    """A small queue logged over two days, worked a little, then the clock at 09:00 Wednesday."""
    start = now()
    now.set(start - timedelta(days=2, hours=1))  # Monday 08:00
    made = [
        log(subject="No abre Outlook", service_code="SER-009", impact=2, urgency=1, channel="correo"),
        log(
            subject="Impresora atasca hojas",
            service_code="SER-026",
            impact=3,
            urgency=3,
            requester_name="Luis Torres Ortega",
            requester_dependency="Secretaría de Planeación",
        ),
    ]
    now.advance(hours=26)  # Tuesday 10:00
    made += [
        log(
            subject="Sin conexión a internet en la sede",
            service_code="SER-016",
            impact=1,
            urgency=2,
            requester_name="Andrea Castro Díaz",
            requester_dependency="Tesorería Distrital",
            channel="whatsapp",
        ),
        log(
            subject="Crear usuario para contratista nuevo",
            service_code="SER-003",
            type="requerimiento",
            requester_name="Carlos Gómez Salas",
            requester_dependency="Secretaría General",
            channel="web",
        ),
        log(
            subject="Caída del canal de la sede",
            service_code="SER-016",
            impact=1,
            urgency=1,
            requester_name="Paola Herrera Vargas",
            requester_dependency="Despacho del Alcalde",
        ),
    ]
    jperez = actor_of(desk, "jperez")
    now.advance(hours=1)
    desk.take(jperez, made[0].id)
    desk.classify(jperez, made[0].id, impact=2, urgency=1, nature="software")
    desk.take(actor_of(desk, "lmarrugo"), made[1].id)
    now.advance(hours=1)
    desk.wait(actor_of(desk, "lmarrugo"), made[1].id, "Esperando repuesto del proveedor")
    now.set(start)
    return [desk.get(system_of(desk), t.id) for t in made]
