"""`mesa catalog import/export` from the command line."""

from pathlib import Path

from mesa_tui import cli
from mesa_tui.cli import common
from mesa_tui.services.catalog import export_catalog
from tests.support import system_of

ROOT = Path(__file__).resolve().parents[2]


def test_first_import_then_export_round_trips(empty_db, tmp_path, capsys, monkeypatch):
    url = empty_db.url
    monkeypatch.setattr(common, "os_login", lambda: "rpuello")
    # A new desk: its first catalog is loaded by the desk itself, before it has any agent.
    assert cli.main(["--db", url, "catalog", "import", str(ROOT / "db" / "catalog.tsv")]) == 0
    assert "33 nuevos" in capsys.readouterr().out
    # Once the desk has its administrator, the catalog is theirs.
    assert cli.main(["--db", url, "admin", "init", "rpuello", "Rafael Puello Navarro"]) == 0
    out = tmp_path / "export.tsv"
    assert cli.main(["--db", url, "catalog", "export", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == export_catalog(empty_db, system_of(empty_db))
    assert cli.main(["--db", url, "catalog", "import", str(out)]) == 0
    assert "0 nuevos, 0 modificados, 33 sin cambios" in capsys.readouterr().out


def test_a_malformed_file_is_refused_naming_the_line_and_changes_nothing(empty_db, tmp_path, capsys):
    url = empty_db.url
    good = (ROOT / "db" / "catalog.tsv").read_text(encoding="utf-8")
    lines = good.splitlines()
    # Every row edited (so a partial import would show), and the last one broken.
    rows = [i for i, line in enumerate(lines) if line.startswith("SER-")]
    for i in rows:
        fields = lines[i].split("\t")
        fields[2] = fields[2] + " (editado)"
        lines[i] = "\t".join(fields)
    last = rows[-1]
    lines[last] = lines[last].replace("SER-034", "SER-34", 1)
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["--db", url, "catalog", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"línea {last + 1}" in err and "SER-34" in err
    assert export_catalog(empty_db, system_of(empty_db)).count("\nSER-") == 0  # nothing was written


def test_a_missing_file_is_named(empty_db, capsys):
    assert cli.main(["--db", empty_db.url, "catalog", "import", "/no/such/catalog.tsv"]) == 2
    assert "/no/such/catalog.tsv" in capsys.readouterr().err
