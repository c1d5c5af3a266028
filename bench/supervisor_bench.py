"""Supervisor screens and reports over a million tickets: median times.

Run: .venv/bin/python bench/supervisor_bench.py [--repeat N] [--current-schema] [--db PATH]

Builds once (about two minutes) or reuses a 1,000,000-ticket SQLite database
at /tmp/mesa-bench-sup-1m.db with `mesa_tui.demo.generate`, with a fixed
"now" so figures are comparable between runs, and adds satisfaction surveys to
60 % of the closed tickets (the bulk demo writes none). Then it prints the
median time of each read the supervisor screens and the reports make, through
the real services. Prints figures; asserts nothing.

The indexes the supervisor queries need (PROPOSED_INDEXES) are created on the
bench database when missing, the same ones the Ticket model is asked to
declare; --current-schema drops them first, to measure without them.
"""

from __future__ import annotations

import argparse
import fcntl
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from mesa_tui.domain.board import BoardGroup
from mesa_tui.domain.queue import PageDirection, PageRequest
from mesa_tui.services.identity import Identity
from mesa_tui.services.reports import Reports
from mesa_tui.store.engine import Database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = Path("/tmp/mesa-bench-sup-1m.db")
TICKETS = 1_000_000
# Wednesday 18 November 2026, 09:00 in Bogotá: the demo data ends here.
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)
PAGE = 50

PROPOSED_INDEXES = {
    "ix_ticket_supervisor": "ticket (status, level, agent_id, service_id, created_at, sla_calendar, due_at, "
    "tto_stopped_at, tto_target_s, ttr_target_s)",
    "ix_ticket_created_kpi": "ticket (created_at, status, nature)",
    "ix_ticket_resolved_kpi": "ticket (resolved_at, status, nature, solution_mode, ttr_met)",
    "ix_ticket_first_response": "ticket (first_response_at, status, tto_met)",
    "ix_survey_at_score": "survey (at, score)",
    # The board's order: priority, then due time (newest crossing first in vencidos, en riesgo).
    "ix_ticket_status_priority_due": "ticket (status, priority, due_at, id)",
}


def _ticket_count(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
    except sqlite3.Error:
        return 0


def build_or_reuse(path: Path) -> None:
    """The bench database, built under a lock so two runs never build it at once."""
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        count = _ticket_count(path) if path.exists() else 0
        if count >= TICKETS:
            print(f"Reusing {path} ({count:,} tickets)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            _build(path)
        _add_surveys(path)


def _build(path: Path) -> None:
    from mesa_tui.demo import generate
    from mesa_tui.services.catalog import import_catalog
    from mesa_tui.store import migrate
    from mesa_tui.store.seed import seed_reference_data

    print(f"Building {path} with {TICKETS:,} tickets...", flush=True)
    t0 = time.perf_counter()
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    seed_reference_data(db)
    import_catalog(db, Identity(db).system(), (ROOT / "db" / "catalog.tsv").read_text(encoding="utf-8"))
    generate(db, TICKETS, seed=7, now=NOW)
    db.dispose()
    print(f"Built in {time.perf_counter() - t0:.0f} s", flush=True)


def _add_surveys(path: Path) -> None:
    """Surveys for 60 % of the closed tickets, scores spread like the small demo's."""
    with sqlite3.connect(path) as conn:
        if conn.execute("SELECT count(*) FROM survey").fetchone()[0]:
            return
        conn.execute(
            """
            INSERT INTO survey (ticket_id, score, comment, at)
            SELECT id,
                   CASE WHEN (id * 2654435761) % 100 < 60 THEN 5
                        WHEN (id * 2654435761) % 100 < 85 THEN 4
                        WHEN (id * 2654435761) % 100 < 93 THEN 3
                        WHEN (id * 2654435761) % 100 < 97 THEN 2 ELSE 1 END,
                   '', closed_at
            FROM ticket WHERE status = 'cerrado' AND id % 5 < 3
            """
        )
        print(f"Added {conn.execute('SELECT count(*) FROM survey').fetchone()[0]:,} surveys", flush=True)


def set_indexes(path: Path, present: bool) -> None:
    with sqlite3.connect(path) as conn:
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        changed = False
        for name, target in PROPOSED_INDEXES.items():
            if present and name not in have:
                print(f"Creating {name}...", flush=True)
                conn.execute(f"CREATE INDEX {name} ON {target}")
                changed = True
            elif not present and name in have:
                conn.execute(f"DROP INDEX {name}")
                changed = True
        if changed:
            conn.execute("ANALYZE")


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, first) in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), times[0]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, default=DEFAULT_PATH)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--current-schema", action="store_true", help="measure without the proposed indexes")
    args = p.parse_args()
    build_or_reuse(args.db)
    set_indexes(args.db, present=not args.current_schema)

    db = Database(f"sqlite:///{args.db}")
    reports = Reports(db, now=lambda: NOW)
    sup = Identity(db).agent("supervisor")
    with tempfile.TemporaryDirectory(prefix="mesa-sup-bench-") as tmp:
        run(reports, sup, Path(tmp), args)
    db.dispose()


