"""Mis llaves (K on the agent screens) and an agent's keys from Administración →
Agentes (K), by keys: a pasted public key stored for the right agent, a bad one
refused under its field, a key removed; checked in the database."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from mesa_tui.screens.dialogs import ConfirmDialog, OneFieldDialog
from mesa_tui.screens.keys import KeysScreen
from mesa_tui.services.ssh_keys import SshKeys
from tests.screens.admin.support import field_error, open_admin, press
from tests.screens.support import SIZE, settle
from tests.support import actor_of, public_key, ssh_settings


def stored(db, login: str) -> list[tuple[str, str]]:
    return [(k.comment, k.fingerprint) for k in SshKeys(db).keys(actor_of(db, "admin"), actor_of(db, login).id)]


async def paste(app, pilot, text: str) -> None:
    app.screen.query_one(Input).post_message(events.Paste(text))
    await pilot.pause()


async def test_an_agent_adds_and_removes_their_own_key(make_app, db, monkeypatch, tmp_path):
    file = ssh_settings(monkeypatch, tmp_path)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "K")
        assert isinstance(app.screen, KeysScreen)
        await settle(app, pilot)

        await press(app, pilot, "n")
        assert isinstance(app.screen, OneFieldDialog)
        await paste(app, pilot, "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ roto")
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OneFieldDialog) and "dañada" in field_error(app, "key")
        assert stored(db, "jperez") == []

        app.screen.query_one(Input).value = ""
        line = public_key("jperez@portatil")
        await paste(app, pilot, line)
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KeysScreen)
        ((comment, fingerprint),) = stored(db, "jperez")
        assert comment == "jperez@portatil"
        table = app.screen.query_one("#keys-table")
        assert [str(c) for c in table.get_row_at(0)][:3] == ["ssh-ed25519", fingerprint, "jperez@portatil"]
        assert "--agent jperez" in file.read_text()

        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert stored(db, "jperez") == [] and "--agent jperez" not in file.read_text()
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, KeysScreen)


async def test_an_admin_adds_a_key_for_an_agent_from_the_agents_panel(make_app, db, monkeypatch, tmp_path):
    ssh_settings(monkeypatch, tmp_path)
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "agents")
        table = screen.query_one("#agents-table")
        while table.current_key != str(actor_of(db, "jperez").id):
            await press(app, pilot, "down")
        await press(app, pilot, "K")
        assert isinstance(app.screen, KeysScreen)
        assert "Llaves SSH de Jorge Pérez Julio" in str(app.screen.query_one("#keys-title").content)
        await press(app, pilot, "n")
        await paste(app, pilot, public_key("puesta por admin"))
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert [c for c, _ in stored(db, "jperez")] == ["puesta por admin"]
        assert stored(db, "admin") == []
