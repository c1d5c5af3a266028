"""The requester form: create one (from the new-ticket screen or the administration),
edit one, or correct one at the person's request (with its reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select

from mesa_tui.domain.limits import REASON
from mesa_tui.domain.requesters import (
    DOCUMENT_MAX,
    EMAIL_MAX,
    EXTENSION_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    POSITION_MAX,
    DependencyInfo,
    DocumentType,
    RequesterInfo,
    RequesterInput,
)
from mesa_tui.screens.dialogs import ActionDialog
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.limited import LimitedInput
from mesa_tui.widgets.plain import plain_options

NO_DEPENDENCY = 0
NO_DOCUMENT = ""


def prefill(text: str) -> RequesterInput:
    """What the text typed in the picker most likely is: an e-mail, a document or a name."""
    text = text.strip()
    if "@" in text:
        return RequesterInput(name="", email=text)
    if text.replace(".", "").replace(" ", "").isdigit():
        return RequesterInput(name="", document_type=DocumentType.CC.value, document_number=text)
    return RequesterInput(name=text)


class RequesterDialog(ActionDialog[RequesterInfo]):
    """Dismisses with the saved requester. `reason` asks for the reason of a correction."""

    def __init__(
        self,
        title: str,
        start: RequesterInput | RequesterInfo | None,
        dependencies: list[DependencyInfo],
        notice_version: str,
        run: Callable[[dict[str, Any]], RequesterInfo],
        confirm: str = "Guardar",
        reason: bool = False,
        intro: str = "",
    ) -> None:
        super().__init__(title, run, confirm=confirm, intro=intro)
        self.add_class("admin-form")
        self.start = start
        self.dependencies = dependencies
        self.notice_version = notice_version
        self.ask_reason = reason

    def fields(self) -> ComposeResult:
        r = self.start

        def text(name: str) -> str:
            return str(getattr(r, name, None) or "") if r is not None else ""

        def box(name: str, limit: int, placeholder: str = "") -> LimitedInput:
            return LimitedInput(text(name), placeholder=placeholder, id=f"input-{name}", compact=True, limit=limit)

        current_dep = getattr(r, "dependency_id", None) if r is not None else None
        deps = [d for d in self.dependencies if d.active or d.id == current_dep]
        yield FormField("Nombre completo", box("name", NAME_MAX, "p. ej. Ana Díaz Julio"), "name")
        with Horizontal(classes="field-row"):
            yield FormField(
                "Tipo de documento",
                Select(
                    [("Sin documento", NO_DOCUMENT), *((f"{t.value} · {t.label}", t.value) for t in DocumentType)],
                    allow_blank=False,
                    value=text("document_type") or NO_DOCUMENT,
                    id="input-document_type",
                    compact=True,
                ),
                "document_type",
            )
            yield FormField("Número de documento", box("document_number", DOCUMENT_MAX), "document_number")
        yield FormField(
            "Dependencia",
            Select(
                plain_options([("Sin dependencia", NO_DEPENDENCY), *((d.name, d.id) for d in deps)]),
                allow_blank=False,
                value=current_dep or NO_DEPENDENCY,
                id="input-dependency_id",
                compact=True,
            ),
            "dependency_id",
        )
        with Horizontal(classes="field-row"):
            yield FormField("Correo electrónico", box("email", EMAIL_MAX, "p. ej. adiaz@entidad.gov.co"), "email")
            yield FormField("Teléfono", box("phone", PHONE_MAX), "phone")
            yield FormField("Extensión", box("extension", EXTENSION_MAX), "extension")
        with Horizontal(classes="field-row"):
            yield FormField("Cargo", box("position", POSITION_MAX), "position")
            yield FormField(
                "VIP",
                Checkbox("Atención preferente", bool(getattr(r, "vip", False)), id="input-vip", compact=True),
                "vip",
            )
        yield FormField("Notas", box("notes", NOTES_MAX), "notes")
        shown = getattr(r, "privacy_notice_version", None) if r is not None else None
        yield FormField(
            "Aviso de privacidad (Ley 1581 de 2012)",
            Checkbox(
                f"Se informó a la persona el aviso de privacidad, versión {self.notice_version}",
                shown == self.notice_version,
                id="input-privacy_notice_version",
                compact=True,
            ),
            "privacy_notice_version",
            hint=f"Ya informado: versión {shown}." if shown else "",
        )
        if self.ask_reason:
            yield FormField(
                "Motivo de la corrección",
                LimitedInput(
                    placeholder="p. ej. solicitud de la titular del …", id="input-reason", compact=True, limit=REASON
                ),
                "reason",
            )

    def values(self) -> dict[str, Any]:
        def value(name: str) -> str:
            return self.query_one(f"#input-{name}", Input).value

        dep = self.query_one("#input-dependency_id", Select).value
        doc = self.query_one("#input-document_type", Select).value
        notice = self.query_one("#input-privacy_notice_version", Checkbox).value
        return {
            "requester": RequesterInput(
                name=value("name"),
                document_type=doc if isinstance(doc, str) else "",
                document_number=value("document_number"),
                dependency_id=dep if isinstance(dep, int) and dep != NO_DEPENDENCY else None,
                email=value("email"),
                phone=value("phone"),
                extension=value("extension"),
                position=value("position"),
                vip=self.query_one("#input-vip", Checkbox).value,
                notes=value("notes"),
                privacy_notice_version=self.notice_version if notice else "",
            ),
            "reason": value("reason") if self.ask_reason else "",
        }

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        if not values["requester"].name.strip():
            return {"name": "El nombre del solicitante es obligatorio."}
        return {}
