"""The ticket use cases of Desk against a real database file (or PostgreSQL).

Every refusal (transition, role, validation, stale version) is checked to leave
the ticket row and the audit trail exactly as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.tickets import CommentInfo, EventInfo
from mesa_tui.domain.vocab import Status
from mesa_tui.domain.workflow import TRANSITIONS, Action
from mesa_tui.services.desk import NewTicket
from mesa_tui.services.errors import (
    ConflictError,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from mesa_tui.store.models import (
    Agent,
    CatalogService,
    Comment,
    Counter,
    PriorityRule,
    Setting,
    SupportGroup,
    Survey,
    Ticket,
    TicketEvent,
)
from tests.support import actor_of, pin_sla_targets, system_of

BOGOTA = ZoneInfo("America/Bogota")
OFFICE = BusinessCalendar.office()
H = timedelta(hours=1)

# Known SLA targets (minutes) so the due times below are exact.
TARGETS = {"crítica": (30, 240), "alta": (60, 480), "media": (120, 960), "baja": (240, 2400)}


def bogota(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BOGOTA).astimezone(UTC)


def new(**over) -> NewTicket:
    base = NewTicket(
        requester_name="María Gómez Torres",
        requester_dependency="Secretaría de Hacienda",
        requester_contact="mgomez@cartagena.gov.co",
        channel="correo",
        service_code="SER-004",
        type="incidente",
        subject="No abre Outlook",
        description="Desde esta mañana Outlook se cierra al abrir.",
        impact=2,
        urgency=2,
    )
    return replace(base, **over)


# --- fixtures and helpers -----------------------------------------------------


@pytest.fixture
def targets(db):
    """Pin the default SLA policies to TARGETS (office calendar)."""

    pin_sla_targets(db, TARGETS)
    return {p: (timedelta(minutes=a), timedelta(minutes=b)) for p, (a, b) in TARGETS.items()}


class Staff(dict):
    def __getattr__(self, login):
        return self[login]


@pytest.fixture
def staff(desk) -> Staff:
    with desk.db.read() as s:
        logins = s.exec(select(Agent.login).where(Agent.role != "sistema")).all()
    return Staff({login: actor_of(desk, login) for login in logins})


def group_id(db, name: str) -> int:
    with db.read() as s:
        return s.exec(select(SupportGroup.id).where(SupportGroup.name == name)).one()


def row(db, ticket_id: int) -> dict:
    with db.read() as s:
        return s.get(Ticket, ticket_id).model_dump()


def counts(db) -> dict[str, int]:
    with db.read() as s:
        n = lambda model: s.exec(select(func.count()).select_from(model)).one()  # noqa: E731
        return {
            "tickets": n(Ticket),
            "events": n(TicketEvent),
            "comments": n(Comment),
            "surveys": n(Survey),
            "counter": sum(s.exec(select(Counter.value)).all()),
        }


def events(db, ticket_id: int) -> list[SimpleNamespace]:
    """The ticket's audit events as stored, oldest first."""
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        return [SimpleNamespace(**e.model_dump()) for e in s.exec(q).all()]


def deactivate(db, model, field: str, value: str) -> None:
    """Mark the catalog service or agent whose `field` is `value` inactive."""
    db.write(lambda s: setattr(s.exec(select(model).where(getattr(model, field) == value)).one(), "active", False))


def changes(ev) -> dict:
    return json.loads(ev.changes)


class Unchanged:
    """Context manager: the block must change neither the ticket nor any table count."""

    def __init__(self, db, ticket_id: int | None = None):
        self.db, self.ticket_id = db, ticket_id

    def __enter__(self):
        self.counts = counts(self.db)
        self.row = row(self.db, self.ticket_id) if self.ticket_id else None
        return self

    def __exit__(self, *exc):
        assert counts(self.db) == self.counts
        if self.ticket_id:
            assert row(self.db, self.ticket_id) == self.row
        return False


def in_status(desk, staff, now, status: str):
    """A ticket brought to `status` through the use cases (held by jperez when held)."""
    sup, agent = staff.supervisor, staff.jperez
    t = desk.log(agent, new())
    now.advance(minutes=5)
    if status == Status.NUEVO:
        return desk.get(system_of(desk), t.id)
    if status == Status.ANULADO:
        return desk.cancel(sup, t.id, "Caso duplicado")
    if status == Status.ASIGNADO:
        return desk.assign(sup, t.id, agent_login="jperez")
    t = desk.take(agent, t.id)
    if status == Status.EN_PROCESO:
        return t
    if status == Status.EN_ESPERA:
        return desk.wait(agent, t.id, "Esperando respuesta del usuario")
    now.advance(minutes=30)
    t = desk.resolve(agent, t.id, "Se reinstaló Outlook.", "remoto")
    if status == Status.RESUELTO:
        return t
    now.advance(minutes=30)
    return desk.close(agent, t.id, "El usuario confirmó")


# --- log ------------------------------------------------------------------------


