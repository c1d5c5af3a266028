"""The schedules migration on a desk that already has tickets: the built-in schedules keep
every ticket's meaning, and the open critical requests that ran round the clock under
the old rule count office hours from the upgrade on, each with a system recompute event.

Tickets are written with the initial schema's columns, as the previous version stored
them; the upgrade reads the real clock, so the checks are relative to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.sla import SlaTargets
from mesa_tui.domain.ticket_record import TicketRecord
from mesa_tui.store import migrate
from mesa_tui.store.engine import Database
from mesa_tui.store.ticket_rows import clock_from, record_values

INITIAL, SCHEDULES = "ce57c985e837", "ce41015a0144"
ALWAYS = BusinessCalendar.always_open()
CRITICAL = SlaTargets(timedelta(minutes=30), timedelta(hours=4), "24x7")


def _ticket(code: str, ticket_type: str, created: datetime) -> TicketRecord:
    return TicketRecord.opened(
        code=code,
        requester_name="Ana Julio",
        requester_dependency="Secretaría de Hacienda",
        requester_contact="ana.julio@cartagena.gov.co",
        channel="correo",
        service_id=1,
        type=ticket_type,
        subject="Sin acceso a la red",
        description="",
        impact=1,
        urgency=1,
        priority="crítica",
        group_id=None,
        created_by_id=None,
        now=created,
        targets=CRITICAL,
        cal=ALWAYS,
        legal_due_on=None,
    )


def _old_desk(db: Database, created: datetime) -> None:
    """A category, a service and four critical tickets on 24x7, in the initial schema."""
    request = _ticket("MDA-2026-000001", "requerimiento", created)
    outage = _ticket("MDA-2026-000002", "incidente", created)
    solved = _ticket("MDA-2026-000003", "peticion", created)
    solved.solved(created + timedelta(hours=1), ALWAYS)
    solved.status, solved.resolved_at = "resuelto", created + timedelta(hours=1)
    waiting = _ticket("MDA-2026-000004", "requerimiento", created)
    waiting.first_response(created + timedelta(minutes=10), ALWAYS)
    waiting.pause(created + timedelta(hours=1), ALWAYS)
    waiting.status = "en_espera"
    meta = sa.MetaData()
    with db.engine.begin() as conn:
        meta.reflect(conn)
        conn.execute(meta.tables["service_category"].insert(), {"id": 1, "name": "CONECTIVIDAD"})
        service = {"id": 1, "code": "SER-001", "name": "Internet", "description": "", "category_id": 1}
        service |= {"users": "", "hours": "", "channels": "", "ans_text": "", "active": True}
        conn.execute(meta.tables["catalog_service"].insert(), service)
        tickets = meta.tables["ticket"]
        for record in (request, outage, solved, waiting):
            values = {k: v for k, v in record_values(record).items() if k in tickets.c}
            conn.execute(tickets.insert(), values)


def _rows(db: Database, table: str) -> list[dict]:
    with db.engine.connect() as conn:
        t = sa.Table(table, sa.MetaData(), autoload_with=conn)
        return [dict(r._mapping) for r in conn.execute(sa.select(t).order_by(t.c.id))]


def test_open_critical_requests_move_to_office_hours_at_the_upgrade(db_url):
    db = Database(db_url)
    migrate.upgrade(db, INITIAL)
    created = datetime.now(UTC) - timedelta(hours=3)
    _old_desk(db, created)
    before = {r["code"]: r for r in _rows(db, "ticket")}

    started = datetime.now(UTC)
    migrate.upgrade(db, SCHEDULES)
    finished = datetime.now(UTC)

    from mesa_tui.store.models import UTCDateTime  # SQLite hands datetimes back naive

    def aware(value):
        return UTCDateTime().process_result_value(value, db.engine.dialect)

    after = {r["code"]: r for r in _rows(db, "ticket")}
    office = calendar_for("office")
    request = after["MDA-2026-000001"]
    assert (request["sla_calendar"], request["version"]) == ("office", 2)
    ttr = clock_from({k: aware(v) if k.endswith("_at") else v for k, v in request.items()}, "ttr")
    assert started <= ttr.anchor <= finished  # office hours count from the upgrade
    assert timedelta(hours=3) <= ttr.consumed <= ALWAYS.between(created, finished)  # earlier time kept
    assert aware(request["ttr_due_at"]) == office.add(ttr.anchor, ttr.target - ttr.consumed)
    # The first response ran out 30 minutes after it was logged: that instant stays.
    assert aware(request["tto_due_at"]) == aware(before["MDA-2026-000001"]["tto_due_at"])

    waiting = after["MDA-2026-000004"]
    assert waiting["sla_calendar"] == "office"
    assert waiting["ttr_consumed_us"] == before["MDA-2026-000004"]["ttr_consumed_us"]  # paused: what it counted
    assert aware(waiting["ttr_due_at"]) == office.add(created + timedelta(hours=1), timedelta(hours=3))

    for untouched in ("MDA-2026-000002", "MDA-2026-000003"):  # an incident; a resolved petition
        assert after[untouched] == before[untouched]

    events = _rows(db, "ticket_event")
    assert [(e["ticket_id"], e["actor_id"], e["action"]) for e in events] == [
        (request["id"], None, "recalcular ANS"),
        (waiting["id"], None, "recalcular ANS"),
    ]
    changes = json.loads(events[0]["changes"])
    assert changes["sla_calendar"] == ["24x7", "office"] and changes["version"] == [1, 2]
    # The solution's due time is audited when office hours move it (at some hours of the
    # day the two calendars happen to give the same instant); the first response's never.
    moved = aware(request["ttr_due_at"]) != aware(before["MDA-2026-000001"]["ttr_due_at"])
    assert ("ttr_due_at" in changes) == moved and "tto_due_at" not in changes
    assert [(s["code"], s["name"], s["holidays"]) for s in _rows(db, "schedule")] == [
        ("office", "Oficina", True),
        ("24x7", "24x7", False),
    ]
    db.dispose()


def test_an_empty_desk_upgrades_and_downgrades(db_url):
    db = Database(db_url)
    migrate.upgrade(db, SCHEDULES)
    cfg = migrate.alembic_config(db.url)
    from alembic import command

    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, INITIAL)
    with db.engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("sla_policy")}
    assert "schedule" not in tables and "service_schedule" not in tables and "all_types" not in columns
    migrate.upgrade(db, SCHEDULES)
    db.dispose()
