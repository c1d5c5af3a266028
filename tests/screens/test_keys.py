"""Every binding has an id, a description and a tooltip; keys remap from a TOML file."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import mesa_tui
from mesa_tui.keymap import KeymapError, load_keymap
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.dialogs import ConfirmDialog
from tests.screens.support import SIZE, settle
from tests.support import system_of


def classes_with_bindings() -> list[type[DOMNode]]:
    """Every app, screen and widget class of mesa_tui that declares its own BINDINGS:
    import each module of the package, then walk the subclasses of DOMNode."""
    for module in pkgutil.walk_packages(mesa_tui.__path__, "mesa_tui."):
        if not module.name.endswith(".__main__"):  # __main__ would run the command
            importlib.import_module(module.name)

    def descendants(cls: type[DOMNode]) -> list[type[DOMNode]]:
        return [d for sub in cls.__subclasses__() for d in (sub, *descendants(sub))]

    own = {c for c in descendants(DOMNode) if c.__module__.startswith("mesa_tui.") and "BINDINGS" in c.__dict__}
    return sorted(own, key=lambda c: (c.__module__, c.__qualname__))


OWN_CLASSES = classes_with_bindings()


def test_the_audit_finds_the_app_and_its_screens():
    names = {c.__qualname__ for c in OWN_CLASSES}
    assert {"MesaApp", "QueueScreen", "TicketScreen", "AdminScreen", "SlaBoardScreen"} <= names


@pytest.mark.parametrize("cls", OWN_CLASSES, ids=lambda c: f"{c.__module__.removeprefix('mesa_tui.')}.{c.__qualname__}")
def test_every_binding_has_an_id_a_description_and_a_tooltip(cls):
    bindings = cls.__dict__["BINDINGS"]
    assert all(isinstance(b, Binding) for b in bindings), bindings
    for b in bindings:
        assert b.id and b.description and b.tooltip, b


def test_binding_ids_are_unique_across_the_app():
    seen: dict[str, str] = {}
    for cls in OWN_CLASSES:
        for b in cls.__dict__["BINDINGS"]:
            assert b.id not in seen, f"{b.id} in {cls.__qualname__} and {seen[b.id]}"
            seen[b.id] = cls.__qualname__


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


def test_a_keymap_that_is_a_folder_says_so(tmp_path, monkeypatch):
    folder = tmp_path / "keys.toml"
    folder.mkdir()
    with pytest.raises(KeymapError) as err:
        load_keymap(folder)
    assert str(err.value) == f"{folder} es una carpeta, no un archivo de teclas."
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "mesa-tui" / "keys.toml").mkdir(parents=True)
    monkeypatch.delenv("MESA_KEYMAP", raising=False)
    with pytest.raises(KeymapError, match="es una carpeta"):
        load_keymap()


def test_a_keymap_that_cannot_be_read_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "keys.toml"
    path.write_text("[keys]\n", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permiso denegado")

    monkeypatch.setattr(type(path), "read_text", refuse)
    with pytest.raises(KeymapError) as err:
        load_keymap(path)
    assert str(err.value) == f"No se pudo leer el archivo de teclas {path}: Permiso denegado."


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
    assert desk.get(system_of(desk), t.id).status == "en_proceso"
