"""Who may classify what.

Any agent may classify a ticket (its nature, impact and urgency, type and
service), but two changes weaken what the requester is owed, and they are for
the agent holding the ticket or a supervisor, with a reason kept in the audit
trail:

- a PQRS (petición, queja, reclamo, sugerencia) turned into an incident or a
  request loses its legal due date (Ley 1755 de 2015): a reason even from the
  holder;
- a lower priority gives the desk more time: the holder may lower their own
  ticket's priority on its first classification without one; anyone else's, or
  a ticket nobody holds, is a supervisor's call with a reason (an agent who
  means to lower it can take it first and answer for it).

Once a ticket is classified its priority is a supervisor's to change at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import Priority, TicketType

REASON_MAX = 500


@dataclass(frozen=True)
class Reclassification:
    """A classification as the rules see it: the ticket before, what is asked."""

    holder_id: int | None
    classified: bool  # it had a nature: it was classified before
    type_before: str
    type_after: str
    priority_before: str
    priority_after: str

    @property
    def leaves_pqrs(self) -> bool:
        return TicketType(self.type_before).is_pqrs and not TicketType(self.type_after).is_pqrs

    @property
    def lowers_priority(self) -> bool:
        return Priority(self.priority_after).rank > Priority(self.priority_before).rank


def _holds(actor: ActorInfo, change: Reclassification) -> bool:
    return change.holder_id is not None and change.holder_id == actor.id


def classification_problem(actor: ActorInfo, change: Reclassification) -> str | None:
    """Why `actor` may not classify the ticket this way (None if they may)."""
    if not actor.active:
        return "Su usuario está inactivo."
    if actor.is_supervisor:
        return None
    if change.classified and change.priority_after != change.priority_before:
        return "Solo un supervisor puede cambiar la prioridad de un caso ya clasificado."
    if _holds(actor, change):
        return None
    if change.leaves_pqrs:
        return "Solo el agente a cargo del caso o un supervisor puede convertir una PQRS en incidente o requerimiento."
    if change.lowers_priority:
        return "Solo el agente a cargo del caso o un supervisor puede bajarle la prioridad."
    return None


def reason_wanted(actor: ActorInfo, change: Reclassification) -> str | None:
    """Why this classification needs a reason on the record, as the sentence that
    asks for it (None when it needs none)."""
    if change.leaves_pqrs:
        return "Indique el motivo: el caso deja de ser una PQRS y pierde su plazo legal."
    if change.lowers_priority and not _holds(actor, change):
        return "Indique el motivo: baja la prioridad de un caso que no está a su cargo."
    return None
