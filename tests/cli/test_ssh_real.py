"""SSH sessions through a real OpenSSH server: an sshd of the test on 127.0.0.1 (its
config and host key in a temporary folder), a service account made with useradd, the
authorized_keys mesa writes, and the `ssh` client driven in tmux, reading the screen.

- a registered key opens the TUI as its agent (the top bar names them);
- a registered key asking for another command still gets the session;
- a key that is not registered, or whose agent was deactivated, is refused by sshd.

Needs root (useradd, sshd), Debian's openssh-server and tmux; `.ci/run` installs them.
The service account runs this checkout's mesa with the test's Python, so the path to
both must be traversable by other users (`.ci/run` sees to it in CI).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

import mesa_tui
from mesa_tui.services.admin import Admin
from mesa_tui.services.ssh_keys import SshKeys
from mesa_tui.store.engine import Database
from mesa_tui.store.models import AgentSession, TicketEvent
from tests.support import CATALOG, system_of

SSHD = "/usr/sbin/sshd"
WAIT_S = 60.0  # how long to wait for a screen or a port before failing (no time is asserted)

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="necesita root: crea la cuenta de servicio (useradd) y corre sshd"),
    pytest.mark.skipif(
        not Path(SSHD).exists(), reason="openssh-server no está instalado (apt-get install openssh-server)"
    ),
    pytest.mark.skipif(
        not (shutil.which("ssh") and shutil.which("ssh-keygen") and shutil.which("tmux")),
        reason="faltan ssh, ssh-keygen o tmux",
    ),
]


def run(*cmd: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(probe, what: str, seen=lambda: ""):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"no llegó: {what}\n{seen()}")


class Desk:
    """The test's desk behind sshd."""

    def __init__(self, root: Path, account: str, port: int, db: Database):
        self.root, self.account, self.port, self.db = root, account, port, db
        self.tmux = f"mesa-ssh-{os.getpid()}"

    def key(self, name: str) -> tuple[Path, str]:
        path = self.root / "client" / name
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@prueba", "-f", str(path))
        return path, path.with_suffix(".pub").read_text().strip()

    def ssh_args(self, key: Path) -> list[str]:
        return [
            "ssh",
            "-p",
            str(self.port),
            "-i",
            str(key),
            "-F",
            "/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={self.root / 'client' / 'known_hosts'}",
            f"{self.account}@127.0.0.1",
        ]

    def open_in_tmux(self, key: Path, *command: str) -> str:
        name = f"s{len(self.sessions())}"
        line = " ".join([*self.ssh_args(key)[:1], "-tt", *self.ssh_args(key)[1:], *command])
        run(
            "tmux", "-L", self.tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
            f"{line}; echo \"ssh terminó: $?\"; sleep 120",
        )  # fmt: skip
        return name

    def screen(self, name: str) -> str:
        return run("tmux", "-L", self.tmux, "capture-pane", "-p", "-t", name).stdout

    def wait_screen(self, name: str, text: str) -> str:
        """The screen once it shows `text` (else the failure shows the screen and sshd's log)."""
        log = self.root / "sshd.log"
        return wait_for(
            lambda: text in (shown := self.screen(name)) and shown,
            f"«{text}» en la pantalla",
            lambda: f"{self.screen(name)}\n--- sshd ---\n{log.read_text()[-3000:]}",
        )

    def press(self, name: str, key: str) -> None:
        run("tmux", "-L", self.tmux, "send-keys", "-t", name, key)

    def sessions(self) -> list[str]:
        done = subprocess.run(["tmux", "-L", self.tmux, "ls", "-F", "#S"], capture_output=True, text=True)
        return done.stdout.split()


