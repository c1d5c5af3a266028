"""`mesa ssh authorized-keys|check` and `mesa session --agent LOGIN`: the file written
from the database and its drift reported (exit 1); the forced command refused to
anyone but the SSH service account under sshd, and otherwise opening the TUI as the
key's agent, registered as an SSH session."""

from __future__ import annotations

import pytest
from sqlmodel import select

from mesa_tui import cli
from mesa_tui.app import MesaApp
from mesa_tui.cli import common
from mesa_tui.cli import session as session_cli
from mesa_tui.services.admin import Admin
from mesa_tui.services.ssh_keys import SshKeys
from mesa_tui.store.models import AgentSession, TicketEvent
from tests.support import actor_of, public_key, ssh_settings

SSH = "203.0.113.9 50022 10.0.0.1 22"


@pytest.fixture
def file(monkeypatch, tmp_path):
    return ssh_settings(monkeypatch, tmp_path, "/srv/mesa/.venv/bin/mesa")


@pytest.fixture
def runs(monkeypatch):
    opened = []
    monkeypatch.setattr(MesaApp, "run", lambda self, *a, **k: opened.append(self.session_actor))
    monkeypatch.setattr(session_cli, "has_terminal", lambda: True)
    return opened


@pytest.fixture
def account(db, now):
    Admin(db, now=now).set_setting(actor_of(db, "admin"), "ssh_account", "mesa")


def refusals(db) -> list[str]:
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.entity == "session", TicketEvent.action == "rechazar")
        return [e.note for e in s.exec(q).all()]


def test_authorized_keys_is_written_and_checked(db, now, file, capsys):
    SshKeys(db, now=now).add_key(actor_of(db, "jperez"), None, public_key("jp"))
    assert cli.main(["--db", db.url, "ssh", "authorized-keys"]) == 0
    assert f"1 llave de agentes activos en {file}" in capsys.readouterr().out
    assert '"/srv/mesa/.venv/bin/mesa session --agent jperez",restrict,pty ssh-ed25519' in file.read_text()
    assert cli.main(["--db", db.url, "ssh", "check"]) == 0
    assert "al día: 1 llave" in capsys.readouterr().out
    file.write_text(file.read_text().replace("--agent jperez", "--agent admin"))
    assert cli.main(["--db", db.url, "ssh", "check"]) == 1
    out = capsys.readouterr().out
    assert "falta:" in out and "sobra:" in out and "--agent admin" in out


def test_another_file_can_be_named(db, now, file, tmp_path, capsys):
    other = tmp_path / "otro" / "authorized_keys"
    assert cli.main(["--db", db.url, "ssh", "check", "--file", str(other)]) == 1
    assert "no existe" in capsys.readouterr().out
    assert cli.main(["--db", db.url, "ssh", "authorized-keys", "--file", str(other)]) == 0
    assert cli.main(["--db", db.url, "ssh", "check", "--file", str(other)]) == 0
    assert not file.exists()


def test_without_a_service_account_no_ssh_session_opens(db, file, runs, monkeypatch, capsys):
    monkeypatch.setattr(common, "os_login", lambda: "mesa")
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    assert cli.main(["--db", db.url, "session", "--agent", "jperez"]) == 2
    assert "no están habilitadas" in capsys.readouterr().err
    assert runs == [] and len(refusals(db)) == 1


@pytest.mark.parametrize(
    ("login", "ssh"),
    [("jperez", SSH), ("admin", SSH), ("mesa", ""), ("root", SSH)],
    ids=["an agent", "an admin", "the account outside sshd", "root"],
)
def test_only_the_service_account_under_sshd_opens_a_forced_session(db, account, runs, monkeypatch, capsys, login, ssh):
    monkeypatch.setattr(common, "os_login", lambda: login)
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", ssh)
    assert cli.main(["--db", db.url, "session", "--agent", "admin"]) == 2
    assert "solo lo ejecuta sshd con la cuenta de servicio «mesa»" in capsys.readouterr().err
    assert runs == []
    (note,) = refusals(db)
    assert "SSH --agent admin" in note


def test_the_forced_command_opens_the_keys_agent_as_an_ssh_session(db, account, runs, monkeypatch):
    monkeypatch.setattr(common, "os_login", lambda: "mesa")
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "cat /etc/passwd")
    assert cli.main(["--db", db.url, "session", "--agent", "jperez"]) == 0
    (actor,) = runs
    assert actor.login == "jperez" and actor.session_id is not None
    with db.read() as s:
        (row,) = s.exec(select(AgentSession)).all()
        assert (row.kind, row.method, row.ended_at is not None) == ("ssh", "llave SSH (orden pedida ignorada)", True)
        assert row.origin.startswith("SSH 203.0.113.9")


def test_an_inactive_agents_key_opens_nothing(db, now, account, runs, monkeypatch, capsys):
    Admin(db, now=now).set_agent_active(actor_of(db, "admin"), actor_of(db, "jperez").id, False)
    monkeypatch.setattr(common, "os_login", lambda: "mesa")
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    assert cli.main(["--db", db.url, "session", "--agent", "jperez"]) == 2
    assert "inactivo" in capsys.readouterr().err and runs == []


def test_a_client_without_a_terminal_is_told_to_ask_for_one(db, account, monkeypatch, capsys):
    monkeypatch.setattr(common, "os_login", lambda: "mesa")
    monkeypatch.setenv("SSH_CONNECTION", SSH)
    monkeypatch.setattr(session_cli, "has_terminal", lambda: False)
    assert cli.main(["--db", db.url, "session", "--agent", "jperez"]) == 2
    assert "ssh -t" in capsys.readouterr().err
