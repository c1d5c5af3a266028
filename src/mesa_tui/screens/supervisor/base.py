"""What the supervisor screens share: the reports service, the keys that move
between them (F2 tablero, F3 resumen, F4 indicadores), going back, the ticket
export, and the refusal an agent sees if one of them is ever reached.

The screens live in the app's "supervisor" mode (F2 from any agent screen, for
supervisors and administrators). Each reads with a Loader (screens/loading.py).
This module knows none of them: the package's `supervisor_screen` makes them,
and hands each the way to make the others.
"""

from __future__ import annotations

from typing import Any, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from mesa_tui.domain.text import thousands
from mesa_tui.domain.vocab import Role
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.delivery import in_browser
from mesa_tui.screens.dialogs import Outcome
from mesa_tui.screens.supervisor.exports import ExportTicketsDialog
from mesa_tui.services.reports import Reports

REFRESH_SECONDS = 30

# name -> what the top bar and the help call each screen, in F-key order.
SCREEN_TITLES = {
    "board": "Tablero ANS",
    "overview": "Resumen de la cola",
    "indicators": "Indicadores",
}
# What the top bar's key hints call them.
NAV_LABELS = {"board": "Tablero", "overview": "Resumen", "indicators": "Indicadores"}


class ScreenFactory(Protocol):
    """Makes a supervisor screen by name ("board", "overview" or "indicators")."""

    def __call__(self, which: str, ctx: DeskContext, reports: Reports | None = None) -> SupervisorScreen: ...


def cases(n: int) -> str:
    return f"{thousands(n)} {'caso' if n == 1 else 'casos'}"


class SupervisorScreen(MesaScreen[None], inherit_bindings=False):
    """A supervisor screen. It offers only its own keys (`inherit_bindings=False`):
    the board reuses the agent screens' ticket actions but not their keys."""

    # Textual reads a screen's CSS_PATH into the app's stylesheet the first time the
    # screen is shown, so the dialogs opened from it get these styles too.
    CSS_PATH = "supervisor.tcss"
    NAME = ""  # key of SCREEN_TITLES

    BINDINGS = [
        Binding(
            "f2",
            "go('board')",
            "Tablero",
            show=False,
            id="supervisor.board",
            tooltip="Tablero ANS: los casos abiertos por vencimiento",
        ),
        Binding(
            "f3",
            "go('overview')",
            "Resumen",
            show=False,
            id="supervisor.overview",
            tooltip="Resumen de la cola: estados, niveles, agentes, servicios y antigüedad",
        ),
        Binding(
            "f4",
            "go('indicators')",
            "Indicadores",
            show=False,
            id="supervisor.indicators",
            tooltip="Indicadores de la mesa de ayuda, mes a mes",
        ),
        Binding(
            "escape,q",
            "back",
            "Volver",
            id="supervisor.back",
            tooltip="Volver a la pantalla anterior; desde la primera, a la cola de casos",
        ),
    ]

    def __init__(self, ctx: DeskContext, screens: ScreenFactory, reports: Reports | None = None) -> None:
        super().__init__(ctx)
        self.screens = screens  # how to make the other supervisor screens
        self.reports = reports or Reports(ctx.desk.db, now=ctx.now)
        self.HELP_TITLE = SCREEN_TITLES[self.NAME]

    @property
    def allowed(self) -> bool:
        return self.ctx.actor.is_supervisor

    def compose_top(self) -> ComposeResult:
        actor = self.ctx.actor
        title = Text.assemble(("Mesa de ayuda TIC", "bold"), "  ·  ", (SCREEN_TITLES[self.NAME], "bold"), "  ·  ")
        title.append(actor.display_name)
        title.append(f" ({Role(actor.role).label})", style="dim")
        keys = Text()
        for number, (name, label) in enumerate(NAV_LABELS.items(), start=2):
            keys.append(f" F{number} {label} ", style="reverse" if name == self.NAME else "dim")
        with Horizontal(id="topbar"):
            yield Static(title, id="topbar-title")
            yield Static(keys, id="topbar-keys")
        if not self.allowed:
            yield Static(
                "El tablero ANS, el resumen de la cola y los indicadores son para supervisores y administradores.\n\n"
                "Pulse Esc para volver.",
                id="supervisor-refused",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.allowed:
            return action == "back"
        return super().check_action(action, parameters)

    def action_go(self, which: str) -> None:
        """Move to another supervisor screen keeping the stack shallow: back to it
        when it is right below, beside this one when another supervisor screen is
        below (a mode's first screen can't be replaced), else on top."""
        if which == self.NAME:
            return
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if isinstance(below, SupervisorScreen) and which == below.NAME:
            self.app.pop_screen()
        elif isinstance(below, SupervisorScreen):
            self.app.switch_screen(self.screens(which, self.ctx, self.reports))
        else:
            self.app.push_screen(self.screens(which, self.ctx, self.reports))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.switch_mode("agent")

    def in_front(self) -> bool:
        """Whether the screen is the one on view (not under a dialog or the ticket)."""
        return self.app.screen is self

    # --- exports -------------------------------------------------------------------

    def export_tickets(self) -> None:
        reports, actor = self.reports, self.ctx.actor

        def run(v: dict[str, Any]) -> tuple[int, str]:
            if v["stream"] is not None:  # a browser session: a download
                return reports.write_tickets(actor, v["date_from"], v["date_to"], v["stream"], v["format"]), v["out"]
            return reports.export_tickets(actor, v["date_from"], v["date_to"], v["out"], v["format"]), v["out"]

        self.app.push_screen(ExportTicketsDialog(self.ctx.now(), run), self._tickets_exported)

    def _tickets_exported(self, outcome: Outcome[tuple[int, str]] | None) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            self.notify_refusal(outcome.error)
            return
        count, path = outcome.info
        where = f" · descargado como {path}" if in_browser(self.app) else f" en {path}"
        self.notify(f"{cases(count)}{where}", title="Informe de casos exportado", timeout=8, markup=False)

    def notify_read_error(self, what: str, error: str) -> None:
        self.notify(f"No se pudo leer {what}: {error}", title="Error", severity="error", timeout=10, markup=False)
