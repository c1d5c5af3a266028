"""How report files are written.

Files: CSV is written with a UTF-8 BOM, ";" between fields and a decimal comma,
which is what Excel set up for Spanish (Colombia) opens as columns; XLSX keeps
numbers as numbers (percentages as fractions with a % format, dates as dates in
Bogotá time). A file is written under a fresh name beside its target and moved
into place at the end (store/files.py), so a failed export never leaves half a
report and a link planted in a shared folder is never followed.

Text is data: every text cell is written as text, never as a formula, whoever
typed it (a subject, a requester, a service or agent name). In CSV a text that
would start a formula gets a leading apostrophe (domain.text.spreadsheet_text);
in XLSX the cell is typed as a string holding the exact text, marked with
Excel's quote prefix when it looks like a formula. Numbers and dates are passed
as numbers and dates, never as preformatted text, so they stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from mesa_tui.domain.errors import describe_os_error
from mesa_tui.domain.text import looks_like_formula, spreadsheet_text
from mesa_tui.services.errors import ValidationError
from mesa_tui.store.files import replacing

FORMATS = ("csv", "xlsx")
CSV_DELIMITER = ";"
CSV_DATETIME = "%Y-%m-%d %H:%M"
T = TypeVar("T")


def check_format(fmt: str) -> str:
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise ValidationError("format", f"El formato «{fmt}» no es válido (use: {', '.join(FORMATS)}).")
    return fmt


def read_bytes(file: Path) -> bytes:
    """The bytes of a file a user named; a ValidationError on "path" says why not (a
    folder, a missing file, no permission), in the user's words."""
    try:
        if file.is_dir():
            raise ValidationError("path", f"{file} es una carpeta: escriba también el nombre del archivo.")
        return file.read_bytes()
    except FileNotFoundError:
        raise ValidationError("path", f"No existe el archivo {file}.") from None
    except OSError as exc:
        raise ValidationError("path", describe_os_error(exc, file, "leer")) from None


def atomic_write(path: Path, write: Callable[[BinaryIO], T]) -> T:
    """Run `write` on a new file beside `path` and move it into place; an OSError
    is the user's one sentence on the field "out", and leaves no file behind."""
    try:
        if path.is_dir():
            raise ValidationError("out", f"{path} es una carpeta: escriba también el nombre del archivo.")
        if not path.parent.is_dir():
            raise ValidationError("out", f"La carpeta {path.parent} no existe.")
        with replacing(path) as out:
            return write(out)
    except OSError as exc:
        raise ValidationError("out", describe_os_error(exc, path, "escribir")) from None


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """One CSV field by its type: text as text, numbers with a decimal comma,
    date-times as Bogotá wall time, None empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_text(value)
    if isinstance(value, datetime):
        return value.strftime(CSV_DATETIME)
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"no CSV form for {type(value).__name__}: {value!r}")


def write_csv(out: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """The header and the rows, every cell through csv_cell; returns how many rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, delimiter=CSV_DELIMITER)
        writer.writerow([csv_cell(v) for v in header])
        n = 0
        for row in rows:
            writer.writerow([csv_cell(v) for v in row])
            n += 1
        return n
    finally:
        text.detach()  # flushes; the file stays open for atomic_write to finish


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_cell(ws: Any, value: object, number_format: str | None = None) -> Any:
    """An openpyxl cell for `ws` (a normal or a write-only sheet): text typed
    as a string holding the exact text (openpyxl would make "=..." a formula and
    "#N/A" an error), numbers and dates as they are."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True  # what Excel stores for text typed after an apostrophe
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def xlsx_row(ws: Any, values: Iterable[object]) -> list[Any]:
    return [xlsx_cell(ws, v) for v in values]
