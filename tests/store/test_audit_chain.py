"""The audit trail's hash chain: a desk worked through the use cases verifies
whole; an owner who gets past the guards (drops SQLite's triggers, or is the
PostgreSQL owner) and edits, deletes, reorders or adds an event is caught at
that event. Runs on SQLite, and on PostgreSQL with MESA_TEST_DATABASE_URL."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from mesa_tui.domain.audit import BreakKind
from mesa_tui.services.admin import Admin
from mesa_tui.store import migrate
from mesa_tui.store.audit_chain import (
    GENESIS,
    canonical_v1,
    canonical_v2,
    chain_hash,
    drop_sqlite_guards,
    iso_to_sqlite,
    iso_utc,
    sqlite_to_iso,
)
from mesa_tui.store.audit_verify import verify_chain
from mesa_tui.store.engine import Database
from mesa_tui.store.models import sqlite_text
from tests.support import actor_of, new_ticket


def work(desk, now) -> list[int]:
    """A small desk's day through the use cases; the tickets' ids."""
    jperez, boss = actor_of(desk, "jperez"), actor_of(desk, "admin")
    ids = [desk.log(jperez, new_ticket(subject=f"Caso {i} «con comillas» y\nsalto")).id for i in range(4)]
    for i in ids[:3]:
        now.advance(minutes=10)
        desk.take(jperez, i)
    desk.comment(jperez, ids[0], "Se revisó el equipo")
    desk.resolve(jperez, ids[0], "Cable cambiado", "en_sitio")
    desk.close(jperez, ids[0], "Confirmado por el usuario")
    desk.survey(jperez, ids[0], 5)
    # An administrator's change: its own event and one "recalcular ANS" event per open ticket it moves.
    Admin(desk.db, now=now).save_policy(boss, "SER-001", "media", 30, 300, "office")
    desk.take(jperez, ids[3])
    return ids


def rows(db: Database) -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM ticket_event ORDER BY id"))]


def tamper(db: Database, *statements: str | tuple[str, dict]) -> None:
    """Raw SQL as the database's owner would run it, SQLite's triggers dropped first."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            drop_sqlite_guards(conn)
        for st in statements:
            sql, params = st if isinstance(st, tuple) else (st, {})
            conn.execute(sa.text(sql), params)


def ticket_event_ids(db: Database) -> list[int]:
    return [r["id"] for r in rows(db) if r["ticket_id"] is not None]


@pytest.fixture
def worked(desk, now):
    work(desk, now)
    return desk.db


def test_the_canonical_form_is_sorted_compact_json():
    args = dict(
        event_id=7,
        ticket_id=None,
        entity="policy",
        entity_key='SER-001:"media"',
        at="2026-11-18T14:00:00.000000+00:00",
        actor_id=3,
        action="modificar",
        changes='{"tto_minutes": [60, 30]}',
        note="Categoría Ñandú\t«línea»\n\\ \u2028 \x01",
    )
    expected = json.dumps(
        {
            "v": 1,
            "id": 7,
            "ticket_id": None,
            "entity": args["entity"],
            "entity_key": args["entity_key"],
            "at": args["at"],
            "actor_id": 3,
            "action": "modificar",
            "changes": args["changes"],
            "note": args["note"],
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert canonical_v1(**args) == expected
    with_operator = json.loads(expected) | {"v": 2, "operator_id": 4}
    assert canonical_v2(**args, operator_id=4) == json.dumps(
        with_operator, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert iso_utc(datetime(2026, 11, 18, 9, 0, tzinfo=UTC)) == "2026-11-18T09:00:00.000000+00:00"


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
        datetime(2026, 1, 2, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/Bogota")),
        datetime(1999, 12, 31, 0, 0, 0, 1, tzinfo=UTC),
    ],
)
def test_the_chain_reads_and_writes_sqlite_text_as_the_column_type_does(at):
    iso = iso_utc(at)
    assert iso_to_sqlite(iso) == sqlite_text(at)
    assert sqlite_to_iso(sqlite_text(at)) == iso
    assert sqlite_to_iso(sqlite_text(at)[:19]) == iso_utc(at.replace(microsecond=0))  # text written by hand


def test_a_worked_desk_verifies_whole(worked):
    events = rows(worked)
    assert len(events) > 20 and {e["action"] for e in events} >= {
        "registrar",
        "tomar",
        "recalcular ANS",
        "crear",
        "encuesta",
    }
    # Every hash recomputes from the documented form, each chained to the one before.
    prev = GENESIS
    for e in events:
        at = e["at"] if isinstance(e["at"], datetime) else datetime.fromisoformat(e["at"]).replace(tzinfo=UTC)
        canonical = canonical_v2(
            e["id"], e["ticket_id"], e["entity"], e["entity_key"], iso_utc(at), e["actor_id"], e["action"],
            e["changes"], e["note"], e["operator_id"],
        )  # fmt: skip
        assert (e["prev_hash"], e["hash"], e["hash_version"]) == (prev, chain_hash(prev, canonical), 2)
        prev = e["hash"]
    report = verify_chain(worked)
    assert report.ok, report.broken
    assert (report.events, report.last_id, report.last_hash) == (len(events), events[-1]["id"], prev)


def test_an_edited_note_is_caught_at_that_event(worked):
    target = ticket_event_ids(worked)[5]
    tamper(worked, f"UPDATE ticket_event SET note = 'Nada que ver' WHERE id = {target}")
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.EDITED, target)
    assert broken.subject.startswith("caso MDA-")
    assert f"evento #{target} (caso MDA-" in broken.describe()


def test_edited_hash_columns_are_caught_too(worked):
    target = ticket_event_ids(worked)[3]
    tamper(worked, f"UPDATE ticket_event SET hash_version = 9 WHERE id = {target}")
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.EDITED, target)


