"""A field stops at its limit (domain/limits.py): a paste that does not fit is
cut to fit and a notice names the field and the limit; nothing is dropped
without a word, and what fits is what the use case takes."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from mesa_tui.domain import limits
from mesa_tui.domain.tickets import CommentInfo
from mesa_tui.screens.agent.new_ticket import NewTicketScreen
from mesa_tui.screens.agent.ticket_dialogs import CommentDialog
from tests.screens.support import SIZE, settle, toasts
from tests.support import actor_of, system_of


async def paste(app, pilot, text: str) -> None:
    """What the terminal sends when text is pasted: the app hands it to the focused field."""
    await pilot.pause()  # a focus just asked for has been given
    app.post_message(events.Paste(text))
    await pilot.pause()


def cut_notices(app) -> list[str]:
    return [message for severity, message in toasts(app) if severity == "warning" and "admite hasta" in message]


async def test_a_paste_longer_than_the_subject_is_cut_and_said(make_app):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NewTicketScreen)
        subject = form.query_one("#input-subject", Input)
        subject.focus()
        await pilot.press(*"Urgente: ")
        await paste(app, pilot, "x" * 300)
        assert subject.value == "Urgente: " + "x" * (limits.SUBJECT - 9)
        assert cut_notices(app) == ["«Asunto» admite hasta 200 caracteres: de lo pegado entraron 191 de 300."]

        await pilot.press("y")  # the field is full: the key is refused (a bell), no second notice
        assert len(subject.value) == limits.SUBJECT
        assert len(cut_notices(app)) == 1

        requester = form.query_one("#input-requester_name", Input)
        requester.focus()
        await paste(app, pilot, "Ana " * 40)
        assert len(requester.value) == limits.REQUESTER_NAME
        assert cut_notices(app)[-1] == (
            "«Nombre del solicitante» admite hasta 120 caracteres: de lo pegado entraron 120 de 160."
        )


async def test_a_paste_longer_than_the_description_is_cut_and_said(make_app):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        description = app.screen.query_one("#input-description", TextArea)
        description.focus()
        pasted = ("Línea de registro del servidor\n" * 1_000)[:25_000]
        await paste(app, pilot, pasted)
        assert description.text == pasted[: limits.DESCRIPTION]
        assert cut_notices(app) == [
            "«Descripción» admite hasta 20.000 caracteres: de lo pegado entraron 20.000 de 25.000."
        ]
        await paste(app, pilot, "más")  # full: nothing more goes in
        assert len(description.text) == limits.DESCRIPTION


async def test_a_comment_cut_to_its_limit_is_saved_whole(make_app, desk, log):
    ticket = log(by="supervisor", subject="Impresora no imprime")
    desk.take(actor_of(desk, "jperez"), ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, CommentDialog)
        await paste(app, pilot, "c" * 30_000)
        assert cut_notices(app) == [
            "«Comentario» admite hasta 20.000 caracteres: de lo pegado entraron 20.000 de 30.000."
        ]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert ("information", f"Comentario agregado a {ticket.code}") in toasts(app)
    comments = [item for item in desk.timeline(system_of(desk), ticket.id) if isinstance(item, CommentInfo)]
    assert [len(c.body) for c in comments] == [limits.COMMENT]


async def test_a_reason_stops_at_the_wait_reason_column(make_app, desk, log):
    ticket = log(by="supervisor", subject="Impresora no imprime")
    desk.take(actor_of(desk, "jperez"), ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        await paste(app, pilot, "Esperando repuesto " * 20)
        assert len(app.screen.query_one("#input-reason", Input).value) == limits.WAIT_REASON
        assert cut_notices(app) == [
            "«Motivo de la espera» admite hasta 200 caracteres: de lo pegado entraron 200 de 380."
        ]
        await pilot.press("enter")
        await settle(app, pilot)
    assert len(desk.get(system_of(desk), ticket.id).wait_reason) == limits.WAIT_REASON - 1  # the last space is trimmed
