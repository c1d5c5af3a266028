"""The priority matrix: impact x urgency -> priority, for classifications from now on."""

from __future__ import annotations

from datetime import datetime

from mesa_tui.domain.priority import matrix_problems
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import AdminBase
from mesa_tui.services.checks import raise_first
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import tickets_repo
from mesa_tui.store.engine import Session

_MATRIX = "cambiar la matriz de prioridad"


class MatrixAdmin(AdminBase):
    """The priority matrix."""

    def matrix(self, actor: ActorInfo) -> dict[tuple[int, int], str]:
        with self._reading(actor) as s:
            return tickets_repo.priority_matrix(s)

    def set_priority(self, actor: ActorInfo, impact: int, urgency: int, priority: str) -> None:
        """Applies to tickets classified from now on; open tickets keep their priority."""
        self._require_admin(actor, _MATRIX)
        raise_first(matrix_problems(impact, urgency, priority))

        def tx(s: Session, who: ActorInfo, now: datetime) -> None:
            old = repo.priority_of(s, impact, urgency)
            if old != priority:
                repo.save_priority_rule(s, impact, urgency, priority)
                self._event(s, who, now, "priority", f"{impact}x{urgency}", "modificar", {"priority": (old, priority)})

        self._write(actor, _MATRIX, tx)
