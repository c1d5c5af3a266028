"""Every bad input of issue 11 point 3, fed to the real `mesa` in a subprocess:
one Spanish line on stderr, no traceback, a non-zero exit, and the desk's
database exactly as it was (compared as a dump)."""

from __future__ import annotations

import os
import pwd
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from mesa_tui.store.models import Agent
from tests.support import actor_of

ROOT = Path(__file__).resolve().parents[2]
OS_LOGIN = pwd.getpwuid(os.getuid()).pw_name


def run_mesa(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "MESA_DATABASE_URL"}
    base.update(LOGNAME=OS_LOGIN, USER=OS_LOGIN, PYTHONPATH=str(ROOT / "src"))
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mesa_tui", *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=cwd or ROOT,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def dump(db) -> list[str]:
    """The whole database as text: SQLite's own dump, or every row of every
    table in a fixed order on PostgreSQL."""
    if db.is_sqlite:
        raw = db.engine.raw_connection()
        try:
            return list(raw.driver_connection.iterdump())
        finally:
            raw.close()
    with db.engine.connect() as conn:
        out = []
        for name in sorted(sa.inspect(conn).get_table_names()):
            rows = conn.exec_driver_sql(f'SELECT t::text FROM "{name}" t ORDER BY t::text').scalars().all()
            out += [f"{name}: {r}" for r in rows]
        return out


@pytest.fixture
def desk_url(db, db_url, desk):
    """A staffed desk with one ticket, where the OS user running the tests is an admin."""
    from mesa_tui.services.desk import NewTicket

    def add(s):
        s.add(Agent(login=OS_LOGIN, full_name="Operador de pruebas", role="admin", level=1, active=True))

    db.write(add)
    desk.log(
        actor_of(desk, "jperez"),
        NewTicket(
            requester_name="Ana Díaz",
            requester_dependency="Secretaría de Hacienda",
            requester_contact="adiaz@cartagena.gov.co",
            channel="correo",
            service_code="SER-004",
            type="incidente",
            subject="No abre Outlook",
            description="Se cierra al abrir.",
        ),
    )
    return db_url


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    err = result.stderr.strip()
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert len(err.splitlines()) == 1, err
    for word in words:
        assert word.lower() in err.lower(), err


BAD_URLS = [
    ("postgresql+psycopg://mesa:secreta@127.0.0.1:1/mesa", "conectar"),
    ("postgresql+psycopg://mesa:secreta@host-que-no-existe.invalid/mesa", "base de datos"),
    ("esto no es una url", "no es válida"),
    ("mysql://mesa:secreta@localhost/mesa", "sqlite o postgresql"),
    ("oracle+cx_oracle://mesa:secreta@localhost/mesa", "sqlite o postgresql"),
]


@pytest.mark.parametrize(("url", "words"), BAD_URLS)
def test_bad_database_urls(url, words):
    for args in (("ticket", "list"), ("db", "upgrade"), ("report", "indicators", "--year", "2026")):
        result = run_mesa("--db", url, *args)
        assert_refused(result, words)
        assert "secreta" not in result.stderr + result.stdout


def test_empty_database_url():
    assert_refused(run_mesa("--db", "", "ticket", "list"), "url")
    assert_refused(run_mesa("ticket", "list", env={"MESA_DATABASE_URL": ""}), "url")


@pytest.mark.parametrize(
    "content",
    [b"", b"esto no es una base de datos" * 100, b"SQLite format 3\x00" + b"\x00" * 50],
    ids=["vacio", "texto", "cabecera-sola"],
)
def test_corrupt_or_truncated_sqlite_file(tmp_path, content):
    file = tmp_path / "rota.db"
    file.write_bytes(content)
    result = run_mesa("--db", f"sqlite:///{file}", "ticket", "list")
    assert_refused(result)
    assert file.read_bytes() == content


