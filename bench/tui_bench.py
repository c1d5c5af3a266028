"""Agent TUI benchmark: drives MesaApp headless with Pilot and prints medians.

    .venv/bin/python bench/tui_bench.py                      # 10.000 and 1.000.000 tickets
    .venv/bin/python bench/tui_bench.py --sizes 10000 --reps 9
    .venv/bin/python bench/tui_bench.py --db 1000000=/path/to/mesa.db
    .venv/bin/python bench/tui_bench.py --text-index         # with the trigram index

Databases are made once with the real commands (`mesa db upgrade`, `mesa
catalog import`, `mesa demo --tickets N`) and kept in --dir for the next run.

Steps, each from the key press (injected as the terminal would send it) to the
rows being in the widget:
  start       process start to the first rows of the queue (a fresh interpreter,
              so imports count)
  next page   pagedown
  filter      the last key of a text typed after `/` (several terms, common and rare)
  open        enter on a row, until the ticket's fields are shown
  back        escape, until the queue is on screen again (its refresh follows)

While the steps run, a task measures how late the event loop wakes up: the
longest stall is what an agent would feel as a frozen screen. Numbers only:
nothing here asserts (House style: benchmarks print, tests assert).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)
TARGETS = {"start": 800.0, "next page": 60.0, "filter": 60.0, "open": 60.0, "back": 60.0}
FILTER_TERMS = ("impresora", "marrugo", "vpn no conecta", "zzzz")


# --- databases ------------------------------------------------------------------


def ensure_db(tickets: int, folder: Path) -> Path:
    path = folder / f"mesa-{tickets}.db"
    # This checkout's mesa (not whichever one is installed), as a user would run it.
    env = {**os.environ, "MESA_DATABASE_URL": f"sqlite:///{path}", "PYTHONPATH": str(ROOT / "src")}
    mesa = [sys.executable, "-m", "mesa_tui"]
    if path.exists():  # a desk kept from an earlier run: brought to this checkout's schema, as an upgrade would
        subprocess.run([*mesa, "db", "upgrade"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return path
    folder.mkdir(parents=True, exist_ok=True)
    print(f"creando {path} con mesa demo --tickets {tickets} ...", flush=True)
    for args in (
        ["db", "upgrade"],
        ["catalog", "import", str(ROOT / "db" / "catalog.tsv")],
        ["demo", "--tickets", str(tickets)],
    ):
        subprocess.run([*mesa, *args], env=env, check=True, cwd=ROOT)
    return path


def text_index(db_path: Path, create: bool) -> bool:
    """Whether the database has the queue's trigram index (creating it if asked)."""
    import sqlite3

    from mesa_tui.store.queue_repo import FTS_DDL, FTS_TABLE

    con = sqlite3.connect(db_path)
    try:
        exists = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone() is not None
        if create and not exists:
            print(f"creando el índice de texto en {db_path} ...", flush=True)
            for statement in FTS_DDL:
                con.execute(statement)
            con.commit()
            exists = True
    finally:
        con.close()
    return exists


