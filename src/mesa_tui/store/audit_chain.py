"""The audit trail's hash chain: each event stores the SHA-256 of its content
chained to the event before it, so that an event edited, deleted, reordered or
slipped in by hand is evident (`mesa audit verify`, store/audit_verify.py).

One chain for the whole desk, in id order, not one per ticket:
- a deletion shows wherever it is: a per-ticket chain cannot tell that a
  ticket's whole history, or its newest events, were removed, and events about
  no ticket (an administrator's change) would need chains of their own;
- verifying is one ordered pass over the table, streamed.
The price is that writers append one at a time. SQLite already serialises
writers (BEGIN IMMEDIATE). On PostgreSQL the chain's head (`audit_head`, one
row) is locked FOR UPDATE by the writer, and ids are drawn from the sequence
under that lock, so two desks never fork the chain and id order is chain
order. A use case's events are chained when its transaction is about to
commit (`Database.write` runs `last_in_transaction` callbacks after the use
case), so the head is the last lock any transaction takes: it is held only for
a few statements, and never while waiting for a ticket another writer holds
(no deadlock between the chain and the rows). The head also names the last
event, so the newest events cannot be removed unnoticed either.

Canonical content, version 1 (`canonical_v1`): a JSON object, keys sorted, no
spaces, UTF-8 (not ASCII-escaped), of
    v (1), id, ticket_id, entity, entity_key,
    at (UTC, ISO 8601 with microseconds: 2026-11-18T14:00:00.000000+00:00),
    actor_id, action, changes (the stored JSON text, as a string), note
Version 2 (`canonical_v2`, every event written since) adds operator_id: the
administrator who acted for actor_id (`--as`), or null. A version-1 row has no
operator; one that shows one was edited.
and hash = sha256(prev_hash + canonical).hexdigest(); the first event's
prev_hash is GENESIS. Every row stores its hash_version: a column added to
ticket_event later gets a version 2 that covers it (CANONICAL[2]), written by
the new events while the older ones keep verifying under version 1.

What it cannot prove: the database's owner can rewrite the whole chain from
some point on, head included. `mesa audit verify` prints the last event's
hash; written down outside the database (a minute, an email), it makes that
evident too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) uses
from typing import NamedTuple

import sqlalchemy as sa

from mesa_tui.store.errors import SchemaMismatch
from mesa_tui.store.models import AuditHead, TicketEvent, table_of

GENESIS = "0" * 64
VERSION = 2
HEAD_ID = 1

_EVENTS = table_of(TicketEvent)
_HEAD = table_of(AuditHead)
_quote: Callable[[str], str] = encode_basestring  # a JSON string literal, non-ASCII kept

# SQLite: the trail refuses UPDATE and DELETE, and the head never moves back
# (an owner can drop these triggers; the chain is what then makes it evident).
# Created by the migration; a later migration that rebuilds ticket_event in
# batch mode (SQLite copies the table) must create them again.
REFUSED = "el registro de auditoría no se modifica"
SQLITE_GUARDS = {
    "ticket_event_no_update": f"BEFORE UPDATE ON ticket_event BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    "ticket_event_no_delete": f"BEFORE DELETE ON ticket_event BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    "audit_head_no_delete": f"BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    "audit_head_no_rewind": (
        f"BEFORE UPDATE ON audit_head WHEN NEW.last_id < OLD.last_id BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    ),
}


def create_sqlite_guards(conn: sa.Connection) -> None:
    for name, body in SQLITE_GUARDS.items():
        conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_sqlite_guards(conn: sa.Connection) -> None:
    for name in SQLITE_GUARDS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


# --- the canonical form -------------------------------------------------------


def iso_utc(at: datetime) -> str:
    """An instant as the chain writes it: UTC, ISO 8601, always with microseconds."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


# SQLite keeps an instant as SQLAlchemy's DATETIME text in UTC ("2026-11-18
# 14:00:00.000000", models.sqlite_text): the chain converts between that and
# its ISO form by slicing, since it does so once per event of the trail.


def iso_to_sqlite(iso: str) -> str:
    """The SQLite text of an instant in `iso_utc` form."""
    return f"{iso[:10]} {iso[11:26]}"


def sqlite_to_iso(text: str) -> str:
    """`iso_utc` of an instant as SQLite stores it."""
    if len(text) == 26 and text[10] == " ":
        return f"{text[:10]}T{text[11:]}+00:00"
    return iso_utc(datetime.fromisoformat(text).replace(tzinfo=UTC))


