"""Input checks the use cases share: each turns a bad value, or the domain's first
problem with a form, into a ValidationError that names the field."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from mesa_tui.domain.classification import Reclassification, classification_problem, reason_wanted
from mesa_tui.domain.limits import REASON, too_long
from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.tickets import ActorInfo, text_problem
from mesa_tui.services.errors import PermissionDenied, ValidationError

E = TypeVar("E", bound=StrEnum)


def required_text(value: str | None, field: str, label: str, max_len: int = REASON) -> str:
    """The text without surrounding spaces; refused when empty or longer than `max_len`."""
    problem = text_problem(value, label, max_len)
    if problem or value is None:
        raise ValidationError(field, problem or "")
    return value.strip()


def optional_text(value: str | None, field: str, label: str, max_len: int) -> str:
    """The text without surrounding spaces ("" for none); refused when longer than `max_len`."""
    text = (value or "").strip()
    problem = too_long(text, label, max_len)
    if problem:
        raise ValidationError(field, problem)
    return text


def check_reclassification(actor: ActorInfo, change: Reclassification, reason: str) -> None:
    """The domain's classification rules as refusals: who may, then whether a reason is due."""
    problem = classification_problem(actor, change)
    if problem:
        raise PermissionDenied(problem)
    wanted = reason_wanted(actor, change)
    if wanted and not reason:
        raise ValidationError("reason", wanted)


def enum_value(enum: type[E], value: str, field: str, label: str) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(field, f"{label} «{value}» no es válido (use: {allowed}).") from None


def scale_value(value: object, field: str, label: str) -> int:
    """An impact or urgency: 1, 2 or 3."""
    if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
        raise ValidationError(field, f"{label} debe ser 1, 2 o 3 (recibido: {value!r}).")
    return value


def raise_first(problems: list[tuple[str, str]]) -> None:
    """Forms show one message at a time: the first problem found."""
    if problems:
        field, message = problems[0]
        raise ValidationError(field, message)


def named(field: str, problem: str | None) -> list[tuple[str, str]]:
    """One optional problem as the list raise_first takes."""
    return [(field, problem)] if problem else []
