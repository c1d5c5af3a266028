"""The catalog's categories (categorías): they group the catalog and may have their
own SLA policy; renamed, never deleted while they have services."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from mesa_tui.domain.catalog import CategoryInfo
from mesa_tui.domain.limits import CATEGORY_NAME
from mesa_tui.screens.admin.base import AdminPanel, admin_list
from mesa_tui.screens.dialogs import OneFieldDialog
from mesa_tui.widgets.keyed_table import Column, Row


class CategoriesPanel(AdminPanel[list[CategoryInfo]]):
    TITLE = "las categorías del catálogo"

    BINDINGS = [
        Binding("n", "new", "Nueva", id="categories.new", tooltip="Agregar una categoría al catálogo"),
        Binding(
            "e,enter",
            "rename",
            "Renombrar",
            id="categories.rename",
            tooltip="Cambiar el nombre de la categoría seleccionada",
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories: list[CategoryInfo] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "Las categorías agrupan el catálogo y pueden tener su propia política de ANS. "
            "Una categoría con servicios se renombra; sus servicios la siguen.",
            classes="admin-intro",
        )
        yield admin_list((Column("name", "Categoría", 60), Column("services", "Servicios", 10)), id="categories-table")

    def fetch(self) -> list[CategoryInfo]:
        return self.admin.categories(self.actor)

    def show_data(self, data: list[CategoryInfo], keep: str | None) -> None:
        self.categories = data
        self.table.show_rows([Row(str(c.id), (c.name, str(c.services))) for c in data], keep)

    def current(self) -> CategoryInfo | None:
        key = self.table.current_key
        return next((c for c in self.categories if str(c.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rename":
            return self.is_mounted and self.current() is not None
        return True

    def action_new(self) -> None:
        dialog = OneFieldDialog(
            "Nueva categoría",
            "Nombre de la categoría",
            lambda v: self.admin.add_category(self.actor, v["name"]),
            confirm="Agregar",
            limit=CATEGORY_NAME,
        )
        self.open_dialog(dialog, lambda c: f"Categoría «{c.name}» agregada", keep=lambda c: str(c.id))

    def action_rename(self) -> None:
        category = self.current()
        if category is None:
            return
        dialog = OneFieldDialog(
            f"Renombrar «{category.name}»",
            "Nombre de la categoría",
            lambda v: self.admin.rename_category(self.actor, category.name, v["name"]),
            value=category.name,
            limit=CATEGORY_NAME,
        )
        self.open_dialog(dialog, lambda c: f"Categoría «{c.name}» guardada", keep=lambda c: str(c.id))
