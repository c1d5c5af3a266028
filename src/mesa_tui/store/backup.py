"""Backups that restore.

A backup is one self-describing file: a tar archive holding `manifest.json`
(engine, schema revision, the row count of every table, the last audit event,
the SHA-256 of the payload) and the payload itself:

- SQLite: a copy made with SQLite's online backup API, page by page under a
  read transaction, so agents keep working while it runs;
- PostgreSQL: `pg_dump -Fc` run on a snapshot exported by a REPEATABLE READ
  transaction, the same snapshot the manifest's counts are read in.

`verify` restores the payload into a scratch database (a temporary SQLite file,
or a temporary PostgreSQL database on the desk's server), runs the engine's
integrity check and compares every count with the manifest. `restore` refuses
to roll back a desk whose audit trail holds events newer than the backup,
unless forced.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from mesa_tui.domain.audit import ChainReport
from mesa_tui.store.audit_verify import walk_chain
from mesa_tui.store.engine import Database, safe_url
from mesa_tui.store.errors import StoreError
from mesa_tui.store.files import replacing
from mesa_tui.store.roles import AppRole, app_roles, grant_app_role

FORMAT = "mesa-backup/1"
MANIFEST = "manifest.json"
PAYLOAD = {"sqlite": "desk.sqlite", "postgresql": "desk.pgdump"}


class BackupError(StoreError):
    """A backup, a verification or a restore that could not be done; the
    message is for the user (Spanish) and nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    revision: str | None
    created_at: str
    counts: dict[str, int]
    last_event_id: int | None
    last_event_at: str | None
    sha256: str = ""
    format: str = FORMAT


@dataclass(frozen=True)
class Verification:
    manifest: Manifest
    integrity: str
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)
    chain: ChainReport | None = None  # the audit chain of the restored copy

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.mismatches and (self.chain is None or self.chain.ok)


# --- reading a database -----------------------------------------------------


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _counts(conn: sa.Connection) -> dict[str, int]:
    names = sorted(sa.inspect(conn).get_table_names())
    return {
        name: int(conn.exec_driver_sql(f"SELECT count(*) FROM {_quote(conn, name)}").scalar_one()) for name in names
    }


def _revision(conn: sa.Connection) -> str | None:
    if "alembic_version" not in sa.inspect(conn).get_table_names():
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _last_event(conn: sa.Connection) -> tuple[int | None, str | None]:
    if "ticket_event" not in sa.inspect(conn).get_table_names():
        return None, None
    row = conn.exec_driver_sql("SELECT id, at FROM ticket_event ORDER BY id DESC LIMIT 1").first()
    if row is None:
        return None, None
    at = row[1]
    return int(row[0]), at.isoformat() if isinstance(at, datetime) else str(at)


def _describe(conn: sa.Connection, engine: str) -> Manifest:
    last_id, last_at = _last_event(conn)
    return Manifest(
        engine=engine,
        revision=_revision(conn),
        created_at=datetime.now(UTC).isoformat(),
        counts=_counts(conn),
        last_event_id=last_id,
        last_event_at=last_at,
    )


# --- files ------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(target: Path, manifest: Manifest, payload: Path) -> None:
    """Write the archive beside `target` and rename it into place (store/files.py):
    a planted link is never followed, and a reader never sees half a backup.
    Private to its owner: a backup holds the whole desk."""
    with replacing(target, mode=0o600) as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        data = json.dumps(asdict(manifest), indent=2, ensure_ascii=False).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        tar.add(str(payload), arcname=PAYLOAD[manifest.engine])


@contextlib.contextmanager
def _opened(file: Path) -> Iterator[tuple[Manifest, Path]]:
    """The manifest and the payload of a backup, extracted to a scratch folder."""
    if not file.is_file():
        raise BackupError(f"No existe el archivo de respaldo {file}.")
    with tempfile.TemporaryDirectory(prefix="mesa-restore-") as scratch:
        try:
            with tarfile.open(file, mode="r") as tar:
                manifest = Manifest(**json.loads(tar.extractfile(MANIFEST).read().decode("utf-8")))  # type: ignore[union-attr]
                if manifest.format != FORMAT or manifest.engine not in PAYLOAD:
                    raise BackupError(f"{file} no es un respaldo de mesa-tui que esta versión sepa leer.")
                member = tar.getmember(PAYLOAD[manifest.engine])
                tar.extract(member, scratch, filter="data")
        except (tarfile.TarError, KeyError, AttributeError, TypeError, ValueError, UnicodeDecodeError):
            raise BackupError(f"{file} no es un respaldo de mesa-tui o está dañado.") from None
        payload = Path(scratch) / PAYLOAD[manifest.engine]
        if _sha256(payload) != manifest.sha256:
            raise BackupError(f"El respaldo {file} está dañado: su contenido no coincide con su huella SHA-256.")
        yield manifest, payload


# --- PostgreSQL tools -------------------------------------------------------


