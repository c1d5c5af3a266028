"""Browser sessions benchmark: N agents at once in `mesa web`, as their browsers are.

    .venv/bin/python bench/sessions_bench.py                        # 10 and 20 tabs, 1.000.000 tickets
    .venv/bin/python bench/sessions_bench.py --tickets 20000 --sessions 5 10
    .venv/bin/python bench/sessions_bench.py --dir /var/tmp/mesa-bench   # keep the desk for the next run

The desk is made the way a user makes one (`mesa db upgrade`, `mesa catalog import`,
`mesa demo --tickets N`, the same helper as bench/tui_bench.py) and kept in --dir.
Each agent gets a password through the real enrolment (an administrator's code,
then the agent's own password). Then `mesa web` runs on a free loopback port and
every tab is a websocket client speaking textual-serve's page protocol, its output
decoded by a terminal emulator (tests/cli/browser.py): a figure is taken when the
text is on the screen a person would read.

For each number of tabs, all of them at once:
  connect -> login    websocket connect until the login screen shows
  login -> rows       Enter on the password until the queue's first ticket code shows
  page down           pagedown until the first row on screen changes (several per tab)
  open ticket         enter on a row until its ticket screen shows (then escape back)
  RSS per session     resident memory of each tab's process (/proc), mean and max
  live update         another process takes a ticket on a tab's screen, until that tab
                      shows it "En proceso" without a key
Medians and p95 over every tab. Targets (10 tabs, this 2-core machine): key to
paint median <= 100 ms and p95 <= 250 ms, RSS <= 150 MB per session, live update
<= 2 s. Numbers only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

import aiohttp  # noqa: E402
from tui_bench import ensure_db  # noqa: E402

from tests.cli.browser import Tab, log_in, mesa_web, open_tab  # noqa: E402

PASSWORD = "Banco-de-pruebas-2026"
CODE = re.compile(r"MDA-\d{4}-\d{6}")
PAGE_DOWN, ENTER, ESCAPE = "\x1b[6~", "\r", "\x1b"
TARGETS = {"page down": 100.0, "open ticket": 100.0}


def enrol_agents(db_url: str, count: int) -> list[str]:
    """`count` agent logins with a password (agents are reused when there are fewer)."""
    from mesa_tui.services.admin import Admin
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database
    from mesa_tui.store.models import Agent

    db = Database(db_url)
    try:
        with db.read() as s:
            from sqlmodel import col, select

            logins = list(
                s.exec(
                    select(Agent.login).where(Agent.role == "agent", col(Agent.active).is_(True)).order_by(Agent.id)
                ).all()
            )
        identity, admin = Identity(db), Admin(db)
        boss = identity.agent("admin")
        for login in logins:
            try:
                identity.password_login(login, PASSWORD, "banco de pruebas")
            except Exception:  # no password yet: enrol it the way an agent does
                code = admin.issue_enrolment_code(boss, login)
                identity.enrol_password(login, code, PASSWORD, "banco de pruebas")
    finally:
        db.dispose()
    return [logins[i % len(logins)] for i in range(count)]


def ticket_shown(tab: Tab) -> bool:
    """The ticket screen with its case read (not its "Cargando el caso…")."""
    text = tab.text
    return "Historial (lo más reciente primero)" in text and "Cargando el caso" not in text


def first_code(tab: Tab) -> str | None:
    for line in tab.screen.display[4:]:
        if found := CODE.search(line):
            return found.group(0)
    return None


async def key_to_paint(tab: Tab, key: str, painted) -> float:
    start = time.perf_counter()
    await tab.type(key)
    ok = await tab.until(painted, timeout=30)
    return (time.perf_counter() - start) * 1000 if ok else float("nan")


async def one_tab(http: aiohttp.ClientSession, base: str, login: str, pages: int, figures: dict[str, list[float]]):
    start = time.perf_counter()
    tab = await open_tab(http, base)
    await tab.shows("Ingreso")
    figures["connect -> login"].append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    await log_in(tab, login, PASSWORD)
    if await tab.until(lambda: first_code(tab) is not None, timeout=120):
        figures["login -> rows"].append((time.perf_counter() - start) * 1000)
    await tab.type("4")  # Todos los abiertos: pages to turn whoever the agent is
    await tab.until(lambda: "Todos los abiertos  ·" in tab.text and first_code(tab) is not None, timeout=60)
    for _ in range(pages):
        before = first_code(tab)
        figures["page down"].append(
            await key_to_paint(tab, PAGE_DOWN, lambda b=before: first_code(tab) not in (None, b))
        )
    for _ in range(2):
        figures["open ticket"].append(await key_to_paint(tab, ENTER, lambda: ticket_shown(tab)))
        await tab.type(ESCAPE)
        await tab.until(lambda: "Cola de casos" in tab.text and first_code(tab) is not None, timeout=30)
    return tab


def rss_mb(server_pid: int) -> list[float]:
    """Resident memory of every process under the server (the tabs' processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], list(children.get(server_pid, []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"--session" in cmdline:
            kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            found.append(kb / 1024)
    return found


async def live_update(tab: Tab, db_url: str, login: str) -> float:
    """Another process takes a ticket shown on `tab`; ms until the tab shows it, untouched."""
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.identity import Identity
    from mesa_tui.store.engine import Database

    target = old = None
    for line in tab.screen.display:
        if found := CODE.search(line):
            old = next((status for status in ("Asignado", "Nuevo") if status in line), None)
            if old is not None:
                target = found.group(0)
                break
    if target is None:
        return float("nan")
    db = Database(db_url)
    try:
        desk = Desk(db)
        who = Identity(db).agent(login)
        ticket = desk.find(who, target)
        start = time.perf_counter()
        await asyncio.to_thread(desk.take, who, ticket.id)
        # Taken, its clock moves on to the solution: the row shows "En proceso", or moves
        # elsewhere in the due-time order. Either way the old row is gone from the screen.
        shown = await tab.until(
            lambda: not any(target in line and old in line for line in tab.screen.display), timeout=20
        )
        return (time.perf_counter() - start) * 1000 if shown else float("nan")
    finally:
        db.dispose()


def summary(name: str, values: list[float]) -> str:
    good = sorted(v for v in values if v == v)
    if not good:
        return f"  {name:<18} sin datos"
    p95 = good[min(len(good) - 1, round(0.95 * (len(good) - 1)))]
    missing = len(values) - len(good)
    target = f"  (meta mediana <= {TARGETS[name]:.0f} ms, p95 <= 250 ms)" if name in TARGETS else ""
    lost = f"  ({missing} sin respuesta en 30 s)" if missing else ""
    return f"  {name:<18} mediana {statistics.median(good):8.1f} ms   p95 {p95:8.1f} ms   n={len(good)}{target}{lost}"


async def run(base: str, server_pid: int, db_url: str, logins: list[str], pages: int) -> None:
    figures: dict[str, list[float]] = {k: [] for k in ("connect -> login", "login -> rows", "page down", "open ticket")}
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        tabs = await asyncio.gather(*(one_tab(http, base, login, pages, figures) for login in logins))
        rss = rss_mb(server_pid)
        delay = await live_update(tabs[0], db_url, logins[0])
        for tab in tabs:
            await tab.ws.close()
    print(f"{len(logins)} pestañas a la vez, carga {os.getloadavg()[0]:.1f}:")
    for name, values in figures.items():
        print(summary(name, values))
    if rss:
        print(f"  RSS por sesión     media {statistics.mean(rss):6.1f} MB   máx {max(rss):6.1f} MB   (meta <= 150 MB)")
    shown = "sin respuesta en 20 s" if delay != delay else f"{delay:.0f} ms"
    print(f"  actualización en vivo: {shown}   (meta <= 2000 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 20])
    parser.add_argument("--pages", type=int, default=5, help="page downs per tab")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "mesa-bench")
    args = parser.parse_args()

    started = time.perf_counter()
    db_path = ensure_db(args.tickets, args.dir)
    db_url = f"sqlite:///{db_path}"
    print(f"mesa: {args.tickets:,} casos en {db_path} ({time.perf_counter() - started:.0f} s)".replace(",", "."))
    logins = enrol_agents(db_url, max(args.sessions))
    home = Path(tempfile.mkdtemp(prefix="mesa-web-bench-"))
    with mesa_web(db_url, home, "--max-sessions", str(max(args.sessions) + 5)) as (base, server):
        for n in args.sessions:
            asyncio.run(run(base, server.pid, db_url, logins[:n], args.pages))


if __name__ == "__main__":
    main()
