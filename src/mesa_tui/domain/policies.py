"""SLA policies as the administrator edits them: scope, targets and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mesa_tui.domain.targets import CALENDAR_LABELS, CALENDARS, MAX_TARGET_MINUTES, ROUND_THE_CLOCK, format_target
from mesa_tui.domain.vocab import Priority


class PolicyScope(StrEnum):
    SERVICE = "service"
    CATEGORY = "category"
    DEFAULT = "default"


@dataclass(frozen=True)
class PolicyInfo:
    id: int
    scope: PolicyScope
    service_code: str | None  # SERVICE scope
    service_name: str | None
    category: str | None  # CATEGORY scope
    priority: str
    tto_minutes: int
    ttr_minutes: int
    calendar: str
    all_types: bool = False  # its 24x7 hours cover every ticket type, not only incidents

    @property
    def scope_key(self) -> str | None:
        """What `Admin.save_policy` and `delete_policy` take as `scope` for this policy."""
        return self.service_code if self.scope is PolicyScope.SERVICE else self.category

    @property
    def scope_label(self) -> str:
        if self.scope is PolicyScope.SERVICE:
            return f"{self.service_code} · {self.service_name}"
        if self.scope is PolicyScope.CATEGORY:
            return f"Categoría {self.category}"
        return "Predeterminada"

    @property
    def tto_label(self) -> str:
        return format_target(self.tto_minutes, self.calendar)

    @property
    def ttr_label(self) -> str:
        return format_target(self.ttr_minutes, self.calendar)

    @property
    def calendar_label(self) -> str:
        return calendar_label(self.calendar, self.all_types)


def calendar_label(calendar: str, all_types: bool) -> str:
    """ "Horario de atención", "24x7 · incidentes" or "24x7 · todos"."""
    if calendar == ROUND_THE_CLOCK:
        return f"{CALENDAR_LABELS[calendar]} · {'todos' if all_types else 'incidentes'}"
    return CALENDAR_LABELS.get(calendar, calendar)


def _minutes_problem(value: object, label: str) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return f"{label} debe ser un número entero de minutos."
    if value <= 0:
        return f"{label} debe ser mayor que cero."
    if value > MAX_TARGET_MINUTES:
        return f"{label} no puede pasar de {MAX_TARGET_MINUTES} minutos (un año)."
    return None


def policy_problems(
    priority: str, tto_minutes: object, ttr_minutes: object, calendar: str, all_types: object = False
) -> list[tuple[str, str]]:
    """Problems of a policy form as (field, Spanish message); empty when it is valid."""
    problems: list[tuple[str, str]] = []
    if priority not in {p.value for p in Priority}:
        allowed = ", ".join(p.value for p in Priority)
        problems.append(("priority", f"La prioridad «{priority}» no es válida (use: {allowed})."))
    tto = _minutes_problem(tto_minutes, "El tiempo de primera respuesta")
    if tto:
        problems.append(("tto_minutes", tto))
    ttr = _minutes_problem(ttr_minutes, "El tiempo de solución")
    if ttr:
        problems.append(("ttr_minutes", ttr))
    # Compared only when both are valid whole minutes (the checks above said why not).
    if (
        isinstance(tto_minutes, int)
        and isinstance(ttr_minutes, int)
        and not tto
        and not ttr
        and ttr_minutes < tto_minutes
    ):
        problems.append(
            (
                "ttr_minutes",
                f"El tiempo de solución ({format_target(ttr_minutes, calendar)}) no puede ser menor que el de "
                f"primera respuesta ({format_target(tto_minutes, calendar)}).",
            )
        )
    if calendar not in CALENDARS:
        problems.append(("calendar", f"El calendario «{calendar}» no es válido (use: office o 24x7)."))
    if not isinstance(all_types, bool):
        problems.append(("all_types", "Indique si el 24x7 se aplica solo a los incidentes o a todos los tipos."))
    return problems


@dataclass(frozen=True)
class RecomputeResult:
    """What a change of SLA policy or calendar did to the open tickets."""

    tickets_updated: int


def policy_key(service_id: int | None, category_id: int | None, priority: str) -> str:
    """The audit trail's key of a policy."""
    # Ids, not codes or names: both can be renamed and the history must stay together.
    if service_id is not None:
        return f"service:{service_id}:{priority}"
    if category_id is not None:
        return f"category:{category_id}:{priority}"
    return f"default:{priority}"