def test_a_deleted_event_is_caught_at_the_next_one(worked):
    ids = [r["id"] for r in rows(worked)]
    gone = ids[len(ids) // 2]
    tamper(worked, f"DELETE FROM ticket_event WHERE id = {gone}")
    report = verify_chain(worked)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.event_id) == (BreakKind.DELETED, ids[len(ids) // 2 + 1])
    assert f"#{ids[len(ids) // 2 - 1]}" in report.broken.detail
    assert report.events == len(ids) // 2


def test_deleting_the_newest_events_is_caught_by_the_head(worked):
    ids = [r["id"] for r in rows(worked)]
    tamper(worked, f"DELETE FROM ticket_event WHERE id >= {ids[-2]}")
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.TRUNCATED, ids[-1])
    assert f"#{ids[-3]}" in broken.detail


def test_two_events_swapped_in_order_are_caught(worked):
    ids = ticket_event_ids(worked)
    a, b = ids[2], ids[6]
    tamper(
        worked,
        f"UPDATE ticket_event SET id = -1 WHERE id = {a}",
        f"UPDATE ticket_event SET id = {a} WHERE id = {b}",
        f"UPDATE ticket_event SET id = {b} WHERE id = -1",
    )
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.REORDERED, a)
    assert f"#{b}" in broken.detail


def test_two_events_swapped_in_content_are_caught(worked):
    """Their content traded, each keeping its id and its hashes."""
    ids = ticket_event_ids(worked)
    a, b = ids[1], ids[4]
    before = {r["id"]: r for r in rows(worked) if r["id"] in (a, b)}
    columns = ("ticket_id", "entity_key", "at", "actor_id", "action", "changes", "note")
    assign = ", ".join(f"{c} = :{c}" for c in columns)
    tamper(
        worked,
        *(
            (f"UPDATE ticket_event SET {assign} WHERE id = :id", {"id": mine, **{c: before[other][c] for c in columns}})
            for mine, other in ((a, b), (b, a))
        ),
    )
    after = {r["id"]: r for r in rows(worked) if r["id"] in (a, b)}
    assert after[a]["note"] == before[b]["note"] and after[a]["hash"] == before[a]["hash"]
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.EDITED, a)


def _forge(db: Database, event_id: int, prev_hash: str, hash_: str, ticket_id: int | None) -> None:
    tamper(
        db,
        (
            "INSERT INTO ticket_event (id, ticket_id, entity, entity_key, at, actor_id, action, changes, note, "
            "prev_hash, hash, hash_version) VALUES (:id, :t, 'ticket', 'MDA-2026-000001', :at, NULL, 'cerrar', "
            "'{}', 'Cerrado por teléfono', :prev, :hash, 1)",
            {
                "id": event_id,
                "t": ticket_id,
                "at": datetime(2026, 11, 18, 15, 0) if db.is_sqlite else datetime(2026, 11, 18, 15, 0, tzinfo=UTC),
                "prev": prev_hash,
                "hash": hash_,
            },
        ),
    )


