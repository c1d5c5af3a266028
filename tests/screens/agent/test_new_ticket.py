"""The new-ticket form: catalog picker, live priority, validation next to each field."""

from __future__ import annotations

from mesa_tui.screens.agent.new_ticket import NewTicketScreen
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.services.errors import NotFound
from mesa_tui.widgets.service_picker import matching
from tests.screens.support import SIZE, settle, toasts
from tests.support import system_of


def ticket_count(desk) -> int:
    n = 0
    while True:
        try:
            desk.get(system_of(desk), n + 1)
        except NotFound:
            return n
        n += 1


async def test_log_a_ticket_by_keys(make_app, desk):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NewTicketScreen)
        await pilot.press(*"correo")
        assert [o.id for o in form.query_one("#service-options")._options] == ["SER-004"]
        await pilot.press("enter")  # picks it and moves on to the subject
        await pilot.press(*"No llegan correos", "enter")
        await pilot.press(*"Desde ayer", "tab", "tab")  # past the directory: typed by hand
        await pilot.press(*"Ana Díaz", "tab", *"Tesorería", "tab", *"3001234567", "tab")
        await pilot.press("enter", "c", "enter")  # canal: correo electrónico
        await pilot.press("tab", "tab", "enter", "up", "enter")  # impacto 1 · Alto
        assert "Alta" in str(form.query_one("#priority-preview").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        code = app.screen.view.info.code
        assert any(code in message and "registrado con prioridad alta" in message for _, message in toasts(app))
    info = desk.find(system_of(desk), code)
    assert (info.service_code, info.subject, info.description) == ("SER-004", "No llegan correos", "Desde ayer")
    assert (info.requester_name, info.requester_dependency, info.requester_contact) == (
        "Ana Díaz",
        "Tesorería",
        "3001234567",
    )
    assert (info.channel, info.type, info.impact, info.urgency, info.priority) == ("correo", "incidente", 1, 2, "alta")
    assert (info.status, info.created_by_name) == ("nuevo", "Jorge Pérez Julio")


async def test_an_empty_form_shows_every_problem_and_logs_nothing(make_app, desk):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NewTicketScreen)
        errors = {
            name: str(form.query_one(f"#error-{name}").render())
            for name in ("service", "subject", "requester_name", "requester_contact", "channel")
        }
        assert errors == {
            "service": "Elija un servicio del catálogo: escriba y pulse Enter.",
            "subject": "El asunto es obligatorio.",
            "requester_name": "El nombre del solicitante es obligatorio.",
            "requester_contact": "Indique el correo o el teléfono del solicitante.",
            "channel": "Elija el canal por el que llegó el caso.",
        }
        assert not form.query_one("#field-requester_dependency").has_class("-invalid")
        assert app.focused is form.query_one("#service-search")
    assert ticket_count(desk) == 0


async def test_a_bad_contact_is_explained_next_to_it(make_app, desk):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"wifi", "enter", *"Sin wifi", "enter", "tab", "tab", *"Ana", "tab", "tab", *"ana@", "ctrl+s")
        await settle(app, pilot)
        form = app.screen
        assert str(form.query_one("#error-requester_contact").render()) == "El correo no es válido."
        assert str(form.query_one("#error-service").render()) == ""
    assert ticket_count(desk) == 0


async def test_pqrs_asks_for_the_legal_term(make_app, desk):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert not form.query_one("#field-legal_days").display
        form.query_one("#input-type").focus()
        await pilot.press("enter", "down", "down", "enter")  # PQRS: petición
        await settle(app, pilot)
        assert form.query_one("#field-legal_days").display


async def test_escape_twice_discards_a_started_form(make_app, desk):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"red", "escape")
        assert isinstance(app.screen, NewTicketScreen)
        assert ("warning", "Pulse Esc otra vez para descartar lo escrito.") in toasts(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert ticket_count(desk) == 0


def test_the_picker_matches_code_name_or_category_without_accents(desk, make_app):
    queue = make_app().ctx.queue
    services = list(queue.services(system_of(queue)))
    assert len(services) == 33
    assert [s.code for s in matching(services, "ser-02")][:3] == ["SER-020", "SER-021", "SER-022"]
    assert {s.code for s in matching(services, "informacion")} == {"SER-015", "SER-016", "SER-034"}
    assert [s.code for s in matching(services, "telefonía ip")] == ["SER-023"]
    assert matching(services, "") == services
