"""The CLI as real Linux users: identity comes from the uid, never from $LOGNAME.

As root, each test creates a throwaway Linux user, maps it to a plain agent and
runs `mesa` as that user in a forked child (setgid/setuid, then `cli.main`): the
child shares the modules already imported, so it needs no access to the virtual
environment, only to the database (a world-writable folder for SQLite). Without
root the tests are skipped.
"""

from __future__ import annotations

import io
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from sqlmodel import select

from mesa_tui import cli
from mesa_tui.services.admin import Admin
from mesa_tui.services.catalog import import_catalog
from mesa_tui.store.engine import Database
from mesa_tui.store.models import Agent, TicketEvent
from tests.support import CATALOG, actor_of, new_ticket, system_of

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="needs root and useradd to create Linux users (CI runs as root)",
)


@pytest.fixture
def desk_db(db_url):
    """A desk with the catalog and the demo staff, which any Linux user can write."""
    from mesa_tui.demo import ensure_staff
    from mesa_tui.store import migrate
    from mesa_tui.store.seed import seed_reference_data

    folder = None
    url = db_url
    if url.startswith("sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="mesa-users-"))
        folder.chmod(0o777)
        url = f"sqlite:///{folder}/mesa.db"
    db = Database(url)
    migrate.upgrade(db)
    seed_reference_data(db)
    import_catalog(db, system_of(db), CATALOG.read_text(encoding="utf-8"))
    db.write(lambda s: ensure_staff(s))
    if folder is not None:
        for file in folder.iterdir():
            file.chmod(0o666)
    yield db
    db.dispose()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def linux_user():
    name = f"mesa{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        yield pwd.getpwnam(name)
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


@pytest.fixture
def agent_user(desk_db, linux_user):
    """The Linux user, mapped to a plain agent of the desk."""
    Admin(desk_db).create_agent(actor_of(desk_db, "admin"), linux_user.pw_name, "Agente de Prueba", "agent", 1, None)
    return linux_user


def run_as(user: pwd.struct_passwd, *argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """`mesa ARGV` as `user` in a forked child: (exit code, stdout, stderr)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become the user, run the command, never return
        code = 99
        out, err = io.StringIO(), io.StringIO()
        try:
            os.close(out_r)
            os.close(err_r)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            # As a login would set them: the user's own home, not root's.
            os.environ.pop("XDG_CONFIG_HOME", None)
            os.environ.update({"HOME": user.pw_dir, "LOGNAME": user.pw_name, "USER": user.pw_name, **(env or {})})
            with redirect_stdout(out), redirect_stderr(err):
                code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:
            err.write(traceback.format_exc())
        finally:
            os.write(out_w, out.getvalue().encode())
            os.write(err_w, err.getvalue().encode())
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    with os.fdopen(out_r) as o, os.fdopen(err_r) as e:
        stdout, stderr = o.read(), e.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), stdout, stderr


def staff_roles(db) -> dict[str, tuple[str, bool]]:
    with db.read() as s:
        return {a.login: (a.role, a.active) for a in s.exec(select(Agent)).all()}


def refused(code: int, stderr: str, *words: str) -> None:
    assert code != 0
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for word in words:
        assert word in stderr, stderr


def test_the_uid_decides_not_logname(desk_db, agent_user):
    ticket = new_ticket()
    url = desk_db.url
    code, _, err = run_as(
        agent_user, "--db", url, "ticket", "log", *_log_args(ticket), env={"LOGNAME": "admin", "USER": "admin"}
    )
    assert code == 0, err
    with desk_db.read() as s:
        (event,) = s.exec(select(TicketEvent).where(TicketEvent.action == "registrar")).all()
        me = s.exec(select(Agent).where(Agent.login == agent_user.pw_name)).one()
        assert event.actor_id == me.id and event.operator_id is None


def test_logname_admin_as_supervisor_is_refused(desk_db, agent_user):
    before = staff_roles(desk_db)
    env = {"LOGNAME": "admin", "USER": "admin"}
    code, _, err = run_as(agent_user, "--db", desk_db.url, "--as", "supervisor", "ticket", "list", env=env)
    refused(code, err, "Solo un administrador puede actuar como otro usuario")
    assert staff_roles(desk_db) == before
    with desk_db.read() as s:
        (event,) = s.exec(select(TicketEvent).where(TicketEvent.entity == "session")).all()
        assert (event.action, event.entity_key) == ("rechazar", agent_user.pw_name)


def test_logname_supervisor_cannot_cancel(desk_db, agent_user):
    from mesa_tui.services.desk import Desk

    info = Desk(desk_db).log(actor_of(desk_db, "lmarrugo"), new_ticket())
    env = {"LOGNAME": "supervisor", "USER": "supervisor"}
    code, _, err = run_as(agent_user, "--db", desk_db.url, "ticket", "cancel", info.code, "--reason", "x", env=env)
    refused(code, err, "Solo un supervisor puede anular")
    assert Desk(desk_db).get(system_of(desk_db), info.id).status == "nuevo"


def test_demo_on_a_staffed_desk_is_refused_and_promotes_nobody(desk_db, agent_user):
    before = staff_roles(desk_db)
    for extra in ((), ("--force",), ("--operator", agent_user.pw_name)):
        code, _, err = run_as(agent_user, "--db", desk_db.url, "demo", "--tickets", "5", *extra)
        if extra == ("--force",):
            # Forced, the demo adds what is missing (nothing here) and changes nobody.
            assert code == 0, err
        else:
            refused(code, err)
    assert staff_roles(desk_db) == before
    assert before[agent_user.pw_name] == ("agent", True)


def test_an_unmapped_linux_user_is_refused(desk_db, linux_user):
    code, _, err = run_as(linux_user, "--db", desk_db.url, "ticket", "list", env={"LOGNAME": "jperez"})
    refused(code, err, f"«{linux_user.pw_name}» no está registrado")


def _log_args(ticket) -> list[str]:
    return [
        "--requester", ticket.requester_name,
        "--contact", ticket.requester_contact,
        "--channel", ticket.channel,
        "--service", ticket.service_code,
        "--type", ticket.type,
        "--subject", ticket.subject,
    ]  # fmt: skip


def test_a_home_the_user_cannot_read_is_not_a_traceback(desk_db, agent_user, tmp_path):
    """An account whose HOME points where it may not look (another user's folder, as
    `su` without `-` leaves it) still finds its desk: the settings there are not its own."""
    private = tmp_path / "privado"
    (private / ".config" / "mesa-tui").mkdir(parents=True)
    private.chmod(0o700)
    code, _, err = run_as(agent_user, "--db", desk_db.url, "ticket", "list", env={"HOME": str(private)})
    assert code == 0, err
    assert "Traceback" not in err


@pytest.mark.parametrize("folder_mode", [0o700, 0o755])
def test_a_desk_the_user_cannot_write_is_a_message_not_a_traceback(desk_db, agent_user, folder_mode):
    """The deployment where the desk's files belong to a service account: an agent who
    runs `mesa` against them (a folder closed to them, or files they may only read) reads
    one Spanish line, and nothing changes."""
    if not desk_db.url.startswith("sqlite"):
        pytest.skip("the SQLite deployment (PostgreSQL keeps the desk with its roles: test_roles.py)")
    source = Path(desk_db.url.removeprefix("sqlite:///"))
    folder = Path(tempfile.mkdtemp(prefix="mesa-owned-"))
    try:
        import sqlite3

        copy = folder / "mesa.db"
        with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        copy.chmod(0o644)
        folder.chmod(folder_mode)
        before = copy.read_bytes()
        code, out, err = run_as(agent_user, "--db", f"sqlite:///{copy}", "ticket", "log", *_log_args(new_ticket()))
        assert code != 0 and "Traceback" not in err and out == ""
        assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1, err
        assert "permiso" in err and "dañado" not in err, err  # their files, not a damaged desk
        assert copy.read_bytes() == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)
