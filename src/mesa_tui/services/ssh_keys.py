"""Agents' SSH public keys, and the service account's authorized_keys made from them.

An agent adds and removes their own keys ("Mis llaves"); an administrator, anyone's
(Administración → Agentes). Each change is validated (the `cryptography` library
parses the key: a well-formed key of a type OpenSSH offers, RSA of 2048 bits or
more), audited on the agent, and followed by a rewrite of authorized_keys, as is
an agent's deactivation or reactivation (services/admin/staff.py): only active
agents' keys are in the file.

Where the file is and which `mesa` its forced command runs come from the settings
file's `[ssh]` section (store/config.py); by default the file is the home of the
SSH service account the database names (the setting `ssh_account`). The rewrite
runs after the change committed, under a lock, from what the database holds then:
if it fails (a desk opened by a user who may not write that file), the change
stands and the result says why the file was not updated; `mesa ssh check` reports
the drift and `mesa ssh authorized-keys`, run as the service account, mends it.
"""

from __future__ import annotations

import pwd
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_ssh_public_key

from mesa_tui.domain.errors import DeskError, describe_os_error
from mesa_tui.domain.ssh_keys import (
    KEYS_PER_AGENT,
    MIN_RSA_BITS,
    SSH_ACCOUNT,
    Drift,
    KeyParts,
    SshKeyInfo,
    command_problem,
    drift,
    fingerprint,
    render_authorized_keys,
    split_key,
)
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.base import Service
from mesa_tui.services.errors import NotFound, PermissionDenied, ValidationError
from mesa_tui.store import admin_repo, authorized_keys, ssh_keys_repo, tickets_repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.config import ssh_setting
from mesa_tui.store.engine import Session


class NotConfigured(DeskError):
    """No authorized_keys file to write: neither given nor configured."""


@dataclass(frozen=True)
class Published:
    """What became of authorized_keys after a change: `path` None when SSH sessions are
    not configured (nothing to write); `problem` says why a rewrite failed."""

    path: str | None
    keys: int = 0
    problem: str | None = None


@dataclass(frozen=True)
class KeyChange:
    key: SshKeyInfo
    published: Published


@dataclass(frozen=True)
class Checked:
    path: str
    exists: bool
    drift: Drift
    keys: int


def parse_key(text: str) -> tuple[KeyParts, str]:
    """The key's parts and its SHA256 fingerprint; ValidationError("key") otherwise."""
    try:
        parts = split_key(text)
    except ValueError as exc:
        raise ValidationError("key", str(exc)) from None
    try:
        key = load_ssh_public_key(f"{parts.key_type} {parts.data}".encode("ascii"))
    except (ValueError, UnsupportedAlgorithm):
        raise ValidationError(
            "key", "La llave está dañada o no corresponde a su tipo: copie la línea completa del archivo .pub."
        ) from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        raise ValidationError(
            "key", f"Una llave RSA de {key.key_size} bits es débil: use ed25519 (ssh-keygen -t ed25519)."
        )
    return parts, fingerprint(parts.blob)


