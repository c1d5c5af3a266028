"""The desk's settings (parámetros): SLA risk threshold, automatic closing and the
indicators' targets."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from mesa_tui.domain.limits import SETTING_VALUE
from mesa_tui.domain.settings import TEXT_SETTINGS, setting_label
from mesa_tui.screens.admin.base import AdminPanel, admin_list
from mesa_tui.screens.dialogs import OneFieldDialog
from mesa_tui.services.errors import ValidationError
from mesa_tui.widgets.keyed_table import Column, Row

HINTS = {
    "risk_threshold": "Fracción del plazo consumida a partir de la cual un caso se marca en riesgo (0,75 = 75 %).",
    "auto_close_business_days": "Días hábiles tras los que un caso resuelto se cierra solo (1 a 30).",
    "ssh_account": "Usuario del sistema con que sshd abre las sesiones SSH (p. ej. mesa); vacío: sin sesiones SSH.",
}


def shown_value(value: str, key: str = "") -> str:
    """es-CO writes the decimal comma (in numbers: text settings are shown as typed)."""
    return value if key in TEXT_SETTINGS else value.replace(".", ",")


def hint_of(key: str) -> str:
    if key.startswith("meta."):
        return "Porcentaje de 0 a 100: la meta mensual del indicador en el informe."
    return HINTS.get(key, "")


class SettingsPanel(AdminPanel[dict[str, str]]):
    TITLE = "los parámetros"

    BINDINGS = [
        Binding("e,enter", "edit", "Editar", id="settings.edit", tooltip="Cambiar el valor del parámetro seleccionado"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("Parámetros de la mesa de ayuda y metas de los indicadores.", classes="admin-intro")
        yield admin_list(
            (Column("label", "Parámetro", share=2), Column("value", "Valor", 10), Column("key", "Clave", share=1)),
            id="settings-table",
        )

    def fetch(self) -> dict[str, str]:
        return self.admin.settings(self.actor)

    def show_data(self, data: dict[str, str], keep: str | None) -> None:
        self.settings = data
        keys = sorted(data, key=lambda k: (k.startswith("meta."), setting_label(k)))
        self.table.show_rows([Row(k, (setting_label(k), shown_value(data[k], k) or "—", k)) for k in keys], keep)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return self.is_mounted and self.table.current_key is not None
        return True

    def action_edit(self) -> None:
        key = self.table.current_key
        if key is None:
            return

        def run(v: dict[str, str]) -> str:
            try:
                return self.admin.set_setting(self.actor, key, v["value"])
            except ValidationError as exc:
                # The service names the setting's key as the field; this form has one field.
                raise ValidationError("value", exc.message) from None

        dialog = OneFieldDialog(
            setting_label(key),
            "Valor",
            run,
            field="value",
            value=shown_value(self.settings.get(key, ""), key),
            intro=hint_of(key),
            limit=SETTING_VALUE,
        )
        self.open_dialog(
            dialog, lambda stored: f"{setting_label(key)}: {shown_value(stored, key) or '—'}", keep=lambda _s: key
        )
