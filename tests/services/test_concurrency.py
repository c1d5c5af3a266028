"""Several agents at once on one database, with real OS processes.

8 spawned processes each apply 300 random actions (valid or not, some on a
stale version) to the same 20 tickets. The workload is the one
bench/concurrency_bench.py prints figures for; here it is asserted on:
nothing but the services' own refusals reaches a caller (no "database is
locked"), and every ticket equals the replay of its audit events.
"""

from __future__ import annotations

import pytest

from bench import concurrency_bench as workload
from tests.support import actor_of

PROCESSES, ACTIONS, TICKETS = 8, 300, 20


@pytest.fixture
def shared(db_url):
    return db_url, workload.prepare(db_url, TICKETS)


def test_eight_processes_on_the_same_tickets_lose_nothing(shared):
    url, ticket_ids = shared
    result = workload.run(url, ticket_ids, PROCESSES, ACTIONS, seed=20261118)

    assert result.errors == [], result.errors[0]
    assert result.attempted == PROCESSES * ACTIONS
    # Every kind of outcome happened, so each path ran under contention.
    for outcome in ("hecho", "conflicto", "transición rechazada", "permiso denegado", "dato inválido"):
        assert result.outcomes[outcome] > 0, outcome
    assert workload.replay_check(url, ticket_ids, result.done) == []


def test_the_replay_check_catches_a_lost_update(shared):
    """The check above would notice an overwrite: simulate one behind the services' back."""
    import sqlalchemy as sa

    from mesa_tui.services.desk import Desk
    from mesa_tui.store.engine import Database
    from mesa_tui.store.models import Ticket

    url, ticket_ids = shared
    db = Database(url)
    desk = Desk(db)
    target = ticket_ids[0]
    desk.take(actor_of(desk, "jperez"), target)
    assert workload.replay_check(url, ticket_ids) == []
    db.write(lambda s: s.exec(sa.update(Ticket).where(Ticket.id == target).values(agent_id=None)))
    desk.assign(actor_of(desk, "supervisor"), target, agent_login="lmarrugo")
    problems = workload.replay_check(url, ticket_ids)
    db.dispose()
    assert any("agent_id" in p and "lost update" in p for p in problems), problems


def test_the_replay_check_catches_a_missing_event(shared):
    from mesa_tui.services.desk import Desk
    from mesa_tui.store.engine import Database

    url, ticket_ids = shared
    db = Database(url)
    desk = Desk(db)
    desk.take(actor_of(desk, "jperez"), ticket_ids[1])
    db.dispose()
    problems = workload.replay_check(url, ticket_ids, done=[(ticket_ids[1], "tomar"), (ticket_ids[2], "tomar")])
    assert any("missing" in p for p in problems), problems
