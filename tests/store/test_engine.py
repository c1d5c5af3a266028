"""Storage rules the rest of the code relies on."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from mesa_tui.store.engine import Database
from mesa_tui.store.models import Comment, Setting
from tests.support import actor_of, system_of


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/x.db")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar().lower() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_foreign_keys_are_enforced(db):
    at = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)

    def comment_on_missing_ticket(s):
        s.add(Comment(ticket_id=999999, author_id=None, at=at, body="x", public=False))
        s.flush()

    with pytest.raises(sa.exc.IntegrityError):
        db.write(comment_on_missing_ticket)


def test_naive_datetimes_are_refused(db):
    def naive(s):
        s.add(Comment(ticket_id=1, author_id=None, at=datetime(2026, 3, 2, 8, 30), body="x"))
        s.flush()

    with pytest.raises(Exception, match="naive"):
        db.write(naive)


def test_aware_datetime_round_trip(desk, now):
    from mesa_tui.services.desk import NewTicket

    actor = actor_of(desk, "jperez")
    info = desk.log(
        actor,
        NewTicket(
            "Ana Díaz", "Secretaría de Hacienda", "ana@cartagena.gov.co", "correo", "SER-004", "incidente", "Sin correo"
        ),
    )
    again = desk.get(system_of(desk), info.id)
    assert again.created_at == now()
    assert again.created_at.tzinfo is not None
    assert again.created_at.utcoffset() == timedelta(0)


def test_a_failed_write_leaves_nothing_behind(db):
    def half(s):
        s.add(Setting(key="only.half", value="1"))
        s.flush()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        db.write(half)
    with db.read() as s:
        assert s.get(Setting, "only.half") is None
