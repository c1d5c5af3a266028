"""Agents' SSH keys: validated before they are stored, one's own or (administrators)
anyone's, audited, and the service account's authorized_keys rewritten from them
after every change and every (de)activation, with only active agents' keys."""

from __future__ import annotations

import base64
import os
import stat
import subprocess

import pytest
from sqlmodel import select

from mesa_tui.domain.ssh_keys import drift
from mesa_tui.services.admin import Admin
from mesa_tui.services.errors import NotFound, PermissionDenied, SessionEnded, ValidationError
from mesa_tui.services.ssh_keys import NotConfigured, SshKeys
from mesa_tui.store.models import AgentSshKey, TicketEvent
from tests.support import actor_of, public_key, ssh_settings, system_of

COMMAND = "/opt/mesa/bin/mesa"


@pytest.fixture
def keys(db, now) -> SshKeys:
    return SshKeys(db, now=now)


@pytest.fixture
def file(monkeypatch, tmp_path):
    return ssh_settings(monkeypatch, tmp_path, COMMAND)


def stored(db) -> list[tuple[int, str, str, str]]:
    with db.read() as s:
        rows = s.exec(select(AgentSshKey).order_by(AgentSshKey.id)).all()
        return [(r.agent_id, r.key_type, r.comment, r.fingerprint) for r in rows]


def key_events(db) -> list[tuple[str, str, str]]:
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.action.in_(("agregar llave", "quitar llave")))  # type: ignore[attr-defined]
        return [(e.action, e.entity_key, e.changes) for e in s.exec(q.order_by(TicketEvent.id)).all()]


def test_an_agent_adds_their_own_key_and_the_file_gets_its_forced_command(db, keys, file):
    jperez = actor_of(db, "jperez")
    line = public_key("jperez@portatil")
    change = keys.add_key(jperez, None, line)
    blob = base64.b64decode(line.split()[1])
    assert change.key.fingerprint.startswith("SHA256:") and len(change.key.fingerprint) == 50
    assert stored(db) == [(jperez.id, "ssh-ed25519", "jperez@portatil", change.key.fingerprint)]
    assert len(blob) > 32
    assert change.published.path == str(file) and change.published.problem is None
    text = file.read_text()
    assert f'command="{COMMAND} session --agent jperez",restrict,pty {line}\n' in text
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o644
    ((action, key, changes),) = key_events(db)
    assert (action, key) == ("agregar llave", str(jperez.id)) and change.key.fingerprint in changes


def test_the_fingerprint_is_the_one_ssh_keygen_prints(db, keys, file, tmp_path):
    line = public_key("x@y")
    change = keys.add_key(actor_of(db, "jperez"), None, line)
    pub = tmp_path / "k.pub"
    pub.write_text(line + "\n")
    try:
        printed = subprocess.run(["ssh-keygen", "-l", "-f", str(pub)], capture_output=True, text=True, check=True)
    except FileNotFoundError:
        pytest.skip("ssh-keygen no está instalado (Debian: openssh-client)")
    assert printed.stdout.split()[1] == change.key.fingerprint


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Pegue la llave"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "no admitido"),
        ('command="sh" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG', "sin opciones"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG", "dañada"),
        ("ssh-ed25519 !!!notbase64", "incompleta"),
        ("-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA", "PRIVADA"),
        ("ssh-ed25519 AAAA\nssh-ed25519 BBBB", "una sola"),
    ],
)
def test_a_bad_key_is_refused_naming_the_problem_and_nothing_changes(db, keys, file, text, says):
    with pytest.raises(ValidationError) as refused:
        keys.add_key(actor_of(db, "jperez"), None, text)
    assert refused.value.field == "key" and says in refused.value.message
    assert stored(db) == [] and key_events(db) == [] and not file.exists()


def test_a_key_whose_body_is_of_another_type_is_refused(db, keys, file):
    body = public_key().split()[1]
    with pytest.raises(ValidationError, match="dañada"):
        keys.add_key(actor_of(db, "jperez"), None, f"ssh-rsa {body}")


def test_a_weak_rsa_key_is_refused_and_a_strong_one_taken(db, keys, file):
    jperez = actor_of(db, "jperez")
    with pytest.raises(ValidationError, match="1024 bits"):
        keys.add_key(jperez, None, public_key("viejo", bits=1024))
    assert keys.add_key(jperez, None, public_key("nuevo", bits=2048)).key.key_type == "ssh-rsa"


def test_a_key_opens_one_agent_only(db, keys, file):
    line = public_key("compartida")
    keys.add_key(actor_of(db, "jperez"), None, line)
    with pytest.raises(ValidationError, match="jperez"):
        keys.add_key(actor_of(db, "lmarrugo"), None, line)
    with pytest.raises(ValidationError, match="suya"):
        keys.add_key(actor_of(db, "jperez"), None, line.replace("compartida", "otra vez"))
    assert len(stored(db)) == 1


