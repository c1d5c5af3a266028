"""Files the desk writes for people: reports, catalog files, backups.

Each is written under a fresh random name beside its target, created with
O_EXCL and O_NOFOLLOW, written through that descriptor, and renamed over the
target at the end. In a folder others can write to (a shared reports folder),
a link planted at a name we might use is never followed, so nobody can make an
export overwrite a file of their choosing; and a failed write leaves the target
as it was, with no half file beside it.

It lives in the store, the lowest layer that does I/O, so that both the
backups (store) and the reports (services) use it; the domain does none.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_ATTEMPTS = 100


def _create_beside(target: Path, mode: int) -> tuple[int, Path]:
    """A new file with a random name in `target`'s folder: tempfile.mkstemp's
    algorithm, but created with `mode` (less the umask) as open() would, where
    mkstemp always uses 0o600: a report in a shared folder stays readable."""
    for _ in range(_ATTEMPTS):
        tmp = target.with_name(f".mesa-{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, _FLAGS, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {target.parent}")


@contextlib.contextmanager
def replacing(target: Path, mode: int = 0o666) -> Iterator[BinaryIO]:
    """A binary file to write `target`'s new contents to; when the block ends
    they are flushed to disk and renamed over `target`. If the block (or the
    rename) fails, the temporary file is removed and `target` is untouched.
    `mode` is the permission before the umask: 0o600 keeps a file private."""
    fd, tmp = _create_beside(target, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
