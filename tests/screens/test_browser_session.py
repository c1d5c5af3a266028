"""The TUI as a browser session runs it, by keys with Pilot: exports handed to the
browser (`deliver_binary`) rather than written on the server, the catalog import
(a file of the server) refused, and a logout that takes every screen of the desk
away, shows the login with its reason and lets the agent in again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from mesa_tui.app import MesaApp
from mesa_tui.screens.admin.catalog_file import ExportDialog, ImportDialog
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.login import LoginScreen
from mesa_tui.screens.supervisor.exports import ExportIndicatorsDialog
from mesa_tui.services.admin import Admin
from mesa_tui.services.identity import Identity
from mesa_tui.store.models import TicketEvent
from tests.screens.admin.support import open_admin, press, type_text
from tests.screens.supervisor.support import show
from tests.screens.support import SIZE, settle, toasts
from tests.support import actor_of, system_of

PASSWORD = "Murallas de Cartagena 1586"


@pytest.fixture
def browser(monkeypatch, tmp_path) -> list[tuple[bytes, str, str]]:
    """Every MesaApp runs as under textual-serve; what it delivers: (bytes, name, mime)."""
    delivered: list[tuple[bytes, str, str]] = []

    def deliver_binary(self, path_or_file, *, save_filename=None, mime_type=None, **_kw):
        delivered.append((path_or_file.read(), save_filename, mime_type))
        return "key"

    monkeypatch.setattr(MesaApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(MesaApp, "deliver_binary", deliver_binary)
    home = tmp_path / "servidor"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    return delivered


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


async def test_the_indicators_export_is_a_download(make_app, browser, tmp_path):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, "indicators")
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportIndicatorsDialog)
        assert app.screen.query_one("#input-out").value == "mesa-indicadores-2026.xlsx"  # a name, no folder
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportIndicatorsDialog)
    ((data, name, mime),) = browser
    assert data[:2] == b"PK" and name == "mesa-indicadores-2026.xlsx" and mime.endswith("spreadsheetml.sheet")
    assert ("information", "Descargado como mesa-indicadores-2026.xlsx") in toasts(app)
    assert files_in(tmp_path / "servidor") == []


async def test_the_catalog_export_is_a_download_and_the_import_is_refused(make_app, db, now, browser, tmp_path):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_admin(app, pilot)
        await press(app, pilot, "x")
        assert isinstance(app.screen, ExportDialog)
        await press(app, pilot, "ctrl+u")
        await type_text(pilot, "../../etc/catálogo.tsv")  # a folder is no part of a download's name
        await press(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ExportDialog)
        await press(app, pilot, "i")
        assert not isinstance(app.screen, ImportDialog)
    ((data, name, mime),) = browser
    assert name == "cat_logo.tsv" and mime == "text/tab-separated-values"
    assert data.decode("utf-8") == Admin(db, now=now).export_catalog(system_of(db))
    assert ("information", "Catálogo exportado: 33 servicios en la descarga cat_logo.tsv") in toasts(app)
    assert any("no se importan archivos" in message for _severity, message in toasts(app))
    assert files_in(tmp_path / "servidor") == []


async def test_a_logout_takes_the_desk_away_and_the_login_lets_the_agent_back(db, desk, now):
    identity = Identity(db, now=now)
    identity.enrol_password(
        "supervisor", Admin(db, now=now).issue_enrolment_code(actor_of(db, "admin"), "supervisor"), PASSWORD
    )
    app = MesaApp(desk, None, now=now, identity=identity, where="navegador 10.0.0.7", idle_minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(2):
            await type_text(pilot, "supervisor")
            await press(app, pilot, "enter")
            await type_text(pilot, PASSWORD)
            await press(app, pilot, "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, QueueScreen) and app.session_actor.login == "supervisor"
            await press(app, pilot, "f2")  # the supervisor's mode is there (again)
            assert app.current_mode == "supervisor"
            await app.log_out("Sesión cerrada por prueba.", "motivo de prueba")
            await settle(app, pilot)
            assert isinstance(app.screen, LoginScreen) and app.session_actor is None
            assert "Sesión cerrada por prueba." in str(app.screen.query_one("#login-message").render())
            assert not any(isinstance(s, QueueScreen) for s in app.screen_stack)
            await app.workers.wait_for_complete()
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(TicketEvent.entity == "session").order_by(TicketEvent.id)).all()
        notes = [(e.action, e.note) for e in rows if "10.0.0.7" in (e.note or "")]
    assert (
        notes
        == [
            ("entrar", "Contraseña · navegador 10.0.0.7"),
            ("salir", "motivo de prueba · navegador 10.0.0.7"),
        ]
        * 2
    )
