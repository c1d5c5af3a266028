"""SQLite's triggers keep the audit trail append-only for anyone who opens the
file (`sqlite3 db/mesa.db "DELETE FROM ticket_event"`); the migration creates
them and its downgrade drops them with the chain's columns."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command

from mesa_tui.store import migrate
from mesa_tui.store.audit_chain import REFUSED
from mesa_tui.store.audit_verify import verify_chain
from mesa_tui.store.engine import Database
from tests.support import actor_of, new_ticket

CHAIN_REVISION = "417c902d1643"


@pytest.fixture
def sqlite_file(desk, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's triggers; PostgreSQL keeps the trail with grants (test_roles.py)")
    desk.log(actor_of(desk, "jperez"), new_ticket())
    return sa.engine.make_url(db_url).database


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ticket_event SET note = 'otra cosa'",
        "UPDATE ticket_event SET hash = prev_hash",
        "DELETE FROM ticket_event",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET last_id = 0",
    ],
)
def test_the_sqlite_shell_cannot_change_the_trail(sqlite_file, sql):
    con = sqlite3.connect(sqlite_file)
    try:
        before = con.execute("SELECT * FROM ticket_event ORDER BY id").fetchall()
        with pytest.raises(sqlite3.IntegrityError, match=REFUSED):
            con.execute(sql)
        con.commit()
        assert con.execute("SELECT * FROM ticket_event ORDER BY id").fetchall() == before
    finally:
        con.close()


def test_appending_still_works_with_the_triggers(sqlite_file, desk):
    desk.take(actor_of(desk, "jperez"), desk.log(actor_of(desk, "jperez"), new_ticket()).id)
    assert verify_chain(desk.db).ok


def test_downgrade_drops_the_triggers_and_the_chain_and_upgrade_brings_them_back(db_url, desk):
    desk.log(actor_of(desk, "jperez"), new_ticket())
    db = Database(db_url)
    cfg = migrate.alembic_config(db_url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, f"{CHAIN_REVISION}-1")
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert "audit_head" not in inspector.get_table_names()
        assert {c["name"] for c in inspector.get_columns("ticket_event")}.isdisjoint({"prev_hash", "hash"})
        if db.is_sqlite:
            triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars().all()
            assert not [t for t in triggers if "ticket_event" in t or "audit_head" in t]
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE ticket_event SET note = 'sin guardas'")
    migrate.upgrade(db)
    report = verify_chain(db)
    assert report.ok and report.events > 0
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM ticket_event WHERE note = 'sin guardas'").scalar() > 0
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() in migrate.known_revisions()[1]
    db.dispose()
