"""The staff spreadsheet (csv or xlsx) as requesters: its header names the columns
(in Spanish, in any order, case and accents ignored), each line after it one person.

Every line is checked before anything is written, and every problem is reported
with its line number: a file with one bad line imports nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mesa_tui.domain.requesters import DEPENDENCY_MAX, RequesterInput, RequesterValues, requester_values
from mesa_tui.domain.text import fold

MAX_REPORTED = 30

COLUMNS = {
    "name": ("nombre", "nombre completo", "nombres y apellidos", "nombres", "name"),
    "document_type": ("tipo documento", "tipo de documento", "tipo doc", "tipo identificacion", "tipo"),
    "document_number": (
        "numero documento",
        "numero de documento",
        "no documento",
        "n o documento",
        "nro documento",
        "documento",
        "cedula",
        "identificacion",
        "numero identificacion",
    ),
    "dependency": ("dependencia", "area", "oficina", "secretaria"),
    "email": ("correo", "correo electronico", "email", "e mail", "mail"),
    "phone": ("telefono", "celular", "tel", "movil"),
    "extension": ("extension", "ext"),
    "position": ("cargo", "puesto"),
    "vip": ("vip",),
    "notes": ("notas", "observaciones", "nota"),
}
COLUMN_LABELS = {
    "name": "nombre",
    "document_type": "tipo_documento",
    "document_number": "numero_documento",
    "dependency": "dependencia",
    "email": "correo",
    "phone": "telefono",
    "extension": "extension",
    "position": "cargo",
    "vip": "vip",
    "notes": "notas",
}
_YES = {"si", "x", "1", "true", "verdadero", "vip"}
_NO = {"", "no", "0", "false", "falso"}


class RequesterFileError(ValueError):
    """The file cannot be imported; `errors` are (line, problem), the first MAX_REPORTED."""

    def __init__(self, errors: list[tuple[int, str]], total: int | None = None):
        self.errors = errors[:MAX_REPORTED]
        self.total = total if total is not None else len(errors)
        lines = [f"Línea {line}: {problem}" if line else problem for line, problem in self.errors]
        more = self.total - len(self.errors)
        if more > 0:
            lines.append(f"… y {more} más.")
        head = "El archivo tiene 1 error" if self.total == 1 else f"El archivo tiene {self.total} errores"
        super().__init__(f"{head}; no se importó nada.\n" + "\n".join(lines))


@dataclass(frozen=True)
class ImportLine:
    line: int
    values: RequesterValues
    dependency: str  # the dependency's name as written ("" for none)
    given: frozenset[str]  # the fields whose cell was not blank (blank cells change nothing)


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def columns_of(header: Sequence[str]) -> dict[str, int]:
    """Which cell of a line holds each field; RequesterFileError when the name is missing
    or a field is named twice. Columns the desk does not keep are ignored."""
    aliases = {alias: field for field, names in COLUMNS.items() for alias in names}
    found: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    for i, cell in enumerate(header):
        field = aliases.get(_header_key(cell or ""))
        if field is None:
            continue
        if field in found:
            errors.append((1, f"la columna «{cell}» repite «{COLUMN_LABELS[field]}»."))
        found[field] = i
    if "name" not in found:
        expected = ", ".join(COLUMN_LABELS.values())
        errors.append((1, f"falta la columna «nombre» en el encabezado (columnas: {expected})."))
    if errors:
        raise RequesterFileError(errors)
    return found


def parse_lines(rows: Iterable[tuple[int, Sequence[str]]]) -> list[ImportLine]:
    """The people of the file (line number, cells), its first row the header; blank lines skipped."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        raise RequesterFileError([(0, "El archivo está vacío.")])
    columns = columns_of(first[1])
    out: list[ImportLine] = []
    errors: list[tuple[int, str]] = []
    seen_email: dict[str, int] = {}
    seen_doc: dict[tuple[str, str], int] = {}
    for line, cells in it:

        def cell(field: str, cells: Sequence[str] = cells) -> str:
            i = columns.get(field)
            return (cells[i] or "").strip() if i is not None and i < len(cells) else ""

        if not any((c or "").strip() for c in cells):
            continue
        vip_text = fold(cell("vip"))
        if vip_text not in _YES | _NO:
            errors.append((line, f"vip «{cell('vip')}» no es válido (use sí o no)."))
        dependency = " ".join(cell("dependency").split())
        if len(dependency) > DEPENDENCY_MAX:
            errors.append((line, f"la dependencia admite hasta {DEPENDENCY_MAX} caracteres."))
        values, problems = requester_values(
            RequesterInput(
                name=cell("name"),
                document_type=cell("document_type"),
                document_number=cell("document_number"),
                email=cell("email"),
                phone=cell("phone"),
                extension=cell("extension"),
                position=cell("position"),
                vip=vip_text in _YES,
                notes=cell("notes"),
            )
        )
        errors.extend((line, _lower_first(message)) for _field, message in problems)
        if values is None:
            continue
        if values.email is not None:
            if values.email in seen_email:
                errors.append((line, f"el correo {values.email} ya está en la línea {seen_email[values.email]}."))
            seen_email.setdefault(values.email, line)
        if values.document_type and values.document_number:
            doc = (values.document_type, values.document_number)
            if doc in seen_doc:
                errors.append((line, f"el documento {' '.join(doc)} ya está en la línea {seen_doc[doc]}."))
            seen_doc.setdefault(doc, line)
        given = frozenset(f for f in COLUMNS if f in columns and cell(f))
        out.append(ImportLine(line, values, dependency, given))
    if errors:
        raise RequesterFileError(errors)
    if not out:
        raise RequesterFileError([(0, "El archivo no tiene ninguna persona después del encabezado.")])
    return out


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]
