"""Sessions: who is connected now, how (terminal, SSH, navegador), from where and
since when; `x` ends the selected one (it closes within seconds, with a message).
The list is read again every few seconds while the tab is shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from mesa_tui.domain.calendar import BOGOTA
from mesa_tui.domain.sessions import SessionInfo
from mesa_tui.screens.admin.base import AdminPanel, admin_list, counted
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.sessions import Sessions
from mesa_tui.widgets.keyed_table import Column, Row
from mesa_tui.widgets.plain import plain

REFRESH_SECONDS = 10.0


def ago(then: datetime, now: datetime) -> str:
    seconds = max(int((now - then).total_seconds()), 0)
    if seconds < 60:
        return f"hace {seconds} s"
    if seconds < 3600:
        return f"hace {seconds // 60} min"
    return f"hace {seconds // 3600} h {seconds % 3600 // 60} min"


class SessionsPanel(AdminPanel[list[SessionInfo]]):
    TITLE = "las sesiones"

    BINDINGS = [
        Binding(
            "x",
            "end_session",
            "Terminar",
            id="sessions.end",
            tooltip="Terminar la sesión seleccionada: se cierra en unos segundos con un aviso",
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions_service = Sessions(self.ctx.desk.db, now=self.ctx.now)
        self.sessions: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="sessions-summary", classes="admin-intro")
        yield admin_list(
            (
                Column("agent", "Agente", share=2),
                Column("kind", "Cómo", 10),
                Column("origin", "Desde", share=3),
                Column("since", "Desde cuándo", 16),
                Column("seen", "Última señal", 14),
            ),
            id="sessions-table",
        )

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.display and self.screen.is_current:
            self.reload()

    def fetch(self) -> list[SessionInfo]:
        return self.sessions_service.active(self.actor)

    def show_data(self, data: list[SessionInfo], keep: str | None) -> None:
        self.sessions = data
        now = self.ctx.now()
        mine = self.actor.session_id
        rows = []
        for x in data:
            who = ("Usted: " if x.id == mine else "") + f"{x.agent_name} ({x.agent_login})"
            since = f"{x.started_at.astimezone(BOGOTA):%Y-%m-%d %H:%M}"
            rows.append(Row(str(x.id), (who, x.kind_label, x.origin or "—", since, ago(x.seen_at, now))))
        self.table.show_rows(rows, keep)
        summary = counted(len(data), "sesión abierta", "sesiones abiertas")
        self.query_one("#sessions-summary", Static).update(plain(f"{summary}. x: terminar la seleccionada."))

    def current(self) -> SessionInfo | None:
        key = self.table.current_key
        return next((x for x in self.sessions if str(x.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "end_session":
            current = self.current() if self.is_mounted else None
            return current is not None and current.id != self.actor.session_id
        return True

    def action_end_session(self) -> None:
        x = self.current()
        if x is None:
            return
        dialog = ConfirmDialog(
            f"Terminar la sesión de {x.agent_login}",
            f"{x.agent_name} · {x.kind_label} · {x.origin or 'sin origen'}\n\n"
            "La sesión se cerrará en unos segundos con un aviso; lo que no haya guardado se pierde.",
            lambda v: self.sessions_service.end(self.actor, x.id),
            confirm="Terminar",
        )
        self.open_dialog(dialog, lambda ended: f"Sesión de {ended.agent_login} terminada")
