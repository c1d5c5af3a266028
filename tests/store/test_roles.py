"""PostgreSQL: the desk runs as an application role that works the desk but
cannot rewrite history or change the schema (SQLite has no roles: one test
checks the flag is refused there, the rest skip).

CI runs the suite as the superuser `postgres`: the test makes a role with a
unique name and a password, connects with it over TCP, and drops it after."""

from __future__ import annotations

import os
import secrets
from datetime import date

import pytest
import sqlalchemy as sa

from mesa_tui import cli
from mesa_tui.services.admin import Admin
from mesa_tui.services.desk import Desk
from mesa_tui.store import migrate
from mesa_tui.store.audit_verify import verify_chain
from mesa_tui.store.engine import Database
from mesa_tui.store.roles import AppRole, RoleRefused
from tests.support import actor_of, new_ticket

ON_POSTGRESQL = os.environ.get("MESA_TEST_DATABASE_URL", "").startswith("postgresql")
pg = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL roles")


def _drop_role(db: Database, name: str) -> None:
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
            conn.exec_driver_sql(f'DROP OWNED BY "{name}"')
            conn.exec_driver_sql(f'DROP ROLE "{name}"')


@pytest.fixture
def role(db):
    """A fresh role name and password, dropped (with its grants) after the test."""
    name = f"mesa_app_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12)
    yield AppRole(name, password)
    _drop_role(db, name)


def as_role(db: Database, role: AppRole) -> Database:
    url = sa.engine.make_url(db.url).set(username=role.name, password=role.password, host="127.0.0.1")
    return Database(url.render_as_string(hide_password=False))


@pg
def test_the_app_role_works_the_desk_but_cannot_rewrite_history(db, role, now):
    granted = migrate.upgrade(db, app_role=role)
    assert [(g.name, g.created, g.can_login) for g in granted] == [(role.name, True, True)]
    app = as_role(db, role)
    try:
        desk = Desk(app, now=now)
        who = actor_of(desk, "jperez")
        t = desk.log(who, new_ticket())
        desk.take(who, t.id)
        desk.comment(who, t.id, "Revisado")
        desk.resolve(who, t.id, "Listo", "remoto")
        desk.close(who, t.id, "Confirmado")
        desk.survey(who, t.id, 5)
        admin = Admin(app, now=now)
        boss = actor_of(desk, "admin")
        admin.save_policy(boss, "SER-001", "media", 30, 300, "office")
        admin.delete_policy(boss, "SER-001", "media")
        admin.add_closure(boss, date(2026, 11, 27), "Jornada de inventario")
        admin.remove_closure(boss, date(2026, 11, 27))
        hours = admin.create_schedule(boss, "Lun–vie 08:00–18:00", ["08:00-18:00"] * 5 + ["", ""]).schedule
        admin.set_service_schedule(boss, "SER-001", hours.code)
        admin.set_service_schedule(boss, "SER-001", "office")  # back to Oficina: the link row is deleted
        assert verify_chain(app).ok
        refused = [
            "UPDATE ticket_event SET note = 'otra cosa'",
            "DELETE FROM ticket_event",
            "DELETE FROM comment",
            "DELETE FROM survey",
            "DELETE FROM ticket",
            "TRUNCATE ticket_event",
            "UPDATE alembic_version SET version_num = 'x'",
            "ALTER TABLE ticket ADD COLUMN x int",
            "DROP TABLE ticket_event",
            "CREATE TABLE mine (id int)",
            "CREATE TRIGGER t BEFORE INSERT ON ticket FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
        ]
        for sql in refused:
            with app.engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError) as info:
                conn.exec_driver_sql(sql)
            assert "permission denied" in str(info.value) or "must be owner" in str(info.value), sql
    finally:
        app.dispose()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM survey").scalar() == 1


@pg
def test_tables_of_later_migrations_are_covered(db, role):
    migrate.upgrade(db, app_role=role)
    with db.engine.begin() as conn:  # as a later migration would, run by the owner
        conn.exec_driver_sql("CREATE TABLE later_thing (id serial PRIMARY KEY, name text)")
    app = as_role(db, role)
    try:
        with app.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO later_thing (name) VALUES ('a')")
            conn.exec_driver_sql("UPDATE later_thing SET name = 'b'")
        with app.engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            conn.exec_driver_sql("DELETE FROM later_thing")
    finally:
        app.dispose()


