"""Catalog use cases: import the catalog file (all or nothing), preview it, export it.

Only an administrator may import, or the desk's own actor ("sistema") while the
catalog is still empty (the first load of a new desk, `make run`); the actor is
re-read inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mesa_tui.domain.catalog import (
    CatalogEntry,
    CatalogFileError,
    ImportStatus,
    PreviewRow,
    compare_entries,
    format_catalog,
    parse_catalog,
    service_count,
)
from mesa_tui.domain.errors import describe_os_error
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.clock import utcnow
from mesa_tui.services.errors import PermissionDenied, ValidationError
from mesa_tui.services.files import read_bytes
from mesa_tui.store import catalog_repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Database, Session
from mesa_tui.store.files import replacing

EVENT_ENTITY = "service"
EVENT_ACTIONS = {ImportStatus.NUEVO: "crear", ImportStatus.MODIFICADO: "modificar"}
IMPORT_NOTE = "Importación del catálogo de servicios"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


class CatalogFileRejected(ValidationError):
    """The file has errors; nothing was written. Carries the parser's line-numbered errors."""

    def __init__(self, error: CatalogFileError):
        super().__init__("catalog", str(error))
        self.errors = error.errors
        self.line = error.line
        self.problem = error.problem


def import_catalog(db: Database, actor: ActorInfo, text: str, now: Callable[[], datetime] = utcnow) -> ImportResult:
    """Create or update every entry of the file, or nothing at all.

    Services missing from the file are left untouched. One audit event per
    created or updated service.
    """
    require_actor(actor)

    def tx(s: Session) -> ImportResult:
        who = current_actor(s, actor)
        if who.is_system:
            if catalog_repo.list_services(s):
                raise PermissionDenied("El catálogo ya está cargado: solo un administrador puede importarlo de nuevo.")
        elif not who.is_admin:
            raise PermissionDenied("Solo un administrador puede importar el catálogo de servicios.")
        return import_in(s, text, who, now())[0]

    return db.write(tx)


def import_in(s: Session, text: str, who: ActorInfo, at: datetime) -> tuple[ImportResult, list[str]]:
    """The import inside a caller's transaction: the result, and the codes of the
    services that moved to another category (their tickets may change policy)."""
    # Parsed against the categories of this same transaction, before any write.
    entries = _parse(text, catalog_repo.category_names(s))
    result = catalog_repo.upsert_entries(s, entries)
    for code, (status, changes) in result.changes.items():
        write_event(
            s,
            actor_id=who.id,
            operator_id=who.operator_id,
            action=EVENT_ACTIONS[status],
            at=at,
            changes=changes,
            note=IMPORT_NOTE,
            entity=EVENT_ENTITY,
            entity_key=code,
        )
    moved = [code for code, (status, changes) in result.changes.items() if "category" in changes]
    return ImportResult(result.created, result.updated, result.unchanged), moved


def preview_import(db: Database, actor: ActorInfo, text: str) -> list[PreviewRow]:
    """(code, "nuevo" | "modificado" | "sin cambios", changed field names) per entry of the file."""
    require_actor(actor)
    with db.read() as s:
        current_actor(s, actor)
        entries = _parse(text, catalog_repo.category_names(s))
        current = {entry.code: entry for entry in catalog_repo.list_services(s)}
    return compare_entries(current, entries)


def export_catalog(db: Database, actor: ActorInfo) -> str:
    require_actor(actor)
    with db.read() as s:
        current_actor(s, actor)
        return format_catalog(catalog_repo.list_services(s))


def _parse(text: str, categories: list[str]) -> list[CatalogEntry]:
    try:
        return parse_catalog(text, categories)
    except CatalogFileError as exc:
        raise CatalogFileRejected(exc) from exc


def read_catalog_file(path: str) -> str:
    """The text of the catalog file at `path`; a ValidationError on "path" says why not
    (a file that is not UTF-8 is refused naming the first line that isn't)."""
    if not path.strip():
        raise ValidationError("path", "Escriba la ruta del archivo del catálogo.")
    file = Path(path.strip()).expanduser()
    data = read_bytes(file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            "path",
            f"El archivo no es texto UTF-8 (línea {line}): guárdelo como texto UTF-8 delimitado por tabulaciones.",
        ) from None


def write_catalog_file(path: str, text: str) -> tuple[str, int]:
    """Write an exported catalog to `path`: (the full path, how many services).

    Written beside `path` and renamed into place like the reports (store/files.py).
    Its values are written as they are, with no apostrophe before a leading "=":
    the file is mesa's own exchange format, read back by the import, and an
    apostrophe would become part of the service's name; its texts are the
    administrators' catalog, not what requesters or mail supply."""
    if not path.strip():
        raise ValidationError("path", "Escriba la ruta del archivo del catálogo.")
    file = Path(path.strip()).expanduser()
    try:
        if file.is_dir():
            raise ValidationError("path", f"{file} es una carpeta: escriba también el nombre del archivo.")
        if not file.parent.is_dir():
            raise ValidationError("path", f"No existe la carpeta {file.parent}.")
        with replacing(file) as out:
            out.write(text.encode("utf-8"))
    except OSError as exc:
        raise ValidationError("path", describe_os_error(exc, file, "escribir")) from None
    return str(file.resolve()), service_count(text)
