"""Hashing of passwords (argon2id) and of one-time enrolment codes.

Passwords are hashed with argon2-cffi's defaults (argon2id, RFC 9106's low-memory
profile); a hash made with older parameters is replaced at the next good login.
Enrolment codes are long random strings used once and soon expired, so a plain
SHA-256 of them is enough: nothing about them is guessable from a stolen hash in
the time they live.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mesa_tui.domain.passwords import CODE_ALPHABET, CODE_GROUP_LEN, CODE_GROUPS, normalize_code

_HASHER = PasswordHasher()
# Verified against when the login is unknown, so a wrong login costs what a wrong password does.
_DUMMY = _HASHER.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash (False when there is none)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def new_code() -> str:
    """A fresh enrolment code, unformatted (normalize_code form)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def code_matches(stored: str | None, code: str) -> bool:
    return stored is not None and hmac.compare_digest(stored, code_hash(code))