def test_an_event_added_with_raw_sql_is_caught(worked):
    last = rows(worked)[-1]
    _forge(worked, last["id"] + 1, last["hash"], "f" * 64, last["ticket_id"])
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.FORGED, last["id"] + 1)
    assert broken.subject == "caso MDA-2026-000001"


def test_a_well_formed_forgery_past_the_head_is_caught(worked):
    """A forger who computes the hash the way the desk does, but outside the desk."""
    last = rows(worked)[-1]
    new_id = last["id"] + 1
    canonical = canonical_v1(
        new_id, last["ticket_id"], "ticket", "MDA-2026-000001", "2026-11-18T15:00:00.000000+00:00", None, "cerrar",
        "{}", "Cerrado por teléfono",
    )  # fmt: skip
    _forge(worked, new_id, last["hash"], chain_hash(last["hash"], canonical), last["ticket_id"])
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.FORGED, new_id)


def test_an_event_slipped_into_a_gap_is_caught(worked):
    events = rows(worked)
    k = len(events) // 2
    gone = events[k]
    tamper(worked, f"DELETE FROM ticket_event WHERE id = {gone['id']}")
    _forge(worked, gone["id"], "a" * 64, "b" * 64, gone["ticket_id"])
    broken = verify_chain(worked).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.FORGED, gone["id"])


def test_a_rewritten_head_is_caught(worked):
    tamper(worked, f"UPDATE audit_head SET last_hash = '{'c' * 64}'")
    broken = verify_chain(worked).broken
    assert broken is not None and broken.kind == BreakKind.HEAD


def test_concurrent_writers_never_fork_the_chain(db, now):
    from mesa_tui.services.desk import Desk

    desks = [Desk(Database(db.url), now=now) for _ in range(4)]
    errors: list[BaseException] = []

    def worker(desk) -> None:
        try:
            who = actor_of(desk, "jperez")
            for _ in range(5):
                t = desk.log(who, new_ticket())
                desk.take(who, t.id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in desks:
        d.db.dispose()
    assert errors == []
    report = verify_chain(db)
    assert report.ok, report.broken
    assert sum(1 for r in rows(db) if r["action"] in ("registrar", "tomar")) == 40


def test_migration_hashes_the_events_already_written(db_url):
    """A desk from before the chain: its events are hashed in order on upgrade."""
    db = Database(db_url)
    migrate.upgrade(db, "ce57c985e837")
    at = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)
    with db.engine.begin() as conn:
        for i in range(3):
            conn.execute(
                sa.text(
                    "INSERT INTO ticket_event (entity, entity_key, at, actor_id, action, changes, note) "
                    "VALUES ('setting', :k, :at, NULL, 'modificar', '{}', :n)"
                ),
                {"k": f"meta.{i}", "at": at.replace(tzinfo=None) if db.is_sqlite else at, "n": f"nota {i}"},
            )
    migrate.upgrade(db)
    report = verify_chain(db)
    assert report.ok and report.events == 3
    events = rows(db)
    assert events[0]["prev_hash"] == GENESIS and events[2]["hash"] == report.last_hash
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT last_id, last_hash FROM audit_head")).one() == (
            events[2]["id"],
            report.last_hash,
        )
    db.dispose()


def test_the_operator_is_in_the_chain(db, desk, log):
    """An administrator acting for an agent (`--as`) is named in the event, and its hash:
    the operator changed or removed by hand is caught, as is one put on an older event."""
    from mesa_tui.services.identity import Identity

    ticket = log()
    acting = Identity(db).from_os("admin", "jperez")
    desk.take(acting, ticket.id)
    taken = next(e for e in rows(db) if e["action"] == "tomar")
    assert taken["operator_id"] == actor_of(desk, "admin").id and verify_chain(db).ok
    tamper(db, f"UPDATE ticket_event SET operator_id = NULL WHERE id = {taken['id']}")
    broken = verify_chain(db).broken
    assert broken is not None and (broken.kind, broken.event_id) == (BreakKind.EDITED, taken["id"])


def test_a_version_1_event_given_an_operator_reads_as_edited():
    """Events hashed before operators were recorded verify as they were; one that shows
    an operator was edited by hand, and its content no longer matches its hash."""
    from mesa_tui.store.audit_chain import CANONICAL

    args = (7, None, "setting", "risk_threshold", "2026-11-18T14:00:00.000000+00:00", 3, "modificar", "{}", "")
    assert CANONICAL[1](*args, None) == canonical_v1(*args)
    assert CANONICAL[1](*args, 4) != canonical_v1(*args)
