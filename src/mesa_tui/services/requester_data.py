"""The directory's files and the personal-data rights (Ley 1581 de 2012), administrators only:

- import the entity's staff from a spreadsheet (csv or xlsx), all or nothing. Each line
  updates the requester with its e-mail, else the one with its document (a line with
  neither: the one requester of that name who has neither), else creates one: importing the same file again changes nothing, and a newer file from human
  resources brings everyone up to date without making duplicates. Blank cells change
  nothing (a file without phones never erases the phones agents typed). A line whose
  e-mail is one requester's and document another's is refused. Dependencies the list
  lacks are created (audited), so a new office in the file needs no step before.
- export everything the desk holds about one person (their record, their tickets, the
  events and comments of those tickets, the events of their record) to JSON or xlsx;
- anonymize a person: their record and their tickets' snapshot lose the personal data
  (name "Anonimizado #id", no document, e-mail, phone...) while the tickets, with their
  dependency, dates and clocks, keep counting in every indicator.
Each is audited on the requester (entity "requester").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from mesa_tui.domain.calendar import BOGOTA
from mesa_tui.domain.limits import REASON
from mesa_tui.domain.requester_import import ImportLine, RequesterFileError, parse_lines
from mesa_tui.domain.requesters import RequesterInfo, RequesterValues, anonymized, dependency_key
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import require_actor
from mesa_tui.services.checks import required_text
from mesa_tui.services.errors import ValidationError
from mesa_tui.services.files import atomic_write, read_bytes, xlsx_row
from mesa_tui.services.requester_base import RequesterBase, requester_event, resync, save, stored
from mesa_tui.store import requesters_repo as repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Session

IMPORT_NOTE = "Importación de solicitantes"
EXPORT_FORMATS = (".json", ".xlsx")
TICKET_FIELDS = (
    "id",
    "code",
    "created_at",
    "channel",
    "type",
    "subject",
    "description",
    "status",
    "priority",
    "requester_name",
    "requester_dependency",
    "requester_contact",
    "resolved_at",
    "closed_at",
    "solution",
)


@dataclass(frozen=True)
class RequesterImport:
    created: int
    updated: int
    unchanged: int
    dependencies: int  # dependencies the file added to the list


class RequesterFileRejected(ValidationError):
    """The file has errors; nothing was written. `errors` are (line, problem)."""

    def __init__(self, error: RequesterFileError):
        super().__init__("path", str(error))
        self.errors = error.errors


class RequesterData(RequesterBase):
    """Import, export and anonymization (administrators)."""

    def import_file(self, actor: ActorInfo, path: str) -> RequesterImport:
        """Import the staff file at `path` (.csv or .xlsx), all or nothing."""
        self._require_admin(actor, "importar solicitantes")
        try:
            lines = parse_lines(read_rows(path))
        except RequesterFileError as exc:
            raise RequesterFileRejected(exc) from None

        def tx(s: Session, who: ActorInfo, now: datetime) -> RequesterImport:
            return _import(s, who, now, lines)

        return self._write(actor, tx, admin_for="importar solicitantes")

    def export_data(self, actor: ActorInfo, requester_id: int, path: str) -> tuple[str, int]:
        """Everything the desk holds about one person, to `path` (.json or .xlsx):
        (the full path, how many tickets). The export itself is audited."""
        require_actor(actor)
        file = _export_path(path)

        def tx(s: Session, who: ActorInfo, now: datetime) -> tuple[str, int]:
            info = stored(s, requester_id)
            tickets = repo.ticket_rows_of(s, requester_id, TICKET_FIELDS)
            ids = [t["id"] for t in tickets]
            data = {
                "solicitante": _plain(asdict(info)),
                "casos": _plain(tickets),
                "eventos": _plain(repo.events_about(s, requester_id, ids)),
                "comentarios": _plain(repo.comments_of(s, ids)),
                "generado": now.isoformat(),
            }
            requester_event(s, who, now, requester_id, "exportar datos", {}, f"{len(tickets)} caso(s) en {file.suffix}")
            # Written before the commit: an export that failed is not recorded as made.
            atomic_write(file, lambda out: _write_export(out, file.suffix, data))
            return str(file.resolve()), len(tickets)

        return self._write(actor, tx, admin_for="exportar datos personales")

    def anonymize(self, actor: ActorInfo, requester_id: int, reason: str) -> RequesterInfo:
        """Blank the person's data in their record and their tickets' snapshot (Ley 1581:
        supresión), keeping every ticket and its statistics. It cannot be undone."""
        require_actor(actor)
        reason = required_text(reason, "reason", "El motivo de la anonimización", REASON)

        def tx(s: Session, who: ActorInfo, now: datetime) -> RequesterInfo:
            before = stored(s, requester_id, for_update=True)
            if before.anonymized:
                raise ValidationError("reason", f"El solicitante {requester_id} ya fue anonimizado.")
            values = anonymized(repo.values_of(before), requester_id)
            repo.update(s, requester_id, values, now, anonymized=True, anonymized_at=now, active=False)
            moved = resync(s, requester_id)
            old = repo.values_of(before).as_dict()
            changes: dict[str, tuple[Any, Any]] = {f: (old[f], v) for f, v in values.as_dict().items() if old[f] != v}
            changes["anonymized"] = (False, True)
            requester_event(s, who, now, requester_id, "anonimizar", changes, f"{reason} · {moved} caso(s)")
            return stored(s, requester_id)

        return self._write(actor, tx, admin_for="anonimizar solicitantes")


def _import(s: Session, who: ActorInfo, now: datetime, lines: list[ImportLine]) -> RequesterImport:
    deps = repo.dependency_by_key(s)
    new_deps = 0
    created = updated = unchanged = 0
    errors: list[tuple[int, str]] = []
    for line in lines:
        values = line.values
        by_email = repo.by_email(s, values.email) if values.email else None
        by_doc = (
            repo.by_document(s, values.document_type, values.document_number)
            if values.document_type and values.document_number
            else None
        )
        if by_email is not None and by_doc is not None and by_email != by_doc:
            errors.append((line.line, f"el correo es del solicitante n.º {by_email} y el documento del n.º {by_doc}."))
            continue
        dep_id = None
        if line.dependency:
            dep = deps.get(dependency_key(line.dependency))
            if dep is None:
                dep_id = repo.insert_dependency(s, line.dependency)
                write_event(
                    s,
                    actor_id=who.id,
                    operator_id=who.operator_id,
                    action="crear",
                    at=now,
                    changes={"name": (None, line.dependency)},
                    note=IMPORT_NOTE,
                    entity="dependency",
                    entity_key=str(dep_id),
                )
                deps = repo.dependency_by_key(s)
                new_deps += 1
            else:
                dep_id = dep.id
        values = replace(values, dependency_id=dep_id)
        target = by_email if by_email is not None else by_doc
        if target is None and values.email is None and values.document_number is None:
            target = repo.by_name_only(s, values.name)
        if target is None:
            requester_id = repo.insert(s, values, now, None)
            fields = {f: (None, v) for f, v in values.as_dict().items() if v not in (None, "", False)}
            requester_event(s, who, now, requester_id, "crear", fields, IMPORT_NOTE)
            created += 1
            continue
        before = stored(s, target, for_update=True)
        merged = _merged(repo.values_of(before), values, line)
        if before.anonymized or merged == repo.values_of(before):
            unchanged += 1
            continue
        save(s, who, now, before, merged, "modificar", IMPORT_NOTE)
        updated += 1
    if errors:
        # Raised inside the transaction: everything above is rolled back.
        raise RequesterFileRejected(RequesterFileError(errors))
    return RequesterImport(created, updated, unchanged, new_deps)


def _merged(old: RequesterValues, new: RequesterValues, line: ImportLine) -> RequesterValues:
    """`old` with the fields the line gives (a blank cell changes nothing)."""
    given = set(line.given)
    if "dependency" in given:
        given.add("dependency_id")
    changed = {f: v for f, v in new.as_dict().items() if f in given}
    return replace(old, **changed)


# --- files ------------------------------------------------------------------------------


def read_rows(path: str) -> list[tuple[int, list[str]]]:
    """The lines of a .csv or .xlsx file as (line number, cells); ValidationError on "path"."""
    if not path.strip():
        raise ValidationError("path", "Escriba la ruta del archivo de solicitantes (.csv o .xlsx).")
    file = Path(path.strip()).expanduser()
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".txt", ".tsv"):
        raise ValidationError("path", f"{file.name}: use un archivo .csv o .xlsx.")
    data = read_bytes(file)
    return _xlsx_rows(data, file.name) if suffix == ".xlsx" else _csv_rows(data)


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" in Spanish Windows
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError("path", f"Línea {reader.line_num}: el archivo CSV está mal formado ({exc}).") from None
    return rows


def _xlsx_rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ValidationError("path", f"{name} no es un libro de Excel (.xlsx) válido.") from None
    try:
        sheet = book.worksheets[0]
        return [(i, [_cell_text(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text a person sees (a document typed as a number has no ".0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _export_path(path: str) -> Path:
    if not path.strip():
        raise ValidationError("out", "Escriba la ruta del archivo (.json o .xlsx).")
    file = Path(path.strip()).expanduser()
    if file.suffix.lower() not in EXPORT_FORMATS:
        raise ValidationError("out", f"{file.name}: el archivo debe terminar en .json o .xlsx.")
    return file


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(BOGOTA).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _write_export(out: BinaryIO, suffix: str, data: dict[str, Any]) -> None:
    if suffix.lower() == ".json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Solicitante")
    for key, value in data["solicitante"].items():
        sheet.append(xlsx_row(sheet, (key, _text(value))))
    for title, rows in (("Casos", data["casos"]), ("Eventos", data["eventos"]), ("Comentarios", data["comentarios"])):
        sheet = book.create_sheet(title)
        if rows:
            sheet.append(xlsx_row(sheet, list(rows[0])))
        for row in rows:
            sheet.append(xlsx_row(sheet, [_text(v) for v in row.values()]))
    book.save(out)


def _text(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)
