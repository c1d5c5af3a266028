"""The service account's authorized_keys file: read, and replaced whole.

Each rewrite takes an exclusive lock on the file's folder (flock) for the time
it reads the keys and writes the file, so two agents adding keys at once never
leave the older list on disk: whoever writes last read after both commits. The
new file is written beside the old and renamed over it (store/files.py); sshd
reads the old or the new, never half of one. Mode 0644: public keys are no
secret, and sshd reads the file with the account's rights even when root wrote it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from mesa_tui.store.files import replacing

MODE = 0o644


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the rewrite lock of `path` (its folder is made, 0700, if missing)."""
    _make_folder(path.parent)
    fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _make_folder(folder: Path) -> None:
    """~/.ssh as sshd wants it: 0700, and the account's own even when root makes it
    (it takes the owner of the home it is made in), else sshd cannot read the file."""
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    home = folder.parent.stat()
    if os.geteuid() == 0 and (home.st_uid, home.st_gid) != (0, 0):
        os.chown(folder, home.st_uid, home.st_gid)


def read(path: Path) -> str | None:
    """The file's text; None when there is no file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def write(path: Path, text: str) -> None:
    with replacing(path, MODE) as out:
        os.fchmod(out.fileno(), MODE)  # exactly 0644, whatever the umask
        out.write(text.encode("utf-8"))