def _libpq(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password goes in the
    environment, never on a command line that `ps` shows."""
    args = ["--no-password"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"Falta {cmd[0]} (paquete postgresql-client): instálelo para {what}.")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["sin detalle"])[-1]
        raise BackupError(f"No se pudo {what}: {detail}")


# --- backup -----------------------------------------------------------------


def backup(db: Database, target: Path) -> Manifest:
    """Write a consistent backup of the desk to `target` (which must not exist)."""
    if target.exists():
        raise BackupError(f"{target} ya existe: elija otro nombre (un respaldo nunca se sobrescribe).")
    if not target.parent.is_dir():
        raise BackupError(f"No existe la carpeta {target.parent}.")
    with tempfile.TemporaryDirectory(prefix="mesa-backup-", dir=target.parent) as scratch:
        payload = Path(scratch) / PAYLOAD["sqlite" if db.is_sqlite else "postgresql"]
        manifest = _backup_sqlite(db, payload) if db.is_sqlite else _backup_postgresql(db, payload)
        manifest = Manifest(**{**asdict(manifest), "sha256": _sha256(payload)})
        _write_archive(target, manifest, payload)
    return manifest


def _backup_sqlite(db: Database, payload: Path) -> Manifest:
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        copy = sqlite3.connect(payload)
        try:
            source.backup(copy)  # type: ignore[union-attr]
        finally:
            copy.close()
    finally:
        raw.close()
    engine = sa.create_engine(f"sqlite:///{payload}")
    try:
        with engine.connect() as conn:
            return _describe(conn, "sqlite")
    finally:
        engine.dispose()


def _backup_postgresql(db: Database, payload: Path) -> Manifest:
    url = db.engine.url
    args, env = _libpq(url)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            manifest = _describe(conn, "postgresql")
            _run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(payload),
                    url.database or "",
                ],
                env,
                "hacer el respaldo con pg_dump",
            )
    return manifest


# --- verify -----------------------------------------------------------------


def verify(db: Database, file: Path) -> Verification:
    """Restore `file` into a scratch database and compare it with its manifest."""
    with _opened(file) as (manifest, payload):
        if manifest.engine == "sqlite":
            return _verify_sqlite(manifest, payload)
        if db.is_sqlite:
            raise BackupError("Este respaldo es de PostgreSQL: verifíquelo con la URL de un servidor PostgreSQL.")
        return _verify_postgresql(db, manifest, payload)


def _compare(conn: sa.Connection, manifest: Manifest, integrity: str) -> Verification:
    """Row counts against the manifest, and the restored copy's audit chain walked
    end to end (`mesa audit verify` on the copy)."""
    counts = _counts(conn)
    chain = walk_chain(conn) if "ticket_event" in counts and "audit_head" in counts else None
    names = set(manifest.counts) | set(counts)
    mismatches = {
        name: (manifest.counts.get(name, 0), counts.get(name, 0))
        for name in sorted(names)
        if manifest.counts.get(name, 0) != counts.get(name, 0)
    }
    return Verification(manifest=manifest, integrity=integrity, mismatches=mismatches, chain=chain)


def _verify_sqlite(manifest: Manifest, payload: Path) -> Verification:
    engine = sa.create_engine(f"sqlite:///{payload}")
    try:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            integrity = "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])
            return _compare(conn, manifest, integrity)
    except sa.exc.DatabaseError as exc:
        return Verification(manifest=manifest, integrity=f"no es una base SQLite válida ({exc.orig})")
    finally:
        engine.dispose()


def _verify_postgresql(db: Database, manifest: Manifest, payload: Path) -> Verification:
    scratch = f"mesa_verify_{secrets.token_hex(4)}"
    admin = db.engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{scratch}"')
    except sa.exc.DBAPIError as exc:
        raise BackupError(f"No se pudo crear la base temporal de verificación: {safe_message(exc)}") from None
    url = db.engine.url.set(database=scratch)
    try:
        args, env = _libpq(url)
        _run(
            [
                "pg_restore",
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                scratch,
                str(payload),
            ],
            env,
            "restaurar en la base temporal",
        )
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn, conn.begin():
                # pg_restore with --exit-on-error succeeded: every object and row loaded.
                return _compare(conn, manifest, "ok")
        finally:
            engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


# --- restore ----------------------------------------------------------------


def restore(db: Database, file: Path, force: bool = False) -> Manifest:
    """Replace the desk's data with the backup's. Refused when the desk holds
    audit events the backup doesn't (work done after it), unless `force`."""
    with _opened(file) as (manifest, payload):
        if manifest.engine != ("sqlite" if db.is_sqlite else "postgresql"):
            raise BackupError(f"Este respaldo es de {manifest.engine}: no se puede restaurar en esta base de datos.")
        with db.engine.connect() as conn:
            last_id, last_at = _last_event(conn)
        if not force and last_id is not None and (manifest.last_event_id is None or last_id > manifest.last_event_id):
            raise BackupError(
                f"La mesa tiene eventos posteriores al respaldo (el último, #{last_id}, del {last_at}); "
                "restaurar los perdería. Use --force si está seguro."
            )
        if db.is_sqlite:
            _restore_sqlite(db, payload)
        else:
            _restore_postgresql(db, payload)
    return manifest


def _restore_sqlite(db: Database, payload: Path) -> None:
    source = sqlite3.connect(payload)
    raw = db.engine.raw_connection()
    try:
        source.backup(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()
        source.close()
    db.engine.dispose()


def _restore_postgresql(db: Database, payload: Path) -> None:
    """pg_restore without the dump's grants (they name roles of the server it came
    from, which this one may not have); the roles that work this desk now get the
    desk's grants again (store/roles.py) once the data is back."""
    url = db.engine.url
    args, env = _libpq(url)
    with db.engine.connect() as conn:
        keep = app_roles(conn)
    db.engine.dispose()
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            url.database or "",
            str(payload),
        ],
        env,
        "restaurar el respaldo con pg_restore",
    )
    with db.engine.begin() as conn:
        for name in keep:
            grant_app_role(conn, AppRole(name))


def safe_message(exc: BaseException) -> str:
    """An error's first line, with any database URL in it masked."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return safe_url(text[0]) if text else type(exc).__name__
