"""Impact x urgency -> priority. 1 is the highest impact / urgency."""

from __future__ import annotations

from collections.abc import Mapping

from mesa_tui.domain.vocab import Priority

LEVELS = (1, 2, 3)

# ITIL's usual matrix: the sum of impact and urgency sets the priority.
DEFAULT_MATRIX: dict[tuple[int, int], Priority] = {
    (i, u): (Priority.CRITICA, Priority.ALTA, Priority.MEDIA, Priority.BAJA, Priority.BAJA)[i + u - 2]
    for i in LEVELS
    for u in LEVELS
}


def priority_for(matrix: Mapping[tuple[int, int], str], impact: int, urgency: int) -> Priority:
    return Priority(matrix[(impact, urgency)])


def matrix_problems(impact: object, urgency: object, priority: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for field, label, value in (("impact", "El impacto", impact), ("urgency", "La urgencia", urgency)):
        if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
            problems.append((field, f"{label} debe ser 1, 2 o 3 (recibido: {value!r})."))
    if priority not in {p.value for p in Priority}:
        allowed = ", ".join(p.value for p in Priority)
        problems.append(("priority", f"La prioridad «{priority}» no es válida (use: {allowed})."))
    return problems
