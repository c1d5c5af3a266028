"""The classify dialog asks for a reason when the change needs one, by keys,
checked in the database."""

from __future__ import annotations

import json

from sqlmodel import select
from textual.widgets import Input, Select

from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.agent.ticket_dialogs import ClassifyDialog
from mesa_tui.store.models import TicketEvent
from tests.screens.agent.test_ticket_actions import open_ticket
from tests.screens.support import SIZE, settle
from tests.support import actor_of, system_of


def last_event(desk, ticket_id):
    with desk.db.read() as s:
        q = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id.desc())
        e = s.exec(q).first()
        return e.action, e.note, json.loads(e.changes)


def reason_shown(app) -> bool:
    return app.screen.query_one("#field-reason").display


async def choose_type(pilot, initial: str) -> None:
    """From the impact select: tab to the type, open it, pick the option starting with `initial`."""
    await pilot.press("tab", "tab", "tab", "enter", initial, "enter")


async def test_a_pqrs_turned_into_an_incident_asks_the_reason(make_app, desk, log):
    ticket = log(by="jperez", type="queja", impact=2, urgency=2)
    desk.take(actor_of(desk, "jperez"), ticket.id)
    desk.classify(actor_of(desk, "jperez"), ticket.id, impact=2, urgency=2, nature="otro")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="1")
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ClassifyDialog) and not reason_shown(app)
        await choose_type(pilot, "i")  # Incidente
        await settle(app, pilot)
        assert app.screen.query_one("#input-type", Select).value == "incidente"
        assert reason_shown(app)
        await pilot.press("ctrl+s")  # no reason yet: the dialog says so and stays
        await settle(app, pilot)
        assert isinstance(app.screen, ClassifyDialog)
        error = str(app.screen.query_one("#error-reason").render())
        assert error == "Indique el motivo: el caso deja de ser una PQRS y pierde su plazo legal."
        assert app.screen.focused is app.screen.query_one("#input-reason", Input)
        await pilot.press(*"Es una falla del equipo", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
    info = desk.get(system_of(desk), ticket.id)
    assert (info.type, info.legal_due_on) == ("incidente", None)
    action, note, changes = last_event(desk, ticket.id)
    assert (action, note, changes["type"]) == ("clasificar", "Es una falla del equipo", ["queja", "incidente"])


async def test_a_change_that_needs_no_reason_shows_no_field(make_app, desk, log):
    ticket = log(by="jperez", type="queja", impact=2, urgency=2)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="4")
        await pilot.press("c")
        await settle(app, pilot)
        await choose_type(pilot, "r")  # Requerimiento: leaves PQRS, but an unheld ticket is a supervisor's
        await settle(app, pilot)
        assert not reason_shown(app)  # the service refuses it outright
        await pilot.press("enter", "p", "enter")  # PQRS: petición keeps the legal term
        await settle(app, pilot)
        assert app.screen.query_one("#input-type", Select).value == "peticion" and not reason_shown(app)


async def test_a_supervisor_lowering_a_colleagues_ticket_gives_the_reason(make_app, desk, log):
    ticket = log(by="jperez", impact=2, urgency=2)
    desk.take(actor_of(desk, "jperez"), ticket.id)
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="4")
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("enter", "up", "enter")  # impacto 1: alta, a raise needs no reason
        await settle(app, pilot)
        assert not reason_shown(app)
        await pilot.press("enter", "down", "down", "enter")  # impacto 3: baja
        await settle(app, pilot)
        assert reason_shown(app)
        hint = str(app.screen.query_one("#field-reason .field-hint").render())
        assert hint == "Indique el motivo: baja la prioridad de un caso que no está a su cargo."
        await pilot.press("tab", "tab", "enter", "r", "enter")  # naturaleza: Red
        await pilot.press("tab", "tab", "tab", *"Afecta a una sola persona", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
    assert desk.get(system_of(desk), ticket.id).priority == "baja"
    assert last_event(desk, ticket.id)[1] == "Afecta a una sola persona"
