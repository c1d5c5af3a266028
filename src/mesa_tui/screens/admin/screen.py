"""Administración: the desk's reference data, one tab per area, for administrators only.

Number keys switch tabs; each tab's panel owns its verbs (n nuevo, e/Enter editar,
d desactivar/activar ...), which `?` lists. Esc or q leaves.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ContentSwitcher, Static, Tab, Tabs

from mesa_tui.screens.admin.base import AdminPanel
from mesa_tui.screens.admin.calendar import CalendarPanel
from mesa_tui.screens.admin.catalog import CatalogPanel
from mesa_tui.screens.admin.categories import CategoriesPanel
from mesa_tui.screens.admin.groups import GroupsPanel
from mesa_tui.screens.admin.matrix import MatrixPanel
from mesa_tui.screens.admin.policies import PoliciesPanel
from mesa_tui.screens.admin.requesters import RequestersPanel
from mesa_tui.screens.admin.schedules import SchedulesPanel
from mesa_tui.screens.admin.sessions import SessionsPanel
from mesa_tui.screens.admin.settings import SettingsPanel
from mesa_tui.screens.admin.staff import AgentsPanel
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import DeskContext
from mesa_tui.services.admin import Admin
from mesa_tui.widgets.key_bar import KeyBar

# (name, tab label, panel class), in tab order: key 1 is the first, key 0 the tenth.
AREAS: tuple[tuple[str, str, type[AdminPanel[Any]]], ...] = (
    ("catalog", "Catálogo", CatalogPanel),
    ("categories", "Categorías", CategoriesPanel),
    ("policies", "ANS", PoliciesPanel),  # the SLA policies; short labels leave room for ten tabs
    ("matrix", "Prioridad", MatrixPanel),  # the priority matrix; a short label leaves room for every tab
    ("agents", "Agentes", AgentsPanel),
    ("groups", "Grupos", GroupsPanel),
    ("calendar", "Calendario", CalendarPanel),
    ("schedules", "Horarios", SchedulesPanel),
    ("settings", "Parámetros", SettingsPanel),
    ("requesters", "Solicitantes", RequestersPanel),  # key 0
    ("sessions", "Sesiones", SessionsPanel),  # key -
)


AREA_KEYS = "1234567890-"


def area_key(number: int) -> str:
    """The key of the tab in position `number` (1 to 11): 1 ... 9, then 0, then -."""
    key = AREA_KEYS[number - 1]
    return "minus" if key == "-" else key


def area_label(number: int) -> str:
    """How the tab shows its key: "0", "-"."""
    return AREA_KEYS[number - 1]


class AdminTabs(Tabs, can_focus=False):
    """The admin areas; switched with the number keys (the list keeps the focus)."""


class AdminScreen(MesaScreen[None]):
    HELP_TITLE = "Administración"
    # Textual reads a screen's CSS_PATH into the app's stylesheet the first time the
    # screen is shown, so the admin dialogs get these styles too.
    CSS_PATH = "admin.tcss"

    BINDINGS = [
        *(
            Binding(
                area_key(number),
                f"area('{name}')",
                label,
                show=False,
                id=f"admin.area_{name}",
                tooltip=f"Ir a la pestaña {label}",
            )
            for number, (name, label, _panel) in enumerate(AREAS, start=1)
        ),
        Binding(
            "R", "reload", "Actualizar", show=False, id="admin.reload", tooltip="Volver a leer la lista de esta pestaña"
        ),
        Binding("escape,q", "back", "Volver", id="admin.back", tooltip="Salir de la administración"),
    ]

    def __init__(self, ctx: DeskContext, admin: Admin | None = None) -> None:
        super().__init__(ctx)
        self.admin = admin or Admin(ctx.desk.db, now=ctx.now)

    @property
    def allowed(self) -> bool:
        return self.ctx.actor.is_admin

    def compose(self) -> ComposeResult:
        yield Static(self.title_line("Administración"), id="topbar")
        if not self.allowed:
            yield Static(
                "Solo un administrador puede entrar a la administración de la mesa de ayuda.\n\nPulse Esc para volver.",
                id="admin-refused",
            )
        else:
            yield AdminTabs(
                *(
                    Tab(f"{area_label(n)} {label}", id=f"tab-{name}")
                    for n, (name, label, _p) in enumerate(AREAS, start=1)
                ),
                id="admin-tabs",
            )
            with ContentSwitcher(initial=f"panel-{AREAS[0][0]}", id="admin-panels"):
                for name, _label, panel in AREAS:
                    yield panel(self.ctx, self.admin, id=f"panel-{name}", classes="admin-panel")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # First shown, back from a dialog, or back from another mode: read the tab again.
        if self.allowed:
            self.current_panel.activate()

    @property
    def current_panel(self) -> AdminPanel[Any]:
        switcher = self.query_one("#admin-panels", ContentSwitcher)
        return self.query_one(f"#{switcher.current}", AdminPanel)

    def panel(self, name: str) -> AdminPanel[Any]:
        return self.query_one(f"#panel-{name}", AdminPanel)

    @on(Tabs.TabActivated, "#admin-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        name = (event.tab.id or "").removeprefix("tab-")
        switcher = self.query_one("#admin-panels", ContentSwitcher)
        if switcher.current != f"panel-{name}":
            switcher.current = f"panel-{name}"
            self.panel(name).activate()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("area", "reload"):
            return self.allowed
        return True

    def action_area(self, name: str) -> None:
        self.query_one(AdminTabs).active = f"tab-{name}"

    def action_reload(self) -> None:
        self.current_panel.reload()
        self.notify("Lista actualizada", timeout=2, markup=False)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.switch_mode("agent")
