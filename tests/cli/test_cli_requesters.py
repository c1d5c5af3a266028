"""`mesa requester import|list|export-data|anonymize` from the command line."""

from __future__ import annotations

import json

import pytest

from mesa_tui import cli
from mesa_tui.cli import common
from mesa_tui.services.requesters import Requesters
from tests.support import actor_of, new_ticket

STAFF = (
    "nombre;correo;dependencia;cargo\n"
    "Ana Díaz Julio;adiaz@cartagena.gov.co;Secretaría de Hacienda;Profesional\n"
    "Luis Mora;lmora@cartagena.gov.co;Secretaría General;Técnico\n"
)


@pytest.fixture
def as_login(monkeypatch):
    def use(login: str) -> None:
        monkeypatch.setattr(common, "os_login", lambda: login)

    use("admin")
    return use


def test_import_list_export_and_anonymize(db, desk, tmp_path, capsys, as_login):
    staff = tmp_path / "personal.csv"
    staff.write_text(STAFF, encoding="utf-8")
    assert cli.main(["--db", db.url, "requester", "import", str(staff)]) == 0
    assert "2 nuevos, 0 actualizados, 0 sin cambios; 2 dependencias nuevas" in capsys.readouterr().out
    assert cli.main(["--db", db.url, "requester", "list", "--search", "diaz"]) == 0
    out = capsys.readouterr().out
    assert "Ana Díaz Julio" in out and "adiaz@cartagena.gov.co" in out and "Luis" not in out
    assert cli.main(["--db", db.url, "requester", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    ana = next(r for r in listed if r["name"] == "Ana Díaz Julio")
    desk.log(actor_of(desk, "jperez"), new_ticket(requester_id=ana["id"]))
    out_file = tmp_path / "ana.json"
    assert cli.main(["--db", db.url, "requester", "export-data", str(ana["id"]), "--file", str(out_file)]) == 0
    assert "(1 casos)" in capsys.readouterr().out
    assert json.loads(out_file.read_text(encoding="utf-8"))["solicitante"]["name"] == "Ana Díaz Julio"
    args = ["--db", db.url, "requester", "anonymize", str(ana["id"]), "--reason", "Solicitud de la titular"]
    assert cli.main(args) == 0
    assert f"ahora «Anonimizado #{ana['id']}»" in capsys.readouterr().out
    assert Requesters(db).get(actor_of(db, "admin"), ana["id"]).email is None


def test_a_bad_file_names_its_lines_and_writes_nothing(db, tmp_path, capsys, as_login):
    bad = tmp_path / "malo.csv"
    bad.write_text("nombre;correo\nAna;adiaz@cartagena.gov.co\nLuis;no es correo\n", encoding="utf-8")
    assert cli.main(["--db", db.url, "requester", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Línea 3" in err and "no se importó nada" in err and "Traceback" not in err
    assert Requesters(db).search(actor_of(db, "admin"), "")[0] == []


def test_an_agent_is_refused_and_an_unknown_id_is_named(db, tmp_path, capsys, as_login):
    as_login("jperez")
    assert cli.main(["--db", db.url, "requester", "anonymize", "1", "--reason", "x"]) == 2
    assert "Solo un administrador" in capsys.readouterr().err
    as_login("admin")
    assert cli.main(["--db", db.url, "requester", "export-data", "999", "--file", str(tmp_path / "x.json")]) == 2
    assert "No existe el solicitante 999" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        cli.main(["--db", db.url, "requester", "export-data", "abc", "--file", "x.json"])
    assert bad.value.code == 2 and "«abc» no es válido" in capsys.readouterr().err
