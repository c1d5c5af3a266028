"""Demo data: the agents of a city hall's IT office and tickets in every status.

Up to FULL_HISTORY_LIMIT tickets are worked through the real use cases (each
with its whole audited history); above that, tickets are bulk-inserted with
Core inserts and consistent SLA clocks, plus one "registrar" event each, so a
million tickets load in seconds.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from mesa_tui.domain.calendar import calendar_for
from mesa_tui.domain.priority import DEFAULT_MATRIX
from mesa_tui.domain.sla import default_targets
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


_STATUSES = list(Status)


def _pick_status(rng: random.Random, age_days: float) -> Status:
    # Resolved tickets close by themselves after three business days, so only
    # recent ones stay resolved; old open ones are the backlog.
    if age_days > 20:
        weights = (0.002, 0.003, 0.01, 0.006, 0.0, 0.944, 0.035)
    elif age_days > 5:
        weights = (0.02, 0.05, 0.14, 0.07, 0.02, 0.67, 0.03)
    else:
        weights = (0.22, 0.18, 0.28, 0.10, 0.14, 0.06, 0.02)
    return rng.choices(_STATUSES, weights)[0]


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
    now = now or datetime.now(UTC)
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
    from mesa_tui.services.desk import Desk, NewTicket

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
            desk.wait(
                holder, info.id, rng.choice(("Esperando respuesta del usuario", "Esperando repuesto del proveedor"))
            )
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
    """A working moment a little after t (about `days` days on average), never after limit."""
    step = calendar_for("office").next_open(t + timedelta(seconds=rng.expovariate(1 / max(days * 86400 * 0.3, 60))))
    return max(t, min(step, limit - timedelta(seconds=1)))


# --- big: bulk inserts -------------------------------------------------------

COLUMNS = (
    "code",
    "version",
    "requester_name",
    "requester_dependency",
    "requester_contact",
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
_DATETIMES = {i for i, c in enumerate(COLUMNS) if c.endswith("_at")}
_SOLUTION = "Se atendió la solicitud y el usuario confirmó el funcionamiento."


def _year_starts(start: datetime, now: datetime, tz) -> list[tuple[float, int]]:
    """(offset in seconds from start, year) where each local year begins."""
    first = start.astimezone(tz).year
    bounds = [(float("-inf"), first)]
    for year in range(first + 1, now.astimezone(tz).year + 1):
        bounds.append(((datetime(year, 1, 1, tzinfo=tz) - start).total_seconds(), year))
    return bounds


def _rows(offsets, start: datetime, span_s: float, now: datetime, rng: random.Random, ref: dict, year_counts):
    """Yield ticket rows as tuples in COLUMNS order, with consistent SLA clocks.

    The clocks are computed with the calendar directly (as Clock would) because
    building a million Clock objects costs more than the insert itself.
    `year_counts` (the last sequence number per year) is advanced in place.
    """
    cals = {"office": calendar_for("office"), "24x7": calendar_for("24x7")}
    targets = ref["targets"]
    us = timedelta(microseconds=1)
    bounds = _year_starts(start, now, cals["office"].tz)
    year_i = 0
    channels = [c.value for c in Channel]
    types = [t.value for t in TicketType]
    type_w = (0.55, 0.35, 0.04, 0.03, 0.02, 0.01)
    natures = list(Nature)
    requesters = [_requester(rng) for _ in range(500)]
    services, agents, l1_group = ref["services"], ref["agents"], ref["l1_group"]
    scale = (1, 2, 2, 3, 3)
    random_ = rng.random
    for off in offsets:
        created = start + timedelta(seconds=off)
        while year_i + 1 < len(bounds) and off >= bounds[year_i + 1][0]:
            year_i += 1
        year = bounds[year_i][1]
        seq = year_counts.get(year, 0) + 1
        year_counts[year] = seq
        status = _pick_status(rng, (span_s - off) / 86400)
        impact, urgency = scale[int(random_() * 5)], scale[int(random_() * 5)]
        ttype = rng.choices(types, type_w)[0]
        priority = DEFAULT_MATRIX[(impact, urgency)].value
        tto_t, ttr_t, kind = targets[priority]
        if priority == "crítica" and ttype == "incidente":
            kind = "24x7"
        cal = cals[kind]
        nature = natures[int(random_() * 5)]
        name, dep, contact = requesters[int(random_() * 500)]
        agent_id, group_id, level = None, l1_group, 1
        first_resp = resolved = closed = solution = mode = wait_reason = None
        tto_consumed = ttr_consumed = timedelta(0)
        tto_anchor = ttr_anchor = created
        tto_stopped = ttr_paused = ttr_stopped = None
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
                solution = _SOLUTION
                mode = "remoto" if random_() < 0.4 else "en_sitio"
                if status == Status.CERRADO:
                    closed = resolved + timedelta(hours=1 + random_() * 69)
                    if closed >= now:
                        status, closed = Status.RESUELTO, None
        base = tto_anchor or tto_stopped
        tto_due = cal.add(created, tto_t) if tto_anchor else cal.add(base, tto_t - tto_consumed)
        ttr_due = cal.add(created, ttr_t) if ttr_anchor else cal.add(ttr_stopped or ttr_paused, ttr_t - ttr_consumed)
        yield (
            f"MDA-{year}-{seq:06d}",
            1,
            name,
            dep,
            contact,
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


def _reference(db: Database) -> tuple[dict, dict[int, int]]:
    with db.read() as s:
        services = list(s.exec(select(CatalogService.id).where(CatalogService.active.is_(True))).all())
        agents = list(s.exec(select(Agent.id, Agent.group_id, Agent.level).where(Agent.role == "agent")).all())
        groups = {g.id: g.level for g in s.exec(select(SupportGroup)).all()}
        policies = {
            p.priority: (p.tto_minutes, p.ttr_minutes, p.calendar)
            for p in s.exec(
                select(SlaPolicy).where(SlaPolicy.service_id.is_(None), SlaPolicy.category_id.is_(None))
            ).all()
        }
        year_counts = {int(n.split(":")[1]): v for n, v in s.exec(select(Counter.name, Counter.value)).all()}
    targets = {}
    for pr in ("crítica", "alta", "media", "baja"):
        if pr in policies:
            tto_m, ttr_m, kind = policies[pr]
            targets[pr] = (timedelta(minutes=tto_m), timedelta(minutes=ttr_m), kind)
        else:
            d = default_targets(pr)
            targets[pr] = (d.tto, d.ttr, d.calendar)
    ref = {
        "services": services,
        "agents": agents,
        "l1_group": min(g for g, lvl in groups.items() if lvl == 1),
        "targets": targets,
    }
    return ref, year_counts


def _sqlite_value(v, _utc=UTC):
    # SQLAlchemy's SQLite DATETIME text format, in UTC.
    return v.astimezone(_utc).replace(tzinfo=None).isoformat(" ", "microseconds")


def _span(count: int, now: datetime) -> tuple[datetime, float]:
    # Two years for a million tickets, a few months for fewer.
    span = timedelta(days=min(730, max(60, count // 1400)))
    return now - span, span.total_seconds()


def _bulk(db: Database, count: int, seed: int, now: datetime) -> int:
    rng = random.Random(seed)
    ref, year_counts = _reference(db)
    start, span_s = _span(count, now)
    offsets = sorted(rng.random() * span_s for _ in range(count))
    chunk = 50_000
    made = 0
    with db.read() as s:
        before = s.exec(sa.select(sa.func.coalesce(sa.func.max(Ticket.id), 0))).one()[0]
    if db.is_sqlite:
        made = _bulk_sqlite(db.engine.url.database, offsets, start, span_s, now, seed, ref, year_counts)
    with db.engine.begin() as conn:
        if not db.is_sqlite:
            rows = _rows(offsets, start, span_s, now, rng, ref, year_counts)
            table = Ticket.__table__
            batch = []
            for row in rows:
                batch.append(dict(zip(COLUMNS, row)))
                if len(batch) >= chunk:
                    conn.execute(sa.insert(table), batch)
                    made, batch = made + len(batch), []
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
                "SELECT id, 'ticket', code, created_at, NULL, 'registrar', '{}', 'Datos de demostración' "
                "FROM ticket WHERE id > :before ORDER BY id"
            ),
            {"before": before},
        )
    return made


def _generate_part(job: tuple) -> dict[int, int]:
    """Worker: write rows for one slice of the offsets into a scratch SQLite file."""
    import sqlite3

    path, offsets, start, span_s, now, seed, ref, year_counts = job
    rows = _rows(offsets, start, span_s, now, random.Random(seed), ref, year_counts)
    dt_idx = sorted(_DATETIMES)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(f"CREATE TABLE part ({', '.join(COLUMNS)})")
    sql = f"INSERT INTO part VALUES ({', '.join('?' * len(COLUMNS))})"
    batch = []
    for row in rows:
        row = list(row)
        done: dict[int, str] = {}  # a row repeats the same instants (anchor = created...)
        for i in dt_idx:
            v = row[i]
            if v is not None:
                text = done.get(id(v))
                if text is None:
                    text = done[id(v)] = _sqlite_value(v)
                row[i] = text
        batch.append(row)
        if len(batch) >= 50_000:
            con.executemany(sql, batch)
            batch = []
    if batch:
        con.executemany(sql, batch)
    con.commit()
    con.close()
    return year_counts


def _bulk_sqlite(path, offsets, start, span_s, now, seed, ref, year_counts) -> int:
    """Rows are made by one worker process per core, each into a scratch file,
    then copied in by SQLite itself in one transaction; the ticket indexes are
    rebuilt once at the end (maintaining them row by row costs more than sorting once)."""
    import bisect
    import os
    import sqlite3
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    parts = max(1, min(os.cpu_count() or 1, len(offsets) // 50_000))
    size = -(-len(offsets) // parts)
    bounds = _year_starts(start, now, calendar_for("office").tz)
    tmp = tempfile.mkdtemp(prefix="mesa-demo-")
    jobs = []
    for p in range(parts):
        lo = p * size
        counts = dict(year_counts)
        for i, (threshold, year) in enumerate(bounds):
            upper = bounds[i + 1][0] if i + 1 < len(bounds) else float("inf")
            before = bisect.bisect_left(offsets, upper, 0, lo) - bisect.bisect_left(offsets, threshold, 0, lo)
            counts[year] = counts.get(year, 0) + before
        part_path = os.path.join(tmp, f"part{p}.db")
        jobs.append((part_path, offsets[lo : lo + size], start, span_s, now, seed * 1000 + p, ref, counts))
    with ProcessPoolExecutor(max_workers=parts, mp_context=get_context("spawn")) as pool:
        finals = list(pool.map(_generate_part, jobs))
    for counts in finals:
        for year, value in counts.items():
            year_counts[year] = max(year_counts.get(year, 0), value)
    cols = ", ".join(COLUMNS)
    made = 0
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        for p, job in enumerate(jobs):
            con.execute(f"ATTACH DATABASE ? AS part{p}", (job[0],))
        con.execute("BEGIN IMMEDIATE")
        indexes = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticket' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in indexes:
            con.execute(f'DROP INDEX "{name}"')
        for p in range(len(jobs)):
            made += con.execute(f"INSERT INTO ticket ({cols}) SELECT {cols} FROM part{p}.part ORDER BY rowid").rowcount
        for _name, index_sql in indexes:
            con.execute(index_sql)
        con.execute("COMMIT")
        for p in range(len(jobs)):
            con.execute(f"DETACH DATABASE part{p}")
    finally:
        con.close()
        for job in jobs:
            os.remove(job[0])
        os.rmdir(tmp)
    return made
