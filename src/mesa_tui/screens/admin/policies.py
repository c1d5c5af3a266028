"""SLA policies (políticas de ANS): per service, per category or the default, per
priority: the first-response and resolution targets and the calendar they run on.
Saving or deleting one recomputes, at once, the due times of the open tickets it governs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.policies import PolicyInfo, PolicyScope, RecomputeResult, calendar_label
from mesa_tui.domain.targets import (
    CALENDAR_LABELS,
    CALENDARS,
    OFFICE,
    OFFICE_DAY_MINUTES,
    ROUND_THE_CLOCK,
    TargetUnit,
    format_target,
    natural_unit,
    to_minutes,
)
from mesa_tui.domain.vocab import PRIORITY_ORDER, Priority
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, admin_list, selected, tickets_moved, whole_number
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import priority_text
from mesa_tui.widgets.keyed_table import Column, Row
from mesa_tui.widgets.plain import plain_options

# The Select value of the default scope (a Select value can't be None); a tab can't be
# part of a category name, so no category is ever mistaken for it.
DEFAULT_SCOPE = "\tpredeterminada"
_OFFICE_DAY = f"{OFFICE_DAY_MINUTES // 60} h {OFFICE_DAY_MINUTES % 60} min"
UNIT_LABELS = {TargetUnit.MINUTES: "minutos", TargetUnit.HOURS: "horas", TargetUnit.DAYS: "días"}
# Who a policy's 24x7 covers: Select values and labels.
_ALL_TYPES = {"incidentes": "Solo los incidentes", "todos": "Todos los tipos de caso"}
_ALL_TYPES_VALUE = {False: "incidentes", True: "todos"}


def policy_key(scope: str | None, priority: str) -> str:
    """A row's key: what `save_policy` takes, so a saved policy is found again by its form values."""
    return f"{scope or DEFAULT_SCOPE}|{priority}"


def scope_options(services: list[CatalogEntry], categories: list[str]) -> list[tuple[str, str]]:
    return [
        ("Predeterminada: todos los servicios", DEFAULT_SCOPE),
        *((f"Categoría {name}", name) for name in categories),
        *((f"{s.code} · {s.name}", s.code) for s in services if s.active),
    ]


@dataclass(frozen=True)
class _Policies:
    policies: list[PolicyInfo]
    services: list[CatalogEntry]
    categories: list[str]


