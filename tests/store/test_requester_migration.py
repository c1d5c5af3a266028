"""The requesters migration on a desk that already has tickets: each ticket gets a
requester made of its free-text columns, de-duplicated (one per e-mail, case ignored;
else one per name and phone), the dependency texts become the dependency list, and the
tickets' own requester columns are kept as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.sla import SlaTargets
from mesa_tui.domain.ticket_record import TicketRecord
from mesa_tui.store import migrate
from mesa_tui.store.engine import Database
from mesa_tui.store.ticket_rows import record_values

BEFORE = "5b0e7c9d2a41"
OFFICE = calendar_for("office")
TARGETS = SlaTargets(timedelta(hours=1), timedelta(hours=8), "office")
CREATED = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)

# (name, dependency, contact) as agents typed them.
TYPED = [
    ("Ana Díaz", "Secretaría de Hacienda", "adiaz@cartagena.gov.co"),
    ("ana diaz", "secretaria de hacienda", "ADiaz@Cartagena.gov.co"),  # the same person, typed again
    ("Ana Díaz Julio", "Secretaría General", "adiaz@cartagena.gov.co"),  # her newest ticket: her name now
    ("Luis Mora", "", "300 123 4567"),
    ("Luis  Mora", "", "3001234567"),  # same name and phone digits
    ("Luis Mora", "", "315 000 0000"),  # another phone: another person
]


def _old_desk(db: Database) -> None:
    meta = sa.MetaData()
    with db.engine.begin() as conn:
        meta.reflect(conn)
        conn.execute(meta.tables["service_category"].insert(), {"id": 1, "name": "CONECTIVIDAD"})
        service = {"id": 1, "code": "SER-001", "name": "Internet", "description": "", "category_id": 1}
        service |= {"users": "", "hours": "", "channels": "", "ans_text": "", "active": True}
        conn.execute(meta.tables["catalog_service"].insert(), service)
        tickets = meta.tables["ticket"]
        for i, (name, dep, contact) in enumerate(TYPED, start=1):
            record = TicketRecord.opened(
                code=f"MDA-2026-{i:06d}",
                requester_name=name,
                requester_dependency=dep,
                requester_contact=contact,
                channel="correo",
                service_id=1,
                type="incidente",
                subject="Sin acceso a la red",
                description="",
                impact=2,
                urgency=2,
                priority="media",
                group_id=None,
                created_by_id=None,
                now=CREATED + timedelta(minutes=i),
                targets=TARGETS,
                cal=OFFICE,
                legal_due_on=None,
            )
            conn.execute(tickets.insert(), {k: v for k, v in record_values(record).items() if k in tickets.c})


def test_existing_tickets_get_de_duplicated_requesters(db_url):
    db = Database(db_url)
    try:
        migrate.upgrade(db, BEFORE)
        _old_desk(db)
        migrate.upgrade(db)
        with db.engine.connect() as conn:
            deps = dict(conn.execute(sa.text("SELECT id, name FROM dependency")).all())
            people = {
                r.id: r
                for r in conn.execute(sa.text("SELECT id, name, email, phone, dependency_id FROM requester")).all()
            }
            links = conn.execute(
                sa.text("SELECT code, requester_id, requester_name, requester_contact FROM ticket ORDER BY id")
            ).all()
    finally:
        db.dispose()
    assert sorted(deps.values()) == ["Secretaría General", "Secretaría de Hacienda"]
    assert len(people) == 3
    ids = [link.requester_id for link in links]
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] and len({ids[0], ids[3], ids[5]}) == 3
    ana = people[ids[0]]
    assert (ana.name, ana.email, deps[ana.dependency_id]) == (
        "Ana Díaz Julio",
        "adiaz@cartagena.gov.co",
        "Secretaría General",
    )
    assert people[ids[5]].phone == "315 000 0000" and people[ids[5]].email is None
    # The tickets' own columns are their snapshot, as typed.
    assert [(link.requester_name, link.requester_contact) for link in links] == [(n, c) for n, _d, c in TYPED]