def test_log_registers_a_new_ticket_with_code_clocks_and_event(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    assert re.fullmatch(r"MDA-2026-\d{6}", t.code)
    assert t.code == "MDA-2026-000001"
    assert t.status == "nuevo" and t.version == 1
    assert (t.service_code, t.type, t.channel, t.priority) == ("SER-004", "incidente", "correo", "media")
    assert t.requester_name == "María Gómez Torres" and t.requester_contact == "mgomez@cartagena.gov.co"
    assert t.level == 1 and t.group_name == "Mesa de ayuda" and t.agent_id is None
    assert t.created_by_name == staff.jperez.full_name
    assert t.created_at == now() and t.legal_due_on is None and t.nature is None
    # Both SLA clocks run from now, on the office calendar.
    tto, ttr = targets["media"]
    assert t.sla_calendar == "office"
    assert not t.tto.stopped and not t.ttr.stopped and not t.tto.paused
    assert t.tto_due_at == OFFICE.add(now(), tto) == bogota(2026, 11, 18, 11)
    assert t.ttr_due_at == OFFICE.add(now(), ttr)
    assert t.due_at == t.tto_due_at
    assert desk.log(staff.jperez, new()).code == "MDA-2026-000002"

    (ev,) = events(desk.db, t.id)
    assert ev.action == "registrar" and ev.actor_id == staff.jperez.id and ev.at == now()
    ch = changes(ev)
    assert ch["status"] == [None, "nuevo"]
    assert ch["priority"] == [None, "media"]
    assert ch["version"] == [None, 1]
    assert all(old is None for old, _ in ch.values())
    assert ev.note == "Canal: Correo electrónico"


def test_codes_restart_each_year_in_bogota_time(desk, staff, now):
    desk.log(staff.jperez, new())
    now.set(bogota(2027, 1, 5, 8, 30))
    assert desk.log(staff.jperez, new()).code == "MDA-2027-000001"
    # 31 Dec 20:00 in Bogotá is already 1 January in UTC: still a 2026 ticket.
    now.set(bogota(2026, 12, 31, 20))
    assert desk.log(staff.jperez, new()).code == "MDA-2026-000002"


def test_pqrs_gets_its_legal_deadline_in_business_days(desk, staff, now):
    t = desk.log(staff.jperez, new(type="peticion", subject="Derecho de petición: copia del contrato"))
    # Wed 18 Nov 2026 + 15 business days skips weekends and 8 December (Inmaculada Concepción).
    assert t.legal_due_on == date(2026, 12, 10)
    assert t.legal_due_on == OFFICE.add_business_days(now(), 15)
    assert changes(events(desk.db, t.id)[0])["legal_due_on"] == [None, "2026-12-10"]
    ten = desk.log(staff.jperez, new(type="queja", legal_days=10))
    assert ten.legal_due_on == OFFICE.add_business_days(now(), 10) == date(2026, 12, 2)
    thirty = desk.log(staff.jperez, new(type="reclamo", legal_days=30))
    assert thirty.legal_due_on == OFFICE.add_business_days(now(), 30)
    assert desk.log(staff.jperez, new(type="requerimiento")).legal_due_on is None


def test_a_closure_day_moves_the_legal_deadline(desk, staff, now):
    from mesa_tui.store.models import CalendarClosure

    desk.db.write(lambda s: s.add(CalendarClosure(day=date(2026, 11, 27), reason="Jornada de inventario")))
    t = desk.log(staff.jperez, new(type="peticion"))
    assert t.legal_due_on == date(2026, 12, 11)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"requester_name": ""}, "requester_name"),
        ({"requester_name": "   "}, "requester_name"),
        ({"requester_dependency": "x" * 121}, "requester_dependency"),
        ({"requester_contact": ""}, "requester_contact"),
        ({"requester_contact": "mgomez@"}, "requester_contact"),
        ({"requester_contact": "123"}, "requester_contact"),
        ({"channel": "fax"}, "channel"),
        ({"type": "problema"}, "type"),
        ({"subject": ""}, "subject"),
        ({"subject": "  \t "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"impact": 7}, "impact"),
        ({"impact": 0}, "impact"),
        ({"impact": "1"}, "impact"),
        ({"urgency": 4}, "urgency"),
        ({"urgency": True}, "urgency"),
        ({"service_code": "SER-999"}, "service"),
        ({"service_code": "SER-028"}, "service"),
        ({"service_code": ""}, "service"),
        ({"type": "peticion", "legal_days": 20}, "legal_days"),
    ],
)
def test_log_refuses_bad_input_naming_the_field_and_writes_nothing(desk, staff, over, field):
    with Unchanged(desk.db), pytest.raises(ValidationError) as exc:
        desk.log(staff.jperez, new(**over))
    assert exc.value.field == field
    assert exc.value.message
    # No ticket code was spent on the refusal.
    assert desk.log(staff.jperez, new()).code == "MDA-2026-000001"


def test_log_refuses_an_inactive_service(desk, staff):
    deactivate(desk.db, CatalogService, "code", "SER-010")
    with Unchanged(desk.db), pytest.raises(ValidationError) as exc:
        desk.log(staff.jperez, new(service_code="SER-010"))
    assert exc.value.field == "service" and "SER-010" in exc.value.message and "inactivo" in exc.value.message


def test_log_accepts_a_phone_and_lowercase_service_code(desk, staff):
    t = desk.log(staff.jperez, new(requester_contact="300 123 4567", service_code=" ser-001 "))
    assert t.service_code == "SER-001" and t.requester_contact == "300 123 4567"


# --- classify -------------------------------------------------------------------


def test_classify_sets_priority_from_the_matrix_and_nature(desk, staff, now):
    t = desk.log(staff.jperez, new(impact=3, urgency=3))
    assert t.priority == "baja"
    now.advance(minutes=10)
    c = desk.classify(staff.jperez, t.id, impact=1, urgency=2, nature="software")
    assert (c.impact, c.urgency, c.priority, c.nature, c.status) == (1, 2, "alta", "software", "nuevo")
    assert c.version == 2
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "clasificar"
    ch = changes(ev)
    assert ch["priority"] == ["baja", "alta"] and ch["nature"] == [None, "software"]
    assert ch["impact"] == [3, 1] and ch["urgency"] == [3, 2] and ch["version"] == [1, 2]


