"""Every binding has an id, a description and a tooltip; keys remap from a TOML file."""

from __future__ import annotations

import pytest
from screen_helpers import SIZE, settle
from textual.binding import Binding

from mesa_tui.app import MesaApp
from mesa_tui.keymap import KeymapError, load_keymap
from mesa_tui.screens import dialogs
from mesa_tui.screens.agent import new_ticket, pickers, queue, ticket
from mesa_tui.screens.agent.actions import TicketKeys
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.widgets.service_picker import ServicePicker
from mesa_tui.widgets.ticket_table import TicketTable

OWN_CLASSES = [
    MesaApp,
    TicketKeys,
    queue.QueueScreen,
    queue.FilterInput,
    ticket.TicketScreen,
    new_ticket.NewTicketScreen,
    dialogs.ActionDialog,
    pickers.FilterDialog,
    pickers.SortDialog,
    dialogs.HelpScreen,
    TicketTable,
    ServicePicker,
]


@pytest.mark.parametrize("cls", OWN_CLASSES, ids=lambda c: c.__name__)
def test_every_binding_has_an_id_a_description_and_a_tooltip(cls):
    bindings = [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    assert len(bindings) == len(cls.__dict__.get("BINDINGS", []))
    for b in bindings:
        assert b.id and b.description and b.tooltip, b


def test_binding_ids_are_unique_across_the_app():
    seen: dict[str, str] = {}
    for cls in OWN_CLASSES:
        for b in cls.__dict__.get("BINDINGS", []):
            assert b.id not in seen, f"{b.id} in {cls.__name__} and {seen[b.id]}"
            seen[b.id] = cls.__name__


def test_load_keymap_reads_the_keys_table(tmp_path, monkeypatch):
    path = tmp_path / "keys.toml"
    path.write_text('[keys]\n"ticket.take" = "T"\n"queue.filter" = " ctrl+f "\n', encoding="utf-8")
    assert load_keymap(path) == {"ticket.take": "T", "queue.filter": "ctrl+f"}
    monkeypatch.setenv("MESA_KEYMAP", str(path))
    assert load_keymap() == {"ticket.take": "T", "queue.filter": "ctrl+f"}


def test_no_keymap_file_means_no_remapping(tmp_path, monkeypatch):
    monkeypatch.delenv("MESA_KEYMAP", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert load_keymap() == {}
    (tmp_path / "mesa-tui").mkdir()
    (tmp_path / "mesa-tui" / "keys.toml").write_text('[keys]\n"ticket.resolve" = "ctrl+r"\n', encoding="utf-8")
    assert load_keymap() == {"ticket.resolve": "ctrl+r"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[keys\n", "no es un TOML válido"),
        ('keys = "t"\n', "debe ser una tabla"),
        ('[keys]\n"ticket.take" = 5\n', "ticket.take debe ser un texto"),
    ],
)
def test_a_broken_keymap_names_the_file(tmp_path, content, problem):
    path = tmp_path / "keys.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KeymapError) as err:
        load_keymap(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_a_named_keymap_that_is_missing_is_an_error(tmp_path):
    with pytest.raises(KeymapError, match="No existe"):
        load_keymap(tmp_path / "nada.toml")


async def test_a_remapped_key_runs_the_action(make_app, desk, log):
    t = log(by="jperez")
    app = make_app("jperez", keymap={"ticket.take": "T", "queue.view_unassigned": "v"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)  # the old key does nothing now
        await pilot.press("T")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(app, pilot)
    assert desk.get(t.id).status == "en_proceso"
