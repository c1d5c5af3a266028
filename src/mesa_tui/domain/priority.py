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
