"""Interactive sessions: who is connected, how, from where and since when.

Every session (a local terminal, SSH, a browser, a password login) has a row that
its process keeps alive: it checks every CHECK_SECONDS whether an administrator
ended it, and writes a heartbeat every HEARTBEAT_SECONDS. A session whose process
died without saying goodbye stops showing as active once STALE_AFTER_SECONDS pass
without a heartbeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

CHECK_SECONDS = 3.0  # how soon a session ended by an administrator closes
HEARTBEAT_SECONDS = 60  # few writes: ~30 sessions write one heartbeat every 2 s between them
STALE_AFTER_SECONDS = 180  # three heartbeats missed: the process is gone
ENDED_BY_ADMIN = "Un administrador cerró su sesión."  # what the ended session reads
ADMIN_END_REASON = "cerrada por un administrador"  # what its row and audit say


class SessionKind(StrEnum):
    TERMINAL = "terminal"
    SSH = "ssh"
    BROWSER = "navegador"

    @property
    def label(self) -> str:
        return {"terminal": "Terminal", "ssh": "SSH", "navegador": "Navegador"}[self.value]


def session_kind(where: str) -> SessionKind:
    """How a session came, from where it came (what `where` says first)."""
    text = where.lower()
    if text.startswith(("navegador", "web")):
        return SessionKind.BROWSER
    if text.startswith("ssh"):
        return SessionKind.SSH
    return SessionKind.TERMINAL


def kind_label(kind: str) -> str:
    try:
        return SessionKind(kind).label
    except ValueError:
        return kind


@dataclass(frozen=True)
class SessionInfo:
    id: int
    agent_id: int
    agent_login: str
    agent_name: str
    kind: str
    method: str
    origin: str
    started_at: datetime
    seen_at: datetime
    ended_at: datetime | None = None
    end_reason: str = ""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def active_at(self, now: datetime) -> bool:
        return self.ended_at is None and not stale(self.seen_at, now)


def stale(seen_at: datetime, now: datetime) -> bool:
    return now - seen_at > timedelta(seconds=STALE_AFTER_SECONDS)


def heartbeat_due(seen_at: datetime, now: datetime) -> bool:
    return now - seen_at >= timedelta(seconds=HEARTBEAT_SECONDS)


def stale_since(now: datetime) -> datetime:
    """Sessions last seen before this instant are no longer active."""
    return now - timedelta(seconds=STALE_AFTER_SECONDS)
