"""How long `mesa audit verify` takes on a desk of a million tickets.

Run: .venv/bin/python bench/audit_bench.py [--tickets N] [--reuse URL] [--keep] [--repeat N]

Without --reuse it builds a fresh desk the way a user would, in a temporary
folder: `mesa db upgrade`, `mesa catalog import db/catalog.tsv`,
`mesa demo --tickets N` (timing each), then runs `mesa audit verify` there.
--reuse URL verifies an existing desk instead (named loudly: its figures are
that desk's). Times the command as a user runs it (a new process, start-up
included) and the store's walk alone. Prints figures; asserts nothing.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mesa(url: str, *args: str) -> tuple[float, str]:
    """Run `mesa ARGS` on `url` in a new process; (seconds, last line of its output)."""
    env = {**os.environ, "MESA_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mesa_tui", *args], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        sys.exit(f"mesa {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    lines = done.stdout.strip().splitlines()
    return elapsed, lines[0] if lines else ""


def build(url: str, tickets: int) -> None:
    for args in (
        ("db", "upgrade"),
        ("catalog", "import", str(ROOT / "db" / "catalog.tsv")),
        ("demo", "--tickets", str(tickets)),
    ):
        elapsed, line = mesa(url, *args)
        print(f"mesa {' '.join(args)}: {elapsed:.1f} s  ({line})", flush=True)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tickets", type=int, default=1_000_000)
    p.add_argument("--reuse", metavar="URL", help="verify this existing desk instead of building one")
    p.add_argument("--keep", action="store_true", help="keep the desk built in the temporary folder")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    folder = None
    if args.reuse:
        url = args.reuse
        print(f"*** REUSING AN EXISTING DESK: {url} (nothing is built; figures are this desk's) ***", flush=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="mesa-audit-bench-"))
        url = f"sqlite:///{folder}/mesa.db"
        print(f"Building a fresh desk of {args.tickets:,} tickets in {folder}", flush=True)
        build(url, args.tickets)
    try:
        cli_times = []
        for _ in range(args.repeat):
            elapsed, line = mesa(url, "audit", "verify")
            cli_times.append(elapsed)
            print(f"mesa audit verify: {elapsed:.1f} s  ({line})", flush=True)

        sys.path.insert(0, str(ROOT / "src"))
        from mesa_tui.store.audit_verify import verify_chain
        from mesa_tui.store.engine import Database

        db = Database(url)
        walks = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = verify_chain(db)
            walks.append(time.perf_counter() - t0)
        db.dispose()
        rate = report.events / statistics.median(walks) if walks else 0
        print(
            f"\n{report.events:,} events, {'whole' if report.ok else 'BROKEN'}; "
            f"`mesa audit verify` median {statistics.median(cli_times):.1f} s, "
            f"the walk alone median {statistics.median(walks):.1f} s ({rate:,.0f} events/s)"
        )
    finally:
        if folder is not None:
            if args.keep:
                print(f"Kept {folder}")
            else:
                shutil.rmtree(folder)


if __name__ == "__main__":
    main()