class PoliciesPanel(AdminPanel[_Policies]):
    TITLE = "las políticas de ANS"

    BINDINGS = [
        Binding(
            "n",
            "new",
            "Nueva",
            id="policies.new",
            tooltip="Crear la política de un servicio o una categoría para una prioridad",
        ),
        Binding(
            "e,enter",
            "edit",
            "Editar",
            id="policies.edit",
            tooltip="Cambiar los tiempos o el calendario de la política seleccionada",
        ),
        Binding(
            "d",
            "delete",
            "Eliminar",
            id="policies.delete",
            tooltip="Eliminar la política: sus casos pasan a la siguiente (las predeterminadas no se eliminan)",
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policies: list[PolicyInfo] = []
        self.services: list[CatalogEntry] = []
        self.categories: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "Gobierna la política más específica: la del servicio, si no la de su categoría, si no la predeterminada. "
            "Guardar o eliminar una política recalcula al instante los vencimientos de los casos abiertos que gobierna, "
            "sin perder el tiempo ya transcurrido ni las pausas. Los incidentes críticos corren siempre 24x7; "
            "un 24x7 de la política cubre sus incidentes (o todos los tipos, si lo dice) y lo demás sigue el "
            "horario de atención de su servicio.",
            classes="admin-intro",
        )
        yield admin_list(
            (
                Column("scope", "Alcance", share=1),
                Column("priority", "Prioridad", 9),
                Column("tto", "Primera respuesta", 18),
                Column("ttr", "Solución", 18),
                Column("calendar", "Calendario", 19),
            ),
            id="policies-table",
        )

    def fetch(self) -> _Policies:
        return _Policies(
            self.admin.policies(self.actor),
            self.admin.services(self.actor, include_inactive=False),
            [c.name for c in self.admin.categories(self.actor)],
        )

    def show_data(self, data: _Policies, keep: str | None) -> None:
        self.policies, self.services, self.categories = data.policies, data.services, data.categories
        rows = []
        for p in data.policies:
            scope = Text(p.scope_label, style="bold") if p.scope is PolicyScope.DEFAULT else p.scope_label
            rows.append(
                Row(
                    policy_key(p.scope_key, p.priority),
                    (scope, priority_text(p.priority), p.tto_label, p.ttr_label, p.calendar_label),
                )
            )
        self.table.show_rows(rows, keep)

    def current(self) -> PolicyInfo | None:
        key = self.table.current_key
        return next((p for p in self.policies if policy_key(p.scope_key, p.priority) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        policy = self.current() if self.is_mounted else None
        if action == "edit":
            return policy is not None
        if action == "delete":
            return policy is not None and policy.scope is not PolicyScope.DEFAULT
        return True

    def _save(self, v: dict[str, Any]) -> RecomputeResult:
        return self.admin.save_policy(
            self.actor,
            v["scope"],
            v["priority"],
            v["tto_minutes"],
            v["ttr_minutes"],
            v["calendar"],
            all_types=v["all_types"],
        )

    def action_new(self) -> None:
        self.when_read(self._new)

    def _new(self) -> None:
        dialog = PolicyDialog("Nueva política de ANS", self._save, scope_options(self.services, self.categories))
        self.open_dialog(
            dialog,
            lambda r: f"Política de ANS guardada: {tickets_moved(r.tickets_updated)}",
            keep=lambda r: dialog.saved_key,
        )

    def action_edit(self) -> None:
        policy = self.current()
        if policy is None:
            return
        dialog = PolicyDialog(f"Política de ANS · {policy.scope_label}", self._save, policy=policy)
        self.open_dialog(
            dialog,
            lambda r: f"Política de ANS guardada: {tickets_moved(r.tickets_updated)}",
            keep=lambda r: dialog.saved_key,
        )

    def action_delete(self) -> None:
        policy = self.current()
        if policy is None or policy.scope is PolicyScope.DEFAULT:
            return
        dialog = ConfirmDialog(
            "Eliminar la política de ANS",
            f"{policy.scope_label} · prioridad {Priority(policy.priority).label.lower()}: "
            f"{policy.tto_label} / {policy.ttr_label}\n\n"
            "Sus casos abiertos pasan a la política siguiente (la de la categoría o la predeterminada) "
            "y se recalculan sus vencimientos.",
            lambda v: self.admin.delete_policy(self.actor, policy.scope_key, policy.priority),
            confirm="Eliminar",
        )
        self.open_dialog(dialog, lambda r: f"Política de ANS eliminada: {tickets_moved(r.tickets_updated)}")


class PolicyDialog(AdminForm[RecomputeResult]):
    """A policy's targets, typed in minutes, hours or business days, and its calendar.
    A new policy also picks its scope and priority; an existing one keeps them."""

    def __init__(
        self,
        title: str,
        run: Callable[[dict[str, Any]], RecomputeResult],
        scopes: list[tuple[str, str]] | None = None,
        policy: PolicyInfo | None = None,
    ) -> None:
        super().__init__(title, run, confirm="Guardar y recalcular")
        self.scopes = scopes or []
        self.policy = policy
        self.saved_key: str | None = None

    def fields(self) -> ComposeResult:
        p = self.policy
        if p is None:
            with Horizontal(classes="field-row"):
                yield FormField(
                    "Se aplica a",
                    Select(
                        plain_options(self.scopes),
                        prompt="Elija el servicio o la categoría",
                        id="input-scope",
                        compact=True,
                    ),
                    "scope",
                )
                yield FormField(
                    "Prioridad",
                    Select(
                        [(q.label, q.value) for q in PRIORITY_ORDER],
                        prompt="Elija la prioridad",
                        id="input-priority",
                        compact=True,
                    ),
                    "priority",
                )
        else:
            yield Static(
                Text.assemble(("Prioridad ", "bold"), priority_text(p.priority), "  ·  ", (p.scope_label, "bold")),
                id="policy-scope",
            )
        calendar = p.calendar if p else OFFICE
        for which, label, minutes in (
            ("tto", "Primera respuesta", p.tto_minutes if p else None),
            ("ttr", "Solución", p.ttr_minutes if p else None),
        ):
            amount, unit = natural_unit(minutes, calendar) if minutes else ("", TargetUnit.HOURS)
            with Horizontal(classes="field-row"):
                yield FormField(
                    label,
                    Input(str(amount), placeholder="p. ej. 4", id=f"input-{which}_minutes", compact=True),
                    f"{which}_minutes",
                )
                yield FormField(
                    "Unidad",
                    Select(
                        [(UNIT_LABELS[u], u.value) for u in TargetUnit],
                        allow_blank=False,
                        value=unit.value,
                        id=f"input-{which}_unit",
                        compact=True,
                    ),
                    f"{which}_unit",
                )
        with Horizontal(classes="field-row"):
            yield FormField(
                "Calendario",
                Select(
                    [(CALENDAR_LABELS[c], c) for c in CALENDARS],
                    allow_blank=False,
                    value=calendar,
                    id="input-calendar",
                    compact=True,
                ),
                "calendar",
                hint=f"Un día hábil es 1/5 de la semana de atención ({_OFFICE_DAY}); en 24x7, un día son 24 h.",
            )
            yield FormField(
                "El 24x7 se aplica a",
                Select(
                    [(label, value) for value, label in _ALL_TYPES.items()],
                    allow_blank=False,
                    value=_ALL_TYPES_VALUE[bool(p and p.all_types)],
                    id="input-all_types",
                    compact=True,
                    disabled=calendar != ROUND_THE_CLOCK,
                ),
                "all_types",
                hint="Las solicitudes y PQRS que no cubre siguen el horario de atención de su servicio.",
            )
        yield Static("", id="policy-preview")

    def on_mount(self) -> None:
        self._preview()

    @on(Input.Changed)
    @on(Select.Changed)
    def _preview(self) -> None:
        v = self._read()
        self.query_one("#input-all_types", Select).disabled = v["calendar"] != ROUND_THE_CLOCK
        parts = []
        for which, label in (("tto", "Primera respuesta"), ("ttr", "Solución")):
            minutes = v[f"{which}_minutes"]
            shown = format_target(minutes, v["calendar"]) if isinstance(minutes, int) and minutes > 0 else "—"
            parts.append(f"{label}: {shown}")
        line = Text("  ·  ".join(parts) + f"  ·  {calendar_label(v['calendar'], v['all_types'])}", style="dim")
        self.query_one("#policy-preview", Static).update(line)

    def _read(self) -> dict[str, Any]:
        calendar = selected(self.query_one("#input-calendar", Select)) or OFFICE
        all_types = selected(self.query_one("#input-all_types", Select)) == _ALL_TYPES_VALUE[True]
        out: dict[str, Any] = {"calendar": calendar, "all_types": all_types and calendar == ROUND_THE_CLOCK}
        for which in ("tto", "ttr"):
            amount = whole_number(self.query_one(f"#input-{which}_minutes", Input).value)
            unit = selected(self.query_one(f"#input-{which}_unit", Select)) or TargetUnit.MINUTES.value
            out[f"{which}_amount"] = amount
            out[f"{which}_minutes"] = None if amount is None else to_minutes(amount, unit, calendar)
        return out

    def values(self) -> dict[str, Any]:
        v = self._read()
        if self.policy is not None:
            v["scope"], v["priority"] = self.policy.scope_key, self.policy.priority
        else:
            scope = selected(self.query_one("#input-scope", Select))
            v["scope"] = None if scope == DEFAULT_SCOPE else scope
            v["scope_chosen"] = scope is not None
            v["priority"] = selected(self.query_one("#input-priority", Select))
        self.saved_key = policy_key(v["scope"], v["priority"] or "")
        return v

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        if self.policy is None:
            if not values["scope_chosen"]:
                problems["scope"] = "Elija a qué servicio o categoría se aplica (o la predeterminada)."
            if not values["priority"]:
                problems["priority"] = "Elija la prioridad."
        for which, label in (("tto", "primera respuesta"), ("ttr", "solución")):
            if values[f"{which}_amount"] is None:
                problems[f"{which}_minutes"] = f"Escriba el tiempo de {label} como un número entero."
        return problems
