"""Work schedules (horarios): the weekly hours a service's SLA clocks count. The list
shows each one's hours in a line and how many services count it; n creates one, e or
Enter edits it (one field per weekday, "08:00-12:00, 14:00-18:00", blank when closed),
d deactivates or activates it. Oficina and 24x7 are fixed. Saving new hours recomputes,
at once, the due times of the open tickets that count them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Static

from mesa_tui.domain.dates import WEEKDAY_NAMES
from mesa_tui.domain.schedules import ScheduleSaved, WorkSchedule, day_field
from mesa_tui.domain.targets import OFFICE
from mesa_tui.screens.admin.base import (
    AdminForm,
    AdminPanel,
    active_text,
    admin_list,
    offered,
    tickets_moved,
)
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row


@dataclass(frozen=True)
class _Schedules:
    schedules: list[WorkSchedule]
    counts: dict[str, int]  # schedule code -> how many services count it
    users: dict[str, list[str]]  # schedule code -> codes of the services that chose it


class SchedulesPanel(AdminPanel[_Schedules]):
    TITLE = "los horarios"

    BINDINGS = [
        Binding("n", "new", "Nuevo", id="schedules.new", tooltip="Crear un horario con las horas de cada día"),
        Binding(
            "e,enter",
            "edit",
            "Editar",
            id="schedules.edit",
            tooltip="Cambiar el nombre o las horas del horario seleccionado (Oficina y 24x7 son fijos)",
        ),
        Binding(
            "d",
            "deactivate",
            "Desactivar",
            id="schedules.deactivate",
            tooltip="Desactivar el horario: no se puede asignar a servicios; los casos antiguos lo conservan",
        ),
        Binding("d", "activate", "Activar", id="schedules.activate", tooltip="Volver a ofrecer el horario"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data = _Schedules([], {}, {})

    def compose(self) -> ComposeResult:
        yield Static(
            "El ANS de cada servicio cuenta las horas de su horario (Oficina si no tiene otro), menos los "
            "festivos y los cierres de la entidad si el horario los descuenta. Los incidentes críticos corren "
            "siempre 24x7. Cambiar las horas recalcula los casos abiertos desde ese momento.",
            classes="admin-intro",
        )
        yield admin_list(
            (
                Column("code", "Código", 8),
                Column("name", "Nombre", share=2),
                Column("hours", "Horas", share=3),
                Column("holidays", "Festivos", 13),
                Column("services", "Servicios", 9),
                Column("active", "Estado", 8),
            ),
            id="schedules-table",
        )
        yield Static("", id="schedules-detail", classes="admin-detail")

    def fetch(self) -> _Schedules:
        schedules = self.admin.schedules(self.actor)
        own = self.admin.service_schedules(self.actor)
        services = len(self.admin.services(self.actor, include_inactive=True))
        counts = Counter(own.values())
        counts[OFFICE] = services - len(own)
        users: dict[str, list[str]] = {}
        for service, code in sorted(own.items()):
            users.setdefault(code, []).append(service)
        return _Schedules(schedules, dict(counts), users)

    def show_data(self, data: _Schedules, keep: str | None) -> None:
        self.data = data
        rows = []
        for s in data.schedules:
            holidays = "se descuentan" if s.holidays else "cuentan"
            name = Text(s.name, style="bold") if s.builtin else s.name
            cells = (s.code, name, s.summary, holidays, str(data.counts.get(s.code, 0)), active_text(s.active))
            rows.append(Row(s.code, cells, dim=not s.active))
        self.table.show_rows(rows, keep)
        self._show_detail()

    def current(self) -> WorkSchedule | None:
        key = self.table.current_key
        return next((s for s in self.data.schedules if s.code == key), None)

    @on(KeyedTable.RowHighlighted, "#schedules-table")
    def _show_detail(self) -> None:
        schedule = self.current()
        detail = self.query_one("#schedules-detail", Static)
        if schedule is None:
            detail.update("")
            return
        if schedule.code == OFFICE:
            who = "los servicios sin horario propio"
        else:
            who = ", ".join(self.data.users.get(schedule.code, [])) or "ningún servicio"
        fixed = "  ·  fijo: se edita creando otro" if schedule.builtin else ""
        detail.update(Text.assemble((schedule.name, "bold"), f"  ·  lo cuentan: {who}{fixed}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        schedule = self.current() if self.is_mounted else None
        if schedule is not None and schedule.builtin and action in ("edit", "deactivate", "activate"):
            return False
        return offered(action, schedule.active if schedule else None)

    def action_new(self) -> None:
        dialog = ScheduleDialog(
            "Nuevo horario",
            None,
            lambda v: self.admin.create_schedule(self.actor, v["name"], v["days"], v["holidays"]),
            confirm="Crear",
        )
        self.open_dialog(
            dialog, lambda r: f"Horario «{r.schedule.name}» creado ({r.schedule.code})", keep=lambda r: r.schedule.code
        )

    def action_edit(self) -> None:
        schedule = self.current()
        if schedule is None or schedule.builtin:
            return
        dialog = ScheduleDialog(
            f"Editar el horario «{schedule.name}»",
            schedule,
            lambda v: self.admin.update_schedule(self.actor, schedule.code, v["name"], v["days"], v["holidays"]),
            confirm="Guardar y recalcular",
        )
        self.open_dialog(
            dialog,
            lambda r: f"Horario «{r.schedule.name}» guardado: {tickets_moved(r.tickets_updated)}",
            keep=lambda r: r.schedule.code,
        )

    def action_deactivate(self) -> None:
        self._set_active(False)

    def action_activate(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        schedule = self.current()
        if schedule is None or schedule.builtin or schedule.active == active:
            return
        if active:
            title, confirm, question = (
                f"Activar «{schedule.name}»",
                "Activar",
                "Se puede volver a asignar a los servicios.",
            )
        else:
            title, confirm = f"Desactivar «{schedule.name}»", "Desactivar"
            question = (
                "No se podrá asignar a los servicios. Los casos que ya lo cuentan lo conservan. El horario no se borra."
            )
        dialog = ConfirmDialog(
            title,
            question,
            lambda v: self.admin.set_schedule_active(self.actor, schedule.code, active),
            confirm=confirm,
        )
        verb = "activado" if active else "desactivado"
        self.open_dialog(dialog, lambda s: f"Horario «{s.name}» {verb}", keep=lambda s: s.code)


class ScheduleDialog(AdminForm[ScheduleSaved]):
    """A schedule's name, one line of hours per weekday, and whether it closes on holidays."""

    def __init__(
        self,
        title: str,
        schedule: WorkSchedule | None,
        run: Callable[[dict[str, Any]], ScheduleSaved],
        confirm: str = "Guardar",
    ) -> None:
        super().__init__(
            title,
            run,
            confirm=confirm,
            intro="Horas de cada día como tramos HH:MM-HH:MM separados por comas, p. ej. "
            "08:00-12:00, 14:00-18:00; un día en blanco está cerrado.",
        )
        self.schedule = schedule

    def fields(self) -> ComposeResult:
        s = self.schedule
        days = s.day_texts if s else ("",) * 7
        yield FormField("Nombre", Input(s.name if s else "", id="input-name", compact=True, max_length=60), "name")
        for first in range(0, 7, 2):
            with Horizontal(classes="field-row"):
                for weekday in range(first, min(first + 2, 7)):
                    yield FormField(
                        WEEKDAY_NAMES[weekday].capitalize(),
                        Input(days[weekday], placeholder="cerrado", id=f"input-{day_field(weekday)}", compact=True),
                        day_field(weekday),
                    )
                if first == 6:
                    yield FormField(
                        "Festivos y cierres de la entidad",
                        Checkbox(
                            "No cuentan para el ANS",
                            s.holidays if s else True,
                            id="input-holidays",
                            compact=True,
                        ),
                        "holidays",
                    )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#input-name", Input).value,
            "days": [self.query_one(f"#input-{day_field(d)}", Input).value for d in range(7)],
            "holidays": self.query_one("#input-holidays", Checkbox).value,
        }


def schedule_options(schedules: list[WorkSchedule], current: str) -> list[tuple[str, str]]:
    """What a service may count: the active schedules, and the one it has even if inactive."""
    return [(s.name, s.code) for s in schedules if s.active or s.code == current]
