"""What demo tickets are made of: the requesters, dependencies and subjects of a city
hall's IT office, how likely each status is by age, and the bulk generator that
turns them into ticket rows with consistent SLA clocks (no database here: see
demo_bulk for the insert, and mesa_tui.demo for the whole demo)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mesa_tui.domain.priority import DEFAULT_MATRIX
from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.vocab import Channel, Nature, Status, TicketType

DEPENDENCIES = (
    "Secretaría de Hacienda",
    "Secretaría de Planeación",
    "Secretaría de Educación",
    "Secretaría General",
    "Secretaría de Infraestructura",
    "Secretaría de Participación y Desarrollo Social",
    "Departamento Administrativo de Salud",
    "Oficina Asesora Jurídica",
    "Oficina de Control Interno",
    "Oficina Asesora de Comunicaciones y Prensa",
    "Dirección Administrativa de Talento Humano",
    "Dirección de Impuestos",
    "Tesorería Distrital",
    "Archivo General",
    "Despacho del Alcalde",
    "Inspección de Policía Urbana",
    "Escuela de Gobierno y Liderazgo",
    "Unidad de Gestión del Riesgo",
)
FIRST = (
    "María",
    "Luis",
    "Andrea",
    "Carlos",
    "Paola",
    "Jorge",
    "Diana",
    "Andrés",
    "Claudia",
    "Juan",
    "Natalia",
    "Fernando",
    "Liliana",
    "Ricardo",
    "Sandra",
    "Óscar",
    "Viviana",
    "Hernán",
    "Yolanda",
    "Camilo",
)
LAST = (
    "Pérez",
    "Gómez",
    "Rodríguez",
    "Martínez",
    "Torres",
    "Herrera",
    "Castro",
    "Díaz",
    "Mendoza",
    "Vargas",
    "Ramírez",
    "Morales",
    "Julio",
    "Barrios",
    "Caraballo",
    "Marrugo",
    "Padilla",
    "Cassiani",
    "Ortega",
    "Salas",
)
SUBJECTS = {
    Nature.HARDWARE: (
        "El equipo no enciende",
        "Impresora atasca hojas",
        "Pantalla parpadea",
        "Teclado dañado",
        "Escáner no es reconocido",
        "Equipo muy lento al iniciar",
    ),
    Nature.SOFTWARE: (
        "No abre Outlook",
        "Error al generar reporte en el sistema de impuestos",
        "Instalar Office",
        "Actualizar antivirus",
        "Excel se cierra solo",
        "Certificado de firma digital vencido",
    ),
    Nature.RED: (
        "Sin conexión a internet",
        "WiFi de la sala de juntas no conecta",
        "VPN no conecta desde casa",
        "Intranet no carga",
        "Caída del canal de la sede",
        "Telefonía IP sin tono",
    ),
    Nature.ACCESOS: (
        "Crear usuario para contratista nuevo",
        "Restablecer contraseña de correo",
        "Permiso a carpeta compartida",
        "Desbloquear cuenta de dominio",
        "Acceso al sistema de contratación",
    ),
    Nature.OTRO: (
        "Capacitación en el uso del sistema documental",
        "Préstamo de video beam",
        "Solicitud de concepto técnico",
        "Apoyo en videollamada del despacho",
    ),
}
DURATIONS = {
    Nature.HARDWARE: (0.3, 2.5),
    Nature.SOFTWARE: (0.2, 1.3),
    Nature.RED: (0.3, 1.8),
    Nature.ACCESOS: (0.1, 0.9),
    Nature.OTRO: (0.2, 1.5),
}

SOLUTION = "Se atendió la solicitud y el usuario confirmó el funcionamiento."

_STATUSES = list(Status)


def pick_status(rng: random.Random, age_days: float) -> Status:
    # Resolved tickets close by themselves after three business days, so only
    # recent ones stay resolved; old open ones are the backlog.
    if age_days > 20:
        weights = (0.002, 0.003, 0.01, 0.006, 0.0, 0.944, 0.035)
    elif age_days > 5:
        weights = (0.02, 0.05, 0.14, 0.07, 0.02, 0.67, 0.03)
    else:
        weights = (0.22, 0.18, 0.28, 0.10, 0.14, 0.06, 0.02)
    return rng.choices(_STATUSES, weights)[0]


COLUMNS = (
    "code",
    "version",
    "requester_name",
    "requester_dependency",
    "requester_contact",
    "requester_id",
    "channel",
    "service_id",
    "type",
    "subject",
    "description",
    "impact",
    "urgency",
    "priority",
    "nature",
    "status",
    "level",
    "group_id",
    "agent_id",
    "created_by_id",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "solution",
    "solution_mode",
    "legal_due_on",
    "wait_reason",
    "sla_calendar",
    "tto_target_s",
    "tto_consumed_us",
    "tto_anchor_at",
    "tto_paused_at",
    "tto_stopped_at",
    "tto_paused_us",
    "tto_due_at",
    "tto_met",
    "ttr_target_s",
    "ttr_consumed_us",
    "ttr_anchor_at",
    "ttr_paused_at",
    "ttr_stopped_at",
    "ttr_paused_us",
    "ttr_due_at",
    "ttr_met",
    "due_at",
)
DATETIME_COLUMNS = {i for i, c in enumerate(COLUMNS) if c.endswith("_at")}


@dataclass(frozen=True)
class Reference:
    """What the generator draws from: active service ids, agents as (id, group id,
    level), the first-level group, and the targets and calendar per (priority, type)."""

    services: list[int]
    agents: list[tuple[int, int | None, int]]
    l1_group: int
    targets: dict[tuple[str, str], tuple[timedelta, timedelta, str]]
    requesters: list[tuple[int, str, str, str]]  # (id, name, dependency, contact)


def year_starts(start: datetime, now: datetime, tz: ZoneInfo) -> list[tuple[float, int]]:
    """(offset in seconds from start, year) where each local year begins."""
    first = start.astimezone(tz).year
    bounds = [(float("-inf"), first)]
    for year in range(first + 1, now.astimezone(tz).year + 1):
        bounds.append(((datetime(year, 1, 1, tzinfo=tz) - start).total_seconds(), year))
    return bounds


def rows(
    offsets: Iterable[float],
    start: datetime,
    span_s: float,
    now: datetime,
    rng: random.Random,
    ref: Reference,
    year_counts: MutableMapping[int, int],
) -> Iterator[tuple[Any, ...]]:
    """Yield ticket rows as tuples in COLUMNS order, with consistent SLA clocks.

    The clocks are computed with the calendar directly (as Clock would) because
    building a million Clock objects costs more than the insert itself.
    `year_counts` (the last sequence number per year) is advanced in place.
    """
    cals = {"office": calendar_for("office"), "24x7": calendar_for("24x7")}
    targets = ref.targets
    us = timedelta(microseconds=1)
    bounds = year_starts(start, now, cals["office"].tz)
    year_i = 0
    channels = [c.value for c in Channel]
    types = [t.value for t in TicketType]
    type_w = (0.55, 0.35, 0.04, 0.03, 0.02, 0.01)
    natures = list(Nature)
    requesters = ref.requesters
    n_requesters = len(requesters)
    services, agents, l1_group = ref.services, ref.agents, ref.l1_group
    scale = (1, 2, 2, 3, 3)
    random_ = rng.random
    for off in offsets:
        created = start + timedelta(seconds=off)
        while year_i + 1 < len(bounds) and off >= bounds[year_i + 1][0]:
            year_i += 1
        year = bounds[year_i][1]
        seq = year_counts.get(year, 0) + 1
        year_counts[year] = seq
        status = pick_status(rng, (span_s - off) / 86400)
        impact, urgency = scale[int(random_() * 5)], scale[int(random_() * 5)]
        ttype = rng.choices(types, type_w)[0]
        priority = DEFAULT_MATRIX[(impact, urgency)].value
        tto_t, ttr_t, kind = targets[(priority, ttype)]
        cal = cals[kind]
        nature = natures[int(random_() * 5)]
        requester_id, name, dep, contact = requesters[int(random_() * n_requesters)]
        agent_id: int | None = None
        group_id: int | None = l1_group
        level = 1
        first_resp: datetime | None = None
        resolved: datetime | None = None
        closed: datetime | None = None
        solution: str | None = None
        mode: str | None = None
        wait_reason: str | None = None
        tto_consumed = ttr_consumed = timedelta(0)
        tto_anchor: datetime | None = created
        ttr_anchor: datetime | None = created
        tto_stopped: datetime | None = None
        ttr_paused: datetime | None = None
        ttr_stopped: datetime | None = None
        if status not in (Status.NUEVO, Status.ANULADO):
            agent_id, group_id, level = agents[int(random_() * len(agents))]
            if status != Status.ASIGNADO:
                tto_consumed = tto_t * (0.05 + random_() * 1.25)
                first_resp = tto_stopped = cal.add(created, tto_consumed)
                tto_anchor = None
        if status == Status.EN_ESPERA:
            ttr_consumed = ttr_t * (0.1 + random_() * 0.8)
            ttr_paused = cal.add(created, ttr_consumed)
            ttr_anchor = None
            wait_reason = "Esperando respuesta del usuario"
        elif status in (Status.RESUELTO, Status.CERRADO):
            lo, hi = DURATIONS[nature]
            took = ttr_t * (lo + random_() * (hi - lo))
            resolved = cal.add(created, took)
            if resolved >= now:
                status = Status.EN_PROCESO  # would be resolved in the future: still being worked
                resolved = None
            else:
                ttr_consumed, ttr_stopped, ttr_anchor = took, resolved, None
                if first_resp is None or first_resp > resolved:
                    first_resp = tto_stopped = resolved
                    tto_consumed, tto_anchor = cal.between(created, resolved), None
                solution = SOLUTION
                mode = "remoto" if random_() < 0.4 else "en_sitio"
                if status == Status.CERRADO:
                    closed = resolved + timedelta(hours=1 + random_() * 69)
                    if closed >= now:
                        status, closed = Status.RESUELTO, None
        # A clock without an anchor was stopped (or, TTR only, paused) where it stands.
        tto_due = cal.add(created, tto_t) if tto_stopped is None else cal.add(tto_stopped, tto_t - tto_consumed)
        ttr_since = ttr_stopped or ttr_paused
        ttr_due = cal.add(created, ttr_t) if ttr_since is None else cal.add(ttr_since, ttr_t - ttr_consumed)
        yield (
            f"MDA-{year}-{seq:06d}",
            1,
            name,
            dep,
            contact,
            requester_id,
            channels[int(random_() * 5)],
            services[int(random_() * len(services))],
            ttype,
            rng.choice(SUBJECTS[nature]),
            "",
            impact,
            urgency,
            priority,
            None if status == Status.NUEVO else nature.value,
            status.value,
            level,
            group_id,
            agent_id,
            None,
            created,
            closed or resolved or first_resp or created,
            first_resp,
            resolved,
            closed,
            solution,
            mode,
            None,
            wait_reason,
            kind,
            int(tto_t.total_seconds()),
            tto_consumed // us,
            tto_anchor,
            None,
            tto_stopped,
            0,
            tto_due,
            None if tto_stopped is None else tto_consumed <= tto_t,
            int(ttr_t.total_seconds()),
            ttr_consumed // us,
            ttr_anchor,
            ttr_paused,
            ttr_stopped,
            0,
            ttr_due,
            None if ttr_stopped is None else ttr_consumed <= ttr_t,
            tto_due if tto_stopped is None else ttr_due,
        )