@pg
def test_upgrade_again_converges_and_keeps_roles_it_granted(db, role):
    migrate.upgrade(db, app_role=role)
    with db.engine.begin() as conn:  # a grant too many, given by hand
        conn.exec_driver_sql(f'GRANT DELETE, UPDATE ON ticket_event TO "{role.name}"')
    # A later `mesa db upgrade` without the flag finds the role and restores its grants.
    again = migrate.upgrade(db)
    assert [(g.name, g.created) for g in again] == [(role.name, False)]
    with db.engine.connect() as conn:
        privileges = conn.execute(
            sa.text(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = :r AND table_name = 'ticket_event' ORDER BY 1"
            ),
            {"r": role.name},
        ).scalars()
        assert list(privileges) == ["INSERT", "SELECT"]


@pg
def test_a_role_without_password_cannot_log_in(db, role):
    granted = migrate.upgrade(db, app_role=AppRole(role.name))
    assert [(g.created, g.can_login) for g in granted] == [(True, False)]
    with db.engine.connect() as conn:
        assert (
            conn.execute(sa.text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": role.name}).scalar()
            is False
        )


@pg
@pytest.mark.parametrize("name", ["postgres", "Mesa-App", "x; DROP TABLE ticket"])
def test_roles_that_would_own_the_desk_or_bad_names_are_refused(db, name):
    with pytest.raises(RoleRefused):
        migrate.upgrade(db, app_role=AppRole(name))


@pg
def test_mesa_db_upgrade_takes_the_password_from_the_environment_and_masks_urls(db, role, monkeypatch, capsys):
    owner = sa.engine.make_url(db.url).set(password="s3creto-del-dueno", host="127.0.0.1")
    monkeypatch.setenv("MESA_APP_PASSWORD", role.password or "")
    code = cli.main(["--db", owner.render_as_string(hide_password=False), "db", "upgrade", "--app-role", role.name])
    out = capsys.readouterr().out
    assert code == 0
    assert "s3creto-del-dueno" not in out and role.password not in out
    assert "Base de datos al día: postgresql+psycopg://postgres:***@127.0.0.1" in out
    assert f"Rol de la aplicación {role.name} creado: inicia sesión con su clave; permisos en " in out
    app = as_role(db, role)
    try:
        with app.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_user").scalar() == role.name
    finally:
        app.dispose()


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite")
def test_sqlite_has_no_app_role(empty_db):
    with pytest.raises(RoleRefused, match="PostgreSQL"):
        migrate.upgrade(empty_db, app_role=AppRole("mesa_app"))


def test_the_password_is_asked_twice_and_never_taken_from_the_command_line(db_url, monkeypatch, capsys):
    monkeypatch.delenv("MESA_APP_PASSWORD", raising=False)
    answers = iter(["una-clave", "otra-clave"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code = cli.main(["--db", db_url, "db", "upgrade", "--app-role", "mesa_app", "--ask-password"])
    assert code == 2 and "no coinciden" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--db", db_url, "db", "upgrade", "--app-role", "mesa_app", "--password", "x"])


@pg
def test_a_backup_restores_on_a_server_without_its_roles_and_keeps_this_servers(db, role, now, tmp_path):
    """The dump's grants name the app role of the desk it came from: verifying or
    restoring where that role is gone still works, and a role that works this desk
    keeps the desk's grants after a restore."""
    from mesa_tui.store import backup

    migrate.upgrade(db, app_role=role)
    desk = Desk(db, now=now)
    desk.log(actor_of(desk, "jperez"), new_ticket(subject="Antes del respaldo"))
    file = tmp_path / "respaldo.mesabak"
    backup.backup(db, file)
    _drop_role(db, role.name)
    assert backup.verify(db, file).ok

    other = AppRole(f"mesa_app_{secrets.token_hex(4)}", secrets.token_urlsafe(12))
    try:
        migrate.upgrade(db, app_role=other)
        backup.restore(db, file, force=True)
        app = as_role(db, other)
        try:
            work = Desk(app, now=now)
            assert work.log(actor_of(work, "jperez"), new_ticket(subject="Después de restaurar")).id
            with app.engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError):
                conn.exec_driver_sql("DELETE FROM ticket_event")
        finally:
            app.dispose()
    finally:
        _drop_role(db, other.name)
