"""Classifying a colleague's ticket and recording a survey, against a real database.

A PQRS retyped as an incident or a request loses its legal due date, and a
lower priority gives the desk more time: both are for the agent holding the
ticket or a supervisor, with a reason kept in the audit trail. A survey is
recorded by the agent who handled the ticket or a supervisor.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from mesa_tui.services.errors import PermissionDenied, ValidationError
from mesa_tui.store.models import Survey, Ticket, TicketEvent
from tests.support import actor_of, new_ticket

PQRS_REASON = "El usuario reporta una falla: no es una queja"


def ticket_row(db, ticket_id):
    with db.read() as s:
        return s.get(Ticket, ticket_id).model_dump()


def event_count(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(TicketEvent)).one()


def last_event(db, ticket_id):
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id.desc())
        return SimpleNamespace(**s.exec(q).first().model_dump())


def refused(db, ticket_id, call, error=PermissionDenied):
    """`call` is refused with `error` and changes neither the ticket nor the trail."""
    before, events = ticket_row(db, ticket_id), event_count(db)
    with pytest.raises(error) as exc:
        call()
    assert ticket_row(db, ticket_id) == before and event_count(db) == events
    return exc.value


@pytest.fixture
def who(desk):
    return {login: actor_of(desk, login) for login in ("jperez", "lmarrugo", "supervisor", "admin")}


def logged(desk, who, type="queja", impact=2, urgency=2, held=True):
    t = desk.log(who["jperez"], new_ticket(type=type, impact=impact, urgency=urgency))
    return desk.take(who["jperez"], t.id) if held else t


# --- a PQRS leaving PQRS ----------------------------------------------------------------------


def test_a_colleague_may_not_turn_a_pqrs_into_an_incident(desk, who):
    t = logged(desk, who)
    assert t.legal_due_on is not None
    err = refused(
        desk.db,
        t.id,
        lambda: desk.classify(
            who["lmarrugo"], t.id, impact=2, urgency=2, nature="software", type="incidente", reason=PQRS_REASON
        ),
    )
    assert err.message == (
        "Solo el agente a cargo del caso o un supervisor puede convertir una PQRS en incidente o requerimiento."
    )
    # Without the type change a colleague may still classify it.
    assert desk.classify(who["lmarrugo"], t.id, impact=2, urgency=2, nature="software").nature == "software"


@pytest.mark.parametrize("login", ["jperez", "supervisor", "admin"])
def test_the_holder_or_a_supervisor_retypes_a_pqrs_with_a_reason_on_record(desk, who, login):
    t = logged(desk, who, type="peticion")
    err = refused(
        desk.db,
        t.id,
        lambda: desk.classify(who[login], t.id, impact=2, urgency=2, nature="software", type="requerimiento"),
        ValidationError,
    )
    assert err.field == "reason"
    assert err.message == "Indique el motivo: el caso deja de ser una PQRS y pierde su plazo legal."
    refused(
        desk.db,
        t.id,
        lambda: desk.classify(
            who[login], t.id, impact=2, urgency=2, nature="software", type="requerimiento", reason="   "
        ),
        ValidationError,
    )
    done = desk.classify(
        who[login], t.id, impact=2, urgency=2, nature="software", type="requerimiento", reason=f"  {PQRS_REASON} "
    )
    assert (done.type, done.legal_due_on) == ("requerimiento", None)
    ev = last_event(desk.db, t.id)
    assert (ev.action, ev.actor_id, ev.note) == ("clasificar", who[login].id, PQRS_REASON)
    changes = json.loads(ev.changes)
    assert changes["type"] == ["peticion", "requerimiento"]
    assert changes["legal_due_on"] == [t.legal_due_on.isoformat(), None]


def test_nobody_but_a_supervisor_retypes_an_unheld_pqrs(desk, who):
    t = logged(desk, who, type="reclamo", held=False)
    assert t.agent_id is None
    refused(
        desk.db,
        t.id,
        lambda: desk.classify(
            who["jperez"], t.id, impact=2, urgency=2, nature="otro", type="incidente", reason=PQRS_REASON
        ),
    )
    assert (
        desk.classify(
            who["supervisor"], t.id, impact=2, urgency=2, nature="otro", type="incidente", reason=PQRS_REASON
        ).legal_due_on
        is None
    )


def test_a_reason_is_at_most_500_characters(desk, who):
    t = logged(desk, who)
    err = refused(
        desk.db,
        t.id,
        lambda: desk.classify(
            who["jperez"], t.id, impact=2, urgency=2, nature="otro", type="incidente", reason="x" * 501
        ),
        ValidationError,
    )
    assert err.field == "reason"


def test_moves_that_keep_the_legal_term_need_no_reason(desk, who):
    t = logged(desk, who, type="incidente")
    p = desk.classify(who["lmarrugo"], t.id, impact=2, urgency=2, nature="otro", type="queja")
    assert p.legal_due_on is not None
    r = desk.classify(who["lmarrugo"], t.id, impact=2, urgency=2, nature="otro", type="reclamo")
    assert r.legal_due_on == p.legal_due_on and last_event(desk.db, t.id).note == ""


# --- lowering the priority ----------------------------------------------------------------------


def test_a_first_classification_may_not_lower_a_colleagues_ticket(desk, who):
    t = logged(desk, who, type="incidente", impact=1, urgency=2)
    assert t.priority == "alta" and t.nature is None
    err = refused(
        desk.db,
        t.id,
        lambda: desk.classify(who["lmarrugo"], t.id, impact=3, urgency=3, nature="red", reason="No es tan grave"),
    )
    assert err.message == "Solo el agente a cargo del caso o un supervisor puede bajarle la prioridad."
    # Raising it is always welcome.
    assert desk.classify(who["lmarrugo"], t.id, impact=1, urgency=1, nature="red").priority == "crítica"


def test_an_unheld_ticket_is_lowered_by_a_supervisor_with_a_reason(desk, who):
    t = logged(desk, who, type="incidente", impact=1, urgency=1, held=False)
    refused(desk.db, t.id, lambda: desk.classify(who["jperez"], t.id, impact=3, urgency=3, nature="red"))
    err = refused(
        desk.db,
        t.id,
        lambda: desk.classify(who["supervisor"], t.id, impact=3, urgency=3, nature="red"),
        ValidationError,
    )
    assert err.message == "Indique el motivo: baja la prioridad de un caso que no está a su cargo."
    low = desk.classify(who["supervisor"], t.id, impact=3, urgency=3, nature="red", reason="Afecta a una persona")
    assert low.priority == "baja"
    ev = last_event(desk.db, t.id)
    assert ev.note == "Afecta a una persona" and json.loads(ev.changes)["priority"] == ["crítica", "baja"]


def test_the_holder_lowers_their_own_ticket_on_first_classification(desk, who, now):
    t = logged(desk, who, type="incidente", impact=1, urgency=2)
    now.advance(minutes=5)
    low = desk.classify(who["jperez"], t.id, impact=3, urgency=3, nature="hardware")
    assert low.priority == "baja" and last_event(desk.db, t.id).note == ""
    # Once classified, the priority is a supervisor's: unchanged rule.
    refused(desk.db, t.id, lambda: desk.classify(who["jperez"], t.id, impact=2, urgency=2, nature="hardware"))


# --- survey ---------------------------------------------------------------------------------------


@pytest.fixture
def closed(desk, who, now):
    t = logged(desk, who, type="incidente")
    now.advance(minutes=30)
    desk.resolve(who["jperez"], t.id, "Se reinstaló.", "remoto")
    now.advance(minutes=30)
    return desk.close(who["jperez"], t.id, "El usuario confirmó")


def surveys(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Survey)).one()


def test_a_colleague_may_not_record_the_survey(desk, who, closed):
    err = refused(desk.db, closed.id, lambda: desk.survey(who["lmarrugo"], closed.id, 1, "Pésimo"))
    assert err.message == "Solo el agente a cargo del caso o un supervisor puede registrar la encuesta de este caso."
    assert surveys(desk.db) == 0


@pytest.mark.parametrize("login", ["jperez", "supervisor", "admin"])
def test_the_holder_or_a_supervisor_records_the_survey(desk, who, closed, login):
    desk.survey(who[login], closed.id, 4)
    assert surveys(desk.db) == 1
    assert last_event(desk.db, closed.id).actor_id == who[login].id