@pytest.fixture
def sshd_desk(db_url, now, monkeypatch):
    root = Path(tempfile.mkdtemp(prefix="mesa-ssh-", dir="/tmp"))
    root.chmod(0o755)
    account = f"mesa-ci-{os.getpid()}"
    home = root / "home"
    (root / "client").mkdir(mode=0o700)
    (root / "desk").mkdir()
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{root / 'desk' / 'mesa.db'}"
    # The forced command runs this checkout's mesa with the test's Python.
    wrapper = root / "bin" / "mesa"
    wrapper.parent.mkdir()
    src = Path(mesa_tui.__file__).resolve().parents[1]
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={src} exec {sys.executable} -m mesa_tui "$@"\n')
    wrapper.chmod(0o755)
    config = root / "mesa.toml"
    keys_file = home / ".ssh" / "authorized_keys"
    config.write_text(
        f'database_url = "{db_url}"\n[ssh]\nauthorized_keys = "{keys_file}"\ncommand = "{wrapper}"\n', encoding="utf-8"
    )
    config.chmod(0o644)
    monkeypatch.setenv("MESA_CONFIG", str(config))
    run("useradd", "--system", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/sh", account)
    sshd = tmux = None
    try:
        run("usermod", "-p", "*", account)  # no password, but not locked: sshd without PAM lets keys in
        home.mkdir(mode=0o700)
        uid, gid = pwd.getpwnam(account)[2:4]
        reachable = subprocess.run(["runuser", "-u", account, "--", str(wrapper), "--help"], capture_output=True)
        if reachable.returncode != 0:
            pytest.skip(
                f"la cuenta de servicio no llega a mesa ({src}) ni a su Python ({os.path.realpath(sys.executable)}): "
                "dé permiso de paso (o+x) a sus carpetas, como hace .ci/run"
            )
        db = _desk(db_url, now, account)
        # The service account writes the desk's SQLite file (and its -wal and -shm) from now on.
        for path in [root / "desk", *(root / "desk").iterdir(), home]:
            os.chown(path, uid, gid)
        port = free_port()
        host_key = root / "host_ed25519"
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key))
        (root / "sshd_config").write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {root / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {keys_file}\nAllowUsers {account}\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nLogLevel VERBOSE\n"
            f"SetEnv MESA_CONFIG={config}\n"
        )
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation folder
        sshd = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(root / "sshd_config")],
            stdout=subprocess.DEVNULL,
            stderr=(root / "sshd.log").open("w"),
        )
        wait_for(lambda: _listening(port) or sshd.poll() is not None, f"sshd en el puerto {port}")
        assert sshd.poll() is None, (root / "sshd.log").read_text()
        tested = Desk(root, account, port, db)
        tmux = tested.tmux
        yield tested
    finally:
        if tmux:
            subprocess.run(["tmux", "-L", tmux, "kill-server"], capture_output=True)
        if sshd is not None:
            sshd.terminate()
            sshd.wait(10)
        subprocess.run(["pkill", "-KILL", "-u", account], capture_output=True)
        subprocess.run(["userdel", account], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def _desk(url: str, now, account: str) -> Database:
    from mesa_tui.demo import ensure_staff
    from mesa_tui.services.catalog import import_catalog
    from mesa_tui.store import migrate
    from mesa_tui.store.seed import seed_reference_data

    db = Database(url)
    migrate.upgrade(db)
    seed_reference_data(db)
    import_catalog(db, system_of(db), CATALOG.read_text(encoding="utf-8"))
    db.write(lambda s: ensure_staff(s))
    admin = _actor(db, "admin")
    Admin(db, now=now).set_setting(admin, "ssh_account", account)
    return db


def _actor(db: Database, login: str):
    from mesa_tui.services.identity import Identity

    return Identity(db).agent(login)


def _rows(db: Database) -> list[tuple[str, str, bool]]:
    with db.read() as s:
        return [(r.kind, r.origin, r.ended_at is not None) for r in s.exec(select(AgentSession)).all()]


def _session_events(db: Database) -> list[str]:
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.entity == "session", TicketEvent.entity_key == "jperez")
        return [e.action for e in s.exec(q.order_by(TicketEvent.id)).all()]


def _register(desk: Desk, login: str, key_line: str) -> None:
    change = SshKeys(desk.db).add_key(_actor(desk.db, "admin"), _actor(desk.db, login).id, key_line)
    assert change.published.problem is None, change.published.problem


def test_a_registered_key_opens_the_tui_as_its_agent_and_another_command_still_gets_it(sshd_desk):
    desk = sshd_desk
    key, line = desk.key("jperez")
    _register(desk, "jperez", line)
    pane = desk.open_in_tmux(key)
    shown = desk.wait_screen(pane, "Jorge Pérez Julio")
    assert "Mesa de ayuda TIC" in shown
    desk.press(pane, "C-q")
    desk.wait_screen(pane, "ssh terminó: 0")
    assert _rows(desk.db) == [("ssh", _rows(desk.db)[0][1], True)]
    assert _rows(desk.db)[0][1].startswith("SSH 127.0.0.1")
    assert _session_events(desk.db) == ["entrar", "salir"]

    other = desk.open_in_tmux(key, "cat", "/etc/passwd")
    shown = desk.wait_screen(other, "Jorge Pérez Julio")
    assert "root:x:0:0" not in shown
    desk.press(other, "C-q")
    desk.wait_screen(other, "ssh terminó: 0")
    with desk.db.read() as s:
        methods = [r.method for r in s.exec(select(AgentSession).order_by(AgentSession.id)).all()]
    assert methods == ["llave SSH", "llave SSH (orden pedida ignorada)"]


def test_an_unregistered_key_and_a_deactivated_agents_key_are_refused(sshd_desk):
    desk = sshd_desk
    key, line = desk.key("jperez")
    stranger, _ = desk.key("extrano")
    _register(desk, "jperez", line)
    refused = subprocess.run([*desk.ssh_args(stranger), "true"], capture_output=True, text=True, timeout=WAIT_S)
    assert refused.returncode == 255 and "Permission denied" in refused.stderr
    Admin(desk.db).set_agent_active(_actor(desk.db, "admin"), _actor(desk.db, "jperez").id, False)
    assert "--agent jperez" not in (desk.root / "home" / ".ssh" / "authorized_keys").read_text()
    refused = subprocess.run([*desk.ssh_args(key), "true"], capture_output=True, text=True, timeout=WAIT_S)
    assert refused.returncode == 255 and "Permission denied" in refused.stderr
    assert _rows(desk.db) == []
    with desk.db.read() as s:
        assert s.exec(sa.select(sa.func.count()).select_from(AgentSession)).one()[0] == 0
