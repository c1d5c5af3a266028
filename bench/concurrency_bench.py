"""Several agents on one database: N processes x M random actions on the same tickets.

Run: .venv/bin/python bench/concurrency_bench.py [--url URL] [--processes 8] [--actions 300] [--tickets 20]

Each process (spawned, so no engine crosses a fork) opens its own Database and
Desk and, for every action, reads a ticket and then acts on the version it read.
Conflicts, refused transitions, permission and validation errors are normal
outcomes; anything else (a "database is locked" reaching the caller above all)
is an error. Afterwards every ticket is rebuilt from its audit events and
compared with its row. Prints figures; asserts nothing.
tests/services/test_concurrency.py runs the same workload and asserts on it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "db" / "catalog.tsv"

LOGINS = (
    "supervisor", "admin", "jperez", "lmarrugo", "acastro", "vsalas",
    "hbarrios", "nmendoza", "rcaraballo", "dherrera", "omorales", "proveedor",
)  # fmt: skip
NATURES = ("hardware", "software", "red", "accesos", "otro")
BAD_INPUT = 0.05  # share of actions sent with an invalid argument
STALE = 0.05  # share of actions sent with a version older than the one read
ON_TABLE = 0.6  # share of actions picked among those the ticket's status allows
HOLDER = 0.6  # share of actions on a held ticket taken by its holder
# Closing and cancelling end a ticket's life: rarer, so tickets stay workable longer.
WEIGHTS = {"cerrar": 0.15, "anular": 0.03, "encuesta": 0.3}
DATETIME_FIELDS = {"tto_due_at", "ttr_due_at", "first_response_at", "resolved_at", "closed_at"}


def _text(rng: random.Random, good: str) -> str:
    return "" if rng.random() < BAD_INPUT else good


def _calls() -> dict[str, Any]:
    """Action name -> fn(desk, actor, ticket_id, version, rng), one per use case."""

    def classify(d, a, i, v, rng):
        impact = 7 if rng.random() < BAD_INPUT else rng.randint(1, 3)
        return d.classify(
            a, i, impact=impact, urgency=rng.randint(1, 3), nature=rng.choice(NATURES), expected_version=v
        )

    return {
        "tomar": lambda d, a, i, v, rng: d.take(a, i, expected_version=v),
        "asignar": lambda d, a, i, v, rng: d.assign(
            a, i, agent_login=_text(rng, rng.choice(LOGINS)) or "nadie", expected_version=v
        ),
        "clasificar": classify,
        "escalar": lambda d, a, i, v, rng: d.escalate(a, i, _text(rng, "Requiere especialista"), expected_version=v),
        "esperar": lambda d, a, i, v, rng: d.wait(a, i, _text(rng, "Esperando al usuario"), expected_version=v),
        "reanudar": lambda d, a, i, v, rng: d.resume(a, i, "El usuario respondió", expected_version=v),
        "resolver": lambda d, a, i, v, rng: d.resolve(
            a, i, _text(rng, "Se atendió la solicitud."), rng.choice(("remoto", "en_sitio")), expected_version=v
        ),
        "cerrar": lambda d, a, i, v, rng: d.close(a, i, "Confirmado por el usuario", expected_version=v),
        "reabrir": lambda d, a, i, v, rng: d.reopen(a, i, _text(rng, "Volvió a fallar"), expected_version=v),
        "anular": lambda d, a, i, v, rng: d.cancel(a, i, _text(rng, "Duplicado"), expected_version=v),
        "comentar": lambda d, a, i, v, rng: d.comment(a, i, _text(rng, "Seguimiento"), public=rng.random() < 0.5),
        "encuesta": lambda d, a, i, v, rng: d.survey(a, i, 9 if rng.random() < BAD_INPUT else rng.randint(3, 5)),
    }


def prepare(url: str, tickets: int = 20, seed: int = 1) -> list[int]:
    """Migrate, seed, load the catalog and the staff, and log the shared tickets."""
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
        import_catalog(db, Identity(db).system(), CATALOG.read_text(encoding="utf-8"))
        db.write(lambda s: ensure_staff(s))
        desk = Desk(db)
        rng = random.Random(seed)
        agent = Identity(desk.db).agent("jperez")
        ids = []
        for n in range(tickets):
            info = desk.log(
                agent,
                NewTicket(
                    requester_name=f"Solicitante {n}",
                    requester_dependency="Secretaría de Hacienda",
                    requester_contact=f"usuario{n}@cartagena.gov.co",
                    channel="correo",
                    service_code=f"SER-{rng.randint(1, 27):03d}",
                    type=rng.choice(("incidente", "requerimiento", "peticion")),
                    subject=f"Caso compartido {n}",
                    impact=rng.randint(1, 3),
                    urgency=rng.randint(1, 3),
                ),
            )
            ids.append(info.id)
        return ids
    finally:
        db.dispose()


def worker(url: str, index: int, seed: int, actions: int, ticket_ids: list[int], barrier, results) -> None:
    """One agent's terminal: read a ticket, act on the version read, repeat."""
    outcomes: Counter[str] = Counter()
    done: list[tuple[int, str]] = []
    errors: list[str] = []
    busy = [0]
    started = ended = 0.0
    try:
        from mesa_tui.domain.workflow import actions_from
        from mesa_tui.services.desk import Desk
        from mesa_tui.services.errors import ConflictError, PermissionDenied, TransitionRefused, ValidationError
        from mesa_tui.services.identity import Identity
        from mesa_tui.store import engine
        from mesa_tui.store.engine import Database

        # Count the busy errors Database.write absorbs by retrying.
        is_busy = engine._is_busy

        def counting(exc) -> bool:
            hit = is_busy(exc)
            busy[0] += hit
            return hit

        engine._is_busy = counting
        normal = {
            ConflictError: "conflicto",
            TransitionRefused: "transición rechazada",
            PermissionDenied: "permiso denegado",
            ValidationError: "dato inválido",
        }
        calls = _calls()
        db = Database(url)
        desk = Desk(db)
        actors = [Identity(desk.db).agent(login) for login in LOGINS]
        by_id = {a.id: a for a in actors}
        rng = random.Random(seed * 1_000 + index)
    except Exception:
        errors.append(traceback.format_exc())
        barrier.abort()
        results.put({"index": index, "errors": errors})
        return
    barrier.wait()
    started = time.time()
    for _ in range(actions):
        try:
            ticket_id = rng.choice(ticket_ids)
            info = desk.get(actors[0], ticket_id)
            # Mostly the holder works the ticket; anyone else may try (and be refused).
            holder = by_id.get(info.agent_id)
            actor = holder if holder and rng.random() < HOLDER else rng.choice(actors)
            options = [a.value for a in actions_from(info.status)] if rng.random() < ON_TABLE else list(calls)
            action = rng.choices(options, [WEIGHTS.get(a, 1.0) for a in options])[0]
            version = info.version - 1 if rng.random() < STALE else info.version
            calls[action](desk, actor, ticket_id, version, rng)
        except tuple(normal) as exc:
            outcomes[next(label for cls, label in normal.items() if isinstance(exc, cls))] += 1
        except Exception:
            errors.append(traceback.format_exc())
        else:
            outcomes["hecho"] += 1
            done.append((ticket_id, action))
    ended = time.time()
    db.dispose()
    results.put(
        {
            "index": index,
            "outcomes": dict(outcomes),
            "done": done,
            "errors": errors,
            "busy": busy[0],
            "started": started,
            "ended": ended,
        }
    )


