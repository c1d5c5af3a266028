"""Shared fixtures: a real database (SQLite file, or PostgreSQL when
MESA_TEST_DATABASE_URL is set), seeded with the reference data, the real
catalog and the demo staff; a clock the test moves by hand; and tickets
logged through the real use case."""

from __future__ import annotations

import os

import pytest

from mesa_tui.store.engine import Database
from tests.support import CATALOG, WEDNESDAY_9AM, FakeNow, actor_of, new_ticket, system_of


def _pg_url(base: str, worker_id: str) -> str:
    """A fresh database per xdist worker, emptied before each test."""
    import sqlalchemy as sa

    # One database per xdist worker, named after the base URL's database, so two
    # suites on one server (MESA_TEST_DATABASE_URL=.../mesa_a, .../mesa_b) never share one.
    name = f"{sa.engine.make_url(base).database or 'mesa_test'}_{worker_id}".replace("-", "_")
    url = sa.engine.make_url(base)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    target = url.set(database=name)
    eng = sa.create_engine(target, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()
    return target.render_as_string(hide_password=False)


@pytest.fixture
def db_url(tmp_path, worker_id) -> str:
    base = os.environ.get("MESA_TEST_DATABASE_URL")
    if base:
        return _pg_url(base, worker_id)
    return f"sqlite:///{tmp_path}/mesa.db"


@pytest.fixture
def empty_db(db_url) -> Database:
    """Migrated and seeded with reference data, no catalog, no agents."""
    from mesa_tui.store import migrate
    from mesa_tui.store.seed import seed_reference_data

    db = Database(db_url)
    migrate.upgrade(db)
    seed_reference_data(db)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db) -> Database:
    """The real catalog and the demo staff loaded."""
    from mesa_tui.demo import ensure_staff
    from mesa_tui.services.catalog import import_catalog

    import_catalog(empty_db, system_of(empty_db), CATALOG.read_text(encoding="utf-8"))
    empty_db.write(lambda s: ensure_staff(s))
    return empty_db


@pytest.fixture
def now() -> FakeNow:
    return FakeNow(WEDNESDAY_9AM)


@pytest.fixture
def desk(db, now):
    from mesa_tui.services.desk import Desk

    return Desk(db, now=now)


@pytest.fixture
def log(desk):
    """Log a ticket as `by` (login) with NewTicket fields overridden."""

    def _log(by: str = "jperez", **overrides):
        return desk.log(actor_of(desk, by), new_ticket(**overrides))

    return _log
