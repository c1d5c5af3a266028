"""SLA policies and the priority matrix, driven by keys: the database, the audit trail and
the open tickets' due times checked after."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mesa_tui.domain.policies import PolicyScope
from mesa_tui.domain.targets import OFFICE_DAY_MINUTES
from mesa_tui.screens.admin.matrix import PriorityDialog
from mesa_tui.screens.admin.policies import PolicyDialog
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.admin import RECOMPUTE_ACTION, Admin
from tests.screens.admin.support import audit, field_error, open_admin, press, type_text
from tests.screens.support import SIZE, toasts
from tests.support import system_of

BOG = ZoneInfo("America/Bogota")


def media_default(admin: Admin):
    return next(p for p in admin.policies(system_of(admin)) if p.scope is PolicyScope.DEFAULT and p.priority == "media")


async def test_editing_a_policy_recomputes_the_open_tickets_it_governs(make_app, db, desk, now, log):
    ticket = log(impact=2, urgency=2)  # media, logged Wednesday 09:00: 16 business hours to resolve
    assert ticket.ttr_due_at == datetime(2026, 11, 19, 15, 0, tzinfo=BOG)
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "policies")
        await press(app, pilot, "j", "j", "e")  # crítica, alta, media
        assert isinstance(app.screen, PolicyDialog)
        assert app.screen.policy.priority == "media"
        await press(app, pilot, "tab", "tab", "ctrl+u")  # the resolution target
        await type_text(pilot, "24")
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, PolicyDialog)

    policy = media_default(admin)
    assert (policy.tto_minutes, policy.ttr_minutes, policy.calendar) == (120, 24 * 60, "office")
    (event,) = audit(db, "policy", "default:media")
    assert (event.action, event.changes) == ("modificar", {"ttr_minutes": [16 * 60, 24 * 60]})
    # Wednesday 09-18 (9 h) + Thursday 08-18 (10 h) + 5 h of Friday.
    assert desk.get(system_of(desk), ticket.id).ttr_due_at == datetime(2026, 11, 20, 13, 0, tzinfo=BOG)
    assert [e.action for e in audit(db, "ticket", ticket.code) if e.action == RECOMPUTE_ACTION] == [RECOMPUTE_ACTION]
    assert ("information", "Política de ANS guardada: se recalculó el vencimiento de 1 caso abierto") in toasts(app)


async def test_bad_targets_are_refused_at_the_field_and_nothing_is_saved(make_app, db, desk, now, log):
    ticket = log(impact=2, urgency=2)
    admin = Admin(db, now=now)
    before = admin.policies(system_of(admin))
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "policies")
        await press(app, pilot, "j", "j", "e")

        await press(app, pilot, "tab", "tab", "ctrl+u")
        await type_text(pilot, "1")  # 1 h to resolve, 2 h to answer
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, PolicyDialog)
        assert field_error(app, "ttr_minutes") == (
            "El tiempo de solución (1 h) no puede ser menor que el de primera respuesta (2 h)."
        )

        await press(app, pilot, "shift+tab", "shift+tab", "ctrl+u")  # back to the first-response target
        await type_text(pilot, "0")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "tto_minutes") == "El tiempo de primera respuesta debe ser mayor que cero."

        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "dos")
        await press(app, pilot, "ctrl+s")
        assert field_error(app, "tto_minutes") == "Escriba el tiempo de primera respuesta como un número entero."
        await press(app, pilot, "escape")
    assert admin.policies(system_of(admin)) == before
    assert audit(db, "policy", "default:media") == []
    assert desk.get(system_of(desk), ticket.id).ttr_due_at == ticket.ttr_due_at


async def test_a_category_policy_is_created_then_deleted(make_app, db, now):
    admin = Admin(db, now=now)
    security = next(c for c in admin.categories(system_of(admin)) if c.name == "SEGURIDAD")
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "policies")
        await press(app, pilot, "n")
        assert isinstance(app.screen, PolicyDialog)
        # Scope: blank, Predeterminada, then the categories: SEGURIDAD is the 7th.
        await press(app, pilot, "enter", *["down"] * 8, "enter")
        await press(app, pilot, "tab", "enter", "down", "down", "down", "enter")  # prioridad media
        await press(app, pilot, "tab")
        await type_text(pilot, "1")  # 1 hora
        await press(app, pilot, "tab", "tab")
        await type_text(pilot, "2")
        await press(app, pilot, "tab", "enter", "down", "enter")  # días
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, PolicyDialog)

        created = [p for p in admin.policies(system_of(admin)) if p.scope is PolicyScope.CATEGORY]
        assert [(p.category, p.priority, p.tto_minutes, p.ttr_minutes, p.calendar) for p in created] == [
            ("SEGURIDAD", "media", 60, 2 * OFFICE_DAY_MINUTES, "office")
        ]
        key = f"category:{security.id}:media"
        assert audit(db, "policy", key)[0].action == "crear"
        table = screen.query_one("#policies-table")
        assert table.current_key == "SEGURIDAD|media"

        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "enter")
        assert [p for p in admin.policies(system_of(admin)) if p.scope is PolicyScope.CATEGORY] == []
        assert [e.action for e in audit(db, "policy", key)] == ["crear", "eliminar"]

        await press(app, pilot, "g", "d")  # the default policies have no «eliminar»
        assert not isinstance(app.screen, ConfirmDialog)


async def test_a_matrix_cell_changes_for_new_classifications_only(make_app, db, desk, now, log):
    ticket = log(impact=2, urgency=2)
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "matrix")
        await press(app, pilot, "j", "l", "e")  # impacto 2 × urgencia 2
        assert isinstance(app.screen, PriorityDialog)
        await press(app, pilot, "up", "enter")  # media -> alta
        assert not isinstance(app.screen, PriorityDialog)
        table = screen.query_one("#matrix-table")
        assert str(table.get_cell("2", "u2")) == "Alta"

    assert admin.matrix(system_of(admin))[(2, 2)] == "alta"
    (event,) = audit(db, "priority", "2x2")
    assert (event.action, event.changes) == ("modificar", {"priority": ["media", "alta"]})
    assert desk.get(system_of(desk), ticket.id).priority == "media"


async def test_a_policy_extends_its_24x7_to_every_type_by_keys(make_app, db, desk, now, log):
    request = log(impact=1, urgency=1, type="requerimiento")  # crítica, Wednesday 09:00
    assert request.sla_calendar == "office"
    admin = Admin(db, now=now)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "policies")
        await press(app, pilot, "e")  # the default crítica: 24x7, incidents only
        assert isinstance(app.screen, PolicyDialog)
        assert app.screen.policy.priority == "crítica"
        await press(app, pilot, *["tab"] * 5, "enter", "down", "enter")  # «Todos los tipos de caso»
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, PolicyDialog)

    critical = next(
        p for p in admin.policies(system_of(admin)) if p.scope is PolicyScope.DEFAULT and p.priority == "crítica"
    )
    assert (critical.calendar, critical.all_types, critical.calendar_label) == ("24x7", True, "24x7 · todos")
    (event,) = audit(db, "policy", "default:crítica")
    assert event.changes == {"all_types": [False, True]}
    assert desk.get(system_of(desk), request.id).sla_calendar == "24x7"
