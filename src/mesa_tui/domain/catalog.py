"""The IT service catalog: its entries and categories, and the catalog file
(db/catalog.tsv): parse, validate, format, diff.

Format: UTF-8 text, one entry per line, fields separated by tabs. Lines whose
first non-blank character is '#' are comments and blank lines are skipped;
the first other line must be HEADER. Spaces around each field are dropped
when parsing (spreadsheets and editors add them), so `clean_entry` values are
the ones that survive parse(format(x)) unchanged. Tabs and line breaks cannot
be carried inside a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import NamedTuple

from mesa_tui.domain.limits import CATALOG, CATEGORY_NAME
from mesa_tui.domain.targets import OFFICE
from mesa_tui.domain.text import thousands
from mesa_tui.domain.tickets import text_problem

COLUMNS = ("code", "name", "description", "category", "users", "hours", "channels", "ans_text", "active")
HEADER = "\t".join(COLUMNS)
EXPORT_COMMENT = (
    "# Catálogo de servicios de TI exportado por mesa-tui. "
    "Columnas separadas por tabulador; las líneas que empiezan por # son comentarios."
)

CODE_RE = re.compile(r"^SER-[0-9]{3}\Z")

FIELD_LABELS = {
    "code": "código",
    "name": "nombre",
    "description": "descripción",
    "category": "categoría",
    "users": "usuarios",
    "hours": "horario",
    "channels": "canales",
    "ans_text": "ANS",
    "active": "activo",
}


_ACTIVE_IN = {"sí": True, "si": True, "no": False}
_ACTIVE_OUT = {True: "sí", False: "no"}
_BREAKS = ("\t", "\n", "\r")
_MAX_LISTED_ERRORS = 20


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    name: str
    description: str
    category: str
    users: str
    hours: str
    channels: str
    ans_text: str
    active: bool = True


TEXT_FIELDS = tuple(f.name for f in fields(CatalogEntry) if f.name != "active")


@dataclass(frozen=True)
class ServiceRef:
    """A catalog service as tickets refer to it: by id, under a category, open to new
    tickets or not, and the code of the schedule its SLA clocks count."""

    id: int
    code: str
    name: str
    category_id: int
    active: bool
    schedule: str = OFFICE


class CatalogFileError(ValueError):
    """A catalog file that cannot be imported.

    `errors` holds every problem found as (1-based line, message); `line` and
    `problem` describe the first one, `problem` already prefixed with its line
    ("línea 7: código 'SER-7' no tiene la forma SER-NNN").
    """

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = list(errors)
        self.line, first = self.errors[0]
        self.problem = f"línea {self.line}: {first}"
        super().__init__(self.problem)

    def __str__(self) -> str:
        shown = [f"línea {line}: {message}" for line, message in self.errors[:_MAX_LISTED_ERRORS]]
        hidden = len(self.errors) - len(shown)
        if hidden:
            shown.append(f"... y {hidden} errores más")
        return "\n".join(shown)


class ImportStatus(StrEnum):
    NUEVO = "nuevo"
    MODIFICADO = "modificado"
    SIN_CAMBIOS = "sin cambios"


class PreviewRow(NamedTuple):
    code: str
    status: ImportStatus
    fields: tuple[str, ...]  # names of the CatalogEntry fields that change


def clean_entry(entry: CatalogEntry) -> CatalogEntry:
    """The entry with the spaces around its text values removed."""
    return replace(entry, **{name: getattr(entry, name).strip() for name in TEXT_FIELDS})


def validate_entry(entry: CatalogEntry, known_categories: Iterable[str]) -> list[tuple[str, str]]:
    """Problems of one entry as (field, Spanish message); empty when it is valid."""
    problems: list[tuple[str, str]] = []
    if not CODE_RE.match(entry.code):
        problems.append(("code", f"código '{entry.code}' no tiene la forma SER-NNN"))
    if not entry.name.strip():
        problems.append(("name", "el nombre está vacío"))
    known = list(known_categories)
    if not entry.category.strip():
        problems.append(("category", "la categoría está vacía"))
    elif entry.category not in known:
        problems.append(("category", f"la categoría '{entry.category}' no existe (categorías: {', '.join(known)})"))
    for name in TEXT_FIELDS:
        value = getattr(entry, name)
        if any(mark in value for mark in _BREAKS):
            problems.append((name, f"{FIELD_LABELS[name]} no puede contener tabuladores ni saltos de línea"))
        limit = CATALOG.get(name)
        if limit is not None and len(value) > limit:
            problems.append(
                (name, f"{FIELD_LABELS[name]} supera los {thousands(limit)} caracteres ({thousands(len(value))})")
            )
    return problems


def parse_catalog(text: str, known_categories: Iterable[str]) -> list[CatalogEntry]:
    """Entries of a catalog file, in file order; CatalogFileError lists every problem."""
    known = list(known_categories)
    errors: list[tuple[int, str]] = []
    entries: list[CatalogEntry] = []
    first_line_of: dict[str, int] = {}
    header_seen = False
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        values = [value.strip() for value in line.split("\t")]
        if not header_seen:
            header_seen = True
            problem = _header_problem(values)
            if problem:
                # Without a header the columns cannot be trusted: stop here.
                raise CatalogFileError([(number, problem)])
            continue
        if len(values) != len(COLUMNS):
            errors.append((number, _count_problem(len(values))))
            continue
        *texts, active_text = values
        active = _ACTIVE_IN.get(active_text.lower())
        if active is None:
            errors.append((number, f"activo debe ser 'sí' o 'no', no '{active_text}'"))
        entry = CatalogEntry(**dict(zip(TEXT_FIELDS, texts, strict=True)), active=bool(active))
        errors.extend((number, message) for _field, message in validate_entry(entry, known))
        if entry.code in first_line_of:
            first = first_line_of[entry.code]
            errors.append((number, f"código '{entry.code}' repetido: ya aparece en la línea {first}"))
        else:
            first_line_of[entry.code] = number
        entries.append(entry)
    if not header_seen:
        raise CatalogFileError([(1, f"falta la línea de encabezado: {', '.join(COLUMNS)} (separadas por tabulador)")])
    if errors:
        raise CatalogFileError(errors)
    return entries


def format_catalog(entries: Iterable[CatalogEntry]) -> str:
    """The catalog file for entries: a comment line, the header, one line per entry."""
    lines = [EXPORT_COMMENT, HEADER]
    for entry in entries:
        texts = [getattr(entry, name) for name in TEXT_FIELDS]
        if not CODE_RE.match(entry.code) or any(mark in value for value in texts for mark in _BREAKS):
            raise ValueError(f"entry {entry.code!r} cannot be written: bad code, tab or line break in a value")
        lines.append("\t".join([*texts, _ACTIVE_OUT[entry.active]]))
    return "\n".join(lines) + "\n"


def diff_entry(old: CatalogEntry | None, new: CatalogEntry) -> dict[str, tuple[object, object]]:
    """{field: (old, new)} for the fields that differ; every field but the code when old is None."""
    names = [f.name for f in fields(CatalogEntry) if f.name != "code"]
    if old is None:
        return {name: (None, getattr(new, name)) for name in names}
    return {
        name: (getattr(old, name), getattr(new, name)) for name in names if getattr(old, name) != getattr(new, name)
    }


def compare_entries(current: Mapping[str, CatalogEntry], incoming: Iterable[CatalogEntry]) -> list[PreviewRow]:
    """What importing `incoming` over `current` (by code) would do to each incoming entry."""
    rows = []
    for entry in incoming:
        old = current.get(entry.code)
        if old is None:
            rows.append(PreviewRow(entry.code, ImportStatus.NUEVO, ()))
            continue
        changed = tuple(diff_entry(old, entry))
        rows.append(PreviewRow(entry.code, ImportStatus.MODIFICADO if changed else ImportStatus.SIN_CAMBIOS, changed))
    return rows


def _header_problem(values: list[str]) -> str | None:
    if values == list(COLUMNS):
        return None
    if CODE_RE.match(values[0]):
        return f"falta la línea de encabezado: {', '.join(COLUMNS)} (separadas por tabulador)"
    missing = [name for name in COLUMNS if name not in values]
    if missing:
        return f"al encabezado le falta la columna '{missing[0]}' (se esperaba: {', '.join(COLUMNS)})"
    unknown = [value for value in values if value not in COLUMNS]
    if unknown:
        return f"el encabezado tiene una columna desconocida '{unknown[0]}' (se esperaba: {', '.join(COLUMNS)})"
    return f"las columnas del encabezado deben ir en este orden: {', '.join(COLUMNS)}"


def _count_problem(count: int) -> str:
    expected = len(COLUMNS)
    if count < expected:
        return f"faltan columnas: hay {count} y se esperaban {expected} separadas por tabulador"
    return f"sobran columnas: hay {count} y se esperaban {expected} separadas por tabulador"


# --- categories and service codes -------------------------------------------


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    services: int


def category_problem(name: str) -> str | None:
    problem = text_problem(name, "El nombre de la categoría", CATEGORY_NAME)
    if problem:
        return problem
    if any(mark in name for mark in ("\t", "\n", "\r")):
        return "El nombre de la categoría no puede contener tabuladores ni saltos de línea."
    if is_service_code(name.strip()):
        return "El nombre de la categoría no puede tener la forma de un código de servicio (SER-NNN)."
    return None


def is_service_code(text: str) -> bool:
    """Whether `text` has the form of a service code: a policy scope names a service by
    its code, anything else is a category name."""
    return bool(CODE_RE.match(text))


def service_count(text: str) -> int:
    """How many services a catalog file holds (its lines but the comments and the header)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return max(len(lines) - 1, 0)
