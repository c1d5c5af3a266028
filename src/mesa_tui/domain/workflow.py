"""The ticket state machine: one table of which action is allowed from where."""

from __future__ import annotations

from enum import StrEnum

from mesa_tui.domain.vocab import Status


class Action(StrEnum):
    REGISTRAR = "registrar"
    TOMAR = "tomar"
    ASIGNAR = "asignar"
    CLASIFICAR = "clasificar"
    ESCALAR = "escalar"
    ESPERAR = "esperar"
    REANUDAR = "reanudar"
    RESOLVER = "resolver"
    CERRAR = "cerrar"
    REABRIR = "reabrir"
    ANULAR = "anular"
    COMENTAR = "comentar"
    ENCUESTA = "encuesta"

    @property
    def verb(self) -> str:
        return ACTION_VERBS[self]


ACTION_VERBS = {
    Action.REGISTRAR: "registrar",
    Action.TOMAR: "tomar",
    Action.ASIGNAR: "asignar",
    Action.CLASIFICAR: "clasificar",
    Action.ESCALAR: "escalar",
    Action.ESPERAR: "poner en espera",
    Action.REANUDAR: "reanudar",
    Action.RESOLVER: "resolver",
    Action.CERRAR: "cerrar",
    Action.REABRIR: "reabrir",
    Action.ANULAR: "anular",
    Action.COMENTAR: "comentar",
    Action.ENCUESTA: "registrar la encuesta de",
}

_WORKING = frozenset({Status.NUEVO, Status.ASIGNADO, Status.EN_PROCESO})
_OPEN = _WORKING | {Status.EN_ESPERA}
_ALL = frozenset(Status)

# action -> (statuses it may start from, status it leaves; None keeps the status)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.TOMAR: (frozenset({Status.NUEVO, Status.ASIGNADO}), Status.EN_PROCESO),
    Action.ASIGNAR: (_WORKING, Status.ASIGNADO),
    Action.CLASIFICAR: (_OPEN, None),
    Action.ESCALAR: (_WORKING, Status.ASIGNADO),
    Action.ESPERAR: (frozenset({Status.ASIGNADO, Status.EN_PROCESO}), Status.EN_ESPERA),
    Action.REANUDAR: (frozenset({Status.EN_ESPERA}), Status.EN_PROCESO),
    Action.RESOLVER: (_OPEN, Status.RESUELTO),
    Action.CERRAR: (frozenset({Status.RESUELTO}), Status.CERRADO),
    Action.REABRIR: (frozenset({Status.RESUELTO}), Status.EN_PROCESO),
    Action.ANULAR: (_OPEN, Status.ANULADO),
    Action.COMENTAR: (_ALL, None),
    Action.ENCUESTA: (frozenset({Status.CERRADO}), None),
}


class TransitionError(ValueError):
    pass


def allowed(action: Action, status: Status | str) -> bool:
    return Status(status) in TRANSITIONS[action][0]


def next_status(action: Action, status: Status | str) -> Status:
    """The status after `action`, or TransitionError naming status and action."""
    current = Status(status)
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionError(f"No se puede {action.verb} un caso en estado «{current.label}».")
    return target or current


def actions_from(status: Status | str) -> list[Action]:
    current = Status(status)
    return [a for a, (sources, _) in TRANSITIONS.items() if current in sources]
