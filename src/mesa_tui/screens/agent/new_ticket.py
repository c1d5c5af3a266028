"""New ticket (nuevo caso): the catalog picker, the requester (picked from the directory
by typing, created there on the fly, or typed by hand), channel and type, impact and
urgency with the resulting priority shown as they change."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select, Static, TextArea

from mesa_tui.domain.contacts import contact_problem
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.limits import (
    DESCRIPTION,
    REQUESTER_CONTACT,
    REQUESTER_DEPENDENCY,
    REQUESTER_NAME,
    SUBJECT,
    too_long,
)
from mesa_tui.domain.requesters import DependencyInfo, RequesterInfo
from mesa_tui.domain.tickets import TicketInfo, text_problem
from mesa_tui.domain.vocab import CHANNEL_LABELS, LEGAL_DAY_CHOICES, PQRS_LEGAL_DAYS, TYPE_LABELS, TicketType
from mesa_tui.screens.agent.ticket_dialogs import SCALE_OPTIONS_IMPACT, SCALE_OPTIONS_URGENCY, matrix_priority
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.dialogs import Outcome
from mesa_tui.screens.loading import UNEXPECTED, Loader
from mesa_tui.screens.requesters.dialog import RequesterDialog, prefill
from mesa_tui.services.desk import NewTicket
from mesa_tui.services.errors import ValidationError
from mesa_tui.widgets.form import FormField, show_field_errors
from mesa_tui.widgets.format import fmt_dt, priority_text
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.limited import LimitedInput, LimitedTextArea
from mesa_tui.widgets.requester_picker import RequesterPicker
from mesa_tui.widgets.service_picker import ServicePicker

DISCARD_WINDOW_S = 3.0


def new_ticket(v: dict[str, Any]) -> NewTicket:
    """The use case's input from the form's values."""
    ticket_type = TicketType(v["type"])
    return NewTicket(
        requester_id=v["requester_id"],
        requester_name=v["requester_name"],
        requester_dependency=v["requester_dependency"],
        requester_contact=v["requester_contact"],
        channel=v["channel"],
        service_code=v["service"],
        type=ticket_type.value,
        subject=v["subject"],
        description=v["description"],
        impact=v["impact"],
        urgency=v["urgency"],
        legal_days=v["legal_days"] if ticket_type.is_pqrs else None,
    )


class NewTicketScreen(MesaScreen[TicketInfo | None]):
    """Dismisses with the logged TicketInfo, or None when the agent backs out."""

    HELP_TITLE = "Nuevo caso"

    BINDINGS = [
        Binding("ctrl+s", "save", "Registrar", id="form.save", tooltip="Registrar el caso"),
        Binding(
            "escape",
            "discard",
            "Cancelar",
            id="form.cancel",
            tooltip="Volver sin registrar (dos veces si ya escribió algo)",
        ),
    ]

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.busy = False
        self._discard_armed_at: float | None = None
        self._catalog: Loader[Reference] = Loader(self, "form-reference", self._catalog_failed)
        self._saver: Loader[TicketInfo] = Loader(self, "form-save", self._refused, unexpected=UNEXPECTED)
        self._directory: Loader[tuple[str, list[RequesterInfo]]] = Loader(self, "form-requesters", self._refused)
        self._directory_forms: Loader[tuple[list[DependencyInfo], str]] = Loader(self, "form-deps", self._refused)

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Nuevo caso", "bold"), f"  ·  registra {self.ctx.actor.full_name}"), id="topbar")
        with Horizontal(id="form-columns"):
            with Vertical(id="form-left"):
                yield FormField("Servicio del catálogo", ServicePicker(id="input-service"), "service")
                yield FormField("Asunto", LimitedInput(id="input-subject", compact=True, limit=SUBJECT), "subject")
                yield FormField(
                    "Descripción",
                    LimitedTextArea(id="input-description", tab_behavior="focus", limit=DESCRIPTION),
                    "description",
                )
            with Vertical(id="form-right"):
                yield FormField(
                    "Solicitante (directorio)",
                    RequesterPicker(id="input-requester_id"),
                    "requester_id",
                    hint="O escriba sus datos abajo: quedan en el directorio.",
                )
                yield FormField(
                    "Nombre del solicitante",
                    LimitedInput(id="input-requester_name", compact=True, limit=REQUESTER_NAME),
                    "requester_name",
                )
                yield FormField(
                    "Dependencia",
                    LimitedInput(id="input-requester_dependency", compact=True, limit=REQUESTER_DEPENDENCY),
                    "requester_dependency",
                )
                yield FormField(
                    "Correo o teléfono",
                    LimitedInput(id="input-requester_contact", compact=True, limit=REQUESTER_CONTACT),
                    "requester_contact",
                )
                with Horizontal(classes="field-row"):
                    yield FormField(
                        "Canal",
                        Select(
                            [(label, str(c)) for c, label in CHANNEL_LABELS.items()],
                            prompt="Elija el canal",
                            id="input-channel",
                            compact=True,
                        ),
                        "channel",
                    )
                    yield FormField(
                        "Tipo",
                        Select(
                            [(label, str(t)) for t, label in TYPE_LABELS.items()],
                            allow_blank=False,
                            value=TicketType.INCIDENTE.value,
                            id="input-type",
                            compact=True,
                        ),
                        "type",
                    )
                with Horizontal(classes="field-row"):
                    yield FormField(
                        "Impacto",
                        Select(SCALE_OPTIONS_IMPACT, allow_blank=False, value=2, id="input-impact", compact=True),
                        "impact",
                    )
                    yield FormField(
                        "Urgencia",
                        Select(SCALE_OPTIONS_URGENCY, allow_blank=False, value=2, id="input-urgency", compact=True),
                        "urgency",
                    )
                yield Static("", id="priority-preview")
                yield FormField(
                    "Plazo legal de la PQRS (días hábiles)",
                    Select(
                        [(f"{d} días hábiles", d) for d in LEGAL_DAY_CHOICES],
                        allow_blank=False,
                        value=PQRS_LEGAL_DAYS,
                        id="input-legal_days",
                        compact=True,
                    ),
                    "legal_days",
                    hint="Ley 1755 de 2015: 15 en general, 10 documentos e información, 30 consultas.",
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#field-legal_days").display = False
        self.query_one("#service-search", Input).focus()
        self._preview()
        if self.ctx.reference is not None:
            self._use_reference(self.ctx.reference)
        else:
            self._catalog.load(self.ctx.load_reference, self._use_reference)

    def _catalog_failed(self, error: DeskError) -> None:
        self._refused(DeskError(f"No se pudo leer el catálogo: {error.message}"))

    def _use_reference(self, ref: Reference) -> None:
        self.query_one(ServicePicker).set_services(ref.services)
        self._preview()

    # --- live parts -----------------------------------------------------------------

    @on(Select.Changed, "#input-impact, #input-urgency")
    def _preview(self) -> None:
        impact = self.query_one("#input-impact", Select).value
        urgency = self.query_one("#input-urgency", Select).value
        ref = self.ctx.reference
        line = Text("Prioridad resultante: ", style="bold")
        priority = matrix_priority(ref.matrix, impact, urgency) if ref else None
        line.append_text(priority_text(priority) if priority else Text("—"))
        self.query_one("#priority-preview", Static).update(line)

    @on(Select.Changed, "#input-type")
    def _type_changed(self, event: Select.Changed) -> None:
        is_pqrs = isinstance(event.value, str) and TicketType(event.value).is_pqrs
        self.query_one("#field-legal_days").display = is_pqrs

    @on(ServicePicker.Chosen)
    def _service_chosen(self) -> None:
        self.query_one("#field-service", FormField).set_error(None)
        self.query_one("#input-subject", Input).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    # --- the requester ---------------------------------------------------------------

    @on(RequesterPicker.Query)
    def _find_requesters(self, event: RequesterPicker.Query) -> None:
        picker, text = event.picker, event.text
        if picker.value is not None:
            picker.clear()  # typing again: the choice is undone
            self._show_typed_requester(True)
        people, actor = self.ctx.requesters, self.ctx.actor
        self._directory.load(lambda: (text, people.find(actor, text)), lambda r: picker.show_matches(*r))

    @on(RequesterPicker.Chosen)
    def _requester_chosen(self, event: RequesterPicker.Chosen) -> None:
        self.query_one("#field-requester_id", FormField).set_error(None)
        self._show_typed_requester(False)
        self.query_one("#input-channel", Select).focus()

    @on(RequesterPicker.NewWanted)
    def _new_requester(self, event: RequesterPicker.NewWanted) -> None:
        picker, people, actor = event.picker, self.ctx.requesters, self.ctx.actor

        def opened(ready: tuple[list[DependencyInfo], str]) -> None:
            deps, notice = ready
            dialog = RequesterDialog(
                "Nuevo solicitante",
                prefill(event.text),
                deps,
                notice,
                lambda v: people.create(actor, v["requester"]),
                confirm="Crear",
            )
            self.app.push_screen(dialog, lambda outcome: _created(outcome))

        def _created(outcome: Outcome[RequesterInfo] | None) -> None:
            if outcome is None:
                return
            if outcome.error is not None:
                self._refused(outcome.error)
                return
            picker.choose(outcome.info)

        self._directory_forms.load(lambda: (people.dependencies(actor), people.notice_version(actor)), opened)

    def _show_typed_requester(self, show: bool) -> None:
        for name in ("requester_name", "requester_dependency", "requester_contact"):
            self.query_one(f"#field-{name}").display = show

    # --- saving ----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        def value(selector: str) -> Any:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL else v

        service = self.query_one(ServicePicker).value
        requester = self.query_one(RequesterPicker).value
        return {
            "requester_id": requester.id if requester else None,
            "service": service.code if service else "",
            "subject": self.query_one("#input-subject", Input).value,
            "description": self.query_one("#input-description", TextArea).text,
            "requester_name": self.query_one("#input-requester_name", Input).value,
            "requester_dependency": self.query_one("#input-requester_dependency", Input).value,
            "requester_contact": self.query_one("#input-requester_contact", Input).value,
            "channel": value("#input-channel"),
            "type": value("#input-type"),
            "impact": value("#input-impact"),
            "urgency": value("#input-urgency"),
            "legal_days": value("#input-legal_days"),
        }

    @staticmethod
    def problems(v: dict[str, Any]) -> dict[str, str]:
        """Everything wrong with the form at once (the service checks again)."""
        problems: dict[str, str] = {}
        if not v["service"]:
            problems["service"] = "Elija un servicio del catálogo: escriba y pulse Enter."
        checks = [("subject", text_problem(v["subject"], "El asunto", SUBJECT))]
        if v["requester_id"] is None:
            checks += [
                ("requester_name", text_problem(v["requester_name"], "El nombre del solicitante", REQUESTER_NAME)),
                ("requester_dependency", too_long(v["requester_dependency"], "La dependencia", REQUESTER_DEPENDENCY)),
                ("requester_contact", contact_problem(v["requester_contact"] or "")),
            ]
        problems.update({name: message for name, message in checks if message})
        if not v["channel"]:
            problems["channel"] = "Elija el canal por el que llegó el caso."
        return problems

    def action_save(self) -> None:
        if self.busy:
            return
        values = self.values()
        problems = self.problems(values)
        show_field_errors(self, problems)
        if problems:
            self.notify("Revise los campos marcados.", severity="warning", timeout=4, markup=False)
            self._focus_field(next(iter(problems)))
            return
        self.busy = True
        desk, actor = self.ctx.desk, self.ctx.actor
        self._saver.load(lambda: desk.log(actor, new_ticket(values)), self._logged)

    def _logged(self, info: TicketInfo) -> None:
        self.notify(
            f"{info.code} registrado con prioridad {info.priority}: la respuesta vence {fmt_dt(info.tto_due_at)}",
            title="Caso registrado",
            markup=False,
        )
        self.dismiss(info)

    def _refused(self, error: DeskError) -> None:
        self.busy = False
        if isinstance(error, ValidationError) and show_field_errors(self, {error.field: error.message}):
            self._focus_field(error.field)
            return
        self.notify(error.message, title="No se registró el caso", severity="error", timeout=8, markup=False)

    def _focus_field(self, name: str) -> None:
        if name == "service":
            self.query_one("#service-search", Input).focus()
            return
        if name == "requester_id":
            self.query_one("#requester-search", Input).focus()
            return
        for widget in self.query(f"#field-{name} > *"):
            if widget.focusable:
                widget.focus()
                return

    def _dirty(self) -> bool:
        v = self.values()
        v["service"] += self.query_one("#service-search", Input).value
        v["subject"] += self.query_one("#requester-search", Input).value
        return any(
            v[k].strip()
            for k in (
                "service",
                "subject",
                "description",
                "requester_name",
                "requester_dependency",
                "requester_contact",
            )
        )

    def action_discard(self) -> None:
        now = time.monotonic()
        if not self._dirty() or (self._discard_armed_at and now - self._discard_armed_at < DISCARD_WINDOW_S):
            self.dismiss(None)
            return
        self._discard_armed_at = now
        self.notify(
            "Pulse Esc otra vez para descartar lo escrito.", severity="warning", timeout=DISCARD_WINDOW_S, markup=False
        )
