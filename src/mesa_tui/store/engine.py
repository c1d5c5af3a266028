"""Engine and transactions for SQLite (default) and PostgreSQL.

SQLite: WAL, foreign keys, a busy timeout, and write transactions that begin
with BEGIN IMMEDIATE so a read-then-write never upgrades its lock halfway
(which is where "database is locked" and lost updates come from).

A write waits for another's lock at most `lock_timeout` seconds (15 by
default; `MESA_LOCK_TIMEOUT` or the settings file), on both engines, and then
gives up with DatabaseBusy having changed nothing.
"""

from __future__ import annotations

import random
import re
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

from mesa_tui.store.config import database_url, lock_timeout_seconds
from mesa_tui.store.errors import DatabaseBusy, DatabaseUnavailable, StoreError

__all__ = ["AnySelect", "Database", "Session", "database_url", "make_engine", "safe_url"]

T = TypeVar("T")
# A SELECT of any columns (SQLAlchemy types a statement by the row it returns).
AnySelect = sa.Select[*tuple[Any, ...]]

_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+._-]*://[^:/@\s]*:)[^@\s]*@", re.IGNORECASE)


def safe_url(text: str) -> str:
    """`text` with the password of every URL in it masked: what may be printed or logged."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def _is_busy(exc: sa.exc.DBAPIError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return (
        "database is locked" in text
        or "database is busy" in text
        or "deadlock detected" in text
        or "could not serialize" in text
        or "lock timeout" in text
    )


READ_ONLY = (
    "La base de datos es de solo lectura para su usuario: la mesa la escribe su cuenta de servicio "
    "(entre por SSH o por el navegador), o pida al administrador permiso de escritura sobre el archivo y su carpeta."
)


def unusable(exc: sa.exc.DBAPIError) -> StoreError | None:
    """The user's reading of an engine error that no use case can help: the
    server is down, the file is not a database, the disk is full, the file or
    folder is read-only. None for errors that are the program's own."""
    orig = str(exc.orig or exc).strip()
    text = orig.lower()
    if _is_busy(exc):
        return DatabaseBusy()
    if "readonly database" in text or "read-only" in text or "permission denied" in text:
        return DatabaseUnavailable(READ_ONLY)
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return DatabaseUnavailable("No queda espacio en el disco de la base de datos: no se guardó nada.")
    if "not a database" in text or "malformed" in text or "disk i/o error" in text:
        return DatabaseUnavailable(
            "El archivo de la base de datos está dañado o no es una base SQLite: restaure un respaldo."
        )
    if "unable to open database" in text:
        return DatabaseUnavailable(
            "No se pudo abrir el archivo de la base de datos (¿existe su carpeta y tiene permiso?)."
        )
    if isinstance(exc, sa.exc.OperationalError) and (
        "connection" in text or "could not translate host" in text or "timeout expired" in text or "server" in text
    ):
        first = safe_url(orig.splitlines()[0]) if orig else ""
        return DatabaseUnavailable(f"No se pudo conectar con la base de datos: {first}")
    return None


def make_engine(url: str | None = None, lock_timeout: float | None = None) -> sa.Engine:
    url = url or database_url()
    wait = lock_timeout_seconds() if lock_timeout is None else lock_timeout
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": wait, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: sa.Connection) -> None:
            mode = "DEFERRED" if conn.get_execution_options().get("mesa_readonly") else "IMMEDIATE"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    # A lock held elsewhere (a long write, a stuck session) fails the statement
    # after `wait` instead of queueing the agent forever.
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={int(wait * 1000)}"})


_LAST = "mesa_last_in_transaction"


def last_in_transaction(s: Session, fn: Callable[[Session], None]) -> None:
    """Run `fn` at the end of this write transaction, after the use case and
    just before the commit (the audit chain takes its lock there, last)."""
    callbacks = s.info.get(_LAST)
    if callbacks is None:
        raise RuntimeError("last_in_transaction needs a session from Database.write")
    callbacks.append(fn)


class Database:
    """Owns the engine; hands out read and write sessions."""

    def __init__(self, url: str | None = None, engine: sa.Engine | None = None, lock_timeout: float | None = None):
        self.url = url or database_url()
        self.lock_timeout = lock_timeout_seconds() if lock_timeout is None else lock_timeout
        self.engine = engine or make_engine(self.url, self.lock_timeout)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(mesa_readonly=True)
                with Session(bind=conn, expire_on_commit=False) as session:
                    try:
                        yield session
                    finally:
                        session.rollback()
        except sa.exc.DBAPIError as exc:
            raise (unusable(exc) or exc) from None

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            # Begin for real now (BEGIN IMMEDIATE on SQLite takes the write lock), so
            # whatever the use case reads first, its `now` included, comes after the lock.
            session.connection()
            session.info[_LAST] = []
            yield session
            for fn in session.info.pop(_LAST):
                fn(session)

    def write(self, fn: Callable[[Session], T], attempts: int = 8) -> T:
        """Run fn in one write transaction, retrying a deadlock or a
        serialization failure, and giving up with DatabaseBusy once the lock
        timeout has passed (each attempt already waits for the lock itself).

        fn must be safe to run again: it does all its reads inside the
        transaction it is given, and reads its `now` there too.
        """
        deadline = time.monotonic() + self.lock_timeout
        for attempt in range(attempts):
            try:
                with self._write_session() as session:
                    return fn(session)
            except OperationalError as exc:
                if not _is_busy(exc):
                    raise (unusable(exc) or exc) from None
                if attempt == attempts - 1 or time.monotonic() >= deadline:
                    raise DatabaseBusy() from None
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
            except sa.exc.DBAPIError as exc:
                raise (unusable(exc) or exc) from None
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
