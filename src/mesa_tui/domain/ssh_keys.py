"""Agents' SSH public keys and the service account's `authorized_keys` made from them.

One OpenSSH service account serves every agent (as Gitea and gitolite do): each key
gets a line whose forced command fixes the agent, whatever command the client asks
for. `restrict` turns off forwarding, agent and X11; `pty` gives the TUI its terminal
back.

The key's cryptographic check (a well-formed key of a type and size we accept) is
the services' (the `cryptography` library); here is what is plain text: splitting a
pasted line, the fingerprint, the file's lines and the drift between two files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# The key types OpenSSH offers by default that the desk accepts (no DSA, no RSA under 2048 bits).
KEY_TYPES = (
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
)
MIN_RSA_BITS = 2048
SSH_ACCOUNT = "ssh_account"  # the setting that names the SSH service account
COMMENT_LIMIT = 200
KEY_TEXT_LIMIT = 16_000  # an RSA 16384-bit key is ~2,800 characters; a pasted file is refused
KEYS_PER_AGENT = 20

HEADER = (
    "# Escrito por mesa-tui («mesa ssh authorized-keys»): no lo edite a mano, se reescribe\n"
    "# cada vez que cambia una llave o se activa o desactiva un agente.\n"
)
# An absolute path the forced command can name without quoting: letters, digits and / . _ + -
_SAFE_PATH = re.compile(r"/[A-Za-z0-9/._+-]*\Z")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}\Z")


@dataclass(frozen=True)
class KeyParts:
    """A pasted public key line, split: `ssh-ed25519 AAAA… comentario`."""

    key_type: str
    data: str  # the base64 blob
    comment: str

    @property
    def blob(self) -> bytes:
        return base64.b64decode(self.data, validate=True)


@dataclass(frozen=True)
class SshKeyInfo:
    """A key as the screens show it."""

    id: int
    agent_id: int
    agent_login: str
    key_type: str
    data: str
    comment: str
    fingerprint: str
    added_at: datetime

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint if len(self.fingerprint) <= 24 else f"{self.fingerprint[:22]}…"


@dataclass(frozen=True)
class AuthorizedKey:
    """One line of the file: whose key, and the key."""

    login: str
    key_type: str
    data: str
    comment: str


@dataclass(frozen=True)
class Drift:
    """What differs between the file on disk and the one the database makes."""

    missing: tuple[str, ...]  # lines the database has and the file lacks
    extra: tuple[str, ...]  # lines the file has and the database does not

    @property
    def clean(self) -> bool:
        return not self.missing and not self.extra


def split_key(text: str) -> KeyParts:
    """The parts of a pasted public key; ValueError with a Spanish message otherwise."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Pegue la llave pública (el contenido del archivo .pub).")
    if len(text) > KEY_TEXT_LIMIT:
        raise ValueError("Eso no es una llave pública: es demasiado largo.")
    if "\n" in text or "\r" in text:
        raise ValueError("Pegue una sola llave, en una sola línea.")
    if "PRIVATE KEY" in text:
        raise ValueError("Esa es una llave PRIVADA: no la comparta. Pegue la pública (el archivo .pub).")
    fields = text.split(None, 2)
    key_type = fields[0]
    if key_type not in KEY_TYPES:
        if any(key_type.startswith(t) for t in ("command=", "restrict", "from=", "no-", "environment=")) or (
            "=" in key_type
        ):
            raise ValueError("Pegue solo la llave (tipo, llave y comentario), sin opciones delante.")
        raise ValueError(f"Tipo de llave no admitido «{key_type[:40]}»: use {', '.join(KEY_TYPES)}.")
    if len(fields) < 2 or not _BASE64.match(fields[1]):
        raise ValueError("La llave está incompleta o dañada: copie la línea completa del archivo .pub.")
    comment = fields[2].strip() if len(fields) > 2 else ""
    if len(comment) > COMMENT_LIMIT:
        raise ValueError(f"El comentario de la llave admite hasta {COMMENT_LIMIT} caracteres.")
    if any(ord(c) < 32 or ord(c) == 127 for c in comment):
        raise ValueError("El comentario de la llave tiene caracteres de control.")
    parts = KeyParts(key_type, fields[1], comment)
    try:
        parts.blob  # noqa: B018  # decodes, or says the blob is broken
    except (binascii.Error, ValueError):
        raise ValueError("La llave está incompleta o dañada: copie la línea completa del archivo .pub.") from None
    return parts


def fingerprint(blob: bytes) -> str:
    """OpenSSH's SHA256 fingerprint (`ssh-keygen -l`): SHA256: and unpadded base64."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


def command_problem(command: str) -> str | None:
    """Why `command` cannot be the forced command's program (None when it can)."""
    if not command.startswith("/"):
        return f"El programa de la sesión SSH debe ser una ruta absoluta (se leyó «{command}»)."
    if not _SAFE_PATH.match(command):
        return f"La ruta del programa de la sesión SSH solo admite letras, números y / . _ + - (se leyó «{command}»)."
    return None


def authorized_line(command: str, key: AuthorizedKey) -> str:
    """The line that lets `key` in as `key.login`, and only into its session."""
    line = f'command="{command} session --agent {key.login}",restrict,pty {key.key_type} {key.data}'
    return f"{line} {key.comment}" if key.comment else line


def render_authorized_keys(command: str, keys: Iterable[AuthorizedKey]) -> str:
    return HEADER + "".join(f"{authorized_line(command, k)}\n" for k in keys)


def key_lines(text: str) -> list[str]:
    """The lines that count (no blanks, no comments)."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def drift(expected: str, actual: str | None) -> Drift:
    want, have = key_lines(expected), key_lines(actual or "")
    return Drift(tuple(w for w in want if w not in have), tuple(h for h in have if h not in want))