@dataclass
class Run:
    processes: int
    actions: int
    elapsed: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    done: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    busy: int = 0

    @property
    def attempted(self) -> int:
        return sum(self.outcomes.values())


def run(url: str, ticket_ids: list[int], processes: int = 8, actions: int = 300, seed: int = 1) -> Run:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, i, seed, actions, ticket_ids, barrier, results), daemon=True)
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    out = Run(processes, actions)
    reports = []
    try:
        for _ in procs:
            reports.append(results.get(timeout=600))
    finally:
        for p in procs:
            p.join(timeout=60)
    for r in reports:
        out.errors += r["errors"]
        out.outcomes.update(r.get("outcomes", {}))
        out.done += [tuple(d) for d in r.get("done", [])]
        out.busy += r.get("busy", 0)
    spans = [(r["started"], r["ended"]) for r in reports if r.get("started")]
    if spans:
        out.elapsed = max(e for _, e in spans) - min(s for s, _ in spans)
    return out


def _norm(field_name: str, value: Any) -> Any:
    """A value from the row or from the events' JSON, comparable with the other kind."""
    if value is None:
        return None
    if field_name in DATETIME_FIELDS:
        value = datetime.fromisoformat(value) if isinstance(value, str) else value
        return value.astimezone(UTC)
    if field_name == "legal_due_on":
        return date.fromisoformat(value) if isinstance(value, str) else value
    return value


