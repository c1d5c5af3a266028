"""Who may classify what: the changes that weaken a requester's guarantees (a PQRS
losing its legal term, a lower priority) are for the holder or a supervisor, with a reason."""

from __future__ import annotations

import pytest

from mesa_tui.domain.classification import Reclassification, classification_problem, reason_wanted
from mesa_tui.domain.tickets import ActorInfo

HOLDER, COLLEAGUE, SUPERVISOR, ADMIN = (
    ActorInfo(1, "jperez", "Jorge Pérez", "agent"),
    ActorInfo(2, "lmarrugo", "Luisa Marrugo", "agent"),
    ActorInfo(3, "supervisor", "Sara Supervisora", "supervisor"),
    ActorInfo(4, "admin", "Ana Administradora", "admin"),
)
WHO = {"holder": HOLDER, "colleague": COLLEAGUE, "supervisor": SUPERVISOR, "admin": ADMIN}


def change(
    type_before="incidente",
    type_after=None,
    priority_before="media",
    priority_after=None,
    holder=HOLDER.id,
    classified=False,
):
    return Reclassification(
        holder_id=holder,
        classified=classified,
        type_before=type_before,
        type_after=type_after or type_before,
        priority_before=priority_before,
        priority_after=priority_after or priority_before,
    )


LEAVES_PQRS = change(type_before="queja", type_after="incidente")
LOWERS = change(priority_after="baja")
UNOWNED_LOWERS = change(priority_after="baja", holder=None)

# (case, who, refused, reason wanted)
CASES = [
    ("plain", change(), "colleague", False, False),
    ("raise a colleague's", change(priority_after="alta"), "colleague", False, False),
    ("pqrs to pqrs", change(type_before="queja", type_after="reclamo"), "colleague", False, False),
    ("into pqrs", change(type_after="peticion"), "colleague", False, False),
    ("leaves pqrs", LEAVES_PQRS, "holder", False, True),
    ("leaves pqrs", LEAVES_PQRS, "colleague", True, True),
    ("leaves pqrs", LEAVES_PQRS, "supervisor", False, True),
    ("leaves pqrs", LEAVES_PQRS, "admin", False, True),
    ("leaves unowned pqrs", change(type_before="sugerencia", type_after="requerimiento", holder=None), "holder", True, True),
    ("lowers own", LOWERS, "holder", False, False),
    ("lowers a colleague's", LOWERS, "colleague", True, True),
    ("lowers a colleague's", LOWERS, "supervisor", False, True),
    ("lowers an unowned one", UNOWNED_LOWERS, "colleague", True, True),
    ("lowers an unowned one", UNOWNED_LOWERS, "supervisor", False, True),
    ("classified: any change", change(priority_after="alta", classified=True), "holder", True, False),
    ("classified: supervisor lowers own", change(priority_after="baja", holder=SUPERVISOR.id, classified=True), "supervisor", False, False),
]  # fmt: skip


@pytest.mark.parametrize(("case", "c", "who", "refused", "wanted"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_rules(case, c, who, refused, wanted):
    actor = WHO[who]
    assert (classification_problem(actor, c) is not None) == refused
    assert (reason_wanted(actor, c) is not None) == wanted


def test_messages_say_who_may_and_why():
    assert classification_problem(COLLEAGUE, LEAVES_PQRS) == (
        "Solo el agente a cargo del caso o un supervisor puede convertir una PQRS en incidente o requerimiento."
    )
    assert classification_problem(COLLEAGUE, LOWERS) == (
        "Solo el agente a cargo del caso o un supervisor puede bajarle la prioridad."
    )
    assert classification_problem(HOLDER, change(priority_after="alta", classified=True)) == (
        "Solo un supervisor puede cambiar la prioridad de un caso ya clasificado."
    )
    assert (
        reason_wanted(HOLDER, LEAVES_PQRS) == "Indique el motivo: el caso deja de ser una PQRS y pierde su plazo legal."
    )
    assert (
        reason_wanted(SUPERVISOR, LOWERS) == "Indique el motivo: baja la prioridad de un caso que no está a su cargo."
    )


def test_an_inactive_supervisor_is_no_supervisor():
    gone = ActorInfo(3, "supervisor", "Sara Supervisora", "supervisor", active=False)
    assert classification_problem(gone, LEAVES_PQRS) is not None
