"""`mesa admin init|enrol`, `mesa demo` and `mesa maintenance`: the first
administrator, enrolment codes printed once, the demo only on a new desk."""

from __future__ import annotations

import pytest
from sqlmodel import select

from mesa_tui import cli
from mesa_tui.cli import common
from mesa_tui.services.catalog import import_catalog
from mesa_tui.services.identity import Identity
from mesa_tui.store.models import Agent, TicketEvent
from tests.support import CATALOG, system_of


@pytest.fixture
def as_os_user(monkeypatch):
    def become(login: str) -> None:
        monkeypatch.setattr(common, "os_login", lambda: login)

    return become


@pytest.fixture
def fresh(empty_db):
    """A new desk with its catalog: no agent, no ticket."""
    import_catalog(empty_db, system_of(empty_db), CATALOG.read_text(encoding="utf-8"))
    return empty_db


def agents(db) -> dict[str, str]:
    with db.read() as s:
        return {a.login: a.role for a in s.exec(select(Agent).where(Agent.role != "sistema")).all()}


def agent_events(db) -> list[tuple[str, int | None, str]]:
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(TicketEvent.entity == "agent").order_by(TicketEvent.id)).all()
        return [(e.action, e.actor_id, e.entity_key) for e in rows]


def test_admin_init_on_a_new_desk_then_refused(empty_db, as_os_user, capsys):
    as_os_user("rpuello")
    assert cli.main(["--db", empty_db.url, "admin", "init", "rpuello", "Rafael Puello Navarro"]) == 0
    assert "Primer administrador creado" in capsys.readouterr().out
    assert agents(empty_db) == {"rpuello": "admin"}
    assert [(a, who) for a, who, _ in agent_events(empty_db)] == [("crear", system_of(empty_db).id)]
    assert cli.main(["--db", empty_db.url, "admin", "init", "otro", "Otro"]) == 2
    assert "ya tiene administrador" in capsys.readouterr().err
    assert agents(empty_db) == {"rpuello": "admin"}


def test_enrol_prints_the_code_once_and_only_for_an_admin(db, as_os_user, capsys):
    as_os_user("jperez")
    assert cli.main(["--db", db.url, "admin", "enrol", "lmarrugo"]) == 2
    assert "administrador" in capsys.readouterr().err
    as_os_user("admin")
    assert cli.main(["--db", db.url, "admin", "enrol", "lmarrugo"]) == 0
    out = capsys.readouterr().out
    code = out.split("lmarrugo: ")[1].split()[0]
    assert Identity(db).enrol_password("lmarrugo", code, "Castillo San Felipe 1657", "").login == "lmarrugo"
    with db.read() as s:
        text = " ".join(f"{e.changes} {e.note}" for e in s.exec(select(TicketEvent)).all())
    assert code not in text


def test_demo_with_operator_on_a_new_desk(fresh, as_os_user, capsys):
    assert cli.main(["--db", fresh.url, "demo", "--tickets", "10", "--operator", "devuser"]) == 0
    made = agents(fresh)
    assert made["devuser"] == "admin" and made["supervisor"] == "supervisor" and len(made) == 13
    created = agent_events(fresh)
    assert len(created) == 13 and {who for _, who, _ in created} == {system_of(fresh).id}
    # The operator's `--as supervisor` (make run) works; anyone else's is refused.
    as_os_user("devuser")
    assert cli.main(["--db", fresh.url, "--as", "supervisor", "ticket", "list"]) == 0
    as_os_user("jperez")
    assert cli.main(["--db", fresh.url, "--as", "supervisor", "ticket", "list"]) == 2


def test_demo_refuses_a_desk_with_staff_and_promotes_nobody(db, capsys):
    before = agents(db)
    assert cli.main(["--db", db.url, "demo", "--tickets", "5"]) == 2
    assert "solo se instala en una mesa nueva" in capsys.readouterr().err
    assert cli.main(["--db", db.url, "demo", "--tickets", "5", "--operator", "jperez"]) == 2
    assert agents(db) == before
    assert cli.main(["--db", db.url, "demo", "--tickets", "5", "--force"]) == 0
    assert agents(db) == before  # forced: tickets added, every agent as it was


def test_maintenance_closes_as_the_system_actor(db, desk, now, capsys):
    from tests.support import actor_of, new_ticket

    jperez = actor_of(desk, "jperez")
    ticket = desk.log(jperez, new_ticket())
    desk.take(jperez, ticket.id)
    desk.resolve(jperez, ticket.id, "Se reinició el equipo.", "remoto")
    now.advance(days=10)
    assert desk.auto_close(system_of(desk)) == [ticket.code]
    with db.read() as s:
        (closed,) = s.exec(select(TicketEvent).where(TicketEvent.action == "cerrar")).all()
        assert closed.actor_id == system_of(db).id
    assert cli.main(["--db", db.url, "maintenance"]) == 0
    assert "0 casos cerrados" in capsys.readouterr().out
