"""Requesters at scale: the bulk demo with its directory, the queue's search by the
requester's e-mail and name, the directory's search, a requester's other tickets and the
anonymization of a busy requester. Prints figures (median of --reps); asserts nothing.

    .venv/bin/python bench/requester_bench.py                    # 1.000.000 tickets
    .venv/bin/python bench/requester_bench.py --tickets 100000 --reps 7

The database is made once with the real commands (`mesa db upgrade`, `mesa catalog
import`, `mesa demo --tickets N`) in --dir and kept for the next run; the demo's time
is printed when it is made. The anonymization runs on a copy, so the kept database stays
as the demo made it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_db(tickets: int, folder: Path) -> Path:
    path = folder / f"mesa-req-{tickets}.db"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MESA_DATABASE_URL": f"sqlite:///{path}"}
    mesa = [sys.executable, "-m", "mesa_tui"]
    for args in (["db", "upgrade"], ["catalog", "import", str(ROOT / "db" / "catalog.tsv")]):
        subprocess.run([*mesa, *args], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([*mesa, "demo", "--tickets", str(tickets)], env=env, check=True, cwd=ROOT)
    print(f"mesa demo --tickets {tickets:,}: {time.perf_counter() - started:.1f} s (directorio incluido)")
    return path


def timed(fn: Callable[[], object], reps: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "mesa-bench"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    path = ensure_db(args.tickets, Path(args.dir))

    import sqlalchemy as sa

    from mesa_tui.domain.queue import PageRequest, QueueQuery, QueueView
    from mesa_tui.services.identity import Identity
    from mesa_tui.services.queue import QueueService
    from mesa_tui.services.requesters import Requesters
    from mesa_tui.store.engine import Database

    db = Database(f"sqlite:///{path}")
    sup = Identity(db).agent("supervisor")
    with db.engine.connect() as conn:
        people = conn.execute(sa.text("SELECT count(*) FROM requester")).scalar_one()
        busiest, email, n = conn.execute(
            sa.text(
                "SELECT r.id, r.email, count(*) FROM ticket t JOIN requester r ON r.id = t.requester_id "
                "WHERE r.email IS NOT NULL GROUP BY r.id ORDER BY count(*) DESC LIMIT 1"
            )
        ).one()
    print(f"{args.tickets:,} casos · {people:,} solicitantes · el que más tiene: {n:,} casos ({email})")
    queue, directory = QueueService(db), Requesters(db)
    user = email.split("@")[0]
    for label, text in (
        ("cola: correo completo", email),
        ("cola: parte del correo", user),
        ("cola: nombre", "marrugo"),
        ("cola: sin coincidencias", "zzzz@nada"),
    ):
        query = QueueQuery(view=QueueView.OPEN, text=text)
        ms, page = timed(lambda q=query: queue.page(sup, q, PageRequest(size=50)), args.reps)
        print(f"{label:<28} {ms:8.1f} ms  ({len(page.rows)} filas en la página)")
    ms, found = timed(lambda: directory.find(sup, "gomez"), args.reps)
    print(f"{'directorio: buscar «gomez»':<28} {ms:8.1f} ms  ({len(found)} personas)")
    ms, _ = timed(lambda: directory.other_tickets(sup, busiest), args.reps)
    print(f"{'otros casos del solicitante':<28} {ms:8.1f} ms")
    copy = Path(args.dir) / "anonimizar.db"
    shutil.copy(path, copy)
    scratch = Database(f"sqlite:///{copy}")
    admin = Identity(scratch).agent("admin")
    t0 = time.perf_counter()
    Requesters(scratch).anonymize(admin, busiest, "Bench")
    print(f"{'anonimizar (con sus casos)':<28} {(time.perf_counter() - t0) * 1000:8.1f} ms  ({n:,} casos)")
    scratch.dispose()
    copy.unlink()


if __name__ == "__main__":
    main()
