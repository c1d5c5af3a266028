"""Alembic, driven from code: `mesa db upgrade` and the drift test use this."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from mesa_tui.store.engine import READ_ONLY, Database, database_url, safe_url, unusable
from mesa_tui.store.errors import DatabaseUnavailable, SchemaMismatch
from mesa_tui.store.roles import AppRole, RoleGrants, RoleRefused, apply_grants


def migrations_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "db" / "migrations"
        if (candidate / "env.py").exists():
            return candidate
    candidate = Path.cwd() / "db" / "migrations"
    if (candidate / "env.py").exists():
        return candidate
    raise FileNotFoundError("db/migrations not found: run mesa from the project folder")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(db: Database, revision: str = "head", app_role: AppRole | None = None) -> list[RoleGrants]:
    """Migrate to `revision`; on PostgreSQL, then give `app_role` and every role
    that already holds them the desk's grants (store/roles.py), in the same
    transaction. Returns the roles granted."""
    if app_role is not None and db.is_sqlite:
        raise RoleRefused(
            "El rol de la aplicación es de PostgreSQL: en SQLite la base la escribe solo la cuenta de servicio de la mesa."
        )
    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        return apply_grants(conn, app_role) if conn.dialect.name == "postgresql" else []


def revision(db: Database, message: str) -> None:
    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)


def known_revisions() -> tuple[set[str], set[str]]:
    """(every revision this program's migrations know, the heads among them)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}, set(script.get_heads())


def open_database(url: str | None = None, *, create: bool = False) -> Database:
    """The desk's database, checked before any command uses it: the URL is
    well formed, the SQLite file exists (unless `create`, for `mesa db
    upgrade`), the server answers, and the schema is the one this program
    knows. Every failure is a StoreError with one Spanish sentence."""
    if url is not None and not url.strip():
        raise DatabaseUnavailable("La URL de la base de datos está vacía: escriba --db URL o quite la opción.")
    raw = url or database_url()
    try:
        parsed = sa.engine.make_url(raw)
    except (sa.exc.ArgumentError, ValueError):
        raise DatabaseUnavailable(
            f"La URL de la base de datos no es válida: «{safe_url(raw)}». "
            "Ejemplos: sqlite:////ruta/mesa.db, postgresql+psycopg://usuario:clave@servidor/mesa."
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(
            f"mesa-tui trabaja con SQLite o PostgreSQL, no con «{parsed.get_backend_name()}» ({safe_url(raw)})."
        )
    if parsed.get_backend_name() == "sqlite":
        file = _check_sqlite_path(parsed.database, create)
        if file is not None:
            # Look before opening for real: the engine's first connection turns
            # on WAL, which would write into a file that isn't a desk at all.
            _check_revision(_sqlite_revision(file), fresh_ok=create)
    try:
        db = Database(raw)
    except (sa.exc.NoSuchModuleError, sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise DatabaseUnavailable(f"No se pudo usar la URL {safe_url(raw)}: {safe_url(str(exc))}.") from None
    try:
        with db.engine.connect() as conn:
            current = _current_revision(conn)
    except sa.exc.DBAPIError as exc:
        db.dispose()
        raise (
            unusable(exc) or DatabaseUnavailable(f"No se pudo abrir la base de datos: {safe_url(str(exc.orig))}")
        ) from None
    try:
        _check_revision(current, fresh_ok=create)
    except SchemaMismatch:
        db.dispose()
        raise
    return db


def _sqlite_revision(file: Path) -> str | None:
    """The schema revision of a SQLite file, read without writing to it."""
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"No se pudo abrir la base de datos {file}: {exc}.") from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except sqlite3.DatabaseError:
        if not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)):
            # A desk in WAL mode can't be opened where its -shm can't be made: the
            # files belong to the desk's service account, they are not damaged.
            raise DatabaseUnavailable(READ_ONLY) from None
        raise DatabaseUnavailable(
            f"El archivo {file} está dañado o no es una base SQLite de mesa-tui: restaure un respaldo."
        ) from None
    finally:
        conn.close()


def _check_sqlite_path(path: str | None, create: bool) -> Path | None:
    """The SQLite file to check, or None when `mesa db upgrade` will create it."""
    if not path or path == ":memory:":
        raise DatabaseUnavailable("La base de datos SQLite debe ser un archivo: sqlite:////ruta/mesa.db.")
    file = Path(path.removeprefix("file:").split("?", 1)[0])  # a URI filename (`?mode=ro&uri=true`)
    if file.is_dir():
        raise DatabaseUnavailable(f"{file} es una carpeta, no el archivo de la base de datos.")
    if not file.exists():
        if create:
            if file.parent.exists() and not file.parent.is_dir():
                raise DatabaseUnavailable(f"{file.parent} no es una carpeta.")
            return None
        raise DatabaseUnavailable(f"No existe la base de datos {file}. Créela con «mesa db upgrade».")
    if not os.access(file, os.R_OK):
        raise DatabaseUnavailable(f"Su usuario no puede leer la base de datos {file}.")
    return file


def _current_revision(conn: sa.Connection) -> str | None:
    if "alembic_version" not in sa.inspect(conn).get_table_names():
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _check_revision(current: str | None, fresh_ok: bool) -> None:
    """A schema this program knows. `fresh_ok` (for `mesa db upgrade`): an empty
    database or an older revision is fine, a newer one never is."""
    known, heads = known_revisions()
    if current is not None and current not in known:
        raise SchemaMismatch(
            f"La base de datos es de una versión más nueva de mesa-tui (revisión {current}): actualice mesa-tui."
        )
    if fresh_ok:
        return
    if current is None:
        raise SchemaMismatch("La base de datos está vacía o no es de mesa-tui: ejecute «mesa db upgrade».")
    if current not in heads:
        raise SchemaMismatch("La base de datos es de una versión anterior: ejecute «mesa db upgrade».")