class SshKeys(Service):
    """Keys and the authorized_keys file over one database."""

    # --- keys ----------------------------------------------------------------------

    def keys(self, actor: ActorInfo, agent_id: int | None = None) -> list[SshKeyInfo]:
        """The keys of `agent_id` (the actor's own when None)."""
        require_actor(actor)
        with self.db.read() as s:
            who = current_actor(s, actor)
            target = _target(s, who, agent_id)
            return ssh_keys_repo.keys_of(s, target.id)

    def add_key(self, actor: ActorInfo, agent_id: int | None, text: str) -> KeyChange:
        """Add a pasted public key to `agent_id` (the actor's own when None)."""
        require_actor(actor)
        parts, key_print = parse_key(text)

        def tx(s: Session) -> SshKeyInfo:
            now = self.now()
            who = current_actor(s, actor)
            target = _target(s, who, agent_id)
            taken = ssh_keys_repo.key_by_fingerprint(s, key_print)
            if taken is not None:
                whose = "suya" if taken.agent_id == target.id else f"de «{taken.agent_login}»"
                raise ValidationError("key", f"Esa llave ya está registrada ({whose}): cada llave abre un solo agente.")
            if ssh_keys_repo.key_count(s, target.id) >= KEYS_PER_AGENT:
                raise ValidationError("key", f"Un agente tiene hasta {KEYS_PER_AGENT} llaves: quite alguna antes.")
            key = ssh_keys_repo.add_key(s, target.id, parts, key_print, now, who.id)
            _audit(s, who, now, target, "agregar llave", {"llave": (None, _described(key))})
            return key

        key = self.db.write(tx)
        return KeyChange(key, self._publish_configured())

    def remove_key(self, actor: ActorInfo, key_id: int) -> KeyChange:
        require_actor(actor)

        def tx(s: Session) -> SshKeyInfo:
            now = self.now()
            who = current_actor(s, actor)
            key = ssh_keys_repo.key_by_id(s, key_id)
            if key is None:
                raise NotFound("Esa llave ya no está registrada.")
            target = _target(s, who, key.agent_id)
            ssh_keys_repo.delete_key(s, key.id)
            _audit(s, who, now, target, "quitar llave", {"llave": (_described(key), None)})
            return key

        key = self.db.write(tx)
        return KeyChange(key, self._publish_configured())

    # --- the file --------------------------------------------------------------------

    def publish(self, actor: ActorInfo) -> Published:
        """Rewrite the configured authorized_keys (after an agent was activated or
        deactivated); `path` None when SSH sessions are not configured."""
        require_actor(actor)
        with self.db.read() as s:
            current_actor(s, actor)
        return self._publish_configured()

    def write_authorized_keys(self, actor: ActorInfo, path: str | None = None) -> Published:
        """Write authorized_keys to `path` (the configured file when None); errors raise."""
        with self._reading(actor) as s:
            target = Path(path) if path else _configured_path(s)
        if target is None:
            raise NotConfigured(_NOT_CONFIGURED)
        command = _command()
        with authorized_keys.locked(target):
            text, count = self._render(command)
            authorized_keys.write(target, text)
        return Published(str(target), count)

    def check_authorized_keys(self, actor: ActorInfo, path: str | None = None) -> Checked:
        """Compare the file on disk with what the database makes of it."""
        with self._reading(actor) as s:
            target = Path(path) if path else _configured_path(s)
        if target is None:
            raise NotConfigured(_NOT_CONFIGURED)
        text, count = self._render(_command())
        try:
            actual = authorized_keys.read(target)
        except OSError as exc:
            raise NotConfigured(describe_os_error(exc, target, "leer")) from None
        return Checked(str(target), actual is not None, drift(text, actual), count)

    def _render(self, command: str) -> tuple[str, int]:
        with self.db.read() as s:
            keys = ssh_keys_repo.authorized(s)
        return render_authorized_keys(command, keys), len(keys)

    def _publish_configured(self) -> Published:
        """Best effort: the change is committed; a file that cannot be written is reported."""
        with self.db.read() as s:
            try:
                target = _configured_path(s)
            except NotConfigured as exc:
                return Published(None, problem=exc.message)
        if target is None:
            return Published(None)
        try:
            command = _command()
            with authorized_keys.locked(target):
                text, count = self._render(command)
                authorized_keys.write(target, text)
        except NotConfigured as exc:
            return Published(str(target), problem=exc.message)
        except OSError as exc:
            return Published(str(target), problem=describe_os_error(exc, target, "reescribir"))
        return Published(str(target), count)


_NOT_CONFIGURED = (
    "No hay archivo authorized_keys configurado: indique --file, la cuenta de servicio SSH "
    "(Administración → Parámetros) o [ssh] authorized_keys en el archivo de configuración."
)


def _target(s: Session, who: ActorInfo, agent_id: int | None) -> ActorInfo:
    """The agent whose keys are touched: one's own, or anyone's for an administrator."""
    if agent_id is None or agent_id == who.id:
        return who
    if not who.is_admin:
        raise PermissionDenied("Solo un administrador puede cambiar las llaves de otro agente.")
    target = tickets_repo.actor_by_id(s, agent_id)
    if target is None or target.is_system:
        raise NotFound(f"No existe el agente {agent_id}.")
    return target


def _audit(
    s: Session, who: ActorInfo, now: datetime, target: ActorInfo, action: str, changes: dict[str, tuple[Any, Any]]
) -> None:
    write_event(
        s,
        actor_id=who.id,
        operator_id=who.operator_id,
        action=action,
        at=now,
        changes=changes,
        entity="agent",
        entity_key=str(target.id),
    )


def _described(key: SshKeyInfo) -> str:
    return " ".join(part for part in (key.key_type, key.fingerprint, key.comment) if part)


def _configured_path(s: Session) -> Path | None:
    """The file to keep: `[ssh] authorized_keys`, else the service account's own."""
    explicit = ssh_setting("authorized_keys")
    if explicit:
        return Path(explicit).expanduser()
    account = admin_repo.setting_value(s, SSH_ACCOUNT) or ""
    if not account:
        return None
    try:
        home = pwd.getpwnam(account).pw_dir
    except KeyError:
        raise NotConfigured(
            f"La cuenta de servicio SSH «{account}» no existe en este equipo: créela (README) o corrija Parámetros."
        ) from None
    return Path(home) / ".ssh" / "authorized_keys"


def _command() -> str:
    """The absolute path of the `mesa` the forced command runs."""
    command = ssh_setting("command")
    if command is None:
        beside = Path(sys.executable).parent / "mesa"
        command = str(beside) if beside.exists() else (shutil.which("mesa") or "")
    if not command:
        raise NotConfigured("No se encontró el programa mesa: indique su ruta en [ssh] command de la configuración.")
    problem = command_problem(command)
    if problem:
        raise NotConfigured(problem)
    return command