def test_the_priority_matrix_is_read_from_the_database(desk, staff):
    def edit(s):
        s.get(PriorityRule, (2, 2)).priority = "alta"

    desk.db.write(edit)
    assert desk.log(staff.jperez, new(impact=2, urgency=2)).priority == "alta"
    t = desk.log(staff.jperez, new(impact=3, urgency=3))
    assert desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="red").priority == "alta"


def test_classify_can_change_type_and_service(desk, staff):
    t = desk.log(staff.jperez, new())
    c = desk.classify(
        staff.jperez, t.id, impact=2, urgency=2, nature="accesos", type="requerimiento", service_code="ser-019"
    )
    assert (c.type, c.service_code, c.nature) == ("requerimiento", "SER-019", "accesos")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"impact": 7}, "impact"),
        ({"urgency": 0}, "urgency"),
        ({"impact": None}, "impact"),
        ({"nature": "magia"}, "nature"),
        ({"type": "problema"}, "type"),
        ({"service_code": "SER-999"}, "service"),
    ],
)
def test_classify_refuses_bad_input_naming_the_field(desk, staff, kw, field):
    t = desk.log(staff.jperez, new())
    args = {"impact": 1, "urgency": 1, "nature": "hardware", **kw}
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.classify(staff.jperez, t.id, **args)
    assert exc.value.field == field


def test_reclassifying_as_pqrs_gives_the_legal_deadline_from_the_filing_date(desk, staff, now):
    filed = now()
    t = desk.log(staff.jperez, new())
    now.set(bogota(2026, 11, 20, 9))
    p = desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="otro", type="queja")
    assert p.legal_due_on == OFFICE.add_business_days(filed, 15) == date(2026, 12, 10)
    assert changes(events(desk.db, t.id)[-1])["legal_due_on"] == [None, "2026-12-10"]
    # Another PQRS type keeps the term already running; leaving PQRS drops it
    # (a supervisor's call on a ticket nobody holds, with a reason: test_classify_rights.py).
    assert (
        desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="otro", type="reclamo").legal_due_on
        == p.legal_due_on
    )
    left = desk.classify(
        staff.supervisor, t.id, impact=2, urgency=2, nature="otro", type="requerimiento", reason="No es un reclamo"
    )
    assert left.legal_due_on is None


def test_classify_refuses_an_inactive_service(desk, staff):
    t = desk.log(staff.jperez, new())

    deactivate(desk.db, CatalogService, "code", "SER-010")
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="otro", service_code="SER-010")
    assert exc.value.field == "service"


def test_an_agent_may_not_change_the_priority_of_a_classified_ticket(desk, staff):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="software")
    with Unchanged(desk.db, t.id), pytest.raises(PermissionDenied) as exc:
        desk.classify(staff.jperez, t.id, impact=1, urgency=1, nature="software")
    assert "supervisor" in exc.value.message
    # Same priority, other nature: allowed. A supervisor may change the priority.
    assert desk.classify(staff.jperez, t.id, impact=3, urgency=1, nature="red").priority == "media"
    assert desk.classify(staff.supervisor, t.id, impact=1, urgency=1, nature="red").priority == "crítica"


# --- take and assign ------------------------------------------------------------


def test_take_is_the_first_response(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    now.advance(minutes=45)
    k = desk.take(staff.lmarrugo, t.id, expected_version=t.version)
    assert k.status == "en_proceso" and k.agent_id == staff.lmarrugo.id and k.version == 2
    assert k.agent_name == staff.lmarrugo.full_name and k.group_name == "Mesa de ayuda"
    assert k.first_response_at == now()
    assert k.tto.stopped_at == now() and k.tto.stopped and not k.ttr.stopped
    assert row(desk.db, t.id)["tto_met"] is True
    assert k.due_at == k.ttr_due_at  # the queue now sorts by resolution
    ch = changes(events(desk.db, t.id)[-1])
    assert ch["agent_id"] == [None, staff.lmarrugo.id]
    assert ch["status"] == ["nuevo", "en_proceso"]
    assert ch["tto_met"] == [None, True]
    assert ch["first_response_at"][0] is None
    assert datetime.fromisoformat(ch["first_response_at"][1]) == now()


def test_taking_late_records_the_response_target_as_missed(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())  # media: 2 business hours to respond
    now.set(bogota(2026, 11, 18, 11, 1))
    desk.take(staff.jperez, t.id)
    assert row(desk.db, t.id)["tto_met"] is False


def test_a_specialist_taking_moves_the_ticket_to_their_group(desk, staff):
    t = desk.log(staff.jperez, new())
    k = desk.take(staff.hbarrios, t.id)
    assert (k.group_name, k.level, k.agent_id) == ("Infraestructura y redes", 2, staff.hbarrios.id)


def test_assign_to_an_agent_and_to_a_group(desk, staff):
    t = desk.log(staff.jperez, new())
    a = desk.assign(staff.supervisor, t.id, agent_login="jperez", note="Turno de la mañana")
    assert (a.status, a.agent_id, a.level, a.group_name) == ("asignado", staff.jperez.id, 1, "Mesa de ayuda")
    assert events(desk.db, t.id)[-1].note == "Turno de la mañana"
    # A supervisor reassigns anyone's ticket; the agent's group comes along.
    b = desk.assign(staff.supervisor, t.id, agent_login="rcaraballo")
    assert (b.agent_id, b.level, b.group_name) == (staff.rcaraballo.id, 2, "Software y aplicaciones")
    # To a group only: nobody holds it.
    sec = group_id(desk.db, "Seguridad informática")
    c = desk.assign(staff.supervisor, t.id, group_id=sec)
    assert (c.agent_id, c.level, c.group_id) == (None, 2, sec)
    # An assignment is not a response to the requester.
    assert c.first_response_at is None and not c.tto.stopped


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({}, "agent"),
        ({"agent_login": "nadie"}, "agent"),
        ({"group_id": 9999}, "group"),
    ],
)
def test_assign_refuses_bad_input(desk, staff, kw, field):
    t = desk.log(staff.jperez, new())
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.assign(staff.supervisor, t.id, **kw)
    assert exc.value.field == field


