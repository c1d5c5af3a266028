"""The report dialog keeps what was typed when the dates can't be exported, and
asks before it replaces a file that is already there."""

from __future__ import annotations

import openpyxl
from textual.widgets import Input

from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.screens.supervisor.exports import ExportTicketsDialog
from tests.screens.supervisor.support import show
from tests.screens.support import SIZE, settle, toasts

DEFAULT_FILE = "mesa-casos-2026-11-01-a-2026-11-18.xlsx"


async def open_export(app, pilot) -> ExportTicketsDialog:
    await show(app, pilot, "board")
    await pilot.press("x")
    await settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, ExportTicketsDialog)
    return dialog


async def test_dates_far_out_of_range_keep_the_dialog_open(make_app, board_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(app, pilot)
        dialog.query_one("#input-date_from", Input).value = "0001-01-01"
        dialog.query_one("#input-date_to", Input).value = "9999-12-31"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert str(dialog.query_one("#error-date_from").render()) == (
            "La fecha inicial debe estar entre los años 2000 y 2100 (recibida: 0001-01-01)."
        )
        assert dialog.query_one("#input-date_from", Input).value == "0001-01-01"
        assert dialog.query_one("#input-date_to", Input).value == "9999-12-31"
        assert app.focused is dialog.query_one("#input-date_from")
        assert not list(tmp_path.glob("mesa-casos-*"))

        dialog.query_one("#input-date_from", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "La fecha final debe estar" in str(dialog.query_one("#error-date_to").render())

        dialog.query_one("#input-date_to", Input).value = "2026-11-18"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not dialog
    assert (tmp_path / DEFAULT_FILE).is_file()


async def test_an_existing_report_is_replaced_only_when_confirmed(make_app, board_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    existing = tmp_path / DEFAULT_FILE
    existing.write_bytes(b"el informe de ayer")
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert str(existing) in str(question.query_one("#dialog-intro").render())

        await pilot.press("escape")  # no: back to the report, nothing written
        await settle(app, pilot)
        assert app.screen is dialog
        assert existing.read_bytes() == b"el informe de ayer"

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # yes: the report replaces it
        await settle(app, pilot)
        assert app.screen is not dialog and not isinstance(app.screen, ConfirmDialog)
        assert ("information", f"6 casos en {existing}") in toasts(app)
    rows = list(openpyxl.load_workbook(existing)["Casos"].iter_rows(values_only=True))
    assert len(rows) == 7  # the header and the six open tickets


async def test_a_path_that_cannot_be_a_file_is_said_at_its_field(make_app, board_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(app, pilot)
        box = dialog.query_one("#input-out", Input)
        box.value = f"{tmp_path}/{'x' * 300}.xlsx"  # checked as it is typed: too long to be a file name
        await pilot.pause()
        assert app.is_running and not dialog.query_one("#export-exists").display

        typed = "~usuario_que_no_existe/informe.xlsx"
        box.value = typed
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and app.screen is dialog
        assert str(dialog.query_one("#error-out").render()) == (
            f"No es una ruta que se pueda usar: {typed} (~ solo, o ~/, es su carpeta personal)."
        )
        assert box.value == typed