def test_only_an_administrator_touches_another_agents_keys(db, keys, file):
    jperez, lmarrugo, admin = actor_of(db, "jperez"), actor_of(db, "lmarrugo"), actor_of(db, "admin")
    with pytest.raises(PermissionDenied):
        keys.add_key(lmarrugo, jperez.id, public_key())
    mine = keys.add_key(jperez, None, public_key("mía")).key
    with pytest.raises(PermissionDenied):
        keys.remove_key(lmarrugo, mine.id)
    with pytest.raises(PermissionDenied):
        keys.keys(lmarrugo, jperez.id)
    by_admin = keys.add_key(admin, jperez.id, public_key("puesta por admin")).key
    assert [k.comment for k in keys.keys(jperez)] == ["mía", "puesta por admin"]
    assert by_admin.agent_id == jperez.id
    keys.remove_key(admin, mine.id)
    assert [k.comment for k in keys.keys(admin, jperez.id)] == ["puesta por admin"]
    assert [a for a, _, _ in key_events(db)] == ["agregar llave", "agregar llave", "quitar llave"]
    with pytest.raises(NotFound):
        keys.remove_key(admin, mine.id)


def test_removing_a_key_takes_its_line_out_of_the_file(db, keys, file):
    jperez = actor_of(db, "jperez")
    first = keys.add_key(jperez, None, public_key("uno")).key
    keys.add_key(jperez, None, public_key("dos"))
    keys.remove_key(jperez, first.id)
    text = file.read_text()
    assert first.data not in text and text.count("session --agent jperez") == 1


def test_deactivating_an_agent_removes_their_keys_and_reactivating_brings_them_back(db, keys, file, now):
    admin, jperez = actor_of(db, "admin"), actor_of(db, "jperez")
    keys.add_key(jperez, None, public_key("jp"))
    keys.add_key(actor_of(db, "lmarrugo"), None, public_key("lm"))
    Admin(db, now=now).set_agent_active(admin, jperez.id, False)
    text = file.read_text()
    assert "--agent jperez" not in text and "--agent lmarrugo" in text
    with pytest.raises(SessionEnded):
        keys.keys(jperez)
    Admin(db, now=now).set_agent_active(admin, jperez.id, True)
    assert "--agent jperez" in file.read_text()


def test_check_reports_a_file_edited_by_hand(db, keys, file):
    system = system_of(db)
    keys.add_key(actor_of(db, "jperez"), None, public_key("jp"))
    assert keys.check_authorized_keys(system).drift.clean
    planted = f"ssh-ed25519 {public_key().split()[1]} intruso"
    file.write_text(file.read_text() + planted + "\n")
    checked = keys.check_authorized_keys(system)
    assert checked.drift.extra == (planted,) and checked.drift.missing == ()
    keys.write_authorized_keys(system)
    assert keys.check_authorized_keys(system).drift.clean
    file.write_text("")
    assert len(keys.check_authorized_keys(system).drift.missing) == 1


def test_without_a_configured_file_keys_are_kept_and_the_file_is_asked_for(db, now, monkeypatch, tmp_path):
    monkeypatch.setenv("MESA_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    keys = SshKeys(db, now=now)
    change = keys.add_key(actor_of(db, "jperez"), None, public_key())
    assert change.published.path is None and change.published.problem is None
    with pytest.raises(NotConfigured, match="--file"):
        keys.write_authorized_keys(system_of(db))
    explicit = tmp_path / "k" / "authorized_keys"
    assert keys.write_authorized_keys(system_of(db), str(explicit)).keys == 1
    assert "--agent jperez" in explicit.read_text()


def test_the_service_accounts_home_is_the_default_file(db, now, monkeypatch, tmp_path):
    import pwd

    (tmp_path / "none.toml").write_text('[ssh]\ncommand = "/usr/bin/mesa"\n')
    monkeypatch.setenv("MESA_CONFIG", str(tmp_path / "none.toml"))
    me = pwd.getpwuid(os.getuid())
    home = str(tmp_path / "home")

    def account(name: str) -> pwd.struct_passwd:
        if name != "mesa":
            raise KeyError(name)
        return pwd.struct_passwd((name, "x", me.pw_uid, me.pw_gid, "", home, "/bin/sh"))

    monkeypatch.setattr(pwd, "getpwnam", account)
    Admin(db, now=now).set_setting(actor_of(db, "admin"), "ssh_account", "mesa")
    change = SshKeys(db, now=now).add_key(actor_of(db, "jperez"), None, public_key())
    assert change.published.path == str(tmp_path / "home" / ".ssh" / "authorized_keys")
    assert "/usr/bin/mesa session --agent jperez" in (tmp_path / "home" / ".ssh" / "authorized_keys").read_text()


def test_a_file_that_cannot_be_written_leaves_the_key_stored_and_says_why(db, keys, file):
    file.mkdir(parents=True)  # a folder where the file goes: no user, root included, can replace it
    change = keys.add_key(actor_of(db, "jperez"), None, public_key())
    assert change.published.problem and change.published.problem.startswith(f"No se pudo reescribir {file}")
    assert len(stored(db)) == 1 and not list(file.parent.glob(".mesa-*"))


def test_drift_compares_lines_not_comments_or_order():
    assert drift("# a\nx\ny\n", "y\n\nx\n# b\n").clean
    assert drift("x\n", None).missing == ("x",)
