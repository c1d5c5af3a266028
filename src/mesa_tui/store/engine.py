"""Engine and transactions for SQLite (default) and PostgreSQL.

SQLite: WAL, foreign keys, a busy timeout, and write transactions that begin
with BEGIN IMMEDIATE so a read-then-write never upgrades its lock halfway
(which is where "database is locked" and lost updates come from).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

__all__ = ["DEFAULT_URL", "AnySelect", "Database", "Session", "database_url", "make_engine"]

DEFAULT_URL = "sqlite:///db/mesa.db"
T = TypeVar("T")
# A SELECT of any columns (SQLAlchemy types a statement by the row it returns).
AnySelect = sa.Select[*tuple[Any, ...]]


def database_url() -> str:
    return os.environ.get("MESA_DATABASE_URL", DEFAULT_URL)


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return (
        "database is locked" in text
        or "database is busy" in text
        or "deadlock detected" in text
        or ("could not serialize" in text)
    )


def make_engine(url: str | None = None) -> sa.Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: sa.Connection) -> None:
            mode = "DEFERRED" if conn.get_execution_options().get("mesa_readonly") else "IMMEDIATE"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


class Database:
    """Owns the engine; hands out read and write sessions."""

    def __init__(self, url: str | None = None, engine: sa.Engine | None = None):
        self.url = url or database_url()
        self.engine = engine or make_engine(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(mesa_readonly=True)
            with Session(bind=conn, expire_on_commit=False) as session:
                try:
                    yield session
                finally:
                    session.rollback()

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def write(self, fn: Callable[[Session], T], attempts: int = 8) -> T:
        """Run fn in one write transaction, retrying when the database is busy.

        fn must be safe to run again: it does all its reads inside the
        transaction it is given.
        """
        for attempt in range(attempts):
            try:
                with self._write_session() as session:
                    return fn(session)
            except OperationalError as exc:
                if not _is_busy(exc) or attempt == attempts - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
