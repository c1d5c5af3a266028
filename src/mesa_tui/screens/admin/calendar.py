"""The office calendar (calendario): the year's public holidays as the SLA clocks see
them, and the entity's own closures, which the admin adds or removes. A closure
moves the due times of the open tickets that count that day, at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from mesa_tui.domain.closures import ClosureInfo, HolidayInfo
from mesa_tui.domain.dates import format_day, parse_day
from mesa_tui.domain.limits import CLOSURE_REASON
from mesa_tui.domain.policies import RecomputeResult
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, admin_list, tickets_moved
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import fmt_date, local
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row
from mesa_tui.widgets.limited import LimitedInput
from mesa_tui.widgets.plain import plain


@dataclass(frozen=True)
class _Year:
    year: int
    holidays: list[HolidayInfo]
    closures: list[ClosureInfo]


class CalendarPanel(AdminPanel[_Year]):
    TITLE = "el calendario"

    BINDINGS = [
        Binding(
            "n",
            "add",
            "Agregar cierre",
            id="calendar.add",
            tooltip="Cerrar la oficina un día hábil (decreto, traslado, evento)",
        ),
        Binding(
            "d", "remove", "Quitar cierre", id="calendar.remove", tooltip="Volver a abrir el día de cierre seleccionado"
        ),
        Binding(
            "left_square_bracket", "year(-1)", "Año anterior", id="calendar.prev_year", tooltip="Ver el año anterior"
        ),
        Binding(
            "right_square_bracket", "year(1)", "Año siguiente", id="calendar.next_year", tooltip="Ver el año siguiente"
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = local(self.ctx.now()).year
        self.closures: list[ClosureInfo] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="calendar-year", classes="admin-intro")
        with Horizontal(id="calendar-columns"):
            with Vertical(id="calendar-holidays"):
                yield Label("", id="holidays-title", classes="admin-subtitle")
                holidays = admin_list(
                    (Column("day", "Fecha", 15), Column("name", "Festivo", share=1)), id="holidays-table"
                )
                holidays.can_focus = False
                yield holidays
            with Vertical(id="calendar-closures"):
                yield Label("", id="closures-title", classes="admin-subtitle")
                yield admin_list(
                    (Column("day", "Fecha", 15), Column("reason", "Motivo", share=1)),
                    id="closures-table",
                )

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#closures-table", KeyedTable)

    def fetch(self) -> _Year:
        year = self.year
        closures = [c for c in self.admin.closures(self.actor) if c.day.year == year]
        return _Year(year, self.admin.holidays(self.actor, year), closures)

    def show_data(self, data: _Year, keep: str | None) -> None:
        if data.year != self.year:
            return  # the admin moved on to another year meanwhile
        self.closures = data.closures
        self.query_one("#calendar-year", Static).update(
            Text.assemble(
                ("Año ", "bold"),
                (str(data.year), "bold"),
                "   [ anterior · ] siguiente   ",
                (
                    "Los festivos y los cierres no cuentan como horario de atención para el ANS; "
                    "un cierre recalcula al instante los vencimientos de los casos abiertos.",
                    "dim",
                ),
            )
        )
        self.query_one("#holidays-title", Label).update(plain(f"Festivos de {data.year} ({len(data.holidays)})"))
        self.query_one("#closures-title", Label).update(
            plain(f"Cierres de la entidad en {data.year} ({len(data.closures)})")
        )
        self.query_one("#holidays-table", KeyedTable).show_rows(
            [Row(h.day.isoformat(), (fmt_date(h.day), h.name)) for h in data.holidays]
        )
        self.table.show_rows([Row(c.day.isoformat(), (fmt_date(c.day), c.reason)) for c in data.closures], keep)

    def current(self) -> ClosureInfo | None:
        key = self.table.current_key
        return next((c for c in self.closures if c.day.isoformat() == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return self.is_mounted and self.current() is not None
        return True

    def action_year(self, step: int) -> None:
        self.year += step
        self.reload()

    def action_add(self) -> None:
        dialog = ClosureDialog(lambda v: (v["day"], self.admin.add_closure(self.actor, v["day"], v["reason"])))

        def done(added: tuple[date, RecomputeResult]) -> str:
            day, result = added
            self.year = day.year
            return f"Cierre agregado el {format_day(day)}: {tickets_moved(result.tickets_updated)}"

        self.open_dialog(dialog, done, keep=lambda added: added[0].isoformat())

    def action_remove(self) -> None:
        closure = self.current()
        if closure is None:
            return
        dialog = ConfirmDialog(
            "Quitar el cierre",
            f"{format_day(closure.day)}: {closure.reason}\n\n"
            "La oficina vuelve a atender ese día y se recalculan los vencimientos de los casos abiertos; "
            "si es hoy, el ANS cuenta desde este momento.",
            lambda v: self.admin.remove_closure(self.actor, closure.day),
            confirm="Quitar cierre",
        )
        self.open_dialog(
            dialog, lambda r: f"Cierre del {format_day(closure.day)} quitado: {tickets_moved(r.tickets_updated)}"
        )


class ClosureDialog(AdminForm[tuple[date, RecomputeResult]]):
    """A day the office closes; the result is (the day, what it moved)."""

    def __init__(self, run: Callable[[dict[str, Any]], tuple[date, RecomputeResult]]) -> None:
        super().__init__(
            "Agregar un día de cierre",
            run,
            confirm="Agregar y recalcular",
            intro="Un día hábil en que la entidad no atiende (no hace falta agregar los festivos: ya se cuentan). "
            "El cierre cuenta desde el momento en que se agrega: si es hoy, el tiempo de ANS ya transcurrido "
            "hoy sigue contado, en los casos en curso y en los pausados.",
        )
        self.add_class("narrow-form")

    def fields(self) -> ComposeResult:
        yield FormField("Fecha", Input(placeholder="DD/MM/AAAA o AAAA-MM-DD", id="input-day", compact=True), "day")
        yield FormField(
            "Motivo",
            LimitedInput(
                placeholder="p. ej. Decreto 0123 de 2026: jornada compensatoria",
                id="input-reason",
                compact=True,
                limit=CLOSURE_REASON,
            ),
            "reason",
        )

    def values(self) -> dict[str, Any]:
        return {
            "day": parse_day(self.query_one("#input-day", Input).value),
            "reason": self.query_one("#input-reason", Input).value,
        }

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        if values["day"] is None:
            return {"day": "Escriba una fecha válida como DD/MM/AAAA o AAAA-MM-DD (p. ej. 24/12/2026)."}
        return {}
