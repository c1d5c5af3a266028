"""The dialogs of the ticket actions that ask for more than a yes or a reason:
escalate, assign, classify, resolve, comment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, Static, TextArea

from mesa_tui.domain import limits
from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.classification import Reclassification, classification_problem, reason_wanted
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.tickets import ActorInfo, TicketInfo
from mesa_tui.domain.vocab import NATURE_LABELS, TYPE_LABELS, SolutionMode
from mesa_tui.screens.dialogs import ActionDialog
from mesa_tui.services.errors import ValidationError
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import IMPACT_LABELS, URGENCY_LABELS, level_label, priority_text
from mesa_tui.widgets.limited import LimitedInput, LimitedTextArea
from mesa_tui.widgets.plain import plain_options

SCALE_OPTIONS_IMPACT = [(label, value) for value, label in IMPACT_LABELS.items()]
SCALE_OPTIONS_URGENCY = [(label, value) for value, label in URGENCY_LABELS.items()]

Run = Callable[[dict[str, Any]], TicketInfo]


class TicketLike(Protocol):
    """What the actions need of a ticket: a queue row, a board row or a full TicketInfo."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def subject(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def agent_id(self) -> int | None: ...
    @property
    def group_id(self) -> int | None: ...
    @property
    def level(self) -> int: ...
    @property
    def impact(self) -> int: ...
    @property
    def urgency(self) -> int: ...
    @property
    def nature(self) -> str | None: ...
    @property
    def type(self) -> str: ...
    @property
    def service_code(self) -> str: ...
    @property
    def priority(self) -> str: ...


def matrix_priority(matrix: dict[tuple[int, int], str], impact: object, urgency: object) -> str | None:
    """The priority the matrix gives the impact and urgency chosen (None while one is blank)."""
    if isinstance(impact, int) and isinstance(urgency, int):
        return matrix.get((impact, urgency))
    return None


def service_options(services: Sequence[CatalogEntry]) -> list[tuple[Text, str]]:
    return plain_options((f"{s.code} · {s.name}", s.code) for s in services)


class EscalateDialog(ActionDialog[TicketInfo]):
    def __init__(
        self,
        code: str,
        groups: Sequence[tuple[int, str, int]],
        current_group_id: int | None,
        current_level: int,
        run: Run,
    ) -> None:
        super().__init__(f"Escalar {code}", run, confirm="Escalar")
        self.groups = [g for g in groups if g[0] != current_group_id]
        higher = [g for g in self.groups if g[2] > current_level]
        self.default = higher[0][0] if higher else (self.groups[0][0] if self.groups else Select.NULL)

    def fields(self) -> ComposeResult:
        options = plain_options((f"{name} ({level_label(level)})", gid) for gid, name, level in self.groups)
        yield FormField(
            "Grupo que recibe el caso",
            Select(options, allow_blank=False, value=self.default, id="input-group", compact=True)
            if options
            else Static("No hay otros grupos activos."),
            "group",
        )
        yield FormField(
            "Motivo del escalamiento",
            LimitedInput(placeholder="Por qué lo escala", id="input-reason", limit=limits.REASON),
            "reason",
        )

    def values(self) -> dict[str, Any]:
        selects = self.query("#input-group").results(Select)
        group = next(iter(selects), None)
        value = group.value if group is not None else None
        return {
            "group": value if isinstance(value, int) else None,
            "reason": self.query_one("#input-reason", Input).value,
        }


class AssignDialog(ActionDialog[TicketInfo]):
    def __init__(
        self,
        code: str,
        agents: Sequence[ActorInfo],
        groups: Sequence[tuple[int, str, int]],
        current_agent_id: int | None,
        run: Run,
    ) -> None:
        super().__init__(f"Asignar {code}", run, confirm="Asignar")
        self.agents = [a for a in agents if a.active]
        self.groups = list(groups)
        self.current_agent_id = current_agent_id

    def fields(self) -> ComposeResult:
        names: dict[int | None, str] = {gid: name for gid, name, _ in self.groups}
        agent_options = plain_options(
            (f"{a.full_name} ({names.get(a.group_id, 'sin grupo')})", a.login)
            for a in self.agents
            if a.id != self.current_agent_id
        )
        yield FormField(
            "Agente",
            Select(agent_options, prompt="Sin agente: solo el grupo", id="input-agent", compact=True),
            "agent",
            hint="Vacío: el caso queda en el grupo, sin agente.",
        )
        yield FormField(
            "Grupo",
            Select(
                plain_options((f"{n} ({level_label(lv)})", gid) for gid, n, lv in self.groups),
                prompt="El grupo del agente",
                id="input-group",
                compact=True,
            ),
            "group",
        )
        yield FormField("Nota (opcional)", LimitedInput(id="input-note", limit=limits.REASON), "note")

    def values(self) -> dict[str, Any]:
        agent = self.query_one("#input-agent", Select).value
        group = self.query_one("#input-group", Select).value
        return {
            "agent": agent if isinstance(agent, str) else None,
            "group": group if isinstance(group, int) else None,
            "note": self.query_one("#input-note", Input).value,
        }


