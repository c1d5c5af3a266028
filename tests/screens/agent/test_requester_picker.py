"""The new-ticket form's requester: picked from the directory by typing, or created on
the fly there; and the ticket screen's list of the requester's other tickets."""

from __future__ import annotations

from mesa_tui.domain.requesters import RequesterInput
from mesa_tui.screens.agent.new_ticket import NewTicketScreen
from mesa_tui.screens.agent.ticket import OtherTicketsDialog, TicketScreen
from mesa_tui.screens.requesters.dialog import RequesterDialog
from mesa_tui.services.admin import Admin
from mesa_tui.services.requesters import Requesters
from tests.screens.support import SIZE, settle, shown_texts
from tests.support import actor_of, new_ticket, system_of


async def _open_form(app, pilot) -> NewTicketScreen:
    await settle(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    assert isinstance(app.screen, NewTicketScreen)
    await pilot.press(*"correo", "enter", *"No llegan correos", "enter", *"Desde ayer", "tab")
    return app.screen


async def _finish(app, pilot) -> str:
    await pilot.press("enter", "c", "enter", "ctrl+s")  # canal: correo electrónico
    await settle(app, pilot)
    assert isinstance(app.screen, TicketScreen)
    return app.screen.view.info.code


async def test_pick_a_requester_by_typing_part_of_their_name(make_app, desk, db):
    jperez = actor_of(desk, "jperez")
    people = Requesters(db)
    ana = people.create(jperez, RequesterInput(name="Ana Díaz Julio", email="adiaz@cartagena.gov.co", vip=True))
    people.create(jperez, RequesterInput(name="Anabel Ríos", email="arios@cartagena.gov.co"))
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(app, pilot)
        await pilot.press(*"diaz")
        await settle(app, pilot)
        options = form.query_one("#requester-options")
        assert [o.id for o in options._options] == [str(ana.id), "new"]
        await pilot.press("enter")
        assert not form.query_one("#field-requester_name").display  # the typed fields step aside
        assert "Ana Díaz Julio" in str(form.query_one("#requester-chosen").render())
        code = await _finish(app, pilot)
    info = desk.find(system_of(desk), code)
    assert (info.requester_id, info.requester_name, info.requester_contact) == (
        ana.id,
        "Ana Díaz Julio",
        "adiaz@cartagena.gov.co",
    )


async def test_create_a_requester_on_the_fly_from_the_form(make_app, desk, db):
    admin, boss = Admin(db), actor_of(db, "admin")
    admin.create_dependency(boss, "Secretaría de Hacienda")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_form(app, pilot)
        await pilot.press(*"Pedro Pablo Ruiz")
        await settle(app, pilot)
        assert [o.id for o in form.query_one("#requester-options")._options] == ["new"]
        await pilot.press("enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, RequesterDialog)
        assert dialog.query_one("#input-name").value == "Pedro Pablo Ruiz"
        dialog.query_one("#input-email").focus()
        await pilot.press(*"PRuiz@cartagena.gov.co")
        dialog.query_one("#input-dependency_id").value = admin.dependencies(boss)[0].id
        dialog.query_one("#input-privacy_notice_version").value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        code = await _finish(app, pilot)
    info = desk.find(system_of(desk), code)
    made = Requesters(db).get(system_of(db), info.requester_id)
    assert (made.name, made.email, made.dependency_name, made.privacy_notice_version) == (
        "Pedro Pablo Ruiz",
        "pruiz@cartagena.gov.co",
        "Secretaría de Hacienda",
        "1",
    )
    assert (info.requester_name, info.requester_dependency) == ("Pedro Pablo Ruiz", "Secretaría de Hacienda")


async def test_the_ticket_screen_lists_and_opens_the_requesters_other_tickets(make_app, desk):
    jperez = actor_of(desk, "jperez")
    older = desk.log(jperez, new_ticket(subject="La impresora no imprime"))
    newer = desk.log(jperez, new_ticket(subject="Sin acceso al correo"))
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(TicketScreen(app.screen.ctx, newer.id))
        await settle(app, pilot)
        fields = "\n".join(t for t in shown_texts(app) if "Otros casos" in t)
        assert f"{older.code}  Nuevo" in fields and "La impr" in fields
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, OtherTicketsDialog)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.view.info.id == older.id