def _int(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def canonical_v1(
    event_id: int,
    ticket_id: int | None,
    entity: str,
    entity_key: str,
    at: str,
    actor_id: int | None,
    action: str,
    changes: str,
    note: str,
) -> str:
    """json.dumps({...}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    of the fields above, `at` already in `iso_utc` form; spelled out because it
    runs once per event of the trail (a test checks it against json.dumps)."""
    return (
        f'{{"action":{_quote(action)},"actor_id":{_int(actor_id)},"at":{_quote(at)},'
        f'"changes":{_quote(changes)},"entity":{_quote(entity)},"entity_key":{_quote(entity_key)},'
        f'"id":{int(event_id)},"note":{_quote(note)},"ticket_id":{_int(ticket_id)},"v":1}}'
    )


def canonical_v2(
    event_id: int,
    ticket_id: int | None,
    entity: str,
    entity_key: str,
    at: str,
    actor_id: int | None,
    action: str,
    changes: str,
    note: str,
    operator_id: int | None,
) -> str:
    """Version 1's object plus operator_id (keys still sorted: between note and ticket_id)."""
    return (
        f'{{"action":{_quote(action)},"actor_id":{_int(actor_id)},"at":{_quote(at)},'
        f'"changes":{_quote(changes)},"entity":{_quote(entity)},"entity_key":{_quote(entity_key)},'
        f'"id":{int(event_id)},"note":{_quote(note)},"operator_id":{_int(operator_id)},'
        f'"ticket_id":{_int(ticket_id)},"v":2}}'
    )


def _v1_row(
    event_id: int,
    ticket_id: int | None,
    entity: str,
    entity_key: str,
    at: str,
    actor_id: int | None,
    action: str,
    changes: str,
    note: str,
    operator_id: int | None,
) -> str:
    """A version-1 row as it must read: written before operators were recorded, so an
    operator on it was put there by hand (the content then matches no hash)."""
    canonical = canonical_v1(event_id, ticket_id, entity, entity_key, at, actor_id, action, changes, note)
    return canonical if operator_id is None else f"{canonical}+operator_id:{int(operator_id)}"


# Every version the chain was ever written in, by the hash_version rows carry.
Canonical = Callable[[int, int | None, str, str, str, int | None, str, str, str, int | None], str]
CANONICAL: dict[int, Canonical] = {1: _v1_row, 2: canonical_v2}


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


# --- appending ----------------------------------------------------------------


class NewEvent(NamedTuple):
    """An event to append; `changes` is the JSON text stored in the row."""

    ticket_id: int | None
    entity: str
    entity_key: str
    at: datetime
    actor_id: int | None
    action: str
    changes: str
    note: str
    operator_id: int | None = None  # the administrator who acted for actor_id (`--as`)


_COLUMNS = (
    "id",
    "ticket_id",
    "entity",
    "entity_key",
    "at",
    "actor_id",
    "action",
    "changes",
    "note",
    "operator_id",
    "prev_hash",
    "hash",
    "hash_version",
)


def append(conn: sa.Connection, events: Iterable[NewEvent], chunk: int = 20_000) -> int:
    """Write `events` at the end of the chain, in order, in the caller's write
    transaction; returns how many. Streams: `events` may be a generator of
    millions (the demo's), so rows go to the driver as plain tuples."""
    last_id, prev = lock_head(conn)
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    insert = f"INSERT INTO ticket_event ({', '.join(_COLUMNS)}) VALUES ({', '.join([mark] * len(_COLUMNS))})"
    written = 0
    for batch in _batches(events, chunk):
        ids = _next_ids(conn, len(batch))
        rows = []
        for event_id, event in zip(ids, batch, strict=True):
            ticket_id, entity, key, at, actor_id, action, changes, note, operator_id = event
            iso = iso_utc(at)
            canonical = canonical_v2(
                event_id, ticket_id, entity, key, iso, actor_id, action, changes, note, operator_id
            )
            digest = chain_hash(prev, canonical)
            stored_at = iso_to_sqlite(iso) if sqlite else at
            row = (event_id, ticket_id, entity, key, stored_at, actor_id, action, changes, note, operator_id)
            rows.append((*row, prev, digest, VERSION))
            prev = digest
        conn.exec_driver_sql(insert, rows)
        last_id, written = ids[-1], written + len(batch)
    if written:
        conn.execute(sa.update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(last_id=last_id, last_hash=prev))
    return written


def lock_head(conn: sa.Connection) -> tuple[int, str]:
    """(last event id, its hash), locked until the transaction ends on PostgreSQL
    (SQLite's writer already holds the database)."""
    q = sa.select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID).with_for_update()
    row = conn.execute(q).first()
    if row is None:
        raise SchemaMismatch("Falta la cabeza de la cadena de auditoría: ejecute «mesa db upgrade».")
    return int(row[0]), str(row[1])


def _next_ids(conn: sa.Connection, n: int) -> list[int]:
    if conn.dialect.name == "postgresql":
        # Drawn under the head's lock: no other writer takes ids in between.
        q = sa.text("SELECT nextval(pg_get_serial_sequence('ticket_event', 'id')) FROM generate_series(1, :n)")
        return sorted(int(v) for v in conn.execute(q, {"n": n}).scalars())
    # SQLite: above every row there is, even one added by hand beyond the head.
    top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(_EVENTS.c.id), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + n))


def _batches(items: Iterable[NewEvent], size: int) -> Iterator[list[NewEvent]]:
    batch: list[NewEvent] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
