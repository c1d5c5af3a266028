"""Demo data: the agents of a city hall's IT office and tickets in every status.

Up to FULL_HISTORY_LIMIT tickets are worked through the real use cases (each
with its whole audited history); above that, tickets are bulk-inserted with
Core inserts and consistent SLA clocks, plus one "registrar" event each, so a
million tickets load in seconds.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from mesa_tui.domain.calendar import calendar_for
from mesa_tui.domain.priority import DEFAULT_MATRIX
from mesa_tui.domain.sla import Clock, default_targets
from mesa_tui.domain.vocab import Channel, Nature, SolutionMode, Status, TicketType
from mesa_tui.store.engine import Database
from mesa_tui.store.models import Agent, CatalogService, Counter, SlaPolicy, SupportGroup, Ticket, TicketEvent

FULL_HISTORY_LIMIT = 2000

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
    "María", "Luis", "Andrea", "Carlos", "Paola", "Jorge", "Diana", "Andrés", "Claudia", "Juan",
    "Natalia", "Fernando", "Liliana", "Ricardo", "Sandra", "Óscar", "Viviana", "Hernán", "Yolanda", "Camilo",
)
LAST = (
    "Pérez", "Gómez", "Rodríguez", "Martínez", "Torres", "Herrera", "Castro", "Díaz", "Mendoza", "Vargas",
    "Ramírez", "Morales", "Julio", "Barrios", "Caraballo", "Marrugo", "Padilla", "Cassiani", "Ortega", "Salas",
)
SUBJECTS = {
    Nature.HARDWARE: (
        "El equipo no enciende", "Impresora atasca hojas", "Pantalla parpadea", "Teclado dañado",
        "Escáner no es reconocido", "Equipo muy lento al iniciar",
    ),
    Nature.SOFTWARE: (
        "No abre Outlook", "Error al generar reporte en el sistema de impuestos", "Instalar Office",
        "Actualizar antivirus", "Excel se cierra solo", "Certificado de firma digital vencido",
    ),
    Nature.RED: (
        "Sin conexión a internet", "WiFi de la sala de juntas no conecta", "VPN no conecta desde casa",
        "Intranet no carga", "Caída del canal de la sede", "Telefonía IP sin tono",
    ),
    Nature.ACCESOS: (
        "Crear usuario para contratista nuevo", "Restablecer contraseña de correo", "Permiso a carpeta compartida",
        "Desbloquear cuenta de dominio", "Acceso al sistema de contratación",
    ),
    Nature.OTRO: (
        "Capacitación en el uso del sistema documental", "Préstamo de video beam", "Solicitud de concepto técnico",
        "Apoyo en videollamada del despacho",
    ),
}
STAFF = (
    # login, full name, role, group name
    ("supervisor", "Carolina Rincón Ahumada", "supervisor", "Mesa de ayuda"),
    ("admin", "Rafael Puello Navarro", "admin", "Mesa de ayuda"),
    ("jperez", "Jorge Pérez Julio", "agent", "Mesa de ayuda"),
    ("lmarrugo", "Liliana Marrugo Díaz", "agent", "Mesa de ayuda"),
    ("acastro", "Andrés Castro Padilla", "agent", "Mesa de ayuda"),
    ("vsalas", "Viviana Salas Ortega", "agent", "Mesa de ayuda"),
    ("hbarrios", "Hernán Barrios Cassiani", "agent", "Infraestructura y redes"),
    ("nmendoza", "Natalia Mendoza Torres", "agent", "Infraestructura y redes"),
    ("rcaraballo", "Ricardo Caraballo Gómez", "agent", "Software y aplicaciones"),
    ("dherrera", "Diana Herrera Vargas", "agent", "Software y aplicaciones"),
    ("omorales", "Óscar Morales Ramírez", "agent", "Seguridad informática"),
    ("proveedor", "Soporte Proveedor Externo", "agent", "Proveedor externo"),
)
DURATIONS = {
    Nature.HARDWARE: (0.3, 2.5),
    Nature.SOFTWARE: (0.2, 1.3),
    Nature.RED: (0.3, 1.8),
    Nature.ACCESOS: (0.1, 0.9),
    Nature.OTRO: (0.2, 1.5),
}


def ensure_staff(s: Session, admin_login: str | None = None) -> int:
    groups = {g.name: g for g in s.exec(select(SupportGroup)).all()}
    have = set(s.exec(select(Agent.login)).all())
    staff = list(STAFF)
    if admin_login and admin_login not in {row[0] for row in STAFF}:
        # Whoever installs the demo is its administrator, so `--as` works for them.
        staff.append((admin_login, f"Administrador ({admin_login})", "admin", "Mesa de ayuda"))
    for login, name, role, group in staff:
        if login not in have:
            g = groups[group]
            s.add(Agent(login=login, full_name=name, role=role, level=g.level, group_id=g.id))
    s.flush()
    return len(staff)


def _pick_status(rng: random.Random, age_days: float) -> Status:
    if age_days > 20:
        weights = (0.004, 0.003, 0.01, 0.006, 0.05, 0.89, 0.037)
    elif age_days > 5:
        weights = (0.03, 0.06, 0.18, 0.08, 0.25, 0.37, 0.03)
    else:
        weights = (0.22, 0.18, 0.28, 0.10, 0.14, 0.06, 0.02)
    return rng.choices(list(Status), weights)[0]


def _requester(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    dep = rng.choice(DEPENDENCIES)
    if rng.random() < 0.7:
        user = f"{first[0]}{last}".lower().translate(str.maketrans("áéíóúñ", "aeioun"))
        contact = f"{user}@cartagena.gov.co"
    else:
        contact = f"3{rng.randint(0, 2)}{rng.randint(10_000_000, 99_999_999)}"
    return f"{first} {last} {rng.choice(LAST)}", dep, contact


def generate(
    db: Database,
    tickets: int,
    seed: int = 7,
    now: datetime | None = None,
    admin_login: str | None = None,
) -> dict[str, int]:
    now = now or datetime.now(timezone.utc)
    with db.read() as s:
        if not s.exec(select(CatalogService.id)).first():
            raise ValueError("El catálogo está vacío: cargue primero db/catalog.tsv con `mesa catalog import`.")
    agents = db.write(lambda s: ensure_staff(s, admin_login))
    if tickets <= FULL_HISTORY_LIMIT:
        made = _with_history(db, tickets, seed, now)
    else:
        made = _bulk(db, tickets, seed, now)
    with db.read() as s:
        events = s.exec(sa.select(sa.func.count()).select_from(TicketEvent)).one()[0]
    return {"tickets": made, "agents": agents, "events": events}


# --- small: through the real use cases --------------------------------------

def _with_history(db: Database, count: int, seed: int, now: datetime) -> int:
    from mesa_tui.services.tickets import Desk, NewTicket

    rng = random.Random(seed)
    clock = {"now": now}
    desk = Desk(db, now=lambda: clock["now"])
    office = calendar_for("office")
    with db.read() as s:
        services = [c for c in s.exec(select(CatalogService.code).where(CatalogService.active.is_(True))).all()]
        staff = {a.login: a for a in s.exec(select(Agent)).all()}
    actors = {login: desk.actor(login) for login in staff}
    l1 = [a for a in actors.values() if a.role == "agent" and a.level == 1]
    supervisor = actors["supervisor"]
    start = now - timedelta(days=150)
    moments = sorted(
        office.next_open(start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))) for _ in range(count)
    )
    for created in moments:
        if created >= now:
            created = now - timedelta(minutes=rng.randint(5, 600))
        age_days = (now - created).total_seconds() / 86400
        target = _pick_status(rng, age_days)
        nature = rng.choice(list(Nature))
        name, dep, contact = _requester(rng)
        ttype = rng.choices(list(TicketType), (0.55, 0.35, 0.04, 0.03, 0.02, 0.01))[0]
        clock["now"] = created
        info = desk.log(
            supervisor if rng.random() < 0.2 else rng.choice(l1),
            NewTicket(
                requester_name=name,
                requester_dependency=dep,
                requester_contact=contact,
                channel=rng.choice(list(Channel)).value,
                service_code=rng.choice(services),
                type=ttype.value,
                subject=rng.choice(SUBJECTS[nature]),
                description="Reportado por el usuario. " + rng.choice(SUBJECTS[nature]) + ".",
                impact=rng.choice((1, 2, 2, 3, 3)),
                urgency=rng.choice((1, 2, 2, 3, 3)),
            ),
        )
        if target == Status.NUEVO:
            continue
        if target == Status.ANULADO:
            clock["now"] = _later(created, now, rng, 0.2)
            desk.cancel(supervisor, info.id, "Caso duplicado")
            continue
        agent = rng.choice(l1)
        step = _later(created, now, rng, 0.1)
        clock["now"] = step
        if target == Status.ASIGNADO:
            desk.assign(supervisor, info.id, agent_login=agent.login)
            continue
        desk.take(agent, info.id)
        clock["now"] = step = _later(step, now, rng, 0.05)
        desk.classify(agent, info.id, impact=info.impact, urgency=info.urgency, nature=nature.value)
        holder = agent
        if rng.random() < 0.25:
            clock["now"] = step = _later(step, now, rng, 0.2)
            desk.escalate(agent, info.id, "Requiere especialista de nivel 2")
            specialists = [a for a in actors.values() if a.level == 2 and a.role == "agent"]
            holder = rng.choice(specialists)
            clock["now"] = step = _later(step, now, rng, 0.1)
            desk.take(holder, info.id)
        if target == Status.EN_PROCESO:
            continue
        if target == Status.EN_ESPERA or rng.random() < 0.15:
            clock["now"] = step = _later(step, now, rng, 0.2)
            desk.wait(holder, info.id, rng.choice(("Esperando respuesta del usuario", "Esperando repuesto del proveedor")))
            if target == Status.EN_ESPERA:
                continue
            clock["now"] = step = _later(step, now, rng, 0.5)
            desk.resume(holder, info.id, "El usuario respondió")
        lo, hi = DURATIONS[nature]
        clock["now"] = step = _later(step, now, rng, rng.uniform(lo, hi))
        mode = SolutionMode.REMOTO if rng.random() < 0.4 else SolutionMode.EN_SITIO
        desk.resolve(holder, info.id, "Se atendió la solicitud y el usuario confirmó el funcionamiento.", mode.value)
        if target == Status.RESUELTO:
            continue
        clock["now"] = step = _later(step, now, rng, 1.0)
        desk.close(holder, info.id, "El usuario confirmó la solución")
        if rng.random() < 0.6:
            score = rng.choices((5, 4, 3, 2, 1), (0.6, 0.25, 0.08, 0.04, 0.03))[0]
            desk.survey(holder, info.id, score, "" if score > 2 else "La atención tardó demasiado")
    return count


def _later(t: datetime, limit: datetime, rng: random.Random, days: float) -> datetime:
    """A moment a little after t (about `days` days on average), never after limit."""
    step = t + timedelta(seconds=rng.expovariate(1 / max(days * 86400 * 0.3, 60)))
    return min(step, limit - timedelta(seconds=1))


# --- big: bulk Core inserts ---------------------------------------------------

def _bulk(db: Database, count: int, seed: int, now: datetime) -> int:
    rng = random.Random(seed)
    with db.read() as s:
        services = list(s.exec(select(CatalogService.id, CatalogService.category_id)).all())
        agents = list(s.exec(select(Agent.id, Agent.group_id, Agent.level).where(Agent.role == "agent")).all())
        groups = {g.id: g.level for g in s.exec(select(SupportGroup)).all()}
        policies = {
            p.priority: (p.tto_minutes, p.ttr_minutes, p.calendar)
            for p in s.exec(
                select(SlaPolicy).where(SlaPolicy.service_id.is_(None), SlaPolicy.category_id.is_(None))
            ).all()
        }
        year_counts: dict[int, int] = {}
        for name, value in s.exec(select(Counter.name, Counter.value)).all():
            year_counts[int(name.split(":")[1])] = value
    l1_group = min(g for g, lvl in groups.items() if lvl == 1)
    cals = {"office": calendar_for("office"), "24x7": calendar_for("24x7")}
    targets = {}
    for pr in ("crítica", "alta", "media", "baja"):
        if pr in policies:
            tto_m, ttr_m, kind = policies[pr]
            targets[pr] = (timedelta(minutes=tto_m), timedelta(minutes=ttr_m), kind)
        else:
            d = default_targets(pr)
            targets[pr] = (d.tto, d.ttr, d.calendar)
    # Spread over two years for a million, fewer months for fewer tickets.
    span = timedelta(days=min(730, max(60, count // 1400)))
    start = now - span
    span_s = span.total_seconds()
    offsets = sorted(rng.random() * span_s for _ in range(count))
    channels = [c.value for c in Channel]
    types = [t.value for t in TicketType]
    type_w = (0.55, 0.35, 0.04, 0.03, 0.02, 0.01)
    natures = list(Nature)
    statuses = list(Status)
    subjects = {n: SUBJECTS[n] for n in natures}
    requesters = [_requester(rng) for _ in range(500)]
    matrix = DEFAULT_MATRIX
    us = timedelta(microseconds=1)
    table = Ticket.__table__
    batch: list[dict] = []
    chunk = 20_000
    made = 0
    with db.engine.begin() as conn:
        for off in offsets:
            created = start + timedelta(seconds=off)
            year = created.year
            seq = year_counts.get(year, 0) + 1
            year_counts[year] = seq
            age_days = (span_s - off) / 86400
            status = _pick_status(rng, age_days)
            impact, urgency = rng.choice((1, 2, 2, 3, 3)), rng.choice((1, 2, 2, 3, 3))
            ttype = rng.choices(types, type_w)[0]
            priority = matrix[(impact, urgency)].value
            tto_t, ttr_t, kind = targets[priority]
            if priority == "crítica" and ttype == "incidente":
                kind = "24x7"
            cal = cals[kind]
            nature = rng.choice(natures)
            svc_id, _cat = rng.choice(services)
            name, dep, contact = rng.choice(requesters)
            tto = Clock.start(created, tto_t)
            ttr = Clock.start(created, ttr_t)
            agent_id = group_id = None
            group_id, level = l1_group, 1
            first_resp = resolved = closed = solution = mode = wait_reason = None
            if status not in (Status.NUEVO, Status.ANULADO):
                agent_id, group_id, level = rng.choice(agents)
                if status != Status.ASIGNADO:
                    first_resp = cal.add(created, tto_t * rng.uniform(0.05, 1.3))
                    tto = tto.stop(cal, first_resp)
            if status == Status.EN_ESPERA:
                ttr = ttr.pause(cal, cal.add(created, ttr_t * rng.uniform(0.1, 0.9)))
                wait_reason = "Esperando respuesta del usuario"
            if status in (Status.RESUELTO, Status.CERRADO):
                lo, hi = DURATIONS[nature]
                resolved = cal.add(created, ttr_t * rng.uniform(lo, hi))
                if first_resp is None or first_resp > resolved:
                    first_resp = resolved
                    tto = Clock.start(created, tto_t).stop(cal, resolved)
                ttr = ttr.stop(cal, resolved)
                solution = "Se atendió la solicitud y el usuario confirmó el funcionamiento."
                mode = SolutionMode.REMOTO.value if rng.random() < 0.4 else SolutionMode.EN_SITIO.value
                if status == Status.CERRADO:
                    closed = resolved + timedelta(hours=rng.uniform(1, 70))
                    if resolved >= now or closed >= now:
                        status = Status.RESUELTO
                        closed = None
            if resolved is not None and resolved >= now:
                # Would be resolved in the future: still being worked.
                status, resolved, solution, mode = Status.EN_PROCESO, None, None, None
                ttr = Clock.start(created, ttr_t)
            tto_due = tto.due(cal)
            ttr_due = ttr.due(cal)
            batch.append(
                {
                    "code": f"MDA-{year}-{seq:06d}",
                    "version": 1,
                    "requester_name": name,
                    "requester_dependency": dep,
                    "requester_contact": contact,
                    "channel": rng.choice(channels),
                    "service_id": svc_id,
                    "type": ttype,
                    "subject": rng.choice(subjects[nature]),
                    "description": "",
                    "impact": impact,
                    "urgency": urgency,
                    "priority": priority,
                    "nature": None if status == Status.NUEVO else nature.value,
                    "status": status.value,
                    "level": level,
                    "group_id": group_id,
                    "agent_id": agent_id,
                    "created_by_id": None,
                    "created_at": created,
                    "updated_at": closed or resolved or first_resp or created,
                    "first_response_at": first_resp,
                    "resolved_at": resolved,
                    "closed_at": closed,
                    "solution": solution,
                    "solution_mode": mode,
                    "legal_due_on": None,
                    "wait_reason": wait_reason,
                    "sla_calendar": kind,
                    "tto_target_s": int(tto_t.total_seconds()),
                    "tto_consumed_us": tto.consumed // us,
                    "tto_anchor_at": tto.anchor,
                    "tto_paused_at": tto.paused_at,
                    "tto_stopped_at": tto.stopped_at,
                    "tto_paused_us": 0,
                    "tto_due_at": tto_due,
                    "tto_met": tto.met(cal),
                    "ttr_target_s": int(ttr_t.total_seconds()),
                    "ttr_consumed_us": ttr.consumed // us,
                    "ttr_anchor_at": ttr.anchor,
                    "ttr_paused_at": ttr.paused_at,
                    "ttr_stopped_at": ttr.stopped_at,
                    "ttr_paused_us": 0,
                    "ttr_due_at": ttr_due,
                    "ttr_met": ttr.met(cal),
                    "due_at": tto_due if tto.stopped_at is None else ttr_due,
                }
            )
            if len(batch) >= chunk:
                conn.execute(sa.insert(table), batch)
                made += len(batch)
                batch = []
        if batch:
            conn.execute(sa.insert(table), batch)
            made += len(batch)
        for year, value in year_counts.items():
            name = f"ticket:{year}"
            updated = conn.execute(sa.update(Counter.__table__).where(Counter.name == name).values(value=value))
            if updated.rowcount == 0:
                conn.execute(sa.insert(Counter.__table__).values(name=name, value=value))
        # One "registrar" event per ticket, written by the database itself.
        conn.execute(
            sa.text(
                "INSERT INTO ticket_event (ticket_id, entity, entity_key, at, actor_id, action, changes, note) "
                "SELECT t.id, 'ticket', t.code, t.created_at, NULL, 'registrar', '{}', 'Datos de demostración' "
                "FROM ticket t LEFT JOIN ticket_event e ON e.ticket_id = t.id WHERE e.id IS NULL"
            )
        )
    return made
