"""Demo data: the agents of a city hall's IT office and tickets in every status.

Up to FULL_HISTORY_LIMIT tickets are worked through the real use cases (each
with its whole audited history); above that, tickets are bulk-inserted with
Core inserts and consistent SLA clocks, plus one "registrar" event each, so a
million tickets load in seconds.

The demo goes only into a new desk (no staff, no tickets) unless forced, never
changes an existing agent, and audits every agent it creates (by "sistema").
`operator` names the OS login of whoever installs it, made an administrator of
the new desk so `mesa --as supervisor` works for them: only on a new desk.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.vocab import Channel, Nature, SolutionMode, Status, TicketType
from mesa_tui.services.clock import utcnow
from mesa_tui.services.desk import Desk, NewTicket
from mesa_tui.services.errors import PermissionDenied, ValidationError
from mesa_tui.store import admin_repo, audit, catalog_repo, demo_bulk, demo_people, identity_repo, tickets_repo
from mesa_tui.store.demo_people import pool_size
from mesa_tui.store.demo_rows import DURATIONS, SOLUTION, SUBJECTS, pick_status
from mesa_tui.store.engine import Database

if TYPE_CHECKING:
    from mesa_tui.store.engine import Session

FULL_HISTORY_LIMIT = 2000
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


def ensure_staff(s: Session, now: datetime | None = None, operator: str | None = None) -> int:
    """Add the demo staff that is missing (inside the caller's transaction), each with
    its "crear" event by the system actor; `operator` joins as an administrator.
    Existing agents are left as they are. Returns how many agents the demo has."""
    staff = list(STAFF)
    if operator:
        if operator in {row[0] for row in STAFF}:
            raise ValidationError(
                "operator", f"«{operator}» es uno de los agentes de la demostración: indique otro usuario."
            )
        staff.append((operator, f"Administrador ({operator})", "admin", "Mesa de ayuda"))
    system = identity_repo.system_actor(s)
    at = now or utcnow()
    for agent in admin_repo.add_missing_agents(s, staff):
        fields: dict[str, object] = {"login": agent.login, "full_name": agent.full_name, "role": agent.role}
        fields |= {"level": agent.level, "group_id": agent.group_id}
        note = "Datos de demostración" + (": quien la instaló" if agent.login == operator else "")
        audit.write_event(
            s,
            actor_id=system.id,
            action="crear",
            at=at,
            changes={f: (None, v) for f, v in fields.items()},
            note=note,
            entity="agent",
            entity_key=str(agent.id),
        )
    return len(staff)


def generate(
    db: Database,
    tickets: int,
    seed: int = 7,
    now: datetime | None = None,
    operator: str | None = None,
    force: bool = False,
) -> dict[str, int]:
    now = now or utcnow()

    def setup(s: Session) -> int:
        if not catalog_repo.service_id_by_code(s):
            raise ValidationError(
                "catalog", "El catálogo está vacío: cargue primero db/catalog.tsv con `mesa catalog import`."
            )
        fresh = identity_repo.staff_count(s) == 0 and identity_repo.ticket_count(s) == 0
        if not fresh and operator:
            raise PermissionDenied("--operator solo se admite en una mesa nueva: esta ya tiene agentes o casos.")
        if not fresh and not force:
            raise PermissionDenied(
                "Esta mesa ya tiene agentes o casos: la demostración solo se instala en una mesa nueva "
                "(--force la agrega de todos modos, sin cambiar a ningún agente existente)."
            )
        return ensure_staff(s, now, operator)

    agents = db.write(setup)
    if tickets <= 0:
        made = 0
    elif tickets <= FULL_HISTORY_LIMIT:
        made = _with_history(db, tickets, seed, now)
    else:
        made = demo_bulk.insert_tickets(db, tickets, seed, now)
    with db.read() as s:
        events = audit.count_events(s)
    return {"tickets": made, "agents": agents, "events": events}


def _with_history(db: Database, count: int, seed: int, now: datetime) -> int:
    rng = random.Random(seed)
    clock = {"now": now}
    desk = Desk(db, now=lambda: clock["now"])
    office = calendar_for("office")
    with db.read() as s:
        services = catalog_repo.active_service_codes(s)
        actors = {a.login: a for a in tickets_repo.list_agents(s)}  # the active ones
    l1 = [a for a in actors.values() if a.role == "agent" and a.level == 1]
    supervisor = actors.get("supervisor")
    if supervisor is None or not supervisor.is_supervisor or not l1:
        raise ValidationError(
            "staff", "Los agentes de la demostración están inactivos o cambiaron de rol en esta mesa."
        )
    start = now - timedelta(days=150)
    people = db.write(lambda s: demo_people.ensure_people(s, random.Random(seed), pool_size(count), start))
    moments = sorted(
        office.next_open(start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))) for _ in range(count)
    )
    for created in moments:
        if created >= now:
            created = now - timedelta(minutes=rng.randint(5, 600))
        age_days = (now - created).total_seconds() / 86400
        target = pick_status(rng, age_days)
        nature = rng.choice(list(Nature))
        person_id, name, dep, contact = rng.choice(people)
        ttype = rng.choices(list(TicketType), (0.55, 0.35, 0.04, 0.03, 0.02, 0.01))[0]
        clock["now"] = created
        info = desk.log(
            supervisor if rng.random() < 0.2 else rng.choice(l1),
            NewTicket(
                requester_name=name,
                requester_dependency=dep,
                requester_contact=contact,
                requester_id=person_id,
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
        desk.resolve(holder, info.id, SOLUTION, mode.value)
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
