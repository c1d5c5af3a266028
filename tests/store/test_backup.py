"""Backups that restore: an online backup taken while another process logs
tickets holds every ticket acknowledged before it started, verifies against
its manifest, refuses to roll back newer work unasked, and restores."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlmodel import func, select

from mesa_tui.store import backup as backups
from mesa_tui.store.models import Ticket

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from mesa_tui.services.desk import Desk, NewTicket
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    url, acks, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    desk = Desk(Database(url))
    actor = Identity(desk.db).agent("jperez")
    deadline = time.monotonic() + 60
    with acks.open("a") as out:
        n = 0
        while not stop.exists() and time.monotonic() < deadline:
            n += 1
            info = desk.log(actor, NewTicket(
                requester_name="Ana Díaz", requester_dependency="Hacienda",
                requester_contact="adiaz@cartagena.gov.co", channel="correo",
                service_code="SER-004", type="incidente",
                subject=f"Caso del escritor {n}", description="Respaldo en caliente.",
            ))
            out.write(info.code + "\\n")  # acknowledged: the commit returned
            out.flush()
    """
)


def acknowledged(file: Path) -> set[str]:
    return {line for line in file.read_text().splitlines() if line} if file.exists() else set()


def codes(db) -> set[str]:
    with db.read() as s:
        return set(s.exec(select(Ticket.code)).all())


def ticket_count(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Ticket)).one()


@pytest.fixture
def writer(db_url, tmp_path):
    acks, stop = tmp_path / "acks.txt", tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url, str(acks), str(stop)], env=env)
    yield acks, stop, proc
    stop.touch()
    proc.wait(timeout=60)


def wait_for(predicate, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_online_backup_verify_and_restore(db, tmp_path, writer):
    acks, stop, proc = writer
    wait_for(lambda: len(acknowledged(acks)) >= 20)
    before_backup = acknowledged(acks)
    file = tmp_path / "respaldo.mesabak"

    manifest = backups.backup(db, file)

    wait_for(lambda: len(acknowledged(acks)) >= len(before_backup) + 10)
    stop.touch()
    assert proc.wait(timeout=60) == 0
    everything = acknowledged(acks)
    assert everything <= codes(db)  # the writer lost nothing either

    check = backups.verify(db, file)
    assert check.ok, (check.integrity, check.mismatches)
    assert check.manifest.counts["ticket"] == manifest.counts["ticket"] >= len(before_backup)

    with pytest.raises(backups.BackupError, match="posteriores al respaldo"):
        backups.restore(db, file)
    assert codes(db) >= everything  # the refused restore changed nothing

    backups.restore(db, file, force=True)
    restored = codes(db)
    assert before_backup <= restored  # every ticket acknowledged before the backup began
    assert ticket_count(db) == manifest.counts["ticket"]
    assert backups.restore(db, file).counts == manifest.counts  # nothing newer now: allowed


def test_backup_never_overwrites_and_detects_damage(db, tmp_path):
    file = tmp_path / "respaldo.mesabak"
    backups.backup(db, file)
    with pytest.raises(backups.BackupError, match="ya existe"):
        backups.backup(db, file)

    damaged = tmp_path / "danado.mesabak"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(backups.BackupError, match="dañado"):
        backups.verify(db, damaged)

    not_a_backup = tmp_path / "otro.mesabak"
    not_a_backup.write_text("hola")
    with pytest.raises(backups.BackupError, match="no es un respaldo"):
        backups.verify(db, not_a_backup)


def test_backup_does_not_follow_a_planted_link(db, tmp_path):
    victim = tmp_path / "victima.txt"
    victim.write_text("intacto")
    for name in (".respaldo.mesabak.tmp", ".mesa-backup-respaldo.tmp"):
        (tmp_path / name).symlink_to(victim)
    backups.backup(db, tmp_path / "respaldo.mesabak")
    assert victim.read_text() == "intacto"


def test_verify_walks_the_restored_copys_audit_chain(desk, now, tmp_path):
    """A backup of a desk whose trail was edited behind the desk's back restores
    and counts fine, yet does not verify: the copy's chain is walked too."""
    from tests.store.test_audit_chain import tamper, ticket_event_ids, work

    work(desk, now)
    good = tmp_path / "bueno.mesabak"
    backups.backup(desk.db, good)
    check = backups.verify(desk.db, good)
    assert check.ok and check.chain is not None and check.chain.ok and check.chain.events > 10

    target = ticket_event_ids(desk.db)[3]
    tamper(desk.db, f"UPDATE ticket_event SET note = 'Reescrito' WHERE id = {target}")
    bad = tmp_path / "alterado.mesabak"
    backups.backup(desk.db, bad)
    check = backups.verify(desk.db, bad)
    assert not check.mismatches and check.integrity == "ok"
    assert not check.ok and check.chain is not None and check.chain.broken is not None
    assert check.chain.broken.event_id == target
