"""Requesters: the directory, the tickets' link and snapshot, the staff import (all or
nothing), the personal-data rights (export, correction, anonymization) and the
dependencies list, on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from mesa_tui.domain.requesters import RequesterInput
from mesa_tui.services.errors import PermissionDenied, ValidationError
from mesa_tui.services.requester_data import RequesterFileRejected
from mesa_tui.services.requesters import Requesters
from mesa_tui.store.audit_verify import verify_chain
from tests.support import actor_of, new_ticket


@pytest.fixture
def people(db, now) -> Requesters:
    return Requesters(db, now=now)


@pytest.fixture
def jperez(desk):
    return actor_of(desk, "jperez")


def _count(db, table: str, where: str = "") -> int:
    with db.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} {where}")).scalar_one()


def _dep(admin, boss, name: str) -> int:
    return admin.create_dependency(boss, name).id


def test_create_find_and_edit_rewrites_the_tickets_snapshot(people, desk, jperez, admin, boss):
    hacienda = _dep(admin, boss, "Secretaría de Hacienda")
    ana = people.create(
        jperez,
        RequesterInput(
            name="  Ana  Díaz Julio ",
            document_type="cc",
            document_number="1.047.123.456",
            dependency_id=hacienda,
            email="ADiaz@Cartagena.gov.co ",
            phone="605 6501095",
            extension="123",
            privacy_notice_version="2026-1",
        ),
    )
    assert (ana.name, ana.email, ana.document, ana.dependency_name) == (
        "Ana Díaz Julio",
        "adiaz@cartagena.gov.co",
        "CC 1047123456",
        "Secretaría de Hacienda",
    )
    assert ana.privacy_notice_version == "2026-1" and ana.privacy_notice_at is not None
    # Found by a piece of the name without accents, the e-mail or the document.
    for text in ("diaz jul", "adiaz@", "1047123"):
        assert [r.id for r in people.find(jperez, text)] == [ana.id]
    t = desk.log(jperez, new_ticket(requester_id=ana.id, requester_name="", requester_contact=""))
    assert (t.requester_id, t.requester_name, t.requester_contact, t.requester_dependency) == (
        ana.id,
        "Ana Díaz Julio",
        "adiaz@cartagena.gov.co",
        "Secretaría de Hacienda",
    )
    people.update(jperez, ana.id, RequesterInput(name="Ana María Díaz Julio", email="amdiaz@cartagena.gov.co"))
    after = desk.get(jperez, t.id)
    assert (after.requester_name, after.requester_contact, after.requester_dependency) == (
        "Ana María Díaz Julio",
        "amdiaz@cartagena.gov.co",
        "",
    )
    assert after.version == t.version  # the snapshot is not a change of the ticket
    assert people.other_tickets(jperez, ana.id, except_ticket=None)[0].code == t.code
    assert people.other_tickets(jperez, ana.id, except_ticket=t.id) == []


def test_e_mail_and_document_are_unique_and_bad_input_changes_nothing(people, jperez):
    people.create(
        jperez, RequesterInput(name="Ana", email="ana@x.gov.co", document_type="CC", document_number="123456")
    )
    before = _count(people.db, "requester")
    cases = [
        (RequesterInput(name="Otra", email="ANA@x.gov.co"), "email"),
        (RequesterInput(name="Otra", document_type="CC", document_number="123.456"), "document_number"),
        (RequesterInput(name=""), "name"),
        (RequesterInput(name="Otra", email="no-es-correo"), "email"),
        (RequesterInput(name="Otra", document_type="XX", document_number="1234"), "document_type"),
        (RequesterInput(name="Otra", document_number="1234"), "document_type"),
        (RequesterInput(name="Otra", phone="12"), "phone"),
    ]
    for bad, field in cases:
        with pytest.raises(ValidationError) as err:
            people.create(jperez, bad)
        assert err.value.field == field
    assert _count(people.db, "requester") == before


def test_a_ticket_typed_by_hand_finds_its_requester_by_e_mail_or_makes_one(desk, jperez, people):
    first = desk.log(jperez, new_ticket(requester_contact="MPerez@cartagena.gov.co"))
    second = desk.log(jperez, new_ticket(requester_contact="mperez@cartagena.gov.co"))
    by_phone = desk.log(jperez, new_ticket(requester_name="Luis Mora", requester_contact="300 123 4567"))
    assert first.requester_id is not None and first.requester_id == second.requester_id
    assert by_phone.requester_id not in (None, first.requester_id)
    made = people.get(jperez, by_phone.requester_id)
    assert (made.name, made.phone, made.email) == ("Luis Mora", "300 123 4567", None)
    assert people.get(jperez, first.requester_id).tickets == 2


def _csv(tmp_path, text: str, name: str = "personal.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


STAFF = (
    "Nombre;Tipo de documento;Número de documento;Dependencia;Correo electrónico;Teléfono;Extensión;Cargo;VIP\n"
    "Ana Díaz Julio;CC;1.047.123.456;Secretaría de Hacienda;adiaz@cartagena.gov.co;605 6501095;123;Profesional;no\n"
    "Luis Mora;CE;E12345;Secretaría de Educación;lmora@cartagena.gov.co;;;Técnico;sí\n"
    "\n"
    "Carmen Ruiz;;;secretaria de hacienda;;3001234567;;;\n"
)


def test_import_creates_then_updates_by_e_mail_or_document(people, boss, tmp_path):
    result = people.import_file(boss, _csv(tmp_path, STAFF))
    assert (result.created, result.updated, result.unchanged, result.dependencies) == (3, 0, 0, 2)
    again = people.import_file(boss, _csv(tmp_path, STAFF))
    assert (again.created, again.updated, again.unchanged, again.dependencies) == (0, 0, 3, 0)
    # A newer file: Luis found by his document gets an e-mail; Ana by e-mail changes position.
    newer = (
        "nombre,tipo_documento,numero_documento,correo,cargo\n"
        "Ana Díaz Julio,,,ADIAZ@cartagena.gov.co,Asesora\n"
        "Luis Mora,CE,E-12345,luis.mora@cartagena.gov.co,\n"
    )
    third = people.import_file(boss, _csv(tmp_path, newer, "nuevo.csv"))
    assert (third.created, third.updated, third.unchanged) == (0, 2, 0)
    rows, _ = people.search(boss, "")
    by_name = {r.name: r for r in rows}
    assert by_name["Ana Díaz Julio"].position == "Asesora"
    assert by_name["Ana Díaz Julio"].phone == "605 6501095"  # a column the file lacks changes nothing
    assert by_name["Luis Mora"].email == "luis.mora@cartagena.gov.co" and by_name["Luis Mora"].vip
    assert by_name["Carmen Ruiz"].dependency_name == "Secretaría de Hacienda"
    assert _count(people.db, "requester") == 3


def test_a_bad_line_imports_nothing_and_names_every_line(people, boss, tmp_path):
    events = _count(people.db, "ticket_event")
    bad = (
        "nombre;correo;vip;tipo documento;documento\n"
        "Ana Díaz;adiaz@cartagena.gov.co;no;;\n"
        "Luis Mora;no-es-un-correo;no;;\n"
        ";sin@nombre.gov.co;no;;\n"
        "Pedro;pedro@cartagena.gov.co;tal vez;;\n"
        "Otra Ana;ADIAZ@cartagena.gov.co;;;\n"
        "Juan;;;ZZ;123\n"
    )
    with pytest.raises(RequesterFileRejected) as err:
        people.import_file(boss, _csv(tmp_path, bad))
    lines = [line for line, _ in err.value.errors]
    assert lines == [3, 4, 5, 6, 7]
    assert "Línea 6: el correo adiaz@cartagena.gov.co ya está en la línea 2." in err.value.message
    assert "no se importó nada" in err.value.message
    assert _count(people.db, "requester") == 0 and _count(people.db, "dependency") == 0
    assert _count(people.db, "ticket_event") == events


def test_a_line_whose_e_mail_and_document_are_two_people_rolls_everything_back(people, boss, tmp_path):
    people.create(boss, RequesterInput(name="Ana", email="ana@x.gov.co"))
    people.create(boss, RequesterInput(name="Luis", document_type="CC", document_number="99887766"))
    clash = "nombre;correo;tipo documento;documento;dependencia\nNueva;nueva@x.gov.co;;;Nueva Oficina\nAna;ana@x.gov.co;CC;99887766;\n"
    with pytest.raises(RequesterFileRejected) as err:
        people.import_file(boss, _csv(tmp_path, clash))
    assert err.value.errors[0][0] == 3
    assert _count(people.db, "requester") == 2 and _count(people.db, "dependency") == 0


def test_import_reads_xlsx_and_refuses_a_file_without_the_name_column(people, boss, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Nombre", "Documento", "Tipo", "Correo"])
    sheet.append(["Ana Díaz", 1047123456, "CC", "adiaz@cartagena.gov.co"])
    path = tmp_path / "personal.xlsx"
    book.save(path)
    assert people.import_file(boss, str(path)).created == 1
    assert people.find(boss, "1047123456")[0].document == "CC 1047123456"
    with pytest.raises(ValidationError, match="falta la columna «nombre»"):
        people.import_file(boss, _csv(tmp_path, "correo\nx@y.co\n", "sin_nombre.csv"))
    (tmp_path / "roto.xlsx").write_bytes(b"no soy un zip")
    with pytest.raises(ValidationError, match="no es un libro de Excel"):
        people.import_file(boss, str(tmp_path / "roto.xlsx"))


def test_only_an_administrator_imports_exports_corrects_or_anonymizes(people, jperez, tmp_path):
    ana = people.create(jperez, RequesterInput(name="Ana", email="ana@x.gov.co"))
    with pytest.raises(PermissionDenied):
        people.import_file(jperez, _csv(tmp_path, STAFF))
    with pytest.raises(PermissionDenied):
        people.export_data(jperez, ana.id, str(tmp_path / "ana.json"))
    with pytest.raises(PermissionDenied):
        people.anonymize(jperez, ana.id, "Solicitud de supresión")
    with pytest.raises(PermissionDenied):
        people.correct(jperez, ana.id, RequesterInput(name="Ana B"), "La persona lo pidió")
    assert people.get(jperez, ana.id).name == "Ana"


def test_export_holds_the_record_the_tickets_and_their_events(people, desk, jperez, boss, tmp_path):
    ana = people.create(jperez, RequesterInput(name="Ana Díaz", email="adiaz@cartagena.gov.co"))
    t = desk.log(jperez, new_ticket(requester_id=ana.id))
    desk.comment(jperez, t.id, "Se llamó a la usuaria", public=False)
    path, tickets = people.export_data(boss, ana.id, str(tmp_path / "ana.json"))
    data = json.loads((tmp_path / "ana.json").read_text(encoding="utf-8"))
    assert tickets == 1 and path.endswith("ana.json")
    assert data["solicitante"]["email"] == "adiaz@cartagena.gov.co"
    assert [c["code"] for c in data["casos"]] == [t.code]
    assert {e["action"] for e in data["eventos"]} >= {"crear", "registrar"}
    assert data["comentarios"][0]["body"] == "Se llamó a la usuaria"
    people.export_data(boss, ana.id, str(tmp_path / "ana.xlsx"))
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "ana.xlsx")
    assert book.sheetnames == ["Solicitante", "Casos", "Eventos", "Comentarios"]
    with pytest.raises(ValidationError, match=r"\.json o \.xlsx"):
        people.export_data(boss, ana.id, str(tmp_path / "ana.pdf"))
    with people.db.read() as s:
        actions = [
            r[0]
            for r in s.execute(
                sa.text("SELECT action FROM ticket_event WHERE entity = 'requester' AND entity_key = :k ORDER BY id"),
                {"k": str(ana.id)},
            )
        ]
    assert actions == ["crear", "exportar datos", "exportar datos"]


def test_correction_is_audited_as_such_without_copying_personal_data(people, jperez, boss):
    ana = people.create(jperez, RequesterInput(name="Ana Dias", email="adias@cartagena.gov.co"))
    with pytest.raises(ValidationError) as err:
        people.correct(boss, ana.id, RequesterInput(name="Ana Díaz"), "")
    assert err.value.field == "reason"
    fixed = people.correct(
        boss, ana.id, RequesterInput(name="Ana Díaz", email="adiaz@cartagena.gov.co"), "Pidió corregir"
    )
    assert (fixed.name, fixed.email) == ("Ana Díaz", "adiaz@cartagena.gov.co")
    with people.db.read() as s:
        action, changes, note = s.execute(
            sa.text("SELECT action, changes, note FROM ticket_event WHERE entity = 'requester' ORDER BY id DESC")
        ).first()
    assert action == "corregir" and note == "Pidió corregir"
    assert set(json.loads(changes)) == {"name", "email"} and "adias" not in changes and "Díaz" not in changes


def test_anonymization_blanks_the_person_and_keeps_every_count(people, desk, reports, jperez, sup, boss, now):
    ana = people.create(
        jperez,
        RequesterInput(name="Ana Díaz", email="adiaz@cartagena.gov.co", document_type="CC", document_number="1047"),
    )
    other = desk.log(jperez, new_ticket(requester_contact="otro@cartagena.gov.co"))
    mine = [desk.log(jperez, new_ticket(requester_id=ana.id)) for _ in range(3)]
    desk.take(jperez, mine[0].id)
    desk.resolve(jperez, mine[0].id, "Se cambió la fuente de poder", "en_sitio")
    year = now().year
    before = (reports.indicators(sup, year), reports.overview(sup, now()).by_status_level)
    gone = people.anonymize(boss, ana.id, "Solicitud de supresión de la titular")
    assert (gone.name, gone.email, gone.document, gone.phone, gone.anonymized, gone.active) == (
        f"Anonimizado #{ana.id}",
        None,
        "",
        "",
        True,
        False,
    )
    assert (reports.indicators(sup, year), reports.overview(sup, now()).by_status_level) == before
    for t in mine:
        after = desk.get(jperez, t.id)
        assert (after.requester_name, after.requester_contact) == (f"Anonimizado #{ana.id}", "")
        assert (after.status, after.requester_dependency) == (desk.get(jperez, t.id).status, t.requester_dependency)
    assert desk.get(jperez, other.id).requester_name == other.requester_name
    assert people.find(jperez, "adiaz") == [] and people.find(jperez, "Ana") == []
    with people.db.read() as s:
        trail = " ".join(r[0] + r[1] for r in s.execute(sa.text("SELECT changes, note FROM ticket_event")))
    assert "adiaz@cartagena.gov.co" not in trail and "Ana Díaz" not in trail
    with pytest.raises(ValidationError, match="ya fue anonimizado"):
        people.anonymize(boss, ana.id, "Otra vez")
    with pytest.raises(ValidationError, match="anonimizado"):
        people.update(jperez, ana.id, RequesterInput(name="Ana"))
    assert verify_chain(people.db).ok


def test_dependencies_are_kept_by_admins_and_a_new_name_reaches_the_tickets(admin, boss, people, desk, jperez):
    dep = admin.create_dependency(boss, "Secretaria de Hacienda")
    with pytest.raises(ValidationError, match="Ya existe"):
        admin.create_dependency(boss, "  secretaría  de hacienda ")
    with pytest.raises(PermissionDenied):
        admin.create_dependency(jperez, "Otra")
    ana = people.create(jperez, RequesterInput(name="Ana", email="ana@x.gov.co", dependency_id=dep.id))
    t = desk.log(jperez, new_ticket(requester_id=ana.id))
    renamed = admin.rename_dependency(boss, dep.id, "Secretaría de Hacienda")
    assert renamed.name == "Secretaría de Hacienda" and renamed.requesters == 1
    assert desk.get(jperez, t.id).requester_dependency == "Secretaría de Hacienda"
    admin.set_dependency_active(boss, dep.id, False)
    assert people.dependencies(jperez) == []
    with pytest.raises(ValidationError) as err:
        people.create(jperez, RequesterInput(name="Luis", dependency_id=dep.id))
    assert err.value.field == "dependency_id"
    # Who is already in an inactive dependency keeps it when edited.
    assert people.update(jperez, ana.id, RequesterInput(name="Ana B", dependency_id=dep.id)).dependency_id == dep.id


def test_the_queue_finds_tickets_by_their_requesters_e_mail_and_name(people, desk, jperez, db):
    from mesa_tui.domain.queue import PageRequest, QueueQuery, QueueView
    from mesa_tui.services.queue import QueueService

    ana = people.create(jperez, RequesterInput(name="Ana Díaz Julio", email="adiaz@cartagena.gov.co"))
    mine = {desk.log(jperez, new_ticket(requester_id=ana.id, subject=f"Caso {i}")).code for i in range(3)}
    other = desk.log(jperez, new_ticket(requester_contact="lmora@cartagena.gov.co", requester_name="Luis Mora"))
    queue = QueueService(db)

    def codes(text: str) -> set[str]:
        rows = queue.page(jperez, QueueQuery(view=QueueView.OPEN, text=text), PageRequest(size=50)).rows
        return {r.code for r in rows}

    assert codes("adiaz@cartagena.gov.co") == mine
    assert codes("ADIAZ@") == mine
    assert codes("adiaz") == mine  # a piece of the e-mail without "@"
    assert codes("díaz jul") == mine  # the name, from the ticket's own column
    assert codes("@cartagena.gov.co") == mine | {other.code}
    assert codes("nadie@ninguna.gov.co") == set()


def test_the_privacy_notice_version_is_the_desks_setting_and_is_recorded_with_its_instant(
    people, admin, boss, jperez, now
):
    assert people.notice_version(jperez) == "1"
    admin.set_setting(boss, "privacy_notice_version", "2026-1")
    assert people.notice_version(jperez) == "2026-1"
    ana = people.create(jperez, RequesterInput(name="Ana", email="ana@x.gov.co", privacy_notice_version="1"))
    now.advance(hours=1)
    shown = people.record_notice(jperez, ana.id, "2026-1")
    assert (shown.privacy_notice_version, shown.privacy_notice_at) == ("2026-1", now())
    with people.db.read() as s:
        changes = s.execute(
            sa.text("SELECT changes FROM ticket_event WHERE action = 'aviso de privacidad' ORDER BY id DESC")
        ).scalar_one()
    assert json.loads(changes) == {"privacy_notice_version": ["1", "2026-1"]}
