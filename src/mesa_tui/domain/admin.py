"""What the administrator edits: domain values, input checks and SLA target units.

Targets are stored in minutes of business time. The admin types them in minutes,
hours or business days; a business day is a fixed amount of business time so that a
clock can count it: one fifth of the office week (Mon-Thu 10 h + Fri 9 h = 49 h),
i.e. 9 h 48 min. Five business days are then exactly one office week from any start,
and in weeks without holidays a target of N days lands within 48 minutes of "the same
hour N business days later", however large N is (a 10 h day would drift one hour
later for every Friday crossed). On the 24x7 calendar a day is 24 h.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mesa_tui.domain.catalog import CODE_RE
from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.tickets import text_problem
from mesa_tui.domain.vocab import LEVEL_LABELS, Priority, Role

CALENDARS = ("office", "24x7")
CALENDAR_LABELS = {"office": "Horario de atención", "24x7": "24x7"}

OFFICE_DAY_MINUTES = 49 * 60 // 5  # 588: the office week over its five days
# A year of minutes: far beyond any real target, and keeps due times within the calendar's range.
MAX_TARGET_MINUTES = 365 * 24 * 60

LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
MAX_LOGIN = 60
MAX_CLOSURE_REASON = 200


# --- SLA target units --------------------------------------------------------


class TargetUnit(StrEnum):
    MINUTES = "min"
    HOURS = "h"
    DAYS = "d"


def day_minutes(calendar: str) -> int:
    return 24 * 60 if calendar == "24x7" else OFFICE_DAY_MINUTES


def unit_minutes(unit: TargetUnit, calendar: str) -> int:
    return {TargetUnit.MINUTES: 1, TargetUnit.HOURS: 60, TargetUnit.DAYS: day_minutes(calendar)}[unit]


def to_minutes(amount: int, unit: TargetUnit | str, calendar: str = "office") -> int:
    return amount * unit_minutes(TargetUnit(unit), calendar)


def natural_unit(minutes: int, calendar: str = "office") -> tuple[int, TargetUnit]:
    """The largest unit that expresses `minutes` exactly, as (amount, unit): what a form shows."""
    for unit in (TargetUnit.DAYS, TargetUnit.HOURS):
        size = unit_minutes(unit, calendar)
        if minutes and minutes % size == 0:
            return minutes // size, unit
    return minutes, TargetUnit.MINUTES


def format_target(minutes: int, calendar: str = "office") -> str:
    """ "30 min", "4 h", "1 h 30 min", "2 días hábiles" (office) or "2 días" (24x7)."""
    amount, unit = natural_unit(minutes, calendar)
    if unit is TargetUnit.DAYS:
        word = "día" if amount == 1 else "días"
        if calendar == "24x7":
            return f"{amount} {word}"
        return f"{amount} {word} {'hábil' if amount == 1 else 'hábiles'}"
    if unit is TargetUnit.HOURS:
        return f"{amount} h"
    hours, rest = divmod(amount, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


# --- SLA policies ------------------------------------------------------------


class PolicyScope(StrEnum):
    SERVICE = "service"
    CATEGORY = "category"
    DEFAULT = "default"


def is_service_code(scope: str) -> bool:
    """A policy scope names a service by its code, anything else is a category name."""
    return bool(CODE_RE.match(scope))


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
        return CALENDAR_LABELS[self.calendar]


def _minutes_problem(value: object, label: str) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return f"{label} debe ser un número entero de minutos."
    if value <= 0:
        return f"{label} debe ser mayor que cero."
    if value > MAX_TARGET_MINUTES:
        return f"{label} no puede pasar de {MAX_TARGET_MINUTES} minutos (un año)."
    return None


def policy_problems(priority: str, tto_minutes: object, ttr_minutes: object, calendar: str) -> list[tuple[str, str]]:
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
    if not tto and not ttr and ttr_minutes < tto_minutes:
        problems.append(
            (
                "ttr_minutes",
                f"El tiempo de solución ({format_target(ttr_minutes, calendar)}) no puede ser menor que el de "
                f"primera respuesta ({format_target(tto_minutes, calendar)}).",
            )
        )
    if calendar not in CALENDARS:
        problems.append(("calendar", f"El calendario «{calendar}» no es válido (use: office o 24x7)."))
    return problems


# --- priority matrix ---------------------------------------------------------


def matrix_problems(impact: object, urgency: object, priority: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for field, label, value in (("impact", "El impacto", impact), ("urgency", "La urgencia", urgency)):
        if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
            problems.append((field, f"{label} debe ser 1, 2 o 3 (recibido: {value!r})."))
    if priority not in {p.value for p in Priority}:
        allowed = ", ".join(p.value for p in Priority)
        problems.append(("priority", f"La prioridad «{priority}» no es válida (use: {allowed})."))
    return problems


# --- agents, groups and categories -------------------------------------------


@dataclass(frozen=True)
class AgentInfo:
    id: int
    login: str
    full_name: str
    role: str
    level: int
    group_id: int | None
    group_name: str
    active: bool
    open_tickets: int  # open tickets assigned to the agent

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, str(self.level))


@dataclass(frozen=True)
class GroupInfo:
    id: int
    name: str
    level: int
    active: bool
    agents: int  # active agents in the group
    open_tickets: int

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, str(self.level))


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    services: int


def level_problem(level: object) -> str | None:
    if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
        return f"El nivel de soporte debe ser 1, 2 o 3 (recibido: {level!r})."
    return None


def agent_problems(login: str, full_name: str, role: str, level: object) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    login = (login or "").strip()
    if not login:
        problems.append(("login", "El usuario (login) es obligatorio."))
    elif len(login) > MAX_LOGIN:
        problems.append(("login", f"El usuario (login) admite hasta {MAX_LOGIN} caracteres."))
    elif not LOGIN_RE.match(login):
        problems.append(
            ("login", "El usuario (login) solo admite letras sin tilde, números, punto, guion y guion bajo.")
        )
    name = text_problem(full_name, "El nombre", 120)
    if name:
        problems.append(("full_name", name))
    if role not in {r.value for r in Role}:
        problems.append(("role", f"El rol «{role}» no es válido (use: agent, supervisor o admin)."))
    level_p = level_problem(level)
    if level_p:
        problems.append(("level", level_p))
    return problems


def group_problems(name: str, level: object) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    name_p = text_problem(name, "El nombre del grupo", 80)
    if name_p:
        problems.append(("name", name_p))
    level_p = level_problem(level)
    if level_p:
        problems.append(("level", level_p))
    return problems


def category_problem(name: str) -> str | None:
    problem = text_problem(name, "El nombre de la categoría", 80)
    if problem:
        return problem
    if any(mark in name for mark in ("\t", "\n", "\r")):
        return "El nombre de la categoría no puede contener tabuladores ni saltos de línea."
    if is_service_code(name.strip()):
        return "El nombre de la categoría no puede tener la forma de un código de servicio (SER-NNN)."
    return None


# --- calendar ------------------------------------------------------------------

_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def format_day(day: date) -> str:
    """'jueves 19 de noviembre de 2026'."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} de {_MONTHS[day.month - 1]} de {day.year}"


