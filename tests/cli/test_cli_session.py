"""`mesa` (the TUI) as a session: its start and end audited with where it came from,
`--as` recorded with the operator, `--login` leaving the login to the screen, and a
session the services ended (deactivated agent) closing with exit 1."""

from __future__ import annotations

import pytest
from sqlmodel import select

from mesa_tui import cli
from mesa_tui.app import MesaApp
from mesa_tui.cli import common
from mesa_tui.screens.loading import SESSION_ENDED
from mesa_tui.store.models import TicketEvent
from tests.support import actor_of

WHERE = "SSH 10.1.1.1 · terminal /dev/pts/4"


@pytest.fixture
def runs(monkeypatch):
    """MesaApp.run replaced: records who the app opened as, shows nothing."""
    opened = []
    monkeypatch.setattr(MesaApp, "run", lambda self, *a, **k: opened.append(self.session_actor))
    monkeypatch.setattr(common, "where", lambda: WHERE)
    return opened


def sessions(db):
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(TicketEvent.entity == "session").order_by(TicketEvent.id)).all()
        return [(e.action, e.actor_id, e.operator_id, e.note) for e in rows]


def test_an_admin_acting_as_an_agent_opens_an_audited_session(db, runs, monkeypatch):
    monkeypatch.setattr(common, "os_login", lambda: "admin")
    assert cli.main(["--db", db.url, "--as", "jperez"]) == 0
    (actor,) = runs
    assert (actor.login, actor.operator_name) == ("jperez", "Rafael Puello Navarro")
    jperez, admin = actor_of(db, "jperez").id, actor_of(db, "admin").id
    (opened, closed) = sessions(db)
    assert opened[:3] == ("entrar", jperez, admin) and "--as jperez" in opened[3] and WHERE in opened[3]
    assert closed[:3] == ("salir", jperez, admin)


def test_login_leaves_the_login_to_the_screen(db, runs, monkeypatch, capsys):
    monkeypatch.setattr(common, "os_login", lambda: "nadie")  # no agent: --login does not need one
    assert cli.main(["--db", db.url, "--login"]) == 0
    assert runs == [None] and sessions(db) == []
    assert cli.main(["--db", db.url, "--login", "--as", "jperez"]) == 2
    assert "no se combinan" in capsys.readouterr().err


def test_a_session_the_desk_ended_closes_with_exit_1(db, runs, monkeypatch):
    monkeypatch.setattr(common, "os_login", lambda: "jperez")
    monkeypatch.setattr(MesaApp, "return_code", property(lambda self: SESSION_ENDED))
    assert cli.main(["--db", db.url]) == 1
    assert [(a, note) for a, _, _, note in sessions(db)][-1] == ("salir", f"usuario desactivado · {WHERE}")


def test_ticket_show_names_the_admin_who_acted_for_the_agent(db, desk, log, monkeypatch, capsys):
    ticket = log(by="lmarrugo")
    monkeypatch.setattr(common, "os_login", lambda: "admin")
    assert cli.main(["--db", db.url, "--as", "jperez", "ticket", "take", ticket.code]) == 0
    capsys.readouterr()
    assert cli.main(["--db", db.url, "ticket", "show", ticket.code]) == 0
    shown = capsys.readouterr().out
    assert "Rafael Puello Navarro (como Jorge Pérez Julio): tomar" in shown
    assert "Liliana Marrugo Díaz: registrar" in shown
