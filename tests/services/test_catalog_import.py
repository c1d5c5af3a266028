"""Importing and exporting the catalog against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from mesa_tui.domain.catalog import ImportStatus, PreviewRow, parse_catalog
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import SEED_CATEGORIES
from mesa_tui.services.catalog import (
    CatalogFileRejected,
    ImportResult,
    export_catalog,
    import_catalog,
    preview_import,
)
from mesa_tui.services.errors import PermissionDenied, ServiceError
from mesa_tui.store import catalog_repo, migrate
from mesa_tui.store.audit import events_of_entity
from mesa_tui.store.engine import Database
from mesa_tui.store.models import Agent, TicketEvent
from mesa_tui.store.seed import seed_reference_data
from tests.support import actor_of, system_of

CATALOG = Path(__file__).resolve().parents[2] / "db" / "catalog.tsv"
REAL = CATALOG.read_text(encoding="utf-8")


@pytest.fixture
def make_db(tmp_path):
    made = []

    def make(name: str = "t.db") -> Database:
        db = Database(f"sqlite:///{tmp_path}/{name}")
        migrate.upgrade(db)
        seed_reference_data(db)
        made.append(db)
        return db

    yield make
    for db in made:
        db.dispose()


@pytest.fixture
def db(make_db):
    return make_db()


@pytest.fixture
def loaded(db):
    import_catalog(db, system_of(db), REAL)  # the first load of a new desk is the desk's own
    return db


def add_agent(db: Database, role: str) -> ActorInfo:
    def add(s):
        s.add(Agent(login=f"{role}1", full_name=f"Un {role}", role=role))

    db.write(add)
    return actor_of(db, f"{role}1")


@pytest.fixture
def boss(db) -> ActorInfo:
    """An administrator: only they may import over a catalog already loaded."""
    return add_agent(db, "admin")


def snapshot(db: Database):
    """Everything an import could touch: the services, their ids and the audit trail."""
    with db.read() as s:
        return (
            catalog_repo.list_services(s),
            catalog_repo.service_id_by_code(s),
            s.exec(select(func.count()).select_from(TicketEvent)).one(),
        )


def service_events(db: Database, code: str) -> list[SimpleNamespace]:
    with db.read() as s:
        return [SimpleNamespace(**e.model_dump()) for e in events_of_entity(s, "service", code)]


def with_line_replaced(text: str, code: str, change) -> str:
    return "\n".join(change(line) if line.startswith(code + "\t") else line for line in text.split("\n"))


def line_of(text: str, code: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(code + "\t"))


def every_description_changed(text: str) -> str:
    """The real catalog with every description edited: a non-atomic import would write these."""

    def edit(line: str) -> str:
        if not line.startswith("SER-"):
            return line
        fields = line.split("\t")
        fields[2] += " (editado)"
        return "\t".join(fields)

    return "\n".join(edit(line) for line in text.split("\n"))


def new_row(code="SER-035", name="Firma digital", category="SEGURIDAD", active="sí", drop_last=False) -> str:
    fields = [code, name, "Certificados de firma", category, "Funcionarios", "24 HORAS", "Correo", "ANS", active]
    return "\t".join(fields[:-1] if drop_last else fields)


# --- loading the real catalog ------------------------------------------------------


def test_import_loads_the_33_services_with_one_event_each(db):
    assert import_catalog(db, system_of(db), REAL) == ImportResult(created=33, updated=0, unchanged=0)
    services, ids, events = snapshot(db)
    assert services == parse_catalog(REAL, SEED_CATEGORIES)
    assert len(ids) == 33 and "SER-034" in ids and "SER-028" not in ids
    assert events == 33
    [event] = service_events(db, "SER-034")
    assert (event.action, event.actor_id, event.ticket_id) == ("crear", system_of(db).id, None)
    changes = json.loads(event.changes)
    assert changes["name"] == [None, "Administración de bases"]
    assert changes["active"] == [None, True]


def test_reimport_is_idempotent(loaded, boss):
    before = snapshot(loaded)
    assert import_catalog(loaded, boss, REAL) == ImportResult(created=0, updated=0, unchanged=33)
    assert snapshot(loaded) == before


def test_export_round_trip(loaded, boss, make_db):
    exported = export_catalog(loaded, boss)
    assert parse_catalog(exported, SEED_CATEGORIES) == parse_catalog(REAL, SEED_CATEGORIES)
    assert import_catalog(loaded, boss, exported) == ImportResult(created=0, updated=0, unchanged=33)
    assert export_catalog(loaded, boss) == exported
    fresh = make_db("fresh.db")
    assert import_catalog(fresh, system_of(fresh), exported) == ImportResult(created=33, updated=0, unchanged=0)
    assert export_catalog(fresh, system_of(fresh)).encode("utf-8") == exported.encode("utf-8")


def test_the_system_actor_loads_only_the_first_catalog(loaded):
    before = snapshot(loaded)
    with pytest.raises(PermissionDenied, match="ya está cargado"):
        import_catalog(loaded, system_of(loaded), every_description_changed(REAL))
    assert snapshot(loaded) == before


def test_import_never_deletes_services_missing_from_the_file(loaded, boss):
    short = "\n".join(line for line in REAL.split("\n") if not line.startswith("SER-") or line.startswith("SER-001\t"))
    assert import_catalog(loaded, boss, short) == ImportResult(created=0, updated=0, unchanged=1)
    assert len(snapshot(loaded)[0]) == 33


def test_inactive_services_are_listed_on_request(loaded, boss):
    text = with_line_replaced(REAL, "SER-001", lambda line: line.rsplit("\t", 1)[0] + "\tno")
    assert import_catalog(loaded, boss, text) == ImportResult(created=0, updated=1, unchanged=32)
    with loaded.read() as s:
        assert len(catalog_repo.list_services(s)) == 33
        active = catalog_repo.list_services(s, include_inactive=False)
    assert len(active) == 32 and "SER-001" not in [e.code for e in active]
    assert json.loads(service_events(loaded, "SER-001")[-1].changes) == {"active": [True, False]}


# --- refusals: the message names line and problem, and nothing is written ----------


def refusals():
    base = every_description_changed(REAL)
    last = len(base.rstrip("\n").split("\n")) + 1
    first_ser_001 = line_of(base, "SER-001")
    duplicate = base.split("\n")[first_ser_001 - 1].replace("(editado)", "(otra vez)")
    cases = [
        ("missing-column", base + new_row(drop_last=True) + "\n", last, ["faltan columnas"]),
        ("duplicate-code", base + duplicate + "\n", last, ["'SER-001'", "repetido", f"línea {first_ser_001}"]),
        ("code-not-SER-NNN", base + new_row(code="SFR-035") + "\n", last, ["'SFR-035'", "SER-NNN"]),
        ("empty-name", base + new_row(name="") + "\n", last, ["nombre", "vacío"]),
        ("unknown-category", base + new_row(category="REDES") + "\n", last, ["'REDES'", "no existe"]),
        (
            "unknown-category-mid-file",
            with_line_replaced(base, "SER-010", lambda line: line.replace("\tCOMUNICACIONES\t", "\tTELECOM\t")),
            line_of(base, "SER-010"),
            ["'TELECOM'", "no existe"],
        ),
    ]
    return [pytest.param(text, line, words, id=name) for name, text, line, words in cases]


@pytest.mark.parametrize("start", ["empty", "loaded"])
@pytest.mark.parametrize(("text", "line", "words"), refusals())
def test_malformed_file_is_refused_and_changes_nothing(db, boss, start, text, line, words):
    if start == "loaded":
        import_catalog(db, system_of(db), REAL)
    before = snapshot(db)
    with pytest.raises(CatalogFileRejected) as caught:
        import_catalog(db, boss, text)
    error = caught.value
    assert isinstance(error, ServiceError)
    assert error.line == line
    assert error.message.startswith(f"línea {line}: ")
    for word in words:
        assert word in error.problem
    assert snapshot(db) == before


def test_preview_refuses_a_malformed_file_too(loaded):
    with pytest.raises(CatalogFileRejected) as caught:
        preview_import(loaded, system_of(loaded), REAL + new_row(code="SER-35") + "\n")
    assert "'SER-35'" in caught.value.problem


# --- preview and audit of a change ---------------------------------------------------


def test_modified_description_shows_in_preview_and_is_audited(loaded):
    admin = add_agent(loaded, "admin")
    old = next(e for e in parse_catalog(REAL, SEED_CATEGORIES) if e.code == "SER-005").description
    text = with_line_replaced(REAL, "SER-005", lambda line: line.replace(old, "Capacitación en los sistemas."))
    text += new_row() + "\n"
    before = snapshot(loaded)

    rows = preview_import(loaded, admin, text)
    assert snapshot(loaded) == before
    assert PreviewRow("SER-005", ImportStatus.MODIFICADO, ("description",)) in rows
    assert ("SER-035", "nuevo", ()) in rows
    assert sum(1 for _, status, _ in rows if status == "sin cambios") == 32

    assert import_catalog(loaded, admin, text) == ImportResult(created=1, updated=1, unchanged=32)
    event = service_events(loaded, "SER-005")[-1]
    assert (event.entity, event.action, event.actor_id) == ("service", "modificar", admin.id)
    assert json.loads(event.changes) == {"description": [old, "Capacitación en los sistemas."]}
    assert event.note
    assert service_events(loaded, "SER-035")[-1].action == "crear"
    assert snapshot(loaded)[2] == before[2] + 2


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_an_admin_may_import(db, role):
    actor = add_agent(db, role)
    before = snapshot(db)
    with pytest.raises(PermissionDenied):
        import_catalog(db, actor, REAL)
    assert snapshot(db) == before
