"""The database's own refusals (busy, unavailable) reach the screens as their
sentence, like any refusal: never as "Error inesperado", and the screen stays usable."""

from __future__ import annotations

from textual.widgets import TextArea

from mesa_tui.screens.agent.new_ticket import NewTicketScreen
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.agent.ticket_dialogs import CommentDialog
from mesa_tui.store.errors import DatabaseBusy, DatabaseUnavailable
from tests.screens.support import SIZE, settle, toasts
from tests.support import actor_of, system_of

BUSY = "La base de datos está ocupada; intente de nuevo."


class Busy:
    """Stands in for a use case: refuses as a busy database `times` times, then does it."""

    def __init__(self, use_case, times: int = 1):
        self.use_case = use_case
        self.times = times

    def __call__(self, *args, **kwargs):
        if self.times:
            self.times -= 1
            raise DatabaseBusy()
        return self.use_case(*args, **kwargs)


async def test_a_busy_database_when_logging_says_so_and_keeps_the_form(make_app, desk, monkeypatch):
    monkeypatch.setattr(desk, "log", Busy(desk.log))
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NewTicketScreen)
        await pilot.press(*"correo", "enter")
        await pilot.press(*"No llegan correos", "enter")
        await pilot.press(*"Desde ayer", "tab", "tab")  # past the directory: typed by hand
        await pilot.press(*"Ana Díaz", "tab", "tab", *"3001234567", "tab")
        await pilot.press("enter", "c", "enter")  # canal: correo electrónico
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert ("error", BUSY) in toasts(app)
        assert not any("inesperado" in message for _, message in toasts(app))
        assert app.screen is form  # what was typed is still there
        assert form.query_one("#input-description", TextArea).text == "Desde ayer"

        await pilot.press("ctrl+s")  # the database is free again
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.view.info.subject == "No llegan correos"


async def test_a_busy_database_in_an_action_dialog_keeps_what_was_typed(make_app, desk, log, monkeypatch):
    ticket = log(by="supervisor", subject="Impresora no imprime")
    desk.take(actor_of(desk, "jperez"), ticket.id)
    monkeypatch.setattr(desk, "comment", Busy(desk.comment))
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CommentDialog)
        await pilot.press(*"Se revisa el cable")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # still open, with the comment typed
        assert str(dialog.query_one("#dialog-error").render()) == BUSY
        assert dialog.query_one("#input-body", TextArea).text == "Se revisa el cable"

        await pilot.press("ctrl+s")  # try again: the database answers now
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert ("information", f"Comentario agregado a {ticket.code}") in toasts(app)
    assert [c.body for c in desk.timeline(system_of(desk), ticket.id) if hasattr(c, "body")] == ["Se revisa el cable"]


async def test_a_database_gone_while_reading_is_said_and_the_queue_goes_on(make_app, desk, log, monkeypatch):
    ticket = log(by="supervisor", subject="Impresora no imprime")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        gone = DatabaseUnavailable("No se pudo abrir la base de datos: el servidor no responde.")

        def unavailable(*args, **kwargs):
            raise gone

        with monkeypatch.context() as patch:
            patch.setattr(desk, "get", unavailable)
            await pilot.press("enter")
            await settle(app, pilot)
        assert ("error", gone.message) in toasts(app)
        assert isinstance(app.screen, QueueScreen)  # back on the queue, still working

        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.view.info.code == ticket.code
