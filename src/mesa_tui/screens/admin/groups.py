"""Support groups: the levels tickets are routed and escalated to. Nobody is deleted:
a group with history is deactivated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Select, Static

from mesa_tui.domain.limits import GROUP_NAME
from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.staff import GroupInfo
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, active_text, admin_list, offered, selected
from mesa_tui.screens.admin.staff import open_tickets_text
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import level_label
from mesa_tui.widgets.keyed_table import Column, Row
from mesa_tui.widgets.limited import LimitedInput


class GroupsPanel(AdminPanel[list[GroupInfo]]):
    TITLE = "los grupos de soporte"

    BINDINGS = [
        Binding("n", "new", "Nuevo", id="groups.new", tooltip="Crear un grupo de soporte"),
        Binding(
            "e,enter", "edit", "Editar", id="groups.edit", tooltip="Cambiar el nombre o el nivel del grupo seleccionado"
        ),
        Binding(
            "d",
            "deactivate",
            "Desactivar",
            id="groups.deactivate",
            tooltip="Desactivar el grupo: no recibe casos nuevos ni escalamientos",
        ),
        Binding("d", "activate", "Activar", id="groups.activate", tooltip="Volver a activar el grupo"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[GroupInfo] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "Nivel 1 recibe los casos nuevos; los niveles 2 y 3 los reciben escalados. "
            "Un grupo inactivo no recibe casos nuevos; sus agentes y sus casos abiertos siguen donde están.",
            classes="admin-intro",
        )
        yield admin_list(
            (
                Column("name", "Grupo", share=1),
                Column("level", "Nivel", 23),
                Column("agents", "Agentes activos", 15),
                Column("open", "Casos abiertos", 14),
                Column("active", "Estado", 8),
            ),
            id="groups-table",
        )

    def fetch(self) -> list[GroupInfo]:
        return self.admin.groups(self.actor, include_inactive=True)

    def show_data(self, data: list[GroupInfo], keep: str | None) -> None:
        self.groups = data
        self.table.show_rows(
            [
                Row(
                    str(g.id),
                    (g.name, g.level_label, str(g.agents), str(g.open_tickets), active_text(g.active)),
                    dim=not g.active,
                )
                for g in data
            ],
            keep,
        )

    def current(self) -> GroupInfo | None:
        key = self.table.current_key
        return next((g for g in self.groups if str(g.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        group = self.current() if self.is_mounted else None
        return offered(action, group.active if group else None)

    def action_new(self) -> None:
        dialog = GroupDialog(
            "Nuevo grupo de soporte",
            None,
            lambda v: self.admin.create_group(self.actor, v["name"], v["level"]),
            confirm="Crear",
        )
        self.open_dialog(dialog, lambda g: f"Grupo «{g.name}» creado", keep=lambda g: str(g.id))

    def action_edit(self) -> None:
        group = self.current()
        if group is None:
            return
        dialog = GroupDialog(
            f"Editar grupo «{group.name}»",
            group,
            lambda v: self.admin.update_group(self.actor, group.id, v["name"], v["level"]),
        )
        self.open_dialog(
            dialog,
            lambda g: f"Grupo «{g.name}» sin cambios" if g == group else f"Grupo «{g.name}» guardado",
            keep=lambda g: str(g.id),
        )

    def action_deactivate(self) -> None:
        self._set_active(False)

    def action_activate(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        group = self.current()
        if group is None or group.active == active:
            return
        if active:
            title, confirm, question = (
                f"Activar «{group.name}»",
                "Activar",
                "Vuelve a recibir casos nuevos y escalamientos.",
            )
        else:
            title, confirm = f"Desactivar «{group.name}»", "Desactivar"
            question = (
                f"No recibirá casos nuevos ni escalamientos. Sus {group.agents} agentes activos y "
                f"{open_tickets_text(group.open_tickets)} siguen donde están. El grupo no se borra."
            )
        dialog = ConfirmDialog(
            title, question, lambda v: self.admin.set_group_active(self.actor, group.id, active), confirm=confirm
        )
        verb = "activado" if active else "desactivado"
        self.open_dialog(dialog, lambda g: f"Grupo «{g.name}» {verb}", keep=lambda g: str(g.id))


class GroupDialog(AdminForm[GroupInfo]):
    def __init__(
        self, title: str, group: GroupInfo | None, run: Callable[[dict[str, Any]], GroupInfo], confirm: str = "Guardar"
    ) -> None:
        super().__init__(title, run, confirm=confirm)
        self.add_class("narrow-form")
        self.group = group

    def fields(self) -> ComposeResult:
        g = self.group
        name = LimitedInput(g.name if g else "", id="input-name", compact=True, limit=GROUP_NAME)
        yield FormField("Nombre del grupo", name, "name")
        yield FormField(
            "Nivel de soporte",
            Select(
                [(level_label(n), n) for n in LEVELS],
                allow_blank=False,
                value=g.level if g else 2,
                id="input-level",
                compact=True,
            ),
            "level",
        )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#input-name", Input).value,
            "level": selected(self.query_one("#input-level", Select)),
        }