def run(reports: Reports, sup, out: Path, args) -> None:
    year = NOW.year
    first = reports.sla_board_page(sup, None, PageRequest(size=PAGE))

    cases: list[tuple[str, Callable[[], object], int]] = [
        ("overview (resumen de la cola)", lambda: reports.overview(sup), args.repeat),
        ("sla board counts", lambda: reports.sla_board_counts(sup), args.repeat),
        (
            f"sla board first page ({PAGE}, all open)",
            lambda: reports.sla_board_page(sup, None, PageRequest(size=PAGE)),
            args.repeat,
        ),
        (
            "sla board next page",
            lambda: reports.sla_board_page(sup, None, PageRequest(PageDirection.AFTER, first.last, size=PAGE)),
            args.repeat,
        ),
    ]
    for group in BoardGroup:
        cases.append(
            (
                f"sla board first page: {group.label}",
                lambda g=group: reports.sla_board_page(sup, g, PageRequest(size=PAGE)),
                args.repeat,
            )
        )
    cases += [
        (f"indicators({year - 1})", lambda: reports.indicators(sup, year - 1), args.repeat),
        (f"indicators({year})", lambda: reports.indicators(sup, year), args.repeat),
        (
            f"export indicators {year - 1} xlsx",
            lambda: reports.export_indicators(sup, year - 1, out / "indicadores.xlsx", "xlsx"),
            args.repeat,
        ),
        (
            f"export indicators {year - 1} csv",
            lambda: reports.export_indicators(sup, year - 1, out / "indicadores.csv", "csv"),
            args.repeat,
        ),
        # Informational (no target): streamed rows, one run each.
        (
            "export tickets, one month csv (1 run)",
            lambda: reports.export_tickets(sup, date(2026, 10, 1), date(2026, 10, 31), out / "casos.csv", "csv"),
            1,
        ),
        (
            "export tickets, one month xlsx (1 run)",
            lambda: reports.export_tickets(sup, date(2026, 10, 1), date(2026, 10, 31), out / "casos.xlsx", "xlsx"),
            1,
        ),
    ]
    schema = "current schema (proposed indexes dropped)" if args.current_schema else "with the proposed indexes"
    print(f"\n{_ticket_count(args.db):,} tickets, SQLite {sqlite3.sqlite_version}, {schema}, now = {NOW.isoformat()}")
    print(f"{'read':<44}{'median ms':>10}{'first ms':>10}")
    for name, fn, repeat in cases:
        med, first_ms = median_ms(fn, repeat)
        print(f"{name:<44}{med:>10.1f}{first_ms:>10.1f}", flush=True)
    month_rows = reports.export_tickets(sup, date(2026, 10, 1), date(2026, 10, 31), out / "casos.csv", "csv")
    print(f"(one month = {month_rows:,} tickets)")


if __name__ == "__main__":
    main()