def agent_login(db_path: Path) -> str:
    """An agent whose "Mis casos" has rows: the one holding most open tickets."""
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        row = con.execute(
            "SELECT a.login FROM ticket t JOIN agent a ON a.id = t.agent_id "
            "WHERE t.status IN ('nuevo','asignado','en_proceso','en_espera') AND a.role = 'agent' "
            "GROUP BY a.login ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else "supervisor"


# --- start-up, in a fresh process ---------------------------------------------------

CHILD = "--child-start"


def child_start(db_path: str, login: str) -> None:
    """Runs in a fresh interpreter: print ms from process start to first rows, and peak RSS."""
    started = time.time() - _process_age()
    from mesa_tui.app import MesaApp
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    async def main() -> None:
        desk = Desk(Database(f"sqlite:///{db_path}"))
        app = MesaApp(desk, Identity(desk.db).agent(login))
        async with app.run_test(size=SIZE):
            while not _rows(app):
                await asyncio.sleep(0.002)
            elapsed = (time.time() - started) * 1000
            print(f"{elapsed:.1f} {_peak_mb():.1f}", flush=True)

    asyncio.run(main())


def _process_age() -> float:
    """Seconds since this process started (Linux /proc), so interpreter start-up counts."""
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def measure_start(db_path: Path, login: str, reps: int) -> tuple[list[float], float]:
    times, peaks = [], []
    for _ in range(reps):
        out = subprocess.run(
            [sys.executable, __file__, CHILD, str(db_path), login], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        times.append(float(out[0]))
        peaks.append(float(out[1]))
    return times, max(peaks)


# --- the steps, in this process ----------------------------------------------------


def _rows(app) -> int:
    table = getattr(app.screen, "table", None)
    return table.row_count if table is not None else 0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LoopWatch:
    """How late the event loop wakes from a 5 ms sleep: its stalls."""

    def __init__(self) -> None:
        self.stalls: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.005)
            self.stalls.append((time.perf_counter() - t - 0.005) * 1000)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


async def press(app, key: str, char: str | None = None) -> None:
    """Send a key the way the terminal driver does (no Pilot waits in the timing)."""
    from textual import events

    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def until(condition, timeout: float = 10.0) -> float:
    t = time.perf_counter()
    while not condition():
        if time.perf_counter() - t > timeout:
            raise TimeoutError("the screen did not get there in time")
        await asyncio.sleep(0.0005)
    return (time.perf_counter() - t) * 1000


async def settle(app, pilot) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def measure_steps(
    db_path: Path, login: str, reps: int
) -> tuple[dict[str, list[float]], dict[str, float], LoopWatch]:
    from mesa_tui.app import MesaApp
    from mesa_tui.screens.agent.queue import QueueScreen
    from mesa_tui.screens.agent.ticket import TicketScreen
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    desk = Desk(Database(f"sqlite:///{db_path}"))
    app = MesaApp(desk, Identity(desk.db).agent(login))
    results: dict[str, list[float]] = {"next page": [], "filter": [], "open": [], "back": [], "back+refresh": []}
    per_term: dict[str, list[float]] = {term: [] for term in FILTER_TERMS}
    watch = LoopWatch()
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: _rows(app) > 0)
        await settle(app, pilot)
        await pilot.press("4")  # all open tickets: the biggest queue
        await settle(app, pilot)
        queue: QueueScreen = app.screen
        watch.start()
        for _ in range(reps):
            # next page, then back to the top for the next round
            first = queue.table.rows_shown[0].id
            await press(app, "pagedown")
            results["next page"].append(
                await until(lambda first=first: queue.table.rows_shown and queue.table.rows_shown[0].id != first)
            )
            await settle(app, pilot)
            await pilot.press("g")
            await settle(app, pilot)

            # text filter: type, then time from the last key to the answer
            for term in FILTER_TERMS:
                await pilot.press("slash", *term[:-1])
                await settle(app, pilot)
                await press(app, term[-1], term[-1])
                ms = await until(lambda term=term: queue.shown_query is not None and queue.shown_query.text == term)
                results["filter"].append(ms)
                per_term[term].append(ms)
                await settle(app, pilot)
                await pilot.press("escape")
                await settle(app, pilot)

            # open the ticket under the cursor, then go back
            await press(app, "enter")
            results["open"].append(
                await until(lambda: isinstance(app.screen, TicketScreen) and app.screen.view is not None)
            )
            await settle(app, pilot)
            loaded_at = queue.loaded_at
            generation = queue._generation
            await press(app, "escape")
            results["back"].append(await until(lambda: app.screen is queue))
            t0 = time.perf_counter()
            await until(
                lambda generation=generation, loaded_at=loaded_at: (
                    queue._generation > generation
                    and queue.shown_query is not None
                    and queue.loaded_at is not loaded_at
                )
            )
            results["back+refresh"].append(results["back"][-1] + (time.perf_counter() - t0) * 1000)
            await settle(app, pilot)
        watch.stop()
    terms = {term: statistics.median(v) for term, v in per_term.items()}
    return results, terms, watch


# --- report ------------------------------------------------------------------------


def report(
    tickets: int, indexed: bool, start: list[float], start_peak: float, steps: dict[str, list[float]], terms, watch
) -> None:
    def line(name: str, values: list[float]) -> str:
        target = TARGETS.get(name.split("+")[0])
        med = statistics.median(values)
        mark = "" if target is None else ("  ok" if med <= target else "  SOBRE LA META")
        goal = f"(meta <= {target:.0f} ms)" if target else ""
        return f"  {name:<14} mediana {med:8.1f} ms   máx {max(values):8.1f} ms  {goal}{mark}"

    index = "con índice de texto (trigramas)" if indexed else "sin índice de texto: LIKE sobre la cola"
    print(f"\n== {tickets:,} casos · {index} ==".replace(",", "."))
    print(line("start", start))
    for name, values in steps.items():
        print(line(name, values))
    print("  filtro por término (mediana): " + ", ".join(f"«{t}» {ms:.1f} ms" for t, ms in terms.items()))
    stalls = sorted(watch.stalls)
    p99 = stalls[int(len(stalls) * 0.99)] if stalls else 0.0
    worst = stalls[-1] if stalls else 0.0
    verdict = "ok" if worst <= 100 else "SOBRE LA META"
    print(f"  bucle de eventos: bloqueo máx {worst:.1f} ms, p99 {p99:.1f} ms (meta <= 100 ms) {verdict}")
    print(f"  memoria pico: arranque {start_peak:.0f} MB, sesión de pasos {_peak_mb():.0f} MB (meta <= 200 MB)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == CHILD:
        child_start(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="ticket counts, comma separated")
    parser.add_argument("--reps", type=int, default=7, help="rounds per step (default 7)")
    parser.add_argument(
        "--dir", default=os.path.join(tempfile.gettempdir(), "mesa-bench"), help="where the databases are kept"
    )
    parser.add_argument(
        "--db", action="append", default=[], metavar="N=PATH", help="use an existing database for size N"
    )
    parser.add_argument(
        "--text-index", action="store_true", help="add the queue's trigram index to the databases first"
    )
    args = parser.parse_args()
    given = {int(n): Path(p) for n, p in (item.split("=", 1) for item in args.db)}
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"mesa-tui · benchmark de la interfaz de agentes · {args.reps} rondas · {os.cpu_count()} núcleos")
    for tickets in sizes:
        db_path = given.get(tickets) or ensure_db(tickets, Path(args.dir))
        indexed = text_index(db_path, args.text_index)
        login = agent_login(db_path)
        start, start_peak = measure_start(db_path, login, max(3, args.reps // 2))
        steps, terms, watch = asyncio.run(measure_steps(db_path, login, args.reps))
        report(tickets, indexed, start, start_peak, steps, terms, watch)


if __name__ == "__main__":
    main()