def test_truncated_copy_of_a_real_desk(tmp_path, desk_url, db):
    if not db.is_sqlite:
        pytest.skip("a SQLite file")
    real = Path(sa.engine.make_url(desk_url).database)
    db.engine.dispose()
    with sqlite3.connect(real) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = real.read_bytes()
    half = tmp_path / "mitad.db"
    half.write_bytes(data[: len(data) // 2])
    assert_refused(run_mesa("--db", f"sqlite:///{half}", "ticket", "list"))


def test_missing_database_file_is_not_created(tmp_path):
    file = tmp_path / "nueva" / "mesa.db"
    result = run_mesa("--db", f"sqlite:///{file}", "ticket", "list")
    assert_refused(result, "mesa db upgrade")
    assert not file.exists() and not file.parent.exists()


def test_database_that_is_a_directory(tmp_path):
    assert_refused(run_mesa("--db", f"sqlite:///{tmp_path}", "ticket", "list"), "carpeta")


def test_default_database_is_the_same_from_any_folder(tmp_path):
    """Started from another folder, mesa neither creates a db/ there nor fails with a traceback."""
    result = run_mesa("ticket", "list", cwd=tmp_path, env={"MESA_CONFIG": str(tmp_path / "none.toml")})
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "db").exists()


def test_newer_schema_is_refused_by_every_command(desk_url, db):
    before = dump(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'")
    changed = dump(db)
    for args in (
        ("ticket", "list"),
        ("ticket", "show", "1"),
        ("catalog", "export", "/tmp/x.tsv"),
        ("maintenance",),
        ("report", "indicators", "--year", "2026"),
        ("db", "upgrade"),
    ):
        assert_refused(run_mesa("--db", desk_url, *args), "actualice mesa-tui")
    assert dump(db) == changed != before


def test_read_only_database_for_a_writer(desk_url, db):
    """A database the user may read but not write (opened read-only, as an
    agent's account sees a file owned by the desk's service account): a
    change is refused with a sentence and nothing is written."""
    if not db.is_sqlite:
        pytest.skip("file permissions are SQLite's")
    file = sa.engine.make_url(desk_url).database
    before = dump(db)
    result = run_mesa("--db", f"sqlite:///file:{file}?mode=ro&uri=true", "ticket", "comment", "1", "--body", "hola")
    assert_refused(result, "solo lectura")
    assert dump(db) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("ticket", "show", str(2**70)), "caso"),
        (("ticket", "show", str(2**63)), "caso"),
        (("ticket", "take", "-1"), ""),
        (
            (
                "report",
                "tickets",
                "--from",
                "0001-01-01",
                "--to",
                "9999-12-31",
                "--out",
                "/tmp/x.csv",
                "--format",
                "csv",
            ),
            "fecha",
        ),
        (("report", "indicators", "--year", "0000"), "año"),
        (("report", "indicators", "--year", "9999"), "año"),
        (("ticket", "list", "--limit", "-5"), "limit"),
        (("ticket", "list", "--limit", "0"), "limit"),
        (("demo", "--tickets", "-5"), "tickets"),
    ],
)
def test_out_of_range_numbers_and_dates(desk_url, db, args, words):
    before = dump(db)
    assert_refused(run_mesa("--db", desk_url, *args), words)
    assert dump(db) == before


def test_paths_that_are_folders_or_not_writable(tmp_path, desk_url, db):
    before = dump(db)
    assert_refused(run_mesa("--db", desk_url, "catalog", "import", str(tmp_path)), "carpeta")
    assert_refused(run_mesa("--db", desk_url, "catalog", "export", str(tmp_path)), "carpeta")
    assert_refused(run_mesa("--db", desk_url, "catalog", "export", "/proc/catalogo.tsv"))
    assert_refused(run_mesa("--db", desk_url, "catalog", "import", str(tmp_path / "no-existe.tsv")), "no existe")
    assert_refused(
        run_mesa("--db", desk_url, "report", "indicators", "--year", "2026", "--format", "csv", "--out", str(tmp_path)),
        "carpeta",
    )
    assert_refused(
        run_mesa("--db", desk_url, "report", "indicators", "--year", "2026", "--out", "/proc/indicadores.xlsx"),
    )
    assert dump(db) == before


@pytest.mark.parametrize(
    "content",
    [
        b"codigo\tnombre\n" + "SER-001\tImpresión".encode("latin-1"),
        bytes(range(256)) * 4,
    ],
    ids=["latin-1", "binario"],
)
def test_catalog_file_not_utf8(tmp_path, desk_url, db, content):
    file = tmp_path / "catalogo.tsv"
    file.write_bytes(content)
    before = dump(db)
    result = run_mesa("--db", desk_url, "catalog", "import", str(file))
    assert_refused(result, "utf-8")
    assert "línea" in result.stderr
    assert dump(db) == before


def test_keys_file_that_is_a_directory(tmp_path, desk_url):
    keys = tmp_path / "keys.toml"
    keys.mkdir()
    assert_refused(run_mesa("--db", desk_url, env={"MESA_KEYMAP": str(keys)}), "carpeta")
