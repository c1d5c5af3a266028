"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import mesa_tui.store.models  # noqa: F401
from mesa_tui.store import migrate
from mesa_tui.store.engine import Database


def test_migrations_on_an_empty_database_match_the_models(db_url):
    db = Database(db_url)
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    db.dispose()
    assert diff == [], f"models and migrations drifted: {diff}"


def test_upgrade_twice_is_harmless(db_url):
    db = Database(db_url)
    migrate.upgrade(db)
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None
    db.dispose()
