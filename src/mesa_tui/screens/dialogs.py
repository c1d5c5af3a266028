"""Dialogs for the ticket actions, and the queue's filter and sort pickers.

An action dialog is handed the use case to run (`run(values) -> TicketInfo`)
and runs it itself, in a thread worker: a validation refusal then shows next
to the field it is about and the dialog stays open with what was typed; any
other refusal (permission, transition, conflict) closes the dialog and goes
back to the screen, which says so and reloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.queue import SORT_LABELS, QueueQuery, SortKey
from mesa_tui.domain.tickets import ActorInfo, TicketInfo
from mesa_tui.domain.vocab import (
    NATURE_LABELS,
    OPEN_STATUSES,
    PRIORITY_ORDER,
    STATUS_LABELS,
    TYPE_LABELS,
    Priority,
    SolutionMode,
    Status,
)
from mesa_tui.services.errors import ServiceError, ValidationError
from mesa_tui.widgets.form import FormField, show_field_errors
from mesa_tui.widgets.format import IMPACT_LABELS, URGENCY_LABELS, level_label, priority_text

SCALE_OPTIONS_IMPACT = [(label, value) for value, label in IMPACT_LABELS.items()]
SCALE_OPTIONS_URGENCY = [(label, value) for value, label in URGENCY_LABELS.items()]


def service_options(services: Sequence[CatalogEntry]) -> list[tuple[str, str]]:
    return [(f"{s.code} · {s.name}", s.code) for s in services]


@dataclass(frozen=True)
class Outcome:
    """How an action dialog ended: the ticket after the change, or the refusal."""

    info: TicketInfo | None = None
    error: ServiceError | None = None


class ActionDialog(ModalScreen[Outcome | None]):
    """Base of the action dialogs: fields, a confirm button, Esc to back out."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="dialog.cancel", tooltip="Cerrar el diálogo sin cambiar nada"),
        Binding("ctrl+s", "submit", "Confirmar", id="dialog.submit", tooltip="Confirmar y ejecutar la acción"),
    ]

    class Succeeded(Message):
        def __init__(self, info: TicketInfo) -> None:
            super().__init__()
            self.info = info

    class Failed(Message):
        def __init__(self, error: ServiceError) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self, title: str, run: Callable[[dict[str, Any]], TicketInfo], confirm: str = "Confirmar", intro: str = ""
    ):
        super().__init__()
        self.title_text = title
        self.run = run
        self.confirm = confirm
        self.intro = intro
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            if self.intro:
                yield Static(self.intro, id="dialog-intro")
            yield from self.fields()
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.confirm, variant="primary", id="submit")
                yield Button("Cancelar", id="cancel")
        # A dialog lives seconds: Textual's Footer is fine here (long-lived screens use KeyBar).
        yield Footer(compact=True)

    def fields(self) -> ComposeResult:
        yield from ()

    def values(self) -> dict[str, Any]:
        return {}

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        """Input the dialog can refuse before asking the service (field -> message)."""
        return {}

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.action_submit()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_submit(self) -> None:
        if self.busy:
            return
        self._general_error(None)
        values = self.values()
        problems = self.problems(values)
        show_field_errors(self, problems)
        if problems:
            self._focus_field(next(iter(problems)))
            return
        self.busy = True
        self.add_class("-busy")
        self._execute(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dialog")
    def _execute(self, values: dict[str, Any]) -> None:
        try:
            info = self.run(values)
        except ServiceError as exc:
            self.post_message(self.Failed(exc))
        except Exception as exc:  # a bug or a broken database: say so, never crash
            self.log.error(f"action failed: {exc!r}")
            self.post_message(self.Failed(ServiceError(f"Error inesperado: {exc}")))
        else:
            self.post_message(self.Succeeded(info))

    @on(Succeeded)
    def _succeeded(self, message: Succeeded) -> None:
        self.dismiss(Outcome(info=message.info))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.busy = False
        self.remove_class("-busy")
        error = message.error
        if isinstance(error, ValidationError):
            if show_field_errors(self, {error.field: error.message}):
                self._focus_field(error.field)
            else:
                self._general_error(error.message)
            return
        self.dismiss(Outcome(error=error))

    def _general_error(self, message: str | None) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(message or "")
        error.set_class(bool(message), "-shown")

    def _focus_field(self, name: str) -> None:
        for widget in self.query(f"#field-{name} > *"):
            if widget.focusable:
                widget.focus()
                return


class ConfirmDialog(ActionDialog):
    """A yes/no question for the actions that need no input."""

    def __init__(
        self, title: str, question: str, run: Callable[[dict[str, Any]], TicketInfo], confirm: str = "Sí, confirmar"
    ):
        super().__init__(title, run, confirm=confirm, intro=question)


class ReasonDialog(ActionDialog):
    """One line of text: the reason of a wait, a reopening, a cancellation."""

    def __init__(
        self,
        title: str,
        label: str,
        run: Callable[[dict[str, Any]], TicketInfo],
        field: str = "reason",
        placeholder: str = "",
        confirm: str = "Confirmar",
        intro: str = "",
    ):
        super().__init__(title, run, confirm=confirm, intro=intro)
        self.label = label
        self.field = field
        self.placeholder = placeholder

    def fields(self) -> ComposeResult:
        yield FormField(self.label, Input(placeholder=self.placeholder, id=f"input-{self.field}"), self.field)

    def values(self) -> dict[str, Any]:
        return {self.field: self.query_one(f"#input-{self.field}", Input).value}


class EscalateDialog(ActionDialog):
    def __init__(
        self,
        code: str,
        groups: Sequence[tuple[int, str, int]],
        current_group_id: int | None,
        current_level: int,
        run: Callable[[dict[str, Any]], TicketInfo],
    ):
        super().__init__(f"Escalar {code}", run, confirm="Escalar")
        self.groups = [g for g in groups if g[0] != current_group_id]
        higher = [g for g in self.groups if g[2] > current_level]
        self.default = higher[0][0] if higher else (self.groups[0][0] if self.groups else Select.NULL)

    def fields(self) -> ComposeResult:
        options = [(f"{name} ({level_label(level)})", gid) for gid, name, level in self.groups]
        yield FormField(
            "Grupo que recibe el caso",
            Select(options, allow_blank=False, value=self.default, id="input-group", compact=True)
            if options
            else Static("No hay otros grupos activos."),
            "group",
        )
        yield FormField("Motivo del escalamiento", Input(placeholder="Por qué lo escala", id="input-reason"), "reason")

    def values(self) -> dict[str, Any]:
        selects = self.query("#input-group").results(Select)
        group = next(iter(selects), None)
        value = group.value if group is not None else None
        return {
            "group": value if isinstance(value, int) else None,
            "reason": self.query_one("#input-reason", Input).value,
        }


class AssignDialog(ActionDialog):
    def __init__(
        self,
        code: str,
        agents: Sequence[ActorInfo],
        groups: Sequence[tuple[int, str, int]],
        current_agent_id: int | None,
        run: Callable[[dict[str, Any]], TicketInfo],
    ):
        super().__init__(f"Asignar {code}", run, confirm="Asignar")
        self.agents = [a for a in agents if a.active]
        self.groups = list(groups)
        self.current_agent_id = current_agent_id

    def fields(self) -> ComposeResult:
        names = {gid: name for gid, name, _ in self.groups}
        agent_options = [
            (f"{a.full_name} ({names.get(a.group_id, 'sin grupo')})", a.login)
            for a in self.agents
            if a.id != self.current_agent_id
        ]
        yield FormField(
            "Agente",
            Select(agent_options, prompt="Sin agente: solo el grupo", id="input-agent", compact=True),
            "agent",
            hint="Vacío: el caso queda en el grupo, sin agente.",
        )
        yield FormField(
            "Grupo",
            Select(
                [(f"{n} ({level_label(lv)})", gid) for gid, n, lv in self.groups],
                prompt="El grupo del agente",
                id="input-group",
                compact=True,
            ),
            "group",
        )
        yield FormField("Nota (opcional)", Input(id="input-note"), "note")

    def values(self) -> dict[str, Any]:
        agent = self.query_one("#input-agent", Select).value
        group = self.query_one("#input-group", Select).value
        return {
            "agent": agent if isinstance(agent, str) else None,
            "group": group if isinstance(group, int) else None,
            "note": self.query_one("#input-note", Input).value,
        }


class ClassifyDialog(ActionDialog):
    """Impact, urgency, nature, type and service, with the resulting priority live."""

    def __init__(
        self,
        ticket: Any,
        services: Sequence[CatalogEntry],
        matrix: dict[tuple[int, int], str],
        run: Callable[[dict[str, Any]], TicketInfo],
    ):
        super().__init__(f"Clasificar {ticket.code}", run, confirm="Clasificar")
        self.ticket = ticket
        self.services = services
        self.matrix = matrix

    def fields(self) -> ComposeResult:
        t = self.ticket
        with Horizontal(classes="field-row"):
            yield FormField(
                "Impacto",
                Select(SCALE_OPTIONS_IMPACT, allow_blank=False, value=t.impact, id="input-impact", compact=True),
                "impact",
            )
            yield FormField(
                "Urgencia",
                Select(SCALE_OPTIONS_URGENCY, allow_blank=False, value=t.urgency, id="input-urgency", compact=True),
                "urgency",
            )
        yield Static(id="priority-preview")
        yield FormField(
            "Naturaleza",
            Select(
                [(label, n.value) for n, label in NATURE_LABELS.items()],
                prompt="Elija la naturaleza",
                value=t.nature or Select.NULL,
                id="input-nature",
                compact=True,
            ),
            "nature",
        )
        yield FormField(
            "Tipo",
            Select(
                [(label, ty.value) for ty, label in TYPE_LABELS.items()],
                allow_blank=False,
                value=t.type,
                id="input-type",
                compact=True,
            ),
            "type",
        )
        yield FormField(
            "Servicio",
            Select(
                service_options(self.services),
                allow_blank=False,
                value=t.service_code,
                id="input-service",
                compact=True,
            ),
            "service",
        )

    def on_mount(self) -> None:
        self._preview()

    @on(Select.Changed, "#input-impact, #input-urgency")
    def _preview(self) -> None:
        impact = self.query_one("#input-impact", Select).value
        urgency = self.query_one("#input-urgency", Select).value
        priority = self.matrix.get((impact, urgency))
        line = Text("Prioridad resultante: ")
        if priority is None:
            line.append("—")
        else:
            line.append_text(priority_text(priority))
            if priority != self.ticket.priority:
                line.append("  (cambia la prioridad y recalcula el ANS)", style="dim")
        self.query_one("#priority-preview", Static).update(line)

    def values(self) -> dict[str, Any]:
        nature = self.query_one("#input-nature", Select).value
        return {
            "impact": self.query_one("#input-impact", Select).value,
            "urgency": self.query_one("#input-urgency", Select).value,
            "nature": nature if isinstance(nature, str) else "",
            "type": self.query_one("#input-type", Select).value,
            "service": self.query_one("#input-service", Select).value,
        }

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        return {} if values["nature"] else {"nature": "Elija la naturaleza del caso."}


class ResolveDialog(ActionDialog):
    def __init__(self, code: str, run: Callable[[dict[str, Any]], TicketInfo]):
        super().__init__(f"Resolver {code}", run, confirm="Resolver")

    def fields(self) -> ComposeResult:
        yield FormField(
            "Solución",
            TextArea(id="input-solution", tab_behavior="focus"),
            "solution",
            hint="Qué se hizo. Ctrl+S para confirmar.",
        )
        modes = RadioSet(
            RadioButton(f"{SolutionMode.REMOTO.label} (soporte remoto)", id="mode-remoto"),
            RadioButton(SolutionMode.EN_SITIO.label, id="mode-en_sitio"),
            id="input-mode",
        )
        yield FormField("Forma de solución", modes, "mode")

    def values(self) -> dict[str, Any]:
        pressed = self.query_one("#input-mode", RadioSet).pressed_button
        mode = pressed.id.removeprefix("mode-") if pressed is not None and pressed.id else ""
        return {"solution": self.query_one("#input-solution", TextArea).text, "mode": mode}


class CommentDialog(ActionDialog):
    def __init__(self, code: str, run: Callable[[dict[str, Any]], TicketInfo]):
        super().__init__(f"Comentar {code}", run, confirm="Agregar comentario")

    def fields(self) -> ComposeResult:
        yield FormField(
            "Comentario", TextArea(id="input-body", tab_behavior="focus"), "body", hint="Ctrl+S para guardar."
        )
        yield Checkbox("Público: se comunica al solicitante (cuenta como primera respuesta)", id="input-public")

    def values(self) -> dict[str, Any]:
        return {
            "body": self.query_one("#input-body", TextArea).text,
            "public": self.query_one("#input-public", Checkbox).value,
        }


# --- queue pickers -------------------------------------------------------------


class FilterDialog(ModalScreen[QueueQuery | None]):
    """Status, priority, service and level filters (the text filter is `/`)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="filters.cancel", tooltip="Cerrar sin cambiar los filtros"),
        Binding("ctrl+s", "apply", "Aplicar", id="filters.apply", tooltip="Aplicar los filtros a la cola"),
        Binding("ctrl+l", "clear", "Limpiar", id="filters.clear", tooltip="Quitar todos los filtros"),
    ]

    def __init__(self, query: QueueQuery, services: Sequence[CatalogEntry]):
        super().__init__()
        self.query_value = query
        self.services = services

    def compose(self) -> ComposeResult:
        q = self.query_value
        with Vertical(id="dialog"):
            yield Label("Filtros de la cola", id="dialog-title")
            yield FormField("Texto (código, asunto o solicitante)", Input(q.text, id="filter-text"), "text")
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
        def value(selector: str):
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

    def __init__(self, current: SortKey):
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
        self.dismiss(SortKey(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, with what it does."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Cerrar", id="help.close", tooltip="Cerrar la ayuda"),
    ]

    def __init__(self, title: str, rows: Sequence[tuple[str, str, str, str]]):
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Tecla", style="bold cyan", no_wrap=True)
        table.add_column("Acción", no_wrap=True)
        table.add_column("Detalle", style="dim", ratio=1)
        table.add_column("Id", style="dim italic", no_wrap=True)
        for key, description, tooltip, ident in self.rows:
            table.add_row(key, description, tooltip, ident)
        with Vertical(id="dialog", classes="wide"):
            yield Label(f"Ayuda · {self.title_text}", id="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(table)
            yield Static(
                Text('Para cambiar una tecla: ~/.config/mesa-tui/keys.toml con [keys] y una línea id = "tecla".'),
                classes="field-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
