"""`mesa` in scripts: a listing that says where it stopped and pages on with
--after, errors as JSON with --json, groups by name, stopped clocks with their
outcome, reports to stdout or to the reports folder (in the format their name
says), and a maintenance run that only tells what it would close."""

from __future__ import annotations

import json
from datetime import timedelta

import openpyxl
import pytest

from mesa_tui.services.clock import utcnow
from mesa_tui.services.desk import Desk
from tests.cli.test_cli_ticket import LOG, as_json, counts
from tests.support import actor_of, new_ticket, system_of


def notice_token(err: str) -> str | None:
    """The TOKEN of "siga con --after TOKEN", or None when the listing was complete."""
    marker = "siga con --after "
    return err.split(marker, 1)[1].split()[0] if marker in err else None


def test_a_listing_says_it_stopped_at_the_limit_and_pages_on(mesa, desk):
    jperez = actor_of(desk, "jperez")
    made = {desk.log(jperez, new_ticket(subject=f"Caso {n}")).code for n in range(23)}
    seen: list[str] = []
    after: list[str] = []
    pages = 0
    while True:
        code, out, err = mesa("ticket", "list", "--limit", "10", "--json", *after)
        assert code == 0, err
        pages += 1
        seen += [r["code"] for r in json.loads(out)]  # stdout is the rows alone, even with more to come
        token = notice_token(err)
        if token is None:
            break
        assert "Se listaron 10 casos y hay más" in err
        after = ["--after", token]
    assert pages == 3 and len(seen) == 23 and set(seen) == made  # each once, in order, none lost

    code, out, err = mesa("ticket", "list", "--after", "ayer")
    assert code == 2 and "no es un TOKEN de --after" in err


def test_with_json_errors_are_json_on_stderr(mesa, db):
    before = counts(db)
    code, out, err = mesa("ticket", "show", "MDA-2026-999999", "--json")
    assert code == 2 and out == ""
    error = json.loads(err)
    assert error["exit"] == 2 and "MDA-2026-999999" in error["error"]
    code, _, err = mesa("ticket", "list", "--limit", "-5", "--json")  # refused by the parser itself
    assert code == 2 and json.loads(err)["error"].startswith("--limit")
    code, _, err = mesa("ticket", "show", "MDA-2026-999999")  # without --json: one plain line
    assert code == 2 and err.startswith("Error: ")
    assert counts(db) == before


def test_groups_are_named_as_people_name_them(mesa):
    ref = as_json(mesa(*LOG, "--json")[1])["code"]
    mesa("ticket", "take", ref)
    code, out, err = mesa("ticket", "escalate", ref, "--reason", "Red", "--group", "infraestructura Y REDES", "--json")
    assert code == 0, err
    assert as_json(out)["group_name"] == "Infraestructura y redes"
    code, _, err = mesa("ticket", "assign", ref, "--group", "Contabilidad", as_login="supervisor")
    assert code == 2 and "No hay un grupo activo llamado «Contabilidad»" in err and "Infraestructura y redes" in err


def test_a_stopped_clock_shows_its_outcome_not_time_left(mesa, desk):
    jperez = actor_of(desk, "jperez")
    t = desk.log(jperez, new_ticket())
    desk.take(jperez, t.id)
    desk.resolve(jperez, t.id, "Listo", "remoto")
    code, out, _ = mesa("ticket", "show", t.code)
    assert code == 0
    lines = {line.split(":", 1)[0].strip(): line for line in out.splitlines() if line.startswith("  ")}
    assert "cumplido" in lines["Respuesta"] and "restante" not in lines["Respuesta"]
    assert "cumplido" in lines["Solución"] and "detenido" in lines["Solución"]


def test_reports_go_to_stdout_or_the_reports_folder_in_the_format_named(mesa, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MESA_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    (tmp_path / "no-config.toml").write_text("")
    monkeypatch.chdir(tmp_path)

    code, out, err = mesa("report", "indicators", "--year", "2026", "--format", "csv", as_login="supervisor")
    assert code == 0, err
    written = tmp_path / "mesa-informes" / "indicadores-2026.csv"
    assert written.is_file() and str(written) in out
    assert not (tmp_path / "indicadores-2026.csv").exists()  # not the folder it ran in

    code, out, err = mesa(
        "report", "indicators", "--year", "2026", "--out", str(tmp_path / "año.csv"), as_login="supervisor"
    )
    assert code == 0 and (tmp_path / "año.csv").read_bytes().startswith(b"\xef\xbb\xbfA")  # csv, from its name
    code, _, err = mesa(
        "report", "indicators", "--out", str(tmp_path / "x.csv"), "--format", "xlsx", as_login="supervisor"
    )
    assert code == 2 and "termina en .csv" in err and not (tmp_path / "x.csv").exists()

    day = utcnow().date().isoformat()
    code, out, err = mesa(
        "report", "tickets", "--from", day, "--to", day, "--out", "-", "--format", "csv", as_login="supervisor"
    )
    assert code == 0, err
    assert out.startswith("\ufeffCódigo") and not list(tmp_path.glob("casos-*"))


def test_an_xlsx_to_stdout_is_a_workbook(db, db_url, tmp_path):
    from mesa_tui.store.models import Agent
    from tests.cli.test_output import OS_LOGIN, shell

    db.write(lambda s: s.add(Agent(login=OS_LOGIN, full_name="Operador de pruebas", role="admin", level=1)))
    file = tmp_path / "año.xlsx"
    result = shell(f"mesa --db '{db_url}' --as supervisor report indicators --year 2026 --out - > '{file}'")
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(file).sheetnames[0] == "Solicitudes"


def test_maintenance_dry_run_tells_and_changes_nothing(mesa, db):
    long_ago = utcnow() - timedelta(days=14)
    old_desk = Desk(db, now=lambda: long_ago)
    agent = actor_of(old_desk, "jperez")
    old = old_desk.resolve(agent, old_desk.log(agent, new_ticket()).id, "Se cambió el tóner.", "en_sitio")
    before = counts(db)
    code, out, _ = mesa("maintenance", "--dry-run", as_login=None)
    assert code == 0 and out.strip() == f"Cierre automático (prueba, nada cambió): se cerrarían 1 casos ({old.code})"
    assert counts(db) == before
    assert Desk(db).get(system_of(db), old.id).status == "resuelto"


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch, tmp_path):
    """The tests' own settings: none from the machine they run on."""
    monkeypatch.setenv("MESA_CONFIG", str(tmp_path / "mesa.toml"))
    (tmp_path / "mesa.toml").write_text("")
