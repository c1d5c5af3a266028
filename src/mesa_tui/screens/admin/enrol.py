"""The enrolment code of a password account, issued from the agents panel (key `c`):
a confirmation, then the code on screen until the administrator closes it. It is
shown this once; the desk keeps only its hash."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Static

from mesa_tui.domain.passwords import CODE_HOURS
from mesa_tui.domain.staff import AgentInfo
from mesa_tui.screens.admin.base import AdminPanel
from mesa_tui.screens.dialogs import ConfirmDialog, Outcome


def issue_code(panel: AdminPanel[Any], agent: AgentInfo) -> None:
    """Ask, issue the code for `agent`, and show it."""
    question = (
        f"{escape(agent.full_name)} ({agent.login})\n\n"
        f"Con el código definirá su contraseña (`mesa --login`, Ctrl+E). Vence en {CODE_HOURS} horas "
        "y se usa una sola vez; un código nuevo reemplaza al anterior y desbloquea la cuenta."
    )
    dialog = ConfirmDialog(
        f"Código de activación para {agent.login}",
        question,
        lambda v: panel.admin.issue_enrolment_code(panel.actor, agent.login),
        confirm="Emitir código",
    )

    def issued(outcome: Outcome[str] | None) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            panel.refused(outcome.error)
            return
        panel.app.push_screen(CodeScreen(agent, outcome.info))
        panel.reload(str(agent.id))

    panel.app.push_screen(dialog, issued)


class CodeScreen(ModalScreen[None]):
    """The code, once: Enter or Esc closes it."""

    BINDINGS = [
        Binding("escape,enter", "close", "Cerrar", id="code.close", tooltip="Cerrar (el código no se vuelve a mostrar)")
    ]

    def __init__(self, agent: AgentInfo, code: str) -> None:
        super().__init__()
        self.agent = agent
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(id="code-box"):
            yield Static(Text(f"Código de activación de {self.agent.full_name} ({self.agent.login})", style="bold"))
            yield Static(Text(self.code, style="bold reverse"), id="code-value")
            yield Static(
                Text(
                    f"Entréguelo al agente por un medio seguro. Vence en {CODE_HOURS} horas y no se vuelve a mostrar.\n"
                    "Enter o Esc: cerrar",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
