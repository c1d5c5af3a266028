"""Live updates between two processes, and what an idle session costs.

Run: .venv/bin/python bench/live_bench.py [--url URL] [--changes 10] [--idle 60]

Without --url it makes a SQLite desk in a temporary folder; with a PostgreSQL
URL, name a scratch database (the bench migrates it and logs a few tickets in it).

1. Update delay. This process runs the TUI headless as a supervisor on "Todos los
   abiertos" with live updates on. A colleague's process (spawned) comments on a
   ticket of the queue, once per round, and reports the instant its commit
   returned; this process notes when the change feed told it and when the
   queue's table showed the ticket's new version (feed + page re-read + table).
2. Idle CPU. Idle processes run side by side for --idle seconds after a settle:
   the TUI on its queue with live updates on and off, and a bare process with a
   change feed and one without. Each prints the CPU seconds it used in the
   window (user + system) and its share of one core.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import queue
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
CATALOG = ROOT / "db" / "catalog.tsv"
SIZE = (120, 40)
SETTLE_S = 5.0  # start-up, first reads and the gc freeze before an idle window opens


def prepare(url: str, tickets: int) -> list[int]:
    """Migrate and seed (once), then log `tickets` fresh tickets; their ids."""
    from mesa_tui.demo import ensure_staff
    from mesa_tui.services.catalog import import_catalog
    from mesa_tui.services.desk import Desk, NewTicket
    from mesa_tui.services.identity import Identity
    from mesa_tui.store import migrate
    from mesa_tui.store.engine import Database
    from mesa_tui.store.seed import seed_reference_data

    db = Database(url)
    try:
        migrate.upgrade(db)
        seed_reference_data(db)
        identity = Identity(db)
        try:
            agent = identity.agent("jperez")
        except Exception:
            import_catalog(db, identity.system(), CATALOG.read_text(encoding="utf-8"))
            db.write(lambda s: ensure_staff(s))
            agent = identity.agent("jperez")
        desk = Desk(db)
        new = NewTicket(
            requester_name="Solicitante de prueba",
            requester_dependency="Secretaría de Hacienda",
            requester_contact="prueba@cartagena.gov.co",
            channel="correo",
            service_code="SER-001",
            type="incidente",
            subject="Caso del banco de pruebas en vivo",
            impact=1,
            urgency=1,
        )
        return [desk.log(agent, new).id for _ in range(tickets)]
    finally:
        db.dispose()


# --- 1. update delay ------------------------------------------------------------------


def colleague(url: str, ticket_id: int, go, done) -> None:
    """The other supervisor's process: on each "go", reassign the ticket (to one agent,
    then the other: each a new version); report when it committed."""
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    db = Database(url)
    desk = Desk(db)
    supervisor = Identity(db).agent("supervisor")
    logins = ("jperez", "lmarrugo")
    turn = 0
    while go.get() is not None:
        info = desk.assign(supervisor, ticket_id, agent_login=logins[turn % 2])
        done.put((info.version, time.time()))
        turn += 1
    db.dispose()


async def measure_delays(url: str, ticket_id: int, rounds: int) -> tuple[list[float], list[float]]:
    from mesa_tui.app import MesaApp
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.changes import ChangeFeed
    from mesa_tui.store.engine import Database

    db = Database(url)
    told: dict[int, float] = {}

    def feed_told(batch) -> None:
        for change in batch:
            if change.ticket_id == ticket_id and change.version is not None:
                told.setdefault(change.version, time.time())

    feed = ChangeFeed(db, feed_told).start()
    feed.wait_ready()
    ctx = mp.get_context("spawn")
    go, done = ctx.Queue(), ctx.Queue()
    proc = ctx.Process(target=colleague, args=(url, ticket_id, go, done))
    proc.start()
    desk = Desk(db)
    app = MesaApp(desk, Identity(db).agent("supervisor"), live=True)
    feed_delays, screen_delays = [], []
    try:
        async with app.run_test(size=SIZE) as pilot:
            while app.live_watch is None:
                await pilot.pause(0.05)
            app.live_watch.wait_ready()
            await app.workers.wait_for_complete()
            await pilot.pause(1.0)
            table = app.screen.table
            for _ in range(rounds):
                go.put(True)
                # Watch the table from now on; the commit's instant comes by a pipe, maybe later.
                shown: dict[int, float] = {}
                reported: tuple[int, float] | None = None
                started = time.time()
                while reported is None or reported[0] not in shown:
                    row = next((r for r in table.rows_shown if r.id == ticket_id), None)
                    if row is not None:
                        shown.setdefault(row.version, time.time())
                    if reported is None:
                        with contextlib.suppress(queue.Empty):
                            reported = done.get_nowait()
                    if time.time() - started > 30:
                        raise SystemExit("the change never showed on the queue")
                    await pilot.pause(0.01)
                version, committed = reported
                screen_delays.append(shown[version] - committed)
                while version not in told and time.time() - committed < 30:
                    await pilot.pause(0.01)
                feed_delays.append(told.get(version, float("nan")) - committed)
                await pilot.pause(random.uniform(0.2, 0.8))  # any phase of SQLite's poll
    finally:
        go.put(None)
        proc.join(30)
        feed.stop()
        db.dispose()
    return feed_delays, screen_delays


# --- 2. idle CPU --------------------------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def idle_app(url: str, live: bool, seconds: float, out) -> None:
    from mesa_tui.app import MesaApp
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    db = Database(url)
    app = MesaApp(Desk(db), Identity(db).agent("supervisor"), live=live)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(SETTLE_S)
            before = _cpu()
            await asyncio.sleep(seconds)
            out.put((f"TUI on the queue, live updates {'on' if live else 'off'}", _cpu() - before))

    asyncio.run(main())
    db.dispose()


def idle_feed(url: str, watching: bool, seconds: float, out) -> None:
    from mesa_tui.store.changes import ChangeFeed
    from mesa_tui.store.engine import Database

    db = Database(url)
    feed = ChangeFeed(db, lambda batch: None).start() if watching else None
    if feed is not None:
        feed.wait_ready()
    time.sleep(SETTLE_S)
    before = _cpu()
    time.sleep(seconds)
    out.put((f"bare process, {'with a change feed' if watching else 'no change feed'}", _cpu() - before))
    if feed is not None:
        feed.stop()
    db.dispose()


def measure_idle(url: str, seconds: float) -> list[tuple[str, float]]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=idle_app, args=(url, live, seconds, out)) for live in (True, False)]
    procs += [ctx.Process(target=idle_feed, args=(url, watching, seconds, out)) for watching in (True, False)]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        try:
            results.append(out.get(timeout=seconds + 120))
        except queue.Empty:
            break
    for p in procs:
        p.join(30)
    return sorted(results)


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"median {statistics.median(ordered) * 1000:6.0f} ms   max {ordered[-1] * 1000:6.0f} ms   "
        f"min {ordered[0] * 1000:6.0f} ms   (n={len(ordered)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a scratch database (default: SQLite in a temporary folder)")
    parser.add_argument("--changes", type=int, default=10, help="changes timed (default 10)")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of the idle window (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/mesa.db"
        engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        ticket_id = prepare(url, 3)[0]
        print(f"== live updates on {engine}")
        feed_delays, screen_delays = asyncio.run(measure_delays(url, ticket_id, args.changes))
        print(f"commit -> change feed told          {ms(feed_delays)}")
        print(f"commit -> queue shows the change    {ms(screen_delays)}   (promise: 2000 ms)")
        print(f"== idle CPU over {args.idle:.0f} s (after a {SETTLE_S:.0f}-s settle)")
        for name, cpu in measure_idle(url, args.idle):
            print(f"{name:<44} {cpu * 1000:7.0f} ms CPU   {cpu / args.idle * 100:6.3f} % of a core")


if __name__ == "__main__":
    main()
