"""The administration screen as a whole: who gets in, its keys, leaving it, the settings tab,
and a refusal from the service when the admin lost the role meanwhile."""

from __future__ import annotations

from mesa_tui.screens.admin.screen import AdminScreen
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.dialogs import HelpScreen
from mesa_tui.services.admin import Admin
from tests.screens.admin.support import audit, field_error, open_admin, press, shown, type_text
from tests.screens.support import SIZE, toasts
from tests.support import actor_of, system_of


async def test_only_admins_get_in(make_app, db):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot)
        assert "Solo un administrador" in shown(screen.query_one("#admin-refused"))
        assert not screen.query("#admin-panels")
        await press(app, pilot, "2", "n")  # no tab to switch to, nothing to create
        assert app.screen is screen
        await press(app, pilot, "escape")
        assert isinstance(app.screen, QueueScreen)


async def test_tabs_help_palette_and_back(make_app):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot)
        assert app.focused.id == "catalog-table"
        await press(app, pilot, "5")
        assert app.focused.id == "agents-table"

        rows = {ident: (keys, what) for keys, what, _detail, ident in screen.help_rows()}
        assert rows["agents.new"] == ("n", "Nuevo")
        assert rows["agents.edit"] == ("e/⏎", "Editar")
        assert rows["agents.deactivate"] == ("d", "Desactivar")
        assert rows["admin.area_catalog"] == ("1", "Catálogo")
        assert rows["admin.back"][1] == "Volver"
        assert "Nuevo (n)" in [c.title for c in screen.palette_commands()]
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(app, pilot, "escape")

        await press(app, pilot, "escape")
        assert isinstance(app.screen, QueueScreen)


async def test_a_setting_is_validated_at_the_field_then_saved(make_app, db, now):
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "settings")
        assert screen.query_one("#settings-table").current_key == "auto_close_business_days"
        await press(app, pilot, "e", "ctrl+u")
        await type_text(pilot, "45")
        await press(app, pilot, "enter")
        assert field_error(app, "value") == "Los días hábiles para el cierre automático deben ser un entero de 1 a 30."
        assert admin.settings(system_of(admin))["auto_close_business_days"] == "3"
        await press(app, pilot, "ctrl+u", "5", "enter")
    assert admin.settings(system_of(admin))["auto_close_business_days"] == "5"
    (event,) = audit(db, "setting", "auto_close_business_days")
    assert event.changes == {"value": ["3", "5"]}


async def test_the_service_refuses_an_admin_demoted_meanwhile(make_app, db, desk, now):
    admin = Admin(db, now=now)
    boss = actor_of(desk, "admin")
    other = admin.create_agent(boss, "admin2", "Segunda Administradora", "admin", 1, None)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "categories")
        me = app.ctx.actor
        admin.update_agent(actor_of(desk, "admin2"), me.id, me.login, me.full_name, "agent", me.level, me.group_id)
        await press(app, pilot, "n")
        await type_text(pilot, "DATOS")
        await press(app, pilot, "enter")
        assert isinstance(app.screen, AdminScreen)
        assert ("error", "Solo un administrador puede editar el catálogo de servicios.") in toasts(app)
    assert "DATOS" not in [c.name for c in admin.categories(system_of(admin))]
    assert [e.action for e in audit(db, "agent", str(other.id))] == ["crear"]
