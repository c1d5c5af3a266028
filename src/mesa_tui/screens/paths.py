"""Paths as a person types them into a dialog, looked at without ever raising.

A field is checked as it is typed: "~juan/informe.xlsx" names a user this
machine may not have (expanduser raises), and a name too long for the file
system makes `is_file` raise. Here those are simply not a file, or not a path.
"""

from __future__ import annotations

from pathlib import Path


def typed_path(text: str) -> Path | None:
    """The path typed, "~" expanded; None when it can't be one (an unknown user's "~")."""
    try:
        return Path(text.strip()).expanduser()
    except (RuntimeError, ValueError):
        return None


def unusable_path(text: str) -> str:
    """What a field says of a path `typed_path` could not make."""
    return f"No es una ruta que se pueda usar: {text.strip()} (~ solo, o ~/, es su carpeta personal)."


def is_file(path: Path | None) -> bool:
    try:
        return path is not None and path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path | None) -> bool:
    try:
        return path is not None and path.is_dir()
    except (OSError, ValueError):
        return False