def test_assign_refuses_an_inactive_agent(desk, staff):
    t = desk.log(staff.jperez, new())

    deactivate(desk.db, Agent, "login", "vsalas")
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.assign(staff.supervisor, t.id, agent_login="vsalas")
    assert exc.value.field == "agent"


# --- escalate -------------------------------------------------------------------


def test_escalate_climbs_the_levels_and_keeps_the_sla(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    t = desk.take(staff.jperez, t.id)
    now.advance(hours=1)
    e = desk.escalate(staff.jperez, t.id, "Requiere revisión del servidor de correo")
    assert (e.level, e.group_name, e.agent_id, e.status) == (2, "Infraestructura y redes", None, "asignado")
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "escalar" and ev.note == "Requiere revisión del servidor de correo"
    assert changes(ev)["level"] == [1, 2] and changes(ev)["agent_id"] == [staff.jperez.id, None]
    for field in ("priority", "sla_calendar", "tto_due_at", "ttr_due_at", "due_at"):
        assert getattr(e, field) == getattr(t, field)
    e3 = desk.escalate(staff.hbarrios, t.id, "Garantía del proveedor")
    assert (e3.level, e3.group_name) == (3, "Proveedor externo")
    assert e3.ttr_due_at == t.ttr_due_at
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.escalate(staff.proveedor, t.id, "Más arriba")
    assert exc.value.field == "group" and "nivel 3" in exc.value.message


def test_escalate_to_another_group(desk, staff):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    sec = group_id(desk.db, "Seguridad informática")
    e = desk.escalate(staff.jperez, t.id, "Posible phishing", group_id=sec)
    assert (e.group_id, e.level) == (sec, 2)
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.escalate(staff.supervisor, t.id, "Otra vez", group_id=sec)
    assert exc.value.field == "group"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_escalate_needs_a_reason(desk, staff, reason):
    t = desk.log(staff.jperez, new())
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.escalate(staff.jperez, t.id, reason)
    assert exc.value.field == "reason"


# --- wait and resume --------------------------------------------------------------


def test_wait_pauses_and_resume_moves_the_due_time_by_the_paused_business_time(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    t = desk.take(staff.jperez, t.id)
    due = t.ttr_due_at
    now.set(bogota(2026, 11, 18, 17))
    w = desk.wait(staff.jperez, t.id, "Esperando respuesta del usuario")
    assert w.status == "en_espera" and w.wait_reason == "Esperando respuesta del usuario"
    assert w.ttr.paused and w.ttr.paused_at == now()
    assert events(desk.db, t.id)[-1].note == "Esperando respuesta del usuario"
    # Paused from Wed 17:00 to Thu 10:00: 1 h on Wednesday + 2 h on Thursday.
    now.set(bogota(2026, 11, 19, 10))
    r = desk.resume(staff.jperez, t.id, "El usuario respondió")
    assert r.status == "en_proceso" and r.wait_reason is None and not r.ttr.paused
    assert r.ttr_due_at == OFFICE.add(due, 3 * H)
    assert OFFICE.between(due, r.ttr_due_at) == OFFICE.between(bogota(2026, 11, 18, 17), now())
    assert r.due_at == r.ttr_due_at
    ch = changes(events(desk.db, t.id)[-1])
    assert ch["status"] == ["en_espera", "en_proceso"]
    assert ch["wait_reason"] == ["Esperando respuesta del usuario", None]


def test_wait_before_the_first_response_pauses_both_clocks(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    t = desk.assign(staff.supervisor, t.id, agent_login="jperez")
    now.advance(hours=1)
    w = desk.wait(staff.jperez, t.id, "Esperando el número de inventario")
    assert w.tto.paused and w.ttr.paused
    now.advance(hours=2)
    r = desk.resume(staff.jperez, t.id)
    assert r.tto_due_at == OFFICE.add(t.tto_due_at, 2 * H)
    assert r.ttr_due_at == OFFICE.add(t.ttr_due_at, 2 * H)


def test_wait_needs_a_reason(desk, staff):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.wait(staff.jperez, t.id, "")
    assert exc.value.field == "reason"
    long = "x" * 201
    with pytest.raises(ValidationError) as exc:
        desk.wait(staff.jperez, t.id, long)
    assert exc.value.field == "reason"


# --- resolve, close, reopen, cancel ---------------------------------------------------


def test_resolve_stops_the_resolution_clock_and_stores_the_outcome(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    now.set(bogota(2026, 11, 19, 14, 59))  # media: 16 business hours, due Thu 15:00
    r = desk.resolve(staff.jperez, t.id, "  Se reconfiguró el perfil de Outlook.  ", "remoto")
    assert r.status == "resuelto" and r.resolved_at == now()
    assert (r.solution, r.solution_mode) == ("Se reconfiguró el perfil de Outlook.", "remoto")
    assert r.ttr.stopped_at == now()
    assert row(desk.db, t.id)["ttr_met"] is True
    ch = changes(events(desk.db, t.id)[-1])
    assert ch["ttr_met"] == [None, True] and ch["status"] == ["en_proceso", "resuelto"]
    assert ch["solution_mode"] == [None, "remoto"]


def test_resolving_late_stores_incumplido(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    now.set(bogota(2026, 11, 19, 15, 1))
    desk.resolve(staff.jperez, t.id, "Se cambió el disco.", "en_sitio")
    assert row(desk.db, t.id)["ttr_met"] is False


def test_resolve_without_a_response_is_also_the_first_response(desk, staff, now):
    t = desk.log(staff.jperez, new())
    now.advance(minutes=20)
    r = desk.resolve(staff.jperez, t.id, "Se explicó por teléfono cómo hacerlo.", "remoto")
    assert r.first_response_at == now() and r.tto.stopped and r.agent_id == staff.jperez.id


def test_resolve_from_waiting_does_not_charge_the_wait(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    now.advance(hours=1)
    desk.wait(staff.jperez, t.id, "Esperando el repuesto")
    now.set(bogota(2026, 11, 20, 16))  # two business days later: the wait is not charged
    r = desk.resolve(staff.jperez, t.id, "Llegó el repuesto y se instaló.", "en_sitio")
    assert r.status == "resuelto" and r.wait_reason is None
    assert r.ttr.consumed == H
    assert row(desk.db, t.id)["ttr_met"] is True


@pytest.mark.parametrize(
    ("solution", "mode", "field"),
    [
        ("", "remoto", "solution"),
        ("   ", "remoto", "solution"),
        (None, "remoto", "solution"),
        ("Listo", "", "mode"),
        ("Listo", None, "mode"),
        ("Listo", "telepatía", "mode"),
    ],
)
def test_resolve_needs_a_solution_and_how(desk, staff, solution, mode, field):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.resolve(staff.jperez, t.id, solution, mode)
    assert exc.value.field == field


def test_close_a_resolved_ticket(desk, staff, now):
    t = in_status(desk, staff, now, "resuelto")
    now.advance(hours=1)
    c = desk.close(staff.jperez, t.id, "El usuario confirmó la solución")
    assert c.status == "cerrado" and c.closed_at == now()
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "cerrar" and ev.note == "El usuario confirmó la solución"
    assert changes(ev)["status"] == ["resuelto", "cerrado"]


def test_reopen_does_not_charge_the_time_spent_resolved(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    now.set(bogota(2026, 11, 18, 11))  # 2 of 16 business hours used
    desk.resolve(staff.jperez, t.id, "Se reinició el servicio.", "remoto")
    now.set(bogota(2026, 11, 20, 10))
    o = desk.reopen(staff.jperez, t.id, "El usuario reporta que volvió a fallar")
    assert o.status == "en_proceso"
    assert (o.resolved_at, o.solution, o.solution_mode) == (None, None, None)
    assert not o.ttr.stopped and o.ttr.remaining(OFFICE, now()) == 14 * H
    assert o.ttr_due_at == OFFICE.add(now(), 14 * H) == bogota(2026, 11, 23, 15)
    assert row(desk.db, t.id)["ttr_met"] is None
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "reabrir" and ev.note == "El usuario reporta que volvió a fallar"
    assert changes(ev)["ttr_met"] == [True, None] and changes(ev)["status"] == ["resuelto", "en_proceso"]
    # Resolved again later: the total counts only the time worked.
    now.advance(hours=1)
    desk.resolve(staff.jperez, t.id, "Se cambió la tarjeta de red.", "en_sitio")
    assert desk.get(system_of(desk), t.id).ttr.consumed == 3 * H


def test_reopen_needs_a_reason(desk, staff, now):
    t = in_status(desk, staff, now, "resuelto")
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.reopen(staff.jperez, t.id, " ")
    assert exc.value.field == "reason"


def test_a_supervisor_cancels_with_a_reason(desk, staff, now):
    t = in_status(desk, staff, now, "en_espera")
    c = desk.cancel(staff.supervisor, t.id, "Duplicado de MDA-2026-000001")
    assert c.status == "anulado" and c.wait_reason is None
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "anular" and ev.note == "Duplicado de MDA-2026-000001"
    fresh = desk.log(staff.jperez, new())
    with Unchanged(desk.db, fresh.id), pytest.raises(ValidationError) as exc:
        desk.cancel(staff.supervisor, fresh.id, "")
    assert exc.value.field == "reason"


# --- comments and timeline ------------------------------------------------------------


def test_internal_comment_changes_nothing_but_is_audited(desk, staff, now):
    t = desk.log(staff.jperez, new())
    desk.assign(staff.supervisor, t.id, agent_login="jperez")
    now.advance(minutes=10)
    c = desk.comment(staff.lmarrugo, t.id, "Revisé el buzón: está lleno.")
    assert c.version == 2 and c.first_response_at is None
    ev = events(desk.db, t.id)[-1]
    assert (ev.action, ev.note, changes(ev)) == ("comentar", "Nota interna", {})
    (com,) = [i for i in desk.timeline(system_of(desk), t.id) if isinstance(i, CommentInfo)]
    assert (com.body, com.public, com.author_name, com.at) == (
        "Revisé el buzón: está lleno.",
        False,
        staff.lmarrugo.full_name,
        now(),
    )


def test_a_public_answer_is_a_first_response_once_the_ticket_is_assigned(desk, staff, now):
    t = desk.log(staff.jperez, new())
    p = desk.comment(staff.jperez, t.id, "Recibimos su solicitud.", public=True)
    assert p.first_response_at is None and p.version == 1
    desk.assign(staff.supervisor, t.id, agent_login="jperez")
    now.advance(minutes=15)
    q = desk.comment(staff.jperez, t.id, "Estamos revisando su buzón.", public=True)
    assert q.first_response_at == now() and q.tto.stopped and q.version == 3
    assert events(desk.db, t.id)[-1].note == "Comentario público"


def test_comment_needs_a_body_and_works_on_closed_tickets(desk, staff, now):
    t = in_status(desk, staff, now, "cerrado")
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.comment(staff.jperez, t.id, "   ")
    assert exc.value.field == "body"
    assert desk.comment(staff.jperez, t.id, "El usuario agradeció.").status == "cerrado"


def test_timeline_is_newest_first_with_comments(desk, staff, now):
    t = desk.log(staff.jperez, new())
    now.advance(minutes=10)
    desk.take(staff.jperez, t.id)
    now.advance(minutes=10)
    desk.comment(staff.jperez, t.id, "Se revisa la licencia.")
    now.advance(minutes=10)
    desk.comment(staff.jperez, t.id, "Ya puede abrir Outlook.", public=True)
    now.advance(minutes=10)
    desk.resolve(staff.jperez, t.id, "Se asignó la licencia.", "remoto")
    items = desk.timeline(system_of(desk), t.id)
    kinds = [i.action if isinstance(i, EventInfo) else ("público" if i.public else "interno") for i in items]
    assert kinds == ["resolver", "público", "comentar", "interno", "comentar", "tomar", "registrar"]
    assert [i.at for i in items] == sorted((i.at for i in items), reverse=True)
    assert items[0].actor_name == staff.jperez.full_name
    assert items[0].changes["status"] == ("en_proceso", "resuelto")
    assert items[-1].changes["status"] == (None, "nuevo")


# --- survey -----------------------------------------------------------------------------


def test_survey_rules(desk, staff, now):
    t = in_status(desk, staff, now, "cerrado")
    for score, comment, field in (
        (9, "", "score"),
        (0, "", "score"),
        (True, "", "score"),
        ("5", "", "score"),
        (1, "", "comment"),
        (2, "  ", "comment"),
    ):
        with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
            desk.survey(staff.jperez, t.id, score, comment)
        assert exc.value.field == field, (score, comment)
    s = desk.survey(staff.jperez, t.id, 2, "La atención tardó demasiado")
    assert s.status == "cerrado" and s.version == t.version
    with desk.db.read() as ses:
        (sv,) = ses.exec(select(Survey)).all()
        assert (sv.ticket_id, sv.score, sv.comment, sv.at) == (t.id, 2, "La atención tardó demasiado", now())
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "encuesta" and "2/5" in ev.note
    # One survey per ticket.
    with Unchanged(desk.db, t.id), pytest.raises(ValidationError) as exc:
        desk.survey(staff.jperez, t.id, 5)
    assert exc.value.field == "score" and t.code in exc.value.message


def test_a_high_score_needs_no_comment(desk, staff, now):
    t = in_status(desk, staff, now, "cerrado")
    desk.survey(staff.jperez, t.id, 5)
    with desk.db.read() as s:
        assert s.exec(select(Survey.score, Survey.comment)).one() == (5, "")


# --- the transition table, both ways ------------------------------------------------------

CALLS = {
    Action.TOMAR: lambda d, a, i: d.take(a, i),
    Action.ASIGNAR: lambda d, a, i: d.assign(a, i, agent_login="lmarrugo"),
    Action.CLASIFICAR: lambda d, a, i: d.classify(a, i, impact=1, urgency=2, nature="red"),
    Action.ESCALAR: lambda d, a, i: d.escalate(a, i, "Requiere especialista"),
    Action.ESPERAR: lambda d, a, i: d.wait(a, i, "Esperando al usuario"),
    Action.REANUDAR: lambda d, a, i: d.resume(a, i, "Respondió"),
    Action.RESOLVER: lambda d, a, i: d.resolve(a, i, "Se solucionó.", "remoto"),
    Action.CERRAR: lambda d, a, i: d.close(a, i, "Confirmado"),
    Action.REABRIR: lambda d, a, i: d.reopen(a, i, "Volvió a fallar"),
    Action.ANULAR: lambda d, a, i: d.cancel(a, i, "Duplicado"),
    Action.COMENTAR: lambda d, a, i: d.comment(a, i, "Nota"),
    Action.ENCUESTA: lambda d, a, i: d.survey(a, i, 4),
}


def test_every_action_of_the_table_has_a_use_case():
    assert set(CALLS) == set(TRANSITIONS)


@pytest.mark.parametrize("status", list(Status))
def test_transitions_follow_the_table(desk, staff, now, status):
    """From `status`, every action the table allows succeeds into the status it names;
    every other one is refused naming the status and the action, changing nothing."""
    for action, call in CALLS.items():
        t = in_status(desk, staff, now, status)
        assert t.status == status
        sources, target = TRANSITIONS[action]
        if status in sources:
            done = call(desk, staff.supervisor, t.id)
            assert done.status == (target or status), action
            assert events(desk.db, t.id)[-1].action == action.value
            continue
        with Unchanged(desk.db, t.id), pytest.raises(TransitionRefused) as exc:
            call(desk, staff.supervisor, t.id)
        assert exc.value.message == f"No se puede {action.verb} un caso en estado «{status.label}».", action


def test_refusal_message_reads_naturally(desk, staff, now):
    t = in_status(desk, staff, now, "en_proceso")
    with pytest.raises(TransitionRefused, match=r"^No se puede cerrar un caso en estado «En proceso»\.$"):
        desk.close(staff.jperez, t.id)
    t = in_status(desk, staff, now, "nuevo")
    with pytest.raises(TransitionRefused, match="No se puede poner en espera un caso en estado «Nuevo»"):
        desk.wait(staff.jperez, t.id, "Esperando")


# --- roles -------------------------------------------------------------------------------

COLLEAGUE_REFUSALS = [
    ("asignado", lambda d, a, i: d.take(a, i)),
    ("en_proceso", lambda d, a, i: d.assign(a, i, agent_login=a.login)),
    ("en_proceso", lambda d, a, i: d.escalate(a, i, "Lo escalo yo")),
    ("en_proceso", lambda d, a, i: d.wait(a, i, "Esperando")),
    ("en_espera", lambda d, a, i: d.resume(a, i)),
    ("en_proceso", lambda d, a, i: d.resolve(a, i, "Listo", "remoto")),
    ("resuelto", lambda d, a, i: d.reopen(a, i, "Falla de nuevo")),
    ("resuelto", lambda d, a, i: d.close(a, i)),
]


@pytest.mark.parametrize(("status", "call"), COLLEAGUE_REFUSALS)
def test_an_agent_may_not_work_a_colleagues_ticket_but_a_supervisor_may(desk, staff, now, status, call):
    t = in_status(desk, staff, now, status)
    assert t.agent_id == staff.jperez.id
    with Unchanged(desk.db, t.id), pytest.raises(PermissionDenied) as exc:
        call(desk, staff.lmarrugo, t.id)
    assert "otro agente" in exc.value.message
    assert call(desk, staff.supervisor, t.id).version == t.version + 1


@pytest.mark.parametrize("status", ["nuevo", "en_proceso"])
def test_an_agent_may_not_cancel_even_their_own_ticket(desk, staff, now, status):
    t = in_status(desk, staff, now, status)
    with Unchanged(desk.db, t.id), pytest.raises(PermissionDenied) as exc:
        desk.cancel(staff.jperez, t.id, "Ya no lo necesita")
    assert exc.value.message == "Solo un supervisor puede anular casos."
    assert desk.cancel(staff.admin, t.id, "Ya no lo necesita").status == "anulado"


def test_a_deactivated_agent_is_refused(desk, staff):
    t = desk.log(staff.jperez, new())

    deactivate(desk.db, Agent, "login", "jperez")
    with Unchanged(desk.db, t.id), pytest.raises(PermissionDenied):
        desk.take(staff.jperez, t.id)
    with Unchanged(desk.db), pytest.raises(PermissionDenied):
        desk.log(staff.jperez, new())


# --- versions --------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_not_an_overwrite(desk, staff, now):
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id, expected_version=t.version)
    with Unchanged(desk.db, t.id), pytest.raises(ConflictError) as exc:
        desk.assign(staff.supervisor, t.id, agent_login="lmarrugo", expected_version=t.version)
    assert t.code in exc.value.message
    assert desk.get(system_of(desk), t.id).agent_id == staff.jperez.id
    fresh = desk.get(system_of(desk), t.id)
    assert desk.assign(staff.supervisor, t.id, agent_login="lmarrugo", expected_version=fresh.version).version == 3


def test_a_refused_change_does_not_bump_the_version(desk, staff, now):
    t = desk.log(staff.jperez, new())
    assert desk.comment(staff.jperez, t.id, "Sin cambios de estado").version == 1
    assert desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="software").version == 2
    # Same values again: an event, but nothing changed, so the version stays.
    same = desk.classify(staff.jperez, t.id, impact=2, urgency=2, nature="software", expected_version=2)
    assert same.version == 2
    assert changes(events(desk.db, t.id)[-1]) == {}


# --- SLA integration ----------------------------------------------------------------------


def test_classifying_a_critical_incident_switches_to_24x7_keeping_the_elapsed_time(desk, staff, now, targets):
    now.set(bogota(2026, 11, 18, 16))
    t = desk.log(staff.jperez, new())
    desk.take(staff.jperez, t.id)
    now.set(bogota(2026, 11, 18, 17))  # 1 business hour of the resolution target used
    c = desk.classify(staff.jperez, t.id, impact=1, urgency=1, nature="red")
    assert (c.priority, c.sla_calendar) == ("crítica", "24x7")
    always = BusinessCalendar.always_open()
    assert c.ttr.target == targets["crítica"][1] == 4 * H
    assert c.ttr.remaining(always, now()) == 3 * H
    assert c.ttr_due_at == bogota(2026, 11, 18, 20)  # the office would have said Thu 10:00
    ch = changes(events(desk.db, t.id)[-1])
    assert ch["sla_calendar"] == ["office", "24x7"] and ch["priority"] == ["media", "crítica"]
    # The clock keeps running at night.
    assert c.ttr.remaining(always, bogota(2026, 11, 18, 19)) == H


def test_a_critical_request_stays_on_office_hours(desk, staff, now, targets):
    now.set(bogota(2026, 11, 18, 16))
    t = desk.log(staff.jperez, new(type="requerimiento"))
    desk.take(staff.jperez, t.id)
    now.set(bogota(2026, 11, 18, 17))
    c = desk.classify(staff.jperez, t.id, impact=1, urgency=1, nature="software")
    assert (c.priority, c.sla_calendar) == ("crítica", "office")
    assert c.ttr_due_at == OFFICE.add(now(), 3 * H) == bogota(2026, 11, 19, 10)


def test_a_priority_change_retargets_the_running_clocks(desk, staff, now, targets):
    t = desk.log(staff.jperez, new(impact=3, urgency=3))  # baja: 4 h / 40 h
    now.advance(hours=1)
    c = desk.classify(staff.jperez, t.id, impact=1, urgency=2, nature="hardware")  # alta: 1 h / 8 h
    assert c.priority == "alta" and c.sla_calendar == "office"
    assert c.tto_due_at == now() == bogota(2026, 11, 18, 10)
    assert c.ttr_due_at == OFFICE.add(now(), 7 * H)


def test_a_stopped_response_clock_keeps_its_outcome_when_reclassified(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    now.advance(minutes=30)
    desk.take(staff.jperez, t.id)
    desk.classify(staff.supervisor, t.id, impact=1, urgency=1, nature="red")
    r = row(desk.db, t.id)
    assert r["tto_met"] is True and r["tto_stopped_at"] == now()


# --- audit trail ----------------------------------------------------------------------------


def test_events_record_who_when_action_and_old_new_values(desk, staff, now, targets):
    t = desk.log(staff.jperez, new())
    now.advance(minutes=5)
    desk.assign(staff.supervisor, t.id, agent_login="acastro", note="Reparto")
    ev = events(desk.db, t.id)[-1]
    assert (ev.actor_id, ev.at, ev.action, ev.note, ev.entity, ev.entity_key) == (
        staff.supervisor.id,
        now(),
        "asignar",
        "Reparto",
        "ticket",
        t.code,
    )
    assert changes(ev) == {
        "agent_id": [None, staff.acastro.id],
        "status": ["nuevo", "asignado"],
        "version": [1, 2],
    }
    # Datetimes in the trail are ISO 8601 in UTC, like the columns.
    reg = changes(events(desk.db, t.id)[0])
    for field in ("tto_due_at", "ttr_due_at"):
        value = datetime.fromisoformat(reg[field][1])
        assert value.utcoffset() == timedelta(0) and value == getattr(t, field)


def test_events_are_append_only_through_a_whole_lifecycle(desk, staff, now):
    seen: dict[int, dict] = {}

    def check():
        with desk.db.read() as s:
            rows = [e.model_dump() for e in s.exec(select(TicketEvent).order_by(TicketEvent.id)).all()]
        current = {r["id"]: r for r in rows}
        for event_id, before in seen.items():
            assert current[event_id] == before
        assert len(current) > len(seen)
        seen.update(current)

    t = desk.log(staff.jperez, new())
    check()
    steps = [
        lambda: desk.take(staff.jperez, t.id),
        lambda: desk.classify(staff.jperez, t.id, impact=2, urgency=1, nature="software"),
        lambda: desk.wait(staff.jperez, t.id, "Esperando"),
        lambda: desk.resume(staff.jperez, t.id),
        lambda: desk.escalate(staff.jperez, t.id, "Nivel 2"),
        lambda: desk.take(staff.rcaraballo, t.id),
        lambda: desk.resolve(staff.rcaraballo, t.id, "Parche aplicado", "remoto"),
        lambda: desk.reopen(staff.rcaraballo, t.id, "Falla otra vez"),
        lambda: desk.resolve(staff.rcaraballo, t.id, "Segundo parche", "remoto"),
        lambda: desk.close(staff.rcaraballo, t.id, "Confirmado"),
        lambda: desk.survey(staff.rcaraballo, t.id, 5),
        lambda: desk.comment(staff.supervisor, t.id, "Caso revisado"),
    ]
    for step in steps:
        now.advance(minutes=20)
        step()
        check()
    assert [e.action for e in events(desk.db, t.id)] == [
        "registrar", "tomar", "clasificar", "esperar", "reanudar", "escalar", "tomar",
        "resolver", "reabrir", "resolver", "cerrar", "encuesta", "comentar",
    ]  # fmt: skip


def test_no_source_code_updates_or_deletes_events():
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "mesa_tui"
    forbidden = re.compile(
        r"(update|delete)\(\s*TicketEvent|UPDATE\s+ticket_event|DELETE\s+FROM\s+ticket_event|"
        r"TicketEvent\.__table__\.(update|delete)",
        re.IGNORECASE,
    )
    offenders = [str(p) for p in src.rglob("*.py") if forbidden.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# --- automatic close ------------------------------------------------------------------------


def test_auto_close_after_three_business_days_and_not_before(desk, staff, now):
    t = in_status(desk, staff, now, "resuelto")  # resolved Wed 18 Nov
    other = in_status(desk, staff, now, "en_proceso")
    assert OFFICE.add_business_days(t.resolved_at, 3) == date(2026, 11, 23)  # Thu, Fri, Mon
    now.set(bogota(2026, 11, 23, 17, 59))
    with Unchanged(desk.db):
        assert desk.auto_close(system_of(desk)) == []
    now.set(bogota(2026, 11, 24, 8))
    assert desk.auto_close(system_of(desk)) == [t.code]
    c = desk.get(system_of(desk), t.id)
    assert c.status == "cerrado" and c.closed_at == now()
    ev = events(desk.db, t.id)[-1]
    assert ev.action == "cerrar" and ev.actor_id == system_of(desk).id and "3 días hábiles" in ev.note
    assert desk.timeline(system_of(desk), t.id)[0].actor_name == "Sistema"
    # Idempotent, as cron runs it again and again.
    with Unchanged(desk.db):
        assert desk.auto_close(system_of(desk)) == []
    assert desk.get(system_of(desk), other.id).status == "en_proceso"


def test_auto_close_skips_reopened_tickets(desk, staff, now):
    t = in_status(desk, staff, now, "resuelto")
    now.advance(hours=1)
    desk.reopen(staff.jperez, t.id, "No quedó bien")
    now.set(bogota(2026, 11, 30, 9))
    assert desk.auto_close(system_of(desk)) == []
    assert desk.get(system_of(desk), t.id).status == "en_proceso"


def test_auto_close_days_come_from_the_settings(desk, staff, now):
    def one_day(s):
        s.get(Setting, "auto_close_business_days").value = "1"

    desk.db.write(one_day)
    t = in_status(desk, staff, now, "resuelto")
    now.set(bogota(2026, 11, 19, 17))
    assert desk.auto_close(system_of(desk)) == []
    now.set(bogota(2026, 11, 20, 8))
    assert desk.auto_close(system_of(desk)) == [t.code]
    assert "1 días hábiles" in events(desk.db, t.id)[-1].note
