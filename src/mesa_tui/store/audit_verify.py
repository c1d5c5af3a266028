"""Walk the audit chain (store/audit_chain.py) and report the first event that
breaks it: `mesa audit verify`.

One pass in id order over a consistent snapshot (a REPEATABLE READ transaction
on PostgreSQL, a read transaction on SQLite), streamed (a server-side cursor on
PostgreSQL), recomputing every hash. Each event is checked two ways: its
content against its own hash (an edit shows there), and its prev_hash against
the hash of the event before it (a deletion, a reordering, an event slipped in
shows there). The pass stops at the first event that fails; a few look-ups then
tell what happened to it. Last, the head must name the last event (or the
newest events were removed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from mesa_tui.domain.audit import BreakKind, ChainBreak, ChainReport
from mesa_tui.store.audit_chain import CANONICAL, GENESIS, HEAD_ID, chain_hash, iso_utc, sqlite_to_iso
from mesa_tui.store.engine import Database, unusable
from mesa_tui.store.models import AuditHead, TicketEvent, table_of

_EVENTS = table_of(TicketEvent)
_HEAD = table_of(AuditHead)
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_STREAM = 20_000


def verify_chain(db: Database) -> ChainReport:
    """The whole trail checked; `broken` names the first event that fails."""
    try:
        with _snapshot(db) as conn:
            return _walk(conn)
    except sa.exc.DBAPIError as exc:
        raise (unusable(exc) or exc) from None


@contextmanager
def _snapshot(db: Database) -> Iterator[sa.Connection]:
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn = conn.execution_options(mesa_readonly=True)
        else:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def walk_chain(conn: sa.Connection) -> ChainReport:
    """The chain checked over `conn`, already inside a consistent read (a restored
    scratch copy, for `mesa backup --verify`)."""
    return _walk(conn)


def _walk(conn: sa.Connection) -> ChainReport:
    found = conn.execute(sa.select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID)).first()
    head = (int(found[0]), str(found[1])) if found is not None else None
    head_id = head[0] if head is not None else None
    at_iso: Callable[[Any], str]
    if conn.dialect.name == "sqlite":
        at_col: sa.ColumnElement[Any] = sa.type_coerce(_EVENTS.c.at, sa.String())
        at_iso = sqlite_to_iso
    else:
        at_col, at_iso = _EVENTS.c.at, iso_utc
    c = _EVENTS.c
    q = sa.select(
        c.id,
        c.ticket_id,
        c.entity,
        c.entity_key,
        at_col,
        c.actor_id,
        c.action,
        c.changes,
        c.note,
        c.operator_id,
        c.prev_hash,
        c.hash,
        c.hash_version,
    ).order_by(c.id)
    prev, prev_id, count = GENESIS, None, 0
    canonical = CANONICAL
    result = conn.execution_options(stream_results=True, yield_per=_STREAM).execute(q)
    bad: Any = None  # the first event that fails (a row of the select above)
    for row in result:
        event_id, ticket_id, entity, key, at, actor_id, action, changes, note, operator, prev_hash, digest, version = (
            row
        )
        form = canonical.get(version)
        if (
            prev_hash == prev
            and form is not None
            and digest
            == chain_hash(
                prev, form(event_id, ticket_id, entity, key, at_iso(at), actor_id, action, changes, note, operator)
            )
            and (head_id is None or event_id <= head_id)
        ):
            prev, prev_id, count = digest, event_id, count + 1
            continue
        bad = row
        break
    result.close()
    broken: ChainBreak | None
    if bad is not None:
        broken = _diagnose(conn, bad, prev, prev_id, head_id, at_iso)
    else:
        broken = _check_head(head, prev, prev_id)
    return ChainReport(events=count, last_id=prev_id, last_hash=prev, broken=broken)


def _self_consistent(row: Any, at_iso: Callable[[Any], str]) -> bool:
    event_id, ticket_id, entity, key, at, actor_id, action, changes, note, operator, prev_hash, digest, version = row
    form = CANONICAL.get(version)
    if form is None:
        return False
    canonical = form(event_id, ticket_id, entity, key, at_iso(at), actor_id, action, changes, note, operator)
    return bool(digest == chain_hash(prev_hash, canonical))


def _diagnose(
    conn: sa.Connection,
    row: Any,
    prev: str,
    prev_id: int | None,
    head_id: int | None,
    at_iso: Callable[[Any], str],
) -> ChainBreak:
    """Why `row`, the first event that fails, fails; `prev`/`prev_id` are the last good one."""
    event_id, prev_hash, digest = row.id, row.prev_hash, row.hash
    subject = _subject(row.ticket_id, row.entity, row.entity_key)
    after = f"el evento #{prev_id}" if prev_id is not None else "el comienzo de la cadena"
    linked = prev_hash == prev
    consistent = _self_consistent(row, at_iso)

    def kind(k: BreakKind, detail: str, which: int | None = event_id, about: str = subject) -> ChainBreak:
        return ChainBreak(k, which, about, detail)

    if not _HEX64.match(digest):
        return kind(BreakKind.FORGED, "no tiene una huella que la mesa haya calculado.")
    if row.hash_version not in CANONICAL:
        return kind(BreakKind.EDITED, f"su huella dice ser de una versión que no existe ({row.hash_version}).")
    if linked and consistent:  # a well-formed event the chain's head does not know
        return kind(BreakKind.FORGED, f"está después del último evento que registra la cadena (#{head_id}).")
    if linked:
        rival = _first_id(conn, _EVENTS.c.prev_hash == prev_hash, _EVENTS.c.id != event_id)
        if rival is not None or (head_id is not None and event_id > head_id):
            return kind(BreakKind.FORGED, f"dice seguir a {after}, pero su huella no es de la cadena.")
        return kind(BreakKind.EDITED, "su contenido ya no coincide con su huella: se modificó después de escrito.")
    if consistent:
        origin = _first_id(conn, _EVENTS.c.hash == prev_hash)
        if origin is None:
            return kind(
                BreakKind.DELETED,
                f"falta el evento que lo precedía en la cadena: se eliminó entre {after} y este.",
            )
        if origin > event_id:
            return kind(BreakKind.REORDERED, f"la cadena lo pone después del evento #{origin}.")
        intruder = _first_id(conn, _EVENTS.c.id > origin)
        return kind(
            BreakKind.FORGED,
            f"no estaba en la cadena: entre el evento #{origin} y el #{event_id} se agregaron eventos.",
            intruder,
            _subject_of(conn, intruder),
        )
    successor = _first_id(conn, _EVENTS.c.prev_hash == prev, _EVENTS.c.id > event_id)
    if successor is not None:
        return kind(BreakKind.REORDERED, f"la cadena sigue de {after} al evento #{successor}, no a este.")
    if _first_id(conn, _EVENTS.c.prev_hash == digest) is not None:
        return kind(BreakKind.EDITED, f"ni su contenido coincide con su huella ni encadena con {after}.")
    return kind(BreakKind.FORGED, f"ni encadena con {after} ni su huella es de la cadena.")


def _check_head(head: tuple[int, str] | None, last_hash: str, last_id: int | None) -> ChainBreak | None:
    if head is None:
        return ChainBreak(BreakKind.HEAD, None, "", "falta la cabeza de la cadena (tabla audit_head).")
    head_id, head_hash = head
    if head_id == (last_id or 0) and head_hash == last_hash:
        return None
    if head_id > (last_id or 0):
        last = f"el #{last_id}" if last_id is not None else "ninguno"
        return ChainBreak(
            BreakKind.TRUNCATED,
            head_id,
            "",
            f"la cadena termina en el evento #{head_id}, pero el último que queda es {last}.",
        )
    return ChainBreak(BreakKind.HEAD, last_id, "", "la cabeza de la cadena no coincide con el último evento.")


def _first_id(conn: sa.Connection, *where: sa.ColumnElement[bool]) -> int | None:
    found = conn.execute(sa.select(sa.func.min(_EVENTS.c.id)).where(*where)).scalar()
    return int(found) if found is not None else None


def _subject_of(conn: sa.Connection, event_id: int | None) -> str:
    if event_id is None:
        return ""
    row = conn.execute(
        sa.select(_EVENTS.c.ticket_id, _EVENTS.c.entity, _EVENTS.c.entity_key).where(_EVENTS.c.id == event_id)
    ).first()
    return _subject(*row) if row is not None else ""


def _subject(ticket_id: int | None, entity: str | None, key: str | None) -> str:
    if ticket_id is not None:
        return f"caso {key}" if key else f"caso id {ticket_id}"
    return f"{entity} {key}".strip() if entity else ""