def closure_reason_problem(reason: str) -> str | None:
    return text_problem(reason, "El motivo del cierre", MAX_CLOSURE_REASON)


@dataclass(frozen=True)
class HolidayInfo:
    day: date
    name: str


@dataclass(frozen=True)
class ClosureInfo:
    day: date
    reason: str


@dataclass(frozen=True)
class RecomputeResult:
    """What a change of SLA policy or calendar did to the open tickets."""

    tickets_updated: int


# --- settings ------------------------------------------------------------------

SETTING_LABELS = {
    "risk_threshold": "Umbral de riesgo del ANS",
    "auto_close_business_days": "Cierre automático (días hábiles)",
}


def setting_label(key: str) -> str:
    if key.startswith("meta."):
        return f"Meta: {key.removeprefix('meta.').replace('_', ' ')} (%)"
    return SETTING_LABELS.get(key, key)


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return float(value)
    # es-CO writes the decimal comma.
    return float(str(value).strip().replace(",", "."))


def normalize_setting(key: str, value: object) -> str:
    """The stored text of a setting value; ValueError with a Spanish message when it is out of range."""
    if key == "risk_threshold":
        try:
            number = _number(value)
        except ValueError:
            raise ValueError("El umbral de riesgo debe ser un número entre 0 y 1 (por ejemplo 0,75).") from None
        if not 0 < number < 1:
            raise ValueError("El umbral de riesgo debe ser mayor que 0 y menor que 1 (por ejemplo 0,75).")
        return repr(number)
    if key == "auto_close_business_days":
        try:
            number = _number(value)
        except ValueError:
            number = -1.0
        if not number.is_integer() or not 1 <= number <= 30:
            raise ValueError("Los días hábiles para el cierre automático deben ser un entero de 1 a 30.")
        return str(int(number))
    if key.startswith("meta."):
        try:
            number = _number(value)
        except ValueError:
            number = -1.0
        if not 0 <= number <= 100:
            raise ValueError("La meta es un porcentaje de 0 a 100.")
        return str(int(number)) if number.is_integer() else repr(number)
    raise ValueError(f"El parámetro «{key}» no existe.")
