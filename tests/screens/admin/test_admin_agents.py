"""Agents and support groups, driven by keys: the database and the audit trail checked after."""

from __future__ import annotations

from mesa_tui.screens.admin.groups import GroupDialog
from mesa_tui.screens.admin.staff import AgentDialog
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.admin import Admin
from tests.screens.admin.support import audit, field_error, open_admin, press, shown, type_text
from tests.screens.support import SIZE, toasts
from tests.support import actor_of, system_of


def agent(admin: Admin, login: str):
    return next((a for a in admin.agents(system_of(admin), include_inactive=True) if a.login == login), None)


async def test_create_edit_and_deactivate_an_agent_by_keys(make_app, db, desk, now, log):
    admin = Admin(db, now=now)
    ticket = log()
    desk.take(actor_of(desk, "jperez"), ticket.id)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "agents")
        table = screen.query_one("#agents-table")

        await press(app, pilot, "n")
        assert isinstance(app.screen, AgentDialog)
        await type_text(pilot, "mgomez")
        await press(app, pilot, "tab")
        await type_text(pilot, "María Gómez")
        await press(app, pilot, "tab", "enter", "down", "enter")  # rol: supervisor
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, AgentDialog)
        created = agent(admin, "mgomez")
        assert (created.full_name, created.role, created.level, created.group_name, created.active) == (
            "María Gómez",
            "supervisor",
            1,
            "Mesa de ayuda",
            True,
        )
        (event,) = audit(db, "agent", str(created.id))
        assert event.action == "crear"
        assert event.changes["login"] == [None, "mgomez"]
        assert table.current_key == str(created.id)

        await press(app, pilot, "e", "tab", "end")
        await type_text(pilot, " Salas")
        await press(app, pilot, "ctrl+s")
        assert agent(admin, "mgomez").full_name == "María Gómez Salas"
        assert audit(db, "agent", str(created.id))[-1].changes == {"full_name": ["María Gómez", "María Gómez Salas"]}

        # An agent with tickets is deactivated, not deleted; the tickets stay theirs.
        await press(app, pilot, "slash")
        await type_text(pilot, "jperez")
        await press(app, pilot, "enter", "d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Tiene 1 caso abierto" in shown(app.screen.query_one("#dialog-intro"))
        await press(app, pilot, "enter")
        jperez = agent(admin, "jperez")
        assert (jperez.active, jperez.open_tickets) == (False, 1)
        assert desk.get(system_of(desk), ticket.id).agent_name == "Jorge Pérez Julio"
        assert audit(db, "agent", str(jperez.id))[-1].action == "desactivar"
        assert ("information", "Agente jperez desactivado: 1 caso abierto por reasignar") in toasts(app)

        await press(app, pilot, "d", "enter")
        assert agent(admin, "jperez").active is True
        assert [e.action for e in audit(db, "agent", str(jperez.id))] == ["crear", "desactivar", "activar"]


async def test_bad_agents_are_refused_at_the_field_and_nothing_is_saved(make_app, db, now):
    admin = Admin(db, now=now)
    before = admin.agents(system_of(admin), include_inactive=True)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "agents")
        await press(app, pilot, "n")
        await type_text(pilot, "jperez")
        await press(app, pilot, "tab")
        await type_text(pilot, "Otro")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "login") == "El usuario «jperez» ya existe: Jorge Pérez Julio."

        assert app.screen.focused.id == "input-login"
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "nuevo")
        await press(app, pilot, "tab", "ctrl+u", "ctrl+s")
        assert field_error(app, "login") == ""
        assert field_error(app, "full_name").startswith("El nombre")
        await press(app, pilot, "escape")

        # The acting admin can't deactivate themself: the refusal stays in the dialog.
        await press(app, pilot, "slash")
        await type_text(pilot, "admin")
        await press(app, pilot, "enter", "d", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert str(app.screen.query_one("#dialog-error").content) == "No puede desactivar su propio usuario."
    assert admin.agents(system_of(admin), include_inactive=True) == before


async def test_create_edit_and_deactivate_a_group_by_keys(make_app, db, now):
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "groups")
        await press(app, pilot, "n")
        assert isinstance(app.screen, GroupDialog)
        await type_text(pilot, "Redes")
        await press(app, pilot, "ctrl+s")
        group = next(g for g in admin.groups(system_of(admin)) if g.name == "Redes")
        assert (group.level, group.active) == (2, True)
        assert screen.query_one("#groups-table").current_key == str(group.id)

        await press(app, pilot, "e", "end")
        await type_text(pilot, " WAN")
        await press(app, pilot, "tab", "enter", "down", "enter", "ctrl+s")  # nivel 3
        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "enter")

    group = next(g for g in admin.groups(system_of(admin)) if g.id == group.id)
    assert (group.name, group.level, group.active) == ("Redes WAN", 3, False)
    events = audit(db, "group", str(group.id))
    assert [e.action for e in events] == ["crear", "modificar", "desactivar"]
    assert events[1].changes == {"name": ["Redes", "Redes WAN"], "level": [2, 3]}
