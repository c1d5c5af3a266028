"""Dependencies (Secretaría de Hacienda, ...): the list requesters are placed in, kept by
the administrators from the Solicitantes tab (key p). Never deleted: an inactive one is
offered to nobody new; a new name reaches their requesters' tickets."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from mesa_tui.domain.requesters import DEPENDENCY_MAX, DependencyInfo
from mesa_tui.screens.admin.base import AdminPanel, active_text, admin_list, counted, offered
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.dialogs import ConfirmDialog, OneFieldDialog
from mesa_tui.services.admin import Admin
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.keyed_table import Column, Row


class DependenciesPanel(AdminPanel[list[DependencyInfo]]):
    TITLE = "las dependencias"

    BINDINGS = [
        Binding("n", "new", "Nueva", id="dependencies.new", tooltip="Crear una dependencia"),
        Binding("e,enter", "edit", "Renombrar", id="dependencies.edit", tooltip="Cambiar el nombre de la dependencia"),
        Binding(
            "d",
            "deactivate",
            "Desactivar",
            id="dependencies.deactivate",
            tooltip="Desactivar: no se ofrece a solicitantes nuevos; quien ya está en ella la conserva",
        ),
        Binding("d", "activate", "Activar", id="dependencies.activate", tooltip="Volver a activar la dependencia"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items: list[DependencyInfo] = []

    def compose(self) -> ComposeResult:
        yield admin_list(
            (
                Column("name", "Dependencia", share=1),
                Column("people", "Solicitantes", 12),
                Column("active", "Estado", 8),
            ),
            id="dependencies-table",
        )

    def on_mount(self) -> None:
        self.activate()

    def fetch(self) -> list[DependencyInfo]:
        return self.admin.dependencies(self.actor, include_inactive=True)

    def show_data(self, data: list[DependencyInfo], keep: str | None) -> None:
        self.items = data
        self.table.show_rows(
            [Row(str(d.id), (d.name, str(d.requesters), active_text(d.active)), dim=not d.active) for d in data],
            keep,
        )

    def current(self) -> DependencyInfo | None:
        key = self.table.current_key
        return next((d for d in self.items if str(d.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        dep = self.current() if self.is_mounted else None
        return offered(action, dep.active if dep else None)

    def action_new(self) -> None:
        dialog: OneFieldDialog[DependencyInfo] = OneFieldDialog(
            "Nueva dependencia",
            "Nombre",
            lambda v: self.admin.create_dependency(self.actor, v["name"]),
            confirm="Crear",
            limit=DEPENDENCY_MAX,
        )
        self.open_dialog(dialog, lambda d: f"Dependencia «{d.name}» creada", keep=lambda d: str(d.id))

    def action_edit(self) -> None:
        dep = self.current()
        if dep is None:
            return
        dialog: OneFieldDialog[DependencyInfo] = OneFieldDialog(
            f"Renombrar «{dep.name}»",
            "Nombre",
            lambda v: self.admin.rename_dependency(self.actor, dep.id, v["name"]),
            value=dep.name,
            intro=f"El nombre nuevo llega a los casos de sus {counted(dep.requesters, 'solicitante', 'solicitantes')}.",
            limit=DEPENDENCY_MAX,
        )
        self.open_dialog(dialog, lambda d: f"Dependencia «{d.name}» guardada", keep=lambda d: str(d.id))

    def action_deactivate(self) -> None:
        self._set_active(False)

    def action_activate(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        dep = self.current()
        if dep is None or dep.active == active:
            return
        verb = "Activar" if active else "Desactivar"
        question = (
            "Se vuelve a ofrecer en los formularios."
            if active
            else "No se ofrece a solicitantes nuevos; quien ya está en ella la conserva. No se borra."
        )
        dialog = ConfirmDialog(
            f"{verb} «{dep.name}»",
            question,
            lambda v: self.admin.set_dependency_active(self.actor, dep.id, active),
            confirm=verb,
        )
        done = "activada" if active else "desactivada"
        self.open_dialog(dialog, lambda d: f"Dependencia «{d.name}» {done}", keep=lambda d: str(d.id))


class DependenciesScreen(ModalScreen[None]):
    """The dependencies list over the admin screen; Esc goes back."""

    BINDINGS = [Binding("escape", "close", "Volver", id="dependencies.close", tooltip="Volver a los solicitantes")]

    def __init__(self, ctx: DeskContext, admin: Admin) -> None:
        super().__init__()
        self.ctx = ctx
        self.admin = admin

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Label("Dependencias", id="dialog-title")
            yield Static(
                "La lista de dependencias de la entidad; n nueva, e renombrar, d desactivar o activar.",
                id="dialog-intro",
            )
            yield DependenciesPanel(self.ctx, self.admin, id="dependencies-panel", classes="admin-panel")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
