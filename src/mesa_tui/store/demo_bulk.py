"""Bulk insert of demo tickets: Core inserts on PostgreSQL; on SQLite, one worker
process per core writes rows into a scratch file and SQLite copies them in. One
"registrar" event per ticket, appended to the audit chain."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import col, select

from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.sla import SlaTargets, ticket_targets
from mesa_tui.domain.vocab import TicketType
from mesa_tui.store import audit_chain, demo_people
from mesa_tui.store.demo_people import Person, pool_size
from mesa_tui.store.demo_rows import COLUMNS, DATETIME_COLUMNS, Reference, rows, year_starts
from mesa_tui.store.engine import Database
from mesa_tui.store.models import (
    Agent,
    CatalogService,
    Counter,
    SlaPolicy,
    SupportGroup,
    Ticket,
    sqlite_text,
    table_of,
)

_DEMO_NOTE = "Datos de demostración"


class _Part(NamedTuple):
    """One worker's share of the bulk insert (sent to another process: plain values)."""

    path: str
    offsets: list[float]
    start: datetime
    span_s: float
    now: datetime
    seed: int
    ref: Reference
    year_counts: dict[int, int]


def _reference(db: Database, people: list[Person]) -> tuple[Reference, dict[int, int]]:
    with db.read() as s:
        services = [
            i for i in s.exec(select(CatalogService.id).where(col(CatalogService.active).is_(True))) if i is not None
        ]
        agents = list(s.exec(select(Agent.id, Agent.group_id, Agent.level).where(Agent.role == "agent")).all())
        groups = {g.id: g.level for g in s.exec(select(SupportGroup)).all()}
        policies = {
            p.priority: SlaTargets(
                timedelta(minutes=p.tto_minutes), timedelta(minutes=p.ttr_minutes), p.calendar, p.all_types
            )
            for p in s.exec(
                select(SlaPolicy).where(col(SlaPolicy.service_id).is_(None), col(SlaPolicy.category_id).is_(None))
            ).all()
        }
        year_counts = {int(n.split(":")[1]): v for n, v in s.exec(select(Counter.name, Counter.value)).all()}
    # Demo services count the office schedule (the demo attaches none of their own).
    targets: dict[tuple[str, str], tuple[timedelta, timedelta, str]] = {}
    for pr in ("crítica", "alta", "media", "baja"):
        for ttype in TicketType:
            t = ticket_targets(policies.get(pr), pr, ttype.value)
            targets[(pr, ttype.value)] = (t.tto, t.ttr, t.calendar)
    ref = Reference(
        services=services,
        agents=[(a, g, lv) for a, g, lv in agents if a is not None],
        l1_group=min(g for g, lvl in groups.items() if g is not None and lvl == 1),
        targets=targets,
        requesters=people,
    )
    return ref, year_counts


def _span(count: int, now: datetime) -> tuple[datetime, float]:
    # Two years for a million tickets, a few months for fewer.
    span = timedelta(days=min(730, max(60, count // 1400)))
    return now - span, span.total_seconds()


def insert_tickets(db: Database, count: int, seed: int, now: datetime) -> int:
    """Insert `count` demo tickets created over the span before `now`; returns how many."""
    rng = random.Random(seed)
    start, span_s = _span(count, now)
    people = db.write(lambda s: demo_people.ensure_people(s, random.Random(seed), pool_size(count), start))
    ref, year_counts = _reference(db, people)
    offsets = sorted(rng.random() * span_s for _ in range(count))
    chunk = 50_000
    made = 0
    with db.read() as s:
        before = s.execute(sa.select(sa.func.coalesce(sa.func.max(col(Ticket.id)), 0))).scalar_one()
    if db.is_sqlite:
        made = _bulk_sqlite(db.engine.url.database or "", offsets, start, span_s, now, seed, ref, year_counts)
    with db.engine.begin() as conn:
        if not db.is_sqlite:
            generated = rows(offsets, start, span_s, now, rng, ref, year_counts)
            table = table_of(Ticket)
            batch: list[dict[str, Any]] = []
            for row in generated:
                batch.append(dict(zip(COLUMNS, row, strict=True)))
                if len(batch) >= chunk:
                    conn.execute(sa.insert(table), batch)
                    made, batch = made + len(batch), []
            if batch:
                conn.execute(sa.insert(table), batch)
                made += len(batch)
        counters = table_of(Counter)
        for year, value in year_counts.items():
            name = f"ticket:{year}"
            updated = conn.execute(sa.update(counters).where(counters.c.name == name).values(value=value))
            if updated.rowcount == 0:
                conn.execute(sa.insert(counters).values(name=name, value=value))
        audit_chain.append(conn, _registrar_events(conn, before))
    return made


def _registrar_events(conn: sa.Connection, after: int, chunk: int = 50_000) -> Iterator[audit_chain.NewEvent]:
    """One "registrar" event per ticket inserted after id `after`, in id order, read a chunk at a time."""
    table = table_of(Ticket)
    while True:
        q = (
            sa.select(table.c.id, table.c.code, table.c.created_at)
            .where(table.c.id > after)
            .order_by(table.c.id)
            .limit(chunk)
        )
        batch = conn.execute(q).all()
        for ticket_id, code, created_at in batch:
            yield audit_chain.NewEvent(ticket_id, "ticket", code, created_at, None, "registrar", "{}", _DEMO_NOTE)
        if len(batch) < chunk:
            return
        after = batch[-1][0]


def _generate_part(job: _Part) -> dict[int, int]:
    """Worker: write rows for one slice of the offsets into a scratch SQLite file."""
    import sqlite3

    year_counts = job.year_counts
    generated = rows(job.offsets, job.start, job.span_s, job.now, random.Random(job.seed), job.ref, year_counts)
    dt_idx = sorted(DATETIME_COLUMNS)
    con = sqlite3.connect(job.path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(f"CREATE TABLE part ({', '.join(COLUMNS)})")
    sql = f"INSERT INTO part VALUES ({', '.join('?' * len(COLUMNS))})"
    batch: list[list[Any]] = []
    for values in generated:
        row = list(values)
        done: dict[int, str] = {}  # a row repeats the same instants (anchor = created...)
        for i in dt_idx:
            v = row[i]
            if v is not None:
                text = done.get(id(v))
                if text is None:
                    text = done[id(v)] = sqlite_text(v)
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


def _bulk_sqlite(
    path: str,
    offsets: list[float],
    start: datetime,
    span_s: float,
    now: datetime,
    seed: int,
    ref: Reference,
    year_counts: dict[int, int],
) -> int:
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
    bounds = year_starts(start, now, calendar_for("office").tz)
    tmp = tempfile.mkdtemp(prefix="mesa-demo-")
    jobs: list[_Part] = []
    for p in range(parts):
        lo = p * size
        counts = dict(year_counts)
        for i, (threshold, year) in enumerate(bounds):
            upper = bounds[i + 1][0] if i + 1 < len(bounds) else float("inf")
            before = bisect.bisect_left(offsets, upper, 0, lo) - bisect.bisect_left(offsets, threshold, 0, lo)
            counts[year] = counts.get(year, 0) + before
        part_path = os.path.join(tmp, f"part{p}.db")
        jobs.append(_Part(part_path, offsets[lo : lo + size], start, span_s, now, seed * 1000 + p, ref, counts))
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
            con.execute(f"ATTACH DATABASE ? AS part{p}", (job.path,))
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
            os.remove(job.path)
        os.rmdir(tmp)
    return made
