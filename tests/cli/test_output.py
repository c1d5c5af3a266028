"""What `mesa` writes for scripts: a reader that stops early ends the output
quietly (what was done is done, exit 0), ticket text can't drive the terminal,
internal notes are marked apart from public replies, and backups from the
command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from mesa_tui.store.models import Agent, Comment
from tests.support import actor_of, new_ticket

ROOT = Path(__file__).resolve().parents[2]
OS_LOGIN = __import__("pwd").getpwuid(os.getuid()).pw_name


def shell(command: str) -> subprocess.CompletedProcess:
    """Run a shell pipeline with `mesa` being this checkout, under `pipefail`."""
    env = {k: v for k, v in os.environ.items() if k != "MESA_DATABASE_URL"}
    env.update(PYTHONPATH=str(ROOT / "src"), LOGNAME=OS_LOGIN, USER=OS_LOGIN)
    mesa = f"{sys.executable} -m mesa_tui"
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.replace("mesa ", f"{mesa} ", 1)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.fixture
def busy_desk(db, db_url, desk):
    """Sixty tickets (more JSON than a pipe holds) and an admin mapped to the OS user."""
    db.write(lambda s: s.add(Agent(login=OS_LOGIN, full_name="Operador de pruebas", role="admin", level=1)))
    jperez = actor_of(desk, "jperez")
    tickets = [desk.log(jperez, new_ticket(subject=f"Caso {n} " + "x" * 180)) for n in range(60)]
    return db_url, tickets


def test_a_reader_that_stops_early_ends_quietly(busy_desk):
    url, _ = busy_desk
    for command in (
        f"mesa --db '{url}' ticket list --json --limit 60 | head -3",
        f"mesa --db '{url}' ticket list --json --limit 60 | head -c 1",
        f"mesa --db '{url}' ticket list --limit 60 | head -1",
        f"mesa --db '{url}' ticket list --json --limit 60 | grep -q MDA",
    ):
        result = shell(command)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_a_change_whose_output_nobody_reads_is_saved_once_and_exits_0(busy_desk, db):
    url, tickets = busy_desk
    code = tickets[0].code
    result = shell(f"mesa --db '{url}' ticket comment {code} --body 'Se llamó' --json | head -1")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(Comment).where(Comment.body == "Se llamó")).one() == 1


def test_ticket_text_cannot_drive_the_terminal(busy_desk, desk):
    url, _ = busy_desk
    hostile = "Impresora\x1b]0;PWNED\x07 dañada\x1b[2J\x1b[1A\r\x9b31m"
    t = desk.log(actor_of(desk, "jperez"), new_ticket(subject="Impresora", description=hostile))
    desk.comment(actor_of(desk, "jperez"), t.id, "Llamar a Ana\x1b[8m oculto", public=False)
    desk.comment(actor_of(desk, "jperez"), t.id, "Ya quedó su impresora", public=True)
    result = shell(f"mesa --db '{url}' ticket show {t.code}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\x9b" not in out
    assert "Impresora?]0;PWNED? dañada?[2J?[1A??31m" in out
    assert "nota interna (no sale de la mesa):\n      Llamar a Ana?[8m oculto" in out
    assert "respuesta pública:\n      Ya quedó su impresora" in out


def test_backup_verify_and_restore_from_the_command_line(busy_desk, tmp_path):
    url, _ = busy_desk
    file = tmp_path / "respaldo.mesabak"
    made = shell(f"mesa --db '{url}' backup {file}")
    assert made.returncode == 0, made.stderr
    assert "Respaldo hecho" in made.stdout and "60 casos" in made.stdout
    again = shell(f"mesa --db '{url}' backup {file}")
    assert again.returncode == 2 and "ya existe" in again.stderr
    checked = shell(f"mesa --db '{url}' backup --verify {file}")
    assert checked.returncode == 0, checked.stderr
    assert "Respaldo íntegro" in checked.stdout and "auditoría íntegra:" in checked.stdout
    logged = shell(
        f"mesa --db '{url}' ticket log --requester Ana --contact a@b.co --channel correo "
        "--service SER-004 --type incidente --subject Nuevo"
    )
    assert logged.returncode == 0, logged.stderr
    refused = shell(f"mesa --db '{url}' restore {file}")
    assert refused.returncode == 2 and "posteriores al respaldo" in refused.stderr
    forced = shell(f"mesa --db '{url}' restore {file} --force")
    assert forced.returncode == 0, forced.stderr
    listed = shell(f"mesa --db '{url}' ticket list --limit 100")
    assert "Nuevo" not in listed.stdout and listed.stdout.count("MDA-") == 60
