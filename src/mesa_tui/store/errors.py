"""What the store refuses: the database is busy, missing, unreachable, or of
another version than this program. Messages are for the user (Spanish)."""

from __future__ import annotations

from mesa_tui.domain.errors import DeskError


class StoreError(DeskError):
    """The database could not be used; nothing was written."""


class DatabaseBusy(StoreError):
    def __init__(self) -> None:
        super().__init__("La base de datos está ocupada; intente de nuevo.")


class DatabaseUnavailable(StoreError):
    """Missing, unreachable, unreadable, corrupt, read-only, or a malformed URL."""


class SchemaMismatch(StoreError):
    """The database was made by a newer mesa-tui, or needs `mesa db upgrade`."""
