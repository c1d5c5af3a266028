"""Supervisor screens and reports over a million tickets: median times.

Run: .venv/bin/python bench/supervisor_bench.py [--repeat N] [--build-only] [--db PATH]

Builds (once) or reuses a 1,000,000-ticket SQLite database at
/tmp/mesa-bench-sup-1m.db with `mesa_tui.store.demo.generate`, with a fixed
"now" so figures are comparable between runs, then prints the median time of
each read the supervisor screens and the reports make. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from mesa_tui.store.engine import Database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = Path("/tmp/mesa-bench-sup-1m.db")
TICKETS = 1_000_000
# Wednesday 18 November 2026, 09:00 in Bogotá: the demo data ends here.
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=timezone.utc)


def _ticket_count(path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
    except sqlite3.Error:
        return 0


def build_or_reuse(path: Path) -> Database:
    """The bench database, built under a lock so two runs never build it at once."""
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists() and _ticket_count(path) >= TICKETS:
            print(f"Reusing {path} ({_ticket_count(path):,} tickets)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            _build(path)
    return Database(f"sqlite:///{path}")


def _build(path: Path) -> None:
    from mesa_tui.services.catalog import import_catalog
    from mesa_tui.store import migrate
    from mesa_tui.store.demo import generate
    from mesa_tui.store.seed import seed_reference_data

    print(f"Building {path} with {TICKETS:,} tickets...", flush=True)
    t0 = time.perf_counter()
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    seed_reference_data(db)
    import_catalog(db, (ROOT / "db" / "catalog.tsv").read_text(encoding="utf-8"))
    generate(db, TICKETS, seed=7, now=NOW)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    print(f"Built in {time.perf_counter() - t0:.0f} s", flush=True)


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, default=DEFAULT_PATH)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--build-only", action="store_true")
    args = p.parse_args()
    db = build_or_reuse(args.db)
    if args.build_only:
        return
    print("(benchmarks pending)", file=sys.stderr)
    del tempfile


if __name__ == "__main__":
    main()