class ClassifyDialog(ActionDialog[TicketInfo]):
    """Impact, urgency, nature, type and service, with the resulting priority live;
    a reason appears when the change asks for one (domain.classification)."""

    def __init__(
        self,
        ticket: TicketLike,
        services: Sequence[CatalogEntry],
        matrix: dict[tuple[int, int], str],
        actor: ActorInfo,
        run: Run,
    ) -> None:
        super().__init__(f"Clasificar {ticket.code}", run, confirm="Clasificar")
        self.ticket = ticket
        self.services = services
        self.matrix = matrix
        self.actor = actor
        self.reason_wanted: str | None = None

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
                [(label, str(n)) for n, label in NATURE_LABELS.items()],
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
                [(label, str(ty)) for ty, label in TYPE_LABELS.items()],
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
        reason = FormField("Motivo del cambio", Input(id="input-reason"), "reason", hint=" ")
        reason.display = False
        yield reason

    def on_mount(self) -> None:
        self._preview()

    @on(Select.Changed, "#input-impact, #input-urgency, #input-type")
    def _preview(self) -> None:
        priority = matrix_priority(
            self.matrix, self.query_one("#input-impact", Select).value, self.query_one("#input-urgency", Select).value
        )
        self._ask_reason(priority)
        line = Text("Prioridad resultante: ")
        if priority is None:
            line.append("—")
        else:
            line.append_text(priority_text(priority))
            if priority != self.ticket.priority:
                line.append("  (cambia la prioridad y recalcula el ANS)", style="dim")
        self.query_one("#priority-preview", Static).update(line)

    def _ask_reason(self, priority: str | None) -> None:
        """Show the reason field when this change needs one from this agent (one
        they may not make at all is the service's to refuse)."""
        t, new_type = self.ticket, self.query_one("#input-type", Select).value
        change = Reclassification(
            t.agent_id,
            t.nature is not None,
            t.type,
            new_type if isinstance(new_type, str) else t.type,
            t.priority,
            priority or t.priority,
        )
        allowed = classification_problem(self.actor, change) is None
        self.reason_wanted = reason_wanted(self.actor, change) if allowed else None
        self._show_reason(self.reason_wanted)

    def _show_reason(self, why: str | None) -> None:
        field = self.query_one("#field-reason", FormField)
        field.display = why is not None
        field.query_one(".field-hint", Static).update(why or "")

    def values(self) -> dict[str, Any]:
        nature = self.query_one("#input-nature", Select).value
        shown = self.query_one("#field-reason", FormField).display
        return {
            "impact": self.query_one("#input-impact", Select).value,
            "urgency": self.query_one("#input-urgency", Select).value,
            "nature": nature if isinstance(nature, str) else "",
            "type": self.query_one("#input-type", Select).value,
            "service": self.query_one("#input-service", Select).value,
            "reason": self.query_one("#input-reason", Input).value if shown else "",
        }

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        problems = {} if values["nature"] else {"nature": "Elija la naturaleza del caso."}
        if self.reason_wanted and not values["reason"].strip():
            problems["reason"] = self.reason_wanted
        return problems

    def _failed(self, error: DeskError) -> None:
        if isinstance(error, ValidationError) and error.field == "reason":
            self._show_reason(error.message)  # the service knew better (the matrix changed meanwhile)
        super()._failed(error)


class ResolveDialog(ActionDialog[TicketInfo]):
    def __init__(self, code: str, run: Run) -> None:
        super().__init__(f"Resolver {code}", run, confirm="Resolver")

    def fields(self) -> ComposeResult:
        yield FormField(
            "Solución",
            LimitedTextArea(id="input-solution", tab_behavior="focus", limit=limits.SOLUTION),
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


class CommentDialog(ActionDialog[TicketInfo]):
    def __init__(self, code: str, run: Run) -> None:
        super().__init__(f"Comentar {code}", run, confirm="Agregar comentario")

    def fields(self) -> ComposeResult:
        yield FormField(
            "Comentario",
            LimitedTextArea(id="input-body", tab_behavior="focus", limit=limits.COMMENT),
            "body",
            hint="Ctrl+S para guardar.",
        )
        yield Checkbox("Público: se comunica al solicitante (cuenta como primera respuesta)", id="input-public")

    def values(self) -> dict[str, Any]:
        return {
            "body": self.query_one("#input-body", TextArea).text,
            "public": self.query_one("#input-public", Checkbox).value,
        }
