"""The one base of every error a user is meant to read.

The services' refusals (`services.errors.ServiceError`) and the store's
(`store.errors.StoreError`: a busy, missing or too-new database) both derive
from it, so a screen or the command line catches one class and shows its
message: a Spanish sentence, never a traceback.
"""

from __future__ import annotations


class DeskError(Exception):
    """Something the user can read and act on; nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
