"""The queue's pickers: the filters (status, priority, service, level) and the sort column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.limits import SEARCH
from mesa_tui.domain.queue import SORT_LABELS, QueueQuery, SortKey
from mesa_tui.domain.vocab import OPEN_STATUSES, PRIORITY_ORDER, STATUS_LABELS, Priority, Status
from mesa_tui.screens.agent.ticket_dialogs import service_options
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import level_label
from mesa_tui.widgets.limited import LimitedInput


class FilterDialog(ModalScreen[QueueQuery | None]):
    """Status, priority, service and level filters (the text filter is `/`)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="filters.cancel", tooltip="Cerrar sin cambiar los filtros"),
        Binding("ctrl+s", "apply", "Aplicar", id="filters.apply", tooltip="Aplicar los filtros a la cola"),
        Binding("ctrl+l", "clear", "Limpiar", id="filters.clear", tooltip="Quitar todos los filtros"),
    ]

    def __init__(self, query: QueueQuery, services: Sequence[CatalogEntry]) -> None:
        super().__init__()
        self.query_value = query
        self.services = services

    def compose(self) -> ComposeResult:
        q = self.query_value
        with Vertical(id="dialog"):
            yield Label("Filtros de la cola", id="dialog-title")
            yield FormField(
                "Texto (código, asunto o solicitante)", LimitedInput(q.text, id="filter-text", limit=SEARCH), "text"
            )
            statuses = [(f"{STATUS_LABELS[s]}", s.value) for s in Status]
            yield FormField(
                "Estado",
                Select(
                    statuses,
                    prompt="Todos los abiertos",
                    value=q.status.value if q.status else Select.NULL,
                    id="filter-status",
                    compact=True,
                ),
                "status",
                hint=f"Sin estado: {', '.join(STATUS_LABELS[s].lower() for s in OPEN_STATUSES)}.",
            )
            yield FormField(
                "Prioridad",
                Select(
                    [(p.label, p.value) for p in PRIORITY_ORDER],
                    prompt="Todas",
                    value=q.priority.value if q.priority else Select.NULL,
                    id="filter-priority",
                    compact=True,
                ),
                "priority",
            )
            yield FormField(
                "Servicio",
                Select(
                    service_options(self.services),
                    prompt="Todos",
                    value=q.service_code or Select.NULL,
                    id="filter-service",
                    compact=True,
                ),
                "service",
            )
            yield FormField(
                "Nivel",
                Select(
                    [(level_label(n), n) for n in (1, 2, 3)],
                    prompt="Todos",
                    value=q.level or Select.NULL,
                    id="filter-level",
                    compact=True,
                ),
                "level",
            )
            with Horizontal(id="dialog-buttons"):
                yield Button("Aplicar", variant="primary", id="apply")
                yield Button("Limpiar", id="clear")
                yield Button("Cancelar", id="cancel")
        yield Footer(compact=True)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        def value(selector: str) -> Any:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL else v

        status, priority = value("#filter-status"), value("#filter-priority")
        self.dismiss(
            self.query_value.with_(
                text=self.query_one("#filter-text", Input).value.strip(),
                status=Status(status) if status else None,
                priority=Priority(priority) if priority else None,
                service_code=value("#filter-service"),
                level=value("#filter-level"),
            )
        )

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        self.dismiss(self.query_value.cleared())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SortDialog(ModalScreen[SortKey | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="sort.cancel", tooltip="Cerrar sin cambiar el orden"),
    ]

    def __init__(self, current: SortKey) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="narrow"):
            yield Label("Ordenar la cola por", id="dialog-title")
            options = [
                Option(("● " if key is self.current else "  ") + label, id=key.value)
                for key, label in SORT_LABELS.items()
            ]
            yield OptionList(*options, id="sort-options")
            yield Static("Enter elige · S invierte el sentido en la cola", classes="field-hint")

    def on_mount(self) -> None:
        options = self.query_one("#sort-options", OptionList)
        options.highlighted = list(SortKey).index(self.current)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(SortKey(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
