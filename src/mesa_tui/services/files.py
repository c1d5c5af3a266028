"""How report files are written.

Files: CSV is written with a UTF-8 BOM, ";" between fields and a decimal comma,
which is what Excel set up for Spanish (Colombia) opens as columns; XLSX keeps
numbers as numbers (percentages as fractions with a % format, dates as dates in
Bogotá time). A file is written beside its target and moved into place at the
end, so a failed export never leaves half a report.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mesa_tui.services.errors import ValidationError

FORMATS = ("csv", "xlsx")
CSV_DELIMITER = ";"
T = TypeVar("T")


def check_format(fmt: str) -> str:
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise ValidationError("format", f"El formato «{fmt}» no es válido (use: {', '.join(FORMATS)}).")
    return fmt


def atomic_write(path: Path, write: Callable[[Path], T]) -> T:
    """Write beside `path` and move into place: a failed export leaves no half file."""
    if not path.parent.exists():
        raise ValidationError("out", f"La carpeta {path.parent} no existe.")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        result = write(tmp)
        os.replace(tmp, path)
        return result
    except OSError as exc:
        raise ValidationError("out", f"No se pudo escribir {path}: {exc.strerror or exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)
