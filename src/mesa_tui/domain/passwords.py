"""What a password must be (the policy), and what an enrolment code looks like.

Hashing lives in the services (argon2id); these are the pure rules the login screen
and the services share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 128  # argon2 takes any length; a bound keeps a pasted book out
MAX_FAILURES = 5  # consecutive wrong passwords before the account locks
LOCK_MINUTES = 15
CODE_HOURS = 72  # an enrolment code expires after three days
# Enrolment codes: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LEN = 3, 4  # XXXX-XXXX-XXXX: about 59 bits


@cache
def common_passwords() -> frozenset[str]:
    """The short list shipped with the package (common_passwords.txt), casefolded."""
    text = resources.files("mesa_tui.domain").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str, login: str) -> str | None:
    """Why `password` is not acceptable for `login` (None if it is)."""
    if len(password) < MIN_LENGTH:
        return f"La contraseña debe tener al menos {MIN_LENGTH} caracteres."
    if len(password) > MAX_LENGTH:
        return f"La contraseña admite hasta {MAX_LENGTH} caracteres."
    folded = password.casefold()
    name = login.strip().casefold()
    if name and (folded == name or (len(name) >= 3 and name in folded)):
        return "La contraseña no puede contener su usuario."
    if folded in common_passwords() or len(set(folded)) <= 2:
        return "Esa contraseña es demasiado común: elija otra."
    return None


def normalize_code(code: str) -> str:
    """An enrolment code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(raw: str) -> str:
    """XXXX-XXXX-XXXX."""
    return "-".join(raw[i : i + CODE_GROUP_LEN] for i in range(0, len(raw), CODE_GROUP_LEN))


@dataclass(frozen=True)
class Credential:
    """A password account as stored: hashes only, never a password or a code."""

    password_hash: str | None = None
    password_set_at: datetime | None = None
    enrol_code_hash: str | None = None
    enrol_expires_at: datetime | None = None
    failures: int = 0
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until
