"""Helpers any test may import (`from tests.support import ...`); fixtures live in conftest.py files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.desk import NewTicket
    from mesa_tui.store.engine import Database

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "db" / "catalog.tsv"

# Wednesday 18 November 2026, 09:00 in Bogotá.
WEDNESDAY_9AM = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


class FakeNow:
    """A settable clock: `now()` returns what the test set."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, **kw: float) -> datetime:
        self.at = self.at + timedelta(**kw)
        return self.at


def _db(where: Any) -> Database:
    """The database of a service (Desk, Admin, QueueService...) or the database itself."""
    return getattr(where, "db", where)


def actor_of(where: Any, login: str) -> ActorInfo:
    """The active agent `login` of the desk that `where` (a service or a Database) runs on."""
    from mesa_tui.services.identity import Identity

    return Identity(_db(where)).agent(login)


def system_of(where: Any) -> ActorInfo:
    """The desk's own actor ("sistema"): the reader tests use where who reads does not matter."""
    from mesa_tui.services.identity import Identity

    return Identity(_db(where)).system()


def new_ticket(**overrides: Any) -> NewTicket:
    """A valid NewTicket (a phone call about a PC that won't start), fields overridden by name."""
    from mesa_tui.services.desk import NewTicket

    values: dict[str, Any] = dict(
        requester_name="María Pérez Gómez",
        requester_dependency="Secretaría de Hacienda",
        requester_contact="mperez@cartagena.gov.co",
        channel="telefono",
        service_code="SER-001",
        type="incidente",
        subject="El equipo no enciende",
        description="Desde esta mañana el equipo no prende.",
        impact=2,
        urgency=2,
    )
    values.update(overrides)
    return NewTicket(**values)


def pin_sla_targets(db: Database, targets: dict[str, tuple[int, int]]) -> None:
    """Replace the SLA policies by one per priority: (first response, solution) in
    minutes, office calendar, so a test knows every due time."""
    from sqlmodel import select

    from mesa_tui.store.models import SlaPolicy

    def pin(s):
        for p in s.exec(select(SlaPolicy)).all():
            s.delete(p)
        s.flush()
        for priority, (tto, ttr) in targets.items():
            s.add(SlaPolicy(priority=priority, tto_minutes=tto, ttr_minutes=ttr, calendar="office"))

    db.write(pin)


def public_key(comment: str = "", bits: int = 0) -> str:
    """A fresh OpenSSH public key line: ed25519, or RSA of `bits` bits."""
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = rsa.generate_private_key(65537, bits) if bits else ed25519.Ed25519PrivateKey.generate()
    line = private.public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode("ascii")
    return f"{line} {comment}".strip()


def ssh_settings(monkeypatch: Any, folder: Path, command: str = "/opt/mesa/bin/mesa") -> Path:
    """A settings file whose [ssh] section names an authorized_keys in `folder`; its path."""
    keys = folder / "ssh" / "authorized_keys"
    config = folder / "mesa.toml"
    config.write_text(f'[ssh]\nauthorized_keys = "{keys}"\ncommand = "{command}"\n', encoding="utf-8")
    monkeypatch.setenv("MESA_CONFIG", str(config))
    return keys
