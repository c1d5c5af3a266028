"""How values read on screen: Bogotá time, Spanish labels, SLA colours."""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text

from mesa_tui.domain.calendar import BOGOTA
from mesa_tui.domain.queue import SlaView
from mesa_tui.domain.sla import ClockState
from mesa_tui.domain.vocab import (
    CHANNEL_LABELS,
    LEVEL_LABELS,
    NATURE_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Channel,
    Nature,
    Priority,
    SolutionMode,
    Status,
    TicketType,
)
from mesa_tui.domain.workflow import Action

_WEEKDAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")

SLA_STYLES = {
    ClockState.EN_TIEMPO: "green",
    ClockState.EN_RIESGO: "bold yellow",
    ClockState.VENCIDO: "bold red",
    ClockState.EN_PAUSA: "cyan",
    ClockState.CUMPLIDO: "green",
    ClockState.INCUMPLIDO: "red",
}
PRIORITY_STYLES = {
    Priority.CRITICA.value: "bold red",
    Priority.ALTA.value: "yellow",
    Priority.MEDIA.value: "",
    Priority.BAJA.value: "dim",
}
STATUS_STYLES = {
    Status.NUEVO.value: "bold",
    Status.EN_ESPERA.value: "cyan",
    Status.RESUELTO.value: "green",
    Status.CERRADO.value: "dim",
    Status.ANULADO.value: "dim strike",
}
CLOCK_NAMES = {"tto": "Respuesta", "ttr": "Solución"}
CALENDAR_LABELS = {"office": "horario de oficina", "24x7": "24 horas, 7 días"}
IMPACT_LABELS = {1: "1 · Alto", 2: "2 · Medio", 3: "3 · Bajo"}
URGENCY_LABELS = IMPACT_LABELS

# What the timeline says each action did, in the past tense.
ACTION_PAST = {
    Action.REGISTRAR.value: "registró el caso",
    Action.TOMAR.value: "tomó el caso",
    Action.ASIGNAR.value: "asignó el caso",
    Action.CLASIFICAR.value: "clasificó el caso",
    Action.ESCALAR.value: "escaló el caso",
    Action.ESPERAR.value: "puso el caso en espera",
    Action.REANUDAR.value: "reanudó el caso",
    Action.RESOLVER.value: "resolvió el caso",
    Action.CERRAR.value: "cerró el caso",
    Action.REABRIR.value: "reabrió el caso",
    Action.ANULAR.value: "anuló el caso",
    Action.COMENTAR.value: "comentó",
    Action.ENCUESTA.value: "registró la encuesta de satisfacción",
}


def local(dt: datetime) -> datetime:
    return dt.astimezone(BOGOTA)


def fmt_dt(dt: datetime | None) -> str:
    if dt is None:
        return "—"
    d = local(dt)
    return f"{_WEEKDAYS[d.weekday()]} {d:%d/%m/%Y %H:%M}"


def fmt_short(dt: datetime) -> str:
    d = local(dt)
    return f"{d:%d/%m %H:%M}"


def fmt_date(d: date | None) -> str:
    return "—" if d is None else f"{_WEEKDAYS[d.weekday()]} {d:%d/%m/%Y}"


def status_label(value: str) -> str:
    return STATUS_LABELS[Status(value)]


def status_text(value: str) -> Text:
    return Text(status_label(value), style=STATUS_STYLES.get(value, ""))


def priority_label(value: str) -> str:
    return Priority(value).label


def priority_text(value: str) -> Text:
    return Text(priority_label(value), style=PRIORITY_STYLES.get(value, ""))


def channel_label(value: str) -> str:
    return CHANNEL_LABELS[Channel(value)]


def type_label(value: str) -> str:
    return TYPE_LABELS[TicketType(value)]


def nature_label(value: str | None) -> str:
    return "sin clasificar" if value is None else NATURE_LABELS[Nature(value)]


def level_label(level: int) -> str:
    return LEVEL_LABELS.get(level, f"Nivel {level}")


def mode_label(value: str | None) -> str:
    return "—" if value is None else SolutionMode(value).label


def sla_text(view: SlaView) -> Text:
    """The SLA cell: remaining time coloured by state; a paused clock says "en pausa"
    (its due time is stale: it moves on when the clock resumes)."""
    style = SLA_STYLES[view.state]
    if view.state is ClockState.EN_PAUSA:
        return Text(f"en pausa {view.remaining}", style=style)
    if view.state is ClockState.VENCIDO:
        return Text(f"! {view.remaining}", style=style)
    return Text(view.remaining, style=style)


def state_text(state: ClockState) -> Text:
    return Text(state.value, style=SLA_STYLES[state])


def clip(text: str, width: int) -> str:
    """Text cut to width with an ellipsis, so fixed-width columns never wrap."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
