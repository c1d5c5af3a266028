"""The one base of every error a user is meant to read.

The services' refusals (`services.errors.ServiceError`) and the store's
(`store.errors.StoreError`: a busy, missing or too-new database) both derive
from it, so a screen or the command line catches one class and shows its
message: a Spanish sentence, never a traceback.
"""

from __future__ import annotations

import errno


class DeskError(Exception):
    """Something the user can read and act on; nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_OS_ERRORS = {
    errno.ENOENT: "no existe (revise la ruta y su carpeta)",
    errno.EISDIR: "es una carpeta: escriba también el nombre del archivo",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.EACCES: "su usuario no tiene permiso",
    errno.EPERM: "su usuario no tiene permiso",
    errno.EROFS: "está en un disco de solo lectura",
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EDQUOT: "se agotó la cuota de disco",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.EEXIST: "ya existe",
}


def describe_os_error(exc: OSError, path: object | None = None, verb: str = "usar") -> str:
    """One Spanish sentence for a file the system refused: "No se pudo escribir
    /ruta/x.xlsx: su usuario no tiene permiso." (never Python's English)."""
    where = path if path is not None else (exc.filename or "el archivo")
    reason = _OS_ERRORS.get(exc.errno or 0, "el sistema lo rechazó" + (f" ({exc.strerror})" if exc.strerror else ""))
    return f"No se pudo {verb} {where}: {reason}."
