"""How long a policy save and a closure take when they recompute N open tickets.

Run: .venv/bin/python bench/admin_recompute_bench.py [N] [DB_URL]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from mesa_tui.demo import ensure_staff
from mesa_tui.services.admin import Admin
from mesa_tui.services.catalog import import_catalog
from mesa_tui.services.desk import Desk, NewTicket
from mesa_tui.services.identity import Identity
from mesa_tui.store import migrate
from mesa_tui.store.engine import Database
from mesa_tui.store.models import Ticket
from mesa_tui.store.seed import seed_reference_data

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
URL = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)  # Wednesday 09:00 in Bogotá


def main() -> None:
    db = Database(URL)
    migrate.upgrade(db)
    seed_reference_data(db)
    import_catalog(db, Identity(db).system(), (Path("db") / "catalog.tsv").read_text(encoding="utf-8"))
    db.write(lambda s: ensure_staff(s))
    clock = [NOW - timedelta(hours=1)]
    desk = Desk(db, lambda: clock[0])
    services = [f"SER-{i:03d}" for i in range(1, 35) if i != 28]
    # A few real tickets, then N copies of them: media requests, TTR running on office hours.
    jperez = Identity(desk.db).agent("jperez")
    seeds = []
    for code in services:
        t = desk.log(
            jperez,
            NewTicket("Ana", "Hacienda", "ana@x.gov.co", "correo", code, "requerimiento", "Red", impact=2, urgency=2),
        )
        seeds.append(t.id)
    table = Ticket.__table__
    with db.engine.begin() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(table).where(table.c.id.in_(seeds)))]
        copies = []
        for i in range(N - len(rows)):
            row = dict(rows[i % len(rows)])
            row.pop("id")
            row["code"] = f"MDA-BENCH-{i:06d}"
            copies.append(row)
        conn.execute(sa.insert(table), copies)
    clock[0] = NOW
    admin = Admin(db, lambda: NOW)
    boss = Identity(desk.db).agent("admin")
    steps = (
        (
            "save_policy (default media 16 h -> 20 h)",
            lambda: admin.save_policy(boss, None, "media", 120, 1200, "office"),
        ),
        (
            "save_policy (default media -> 24x7, every type)",
            lambda: admin.save_policy(boss, None, "media", 120, 1200, "24x7", all_types=True),
        ),
        ("save_policy (back to office 16 h)", lambda: admin.save_policy(boss, None, "media", 120, 960, "office")),
        ("add_closure (Thu 2026-11-19)", lambda: admin.add_closure(boss, date(2026, 11, 19), "Día cívico")),
        ("remove_closure (Thu 2026-11-19)", lambda: admin.remove_closure(boss, date(2026, 11, 19))),
    )
    print(f"{db.engine.dialect.name}, {N} open tickets")
    prof = cProfile.Profile() if os.environ.get("PROFILE") else None
    for label, fn in steps:
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        result = fn()
        if prof:
            prof.disable()
        print(f"  {label:42s} {result.tickets_updated:6d} tickets  {time.perf_counter() - t0:6.2f} s")
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
