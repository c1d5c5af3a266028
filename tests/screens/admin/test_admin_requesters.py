"""The Solicitantes tab, driven by keys: create, import (a bad file writes nothing),
dependencies, export of one person's data and anonymization; checked in the database."""

from __future__ import annotations

import json

from mesa_tui.domain.requesters import RequesterInput
from mesa_tui.screens.admin.dependencies import DependenciesScreen
from mesa_tui.screens.admin.requesters import PathDialog
from mesa_tui.screens.dialogs import ReasonDialog
from mesa_tui.screens.requesters.dialog import RequesterDialog
from mesa_tui.services.admin import Admin
from mesa_tui.services.requesters import Requesters
from tests.screens.admin.support import audit, field_error, open_admin, press, type_text
from tests.screens.support import SIZE
from tests.support import actor_of, new_ticket, system_of


def directory(db) -> dict[str, object]:
    people, _ = Requesters(db).search(system_of(db), "")
    return {r.name: r for r in people}


async def test_create_a_requester_and_a_dependency_by_keys(make_app, db):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "requesters")
        await press(app, pilot, "p")
        assert isinstance(app.screen, DependenciesScreen)
        await press(app, pilot, "n")
        await type_text(pilot, "Secretaría de Hacienda")
        await press(app, pilot, "ctrl+s", "escape")
        assert app.screen is screen
        await press(app, pilot, "n")
        assert isinstance(app.screen, RequesterDialog)
        await type_text(pilot, "Ana Díaz Julio")
        app.screen.query_one("#input-email").focus()
        await type_text(pilot, "adiaz@cartagena.gov.co")
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
    (dep,) = Admin(db).dependencies(system_of(db))
    assert dep.name == "Secretaría de Hacienda"
    ana = directory(db)["Ana Díaz Julio"]
    assert ana.email == "adiaz@cartagena.gov.co"
    assert [e.action for e in audit(db, "requester", str(ana.id))] == ["crear"]


async def test_import_a_bad_file_writes_nothing_then_a_good_one(make_app, db, tmp_path):
    bad = tmp_path / "malo.csv"
    bad.write_text("nombre;correo\nAna;adiaz@cartagena.gov.co\nLuis;no-es-correo\n", encoding="utf-8")
    good = tmp_path / "bueno.csv"
    good.write_text("nombre;correo;dependencia\nAna;adiaz@cartagena.gov.co;Tesorería\n", encoding="utf-8")
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot, "requesters")
        await press(app, pilot, "i")
        assert isinstance(app.screen, PathDialog)
        await type_text(pilot, str(bad))
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, PathDialog)  # stays open with the errors by line
        assert "Línea 3" in field_error(app, "path")
        assert directory(db) == {}
        await press(app, pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, str(good))
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, PathDialog)
    assert directory(db)["Ana"].dependency_name == "Tesorería"


async def test_export_and_anonymize_a_person_by_keys(make_app, db, desk, tmp_path):
    jperez = actor_of(desk, "jperez")
    ana = Requesters(db).create(jperez, RequesterInput(name="Ana Díaz", email="adiaz@cartagena.gov.co"))
    ticket = desk.log(jperez, new_ticket(requester_id=ana.id))
    out = tmp_path / "ana.json"
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "requesters")
        assert screen.query_one("#requesters-table").current_key == str(ana.id)
        await press(app, pilot, "x")
        assert isinstance(app.screen, PathDialog)
        await press(app, pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, str(out))
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        await press(app, pilot, "A")
        assert isinstance(app.screen, ReasonDialog)
        await press(app, pilot, "ctrl+s")  # no reason: refused next to the field
        assert "motivo" in field_error(app, "reason").lower()
        await type_text(pilot, "Solicitud de supresión de la titular")
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
    assert json.loads(out.read_text(encoding="utf-8"))["casos"][0]["code"] == ticket.code
    gone = Requesters(db).get(system_of(db), ana.id)
    assert (gone.name, gone.email, gone.anonymized) == (f"Anonimizado #{ana.id}", None, True)
    assert desk.get(jperez, ticket.id).requester_name == f"Anonimizado #{ana.id}"
    assert [e.action for e in audit(db, "requester", str(ana.id))] == ["crear", "exportar datos", "anonimizar"]
