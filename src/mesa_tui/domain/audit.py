"""What a check of the audit trail's hash chain finds: the chain whole, or the
first event that breaks it and how (`store.audit_verify` walks the chain)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BreakKind(StrEnum):
    """How an event breaks the chain, as the user reads it."""

    EDITED = "contenido alterado"
    DELETED = "evento eliminado"
    REORDERED = "eventos reordenados"
    FORGED = "evento agregado por fuera de la mesa"
    TRUNCATED = "eventos finales eliminados"
    HEAD = "cabeza de la cadena alterada"


@dataclass(frozen=True)
class ChainBreak:
    kind: BreakKind
    event_id: int | None
    # What the event is about: "caso MDA-2026-000001", "policy default:media"; "" when unknown.
    subject: str
    detail: str

    def describe(self) -> str:
        """One line: what broke, which event, and what that means."""
        where = f"evento #{self.event_id}" if self.event_id is not None else "cadena"
        about = f" ({self.subject})" if self.subject else ""
        return f"{self.kind}: {where}{about}: {self.detail}"


@dataclass(frozen=True)
class ChainReport:
    """`events` were verified in order; `last_id`/`last_hash` are the last of them
    (the hash that, written down elsewhere, anchors the whole trail)."""

    events: int
    last_id: int | None
    last_hash: str
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None