def replay_check(url: str, ticket_ids: list[int], done: list[tuple[int, str]] | None = None) -> list[str]:
    """Problems found rebuilding each ticket from its events (empty when all agree).

    Every event's old values must equal the state replayed so far (no lost
    update), the replay must equal the row, the version must count the events
    that changed something, events must be in time order, and the events after
    "registrar" must be exactly the successful actions the workers reported.
    """
    from sqlmodel import select

    from mesa_tui.domain.ticket_record import AUDITED
    from mesa_tui.store.engine import Database
    from mesa_tui.store.models import Ticket, TicketEvent

    problems: list[str] = []
    db = Database(url)
    try:
        with db.read() as s:
            rows = {t.id: t.model_dump() for t in s.exec(select(Ticket).where(Ticket.id.in_(ticket_ids))).all()}
            evs = [
                (e.id, e.ticket_id, e.action, e.at, json.loads(e.changes))
                for e in s.exec(
                    select(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids)).order_by(TicketEvent.id)
                ).all()
            ]
    finally:
        db.dispose()
    by_ticket: dict[int, list] = {i: [] for i in ticket_ids}
    for ev in evs:
        by_ticket[ev[1]].append(ev)
    for ticket_id in ticket_ids:
        events = by_ticket[ticket_id]
        if not events or events[0][2] != "registrar":
            problems.append(f"ticket {ticket_id}: the first event is not 'registrar'")
            continue
        state: dict[str, Any] = {}
        changed = 0
        for n, (event_id, _, action, _at, changes) in enumerate(events):
            for name, (old, new) in changes.items():
                if _norm(name, old) != _norm(name, state.get(name)):
                    problems.append(
                        f"ticket {ticket_id}, event {event_id} ({action}): {name} was {state.get(name)!r} "
                        f"but the event says {old!r} (lost update)"
                    )
                state[name] = new
            if n and changes:
                changed += 1
                if "version" not in changes:
                    problems.append(f"ticket {ticket_id}, event {event_id}: a change without a new version")
        row = rows[ticket_id]
        for name in AUDITED:
            if _norm(name, row[name]) != _norm(name, state.get(name)):
                problems.append(f"ticket {ticket_id}: {name} is {row[name]!r} but the events say {state.get(name)!r}")
        if row["version"] != 1 + changed:
            problems.append(f"ticket {ticket_id}: version {row['version']} but {changed} changing events")
        times = [e[3] for e in events]
        if times != sorted(times):
            problems.append(f"ticket {ticket_id}: events are not in time order")
    if done is not None:
        logged = Counter((e[1], e[2]) for e in evs if e[2] != "registrar")
        reported = Counter(done)
        if logged != reported:
            problems.append(
                f"events and successful actions differ: missing {dict(reported - logged)}, "
                f"unexpected {dict(logged - reported)}"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="database URL (default: a new SQLite file in a temporary folder)")
    p.add_argument("--processes", type=int, default=8)
    p.add_argument("--actions", type=int, default=300)
    p.add_argument("--tickets", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/bench.db"
        ticket_ids = prepare(url, args.tickets, args.seed)
        result = run(url, ticket_ids, args.processes, args.actions, args.seed)
        problems = replay_check(url, ticket_ids, result.done)
    print(f"database: {url.split('@')[-1]}")
    print(f"{result.processes} processes x {result.actions} actions on {args.tickets} tickets")
    print(
        f"attempted: {result.attempted} actions in {result.elapsed:.2f} s = {result.attempted / max(result.elapsed, 1e-9):.0f} actions/s"
    )
    for label, count in sorted(result.outcomes.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<22} {count:>6}")
    print(f"busy errors retried: {result.busy}")
    print(f"errors reaching a caller: {len(result.errors)}")
    for err in result.errors[:3]:
        print(err)
    print(
        "replay check: "
        + ("every ticket equals the replay of its events" if not problems else f"{len(problems)} problems")
    )
    for problem in problems[:10]:
        print(f"  {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
