"""The priority matrix (matriz de prioridad): impact x urgency -> priority, one cell
at a time. It applies to classifications made from then on; open tickets keep theirs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.vocab import PRIORITY_ORDER, Priority
from mesa_tui.screens.admin.base import AdminForm, AdminPanel
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import IMPACT_LABELS, URGENCY_LABELS, priority_text
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row

Matrix = dict[tuple[int, int], str]


class MatrixTable(KeyedTable):
    """The 3x3 grid: the cursor moves over cells (and up and down like the admin lists)."""

    BINDINGS = [
        Binding(
            "l,right", "cursor_right", "Derecha", show=False, id="matrix.right", tooltip="Ir a la celda de la derecha"
        ),
        Binding(
            "h,left", "cursor_left", "Izquierda", show=False, id="matrix.left", tooltip="Ir a la celda de la izquierda"
        ),
    ]


class MatrixPanel(AdminPanel[Matrix]):
    TITLE = "la matriz de prioridad"

    BINDINGS = [
        Binding(
            "e,enter",
            "edit",
            "Cambiar prioridad",
            id="matrix.edit",
            tooltip="Cambiar la prioridad de la celda seleccionada",
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix: Matrix = {}

    def compose(self) -> ComposeResult:
        yield Static(
            "Filas: impacto (a cuántos y a qué afecta). Columnas: urgencia (qué tan pronto se necesita). "
            "El cambio se aplica a los casos que se clasifiquen desde ahora; los casos abiertos conservan su prioridad.",
            classes="admin-intro",
        )
        yield MatrixTable(
            tuple(Column(f"u{u}", f"Urgencia {URGENCY_LABELS[u]}", 20) for u in LEVELS),
            moves="admin",
            min_flex=8,
            cursor_type="cell",
            id="matrix-table",
        )

    def fetch(self) -> Matrix:
        return self.admin.matrix(self.actor)

    def show_data(self, data: Matrix, keep: str | None) -> None:
        self.matrix = data
        rows = [
            Row(
                str(i),
                tuple(priority_text(data[(i, u)]) if (i, u) in data else Text("—") for u in LEVELS),
                label=Text(f"Impacto {IMPACT_LABELS[i]}", style="bold"),
            )
            for i in LEVELS
        ]
        table = self.table
        cell = table.cursor_coordinate
        table.show_rows(rows)
        table.move_cursor(row=cell.row, column=cell.column, animate=False)

    def current(self) -> tuple[int, int] | None:
        table = self.table
        if not self.matrix or table.row_count == 0:
            return None
        cell = table.cursor_coordinate
        return LEVELS[cell.row], LEVELS[cell.column]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return self.is_mounted and self.current() is not None
        return True

    def action_edit(self) -> None:
        cell = self.current()
        if cell is None:
            return
        impact, urgency = cell

        def save(v: dict[str, Any]) -> str:
            self.admin.set_priority(self.actor, impact, urgency, v["priority"])
            return str(v["priority"])

        self.open_dialog(
            PriorityDialog(impact, urgency, self.matrix.get(cell), save),
            lambda priority: (
                f"Impacto {impact} × urgencia {urgency}: prioridad {Priority(priority).label.lower()} "
                "para los casos que se clasifiquen desde ahora"
            ),
        )


class PriorityDialog(AdminForm[str]):
    """Pick the priority of one cell: arrows and Enter; the result is the priority saved."""

    def __init__(self, impact: int, urgency: int, current: str | None, run: Callable[[dict[str, Any]], str]) -> None:
        super().__init__(
            f"Impacto {IMPACT_LABELS[impact]} × urgencia {URGENCY_LABELS[urgency]}",
            run,
            confirm="Guardar",
            intro="Los casos abiertos conservan su prioridad: el cambio se aplica a las clasificaciones que vienen.",
        )
        self.add_class("narrow-form")
        self.current = current
        self.chosen = current

    def fields(self) -> ComposeResult:
        options = [
            Option(Text.assemble(priority_text(p.value), "  (actual)" if p.value == self.current else ""), id=p.value)
            for p in PRIORITY_ORDER
        ]
        yield FormField("Prioridad", OptionList(*options, id="input-priority"), "priority")

    def on_mount(self) -> None:
        options = self.query_one("#input-priority", OptionList)
        values = [p.value for p in PRIORITY_ORDER]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected, "#input-priority")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def values(self) -> dict[str, Any]:
        options = self.query_one("#input-priority", OptionList)
        index = options.highlighted
        self.chosen = PRIORITY_ORDER[index].value if index is not None else self.current
        return {"priority": self.chosen}
