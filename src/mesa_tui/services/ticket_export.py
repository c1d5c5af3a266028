"""The ticket export: one row per ticket created in a date range, with its SLA
outcome per clock, for a CSV or XLSX file (see services/files.py: every cell
goes through its writers, so text is never a formula)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from mesa_tui.domain.calendar import BOGOTA, BusinessCalendar
from mesa_tui.domain.sla import ClockState
from mesa_tui.domain.tickets import ExportedTicket
from mesa_tui.domain.vocab import CHANNEL_LABELS, NATURE_LABELS, STATUS_LABELS, TYPE_LABELS, SolutionMode, Status
from mesa_tui.services.files import write_csv, xlsx_cell, xlsx_row

TICKET_HEADERS = (
    "Código",
    "Registrado",
    "Tipo",
    "Canal",
    "Solicitante",
    "Dependencia",
    "Servicio",
    "Nombre del servicio",
    "Categoría",
    "Naturaleza",
    "Asunto",
    "Prioridad",
    "Estado",
    "Nivel",
    "Grupo",
    "Agente",
    "Primera respuesta",
    "Resuelto",
    "Cerrado",
    "Forma de solución",
    "Calendario ANS",
    "Vence respuesta",
    "ANS de respuesta",
    "Vence solución",
    "ANS de solución",
    "Encuesta",
)
_DATE_COLUMNS = frozenset({1, 16, 17, 18, 21, 23})
DATE_FORMAT = "yyyy-mm-dd hh:mm"
_CALENDAR_LABELS = {"office": "Horario hábil", "24x7": "24x7"}


@dataclass(frozen=True)
class Lookups:
    """Names for the ids a ticket carries."""

    services: Mapping[int, tuple[str, str, str]]  # id -> (code, name, category)
    agents: Mapping[int, str]
    groups: Mapping[int, str]
    schedules: Mapping[str, str] = field(default_factory=dict)  # code -> name ("HOR-001" -> "Sábados")


def _name(names: Mapping[int, str], key: int | None) -> str:
    return "" if key is None else names.get(key, "")


def _local(at: datetime | None) -> datetime | None:
    """Bogotá wall time without tzinfo: what a spreadsheet cell can hold."""
    return None if at is None else at.astimezone(BOGOTA).replace(tzinfo=None)


def _outcome(t: ExportedTicket, which: str, cal: BusinessCalendar, now: datetime, risk: float) -> str:
    """A clock's SLA outcome: met or missed once stopped, else its state now."""
    met, clock = (t.tto_met, t.tto) if which == "tto" else (t.ttr_met, t.ttr)
    if met is True:
        return "Cumplido"
    if met is False:
        return "Incumplido"
    if t.status == Status.ANULADO:
        return "No aplica (anulado)"
    state = clock.state(cal, now, risk)
    return _OPEN_OUTCOMES.get(state, state.value.capitalize())


_OPEN_OUTCOMES = {
    ClockState.EN_TIEMPO: "En curso: en tiempo",
    ClockState.EN_RIESGO: "En curso: en riesgo",
    ClockState.VENCIDO: "En curso: vencido",
    ClockState.EN_PAUSA: "En pausa",
}
_MODE_LABELS: dict[str | None, str] = {m.value: m.label for m in SolutionMode}


def ticket_values(
    t: ExportedTicket, lookups: Lookups, cals: Mapping[str, BusinessCalendar], now: datetime, risk: float
) -> list[Any]:
    """One file row, in TICKET_HEADERS order; dates as Bogotá wall time."""
    code, name, category = lookups.services.get(t.service_id, ("", "", ""))
    cal = cals[t.sla_calendar]
    return [
        t.code,
        _local(t.created_at),
        TYPE_LABELS.get(t.type, t.type),
        CHANNEL_LABELS.get(t.channel, t.channel),
        t.requester_name,
        t.requester_dependency,
        code,
        name,
        category,
        NATURE_LABELS.get(t.nature, t.nature) if t.nature else "",
        t.subject,
        t.priority.capitalize(),
        STATUS_LABELS.get(t.status, t.status),
        t.level,
        _name(lookups.groups, t.group_id),
        _name(lookups.agents, t.agent_id),
        _local(t.first_response_at),
        _local(t.resolved_at),
        _local(t.closed_at),
        _MODE_LABELS.get(t.solution_mode, ""),
        _CALENDAR_LABELS.get(t.sla_calendar) or lookups.schedules.get(t.sla_calendar, t.sla_calendar),
        _local(t.tto_due_at),
        _outcome(t, "tto", cal, now, risk),
        _local(t.ttr_due_at),
        _outcome(t, "ttr", cal, now, risk),
        t.survey_score,
    ]


def tickets_csv(records: Iterable[Sequence[Any]], out: BinaryIO) -> int:
    return write_csv(out, TICKET_HEADERS, records)


def tickets_xlsx(records: Iterable[Sequence[Any]], out: BinaryIO) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Casos")
    ws.freeze_panes = "B2"
    header = xlsx_row(ws, TICKET_HEADERS)
    for cell in header:
        cell.font = Font(bold=True)
    ws.append(header)
    n = 0
    try:
        for rec in records:
            ws.append([xlsx_cell(ws, v, DATE_FORMAT if i in _DATE_COLUMNS else None) for i, v in enumerate(rec)])
            n += 1
    except BaseException:
        ws.close()  # ends the sheet's writer now, not when the collector finds it
        raise
    wb.save(out)
    return n
