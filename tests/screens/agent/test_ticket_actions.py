"""Every lifecycle action driven by keys, checked in the database afterwards."""

from __future__ import annotations

from rich.console import Console
from textual.widgets import Static

from mesa_tui.domain.tickets import CommentInfo, EventInfo
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.agent.ticket_dialogs import ClassifyDialog, EscalateDialog
from mesa_tui.screens.dialogs import ActionDialog, ConfirmDialog
from tests.screens.support import SIZE, footer_keys, settle, toasts
from tests.support import actor_of, system_of


async def open_ticket(app, pilot, code: str, view_key: str = "4") -> None:
    """From the queue: pick a view, put the cursor on `code`, press enter."""
    await settle(app, pilot)
    await pilot.press(view_key)
    await settle(app, pilot)
    table = app.screen.table
    codes = [r.code for r in table.rows_shown]
    assert code in codes, codes
    for _ in range(codes.index(code)):
        await pilot.press("j")
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, TicketScreen)
    assert app.screen.view.info.code == code


async def test_full_lifecycle_by_keys(make_app, desk, log):
    """Take, classify, escalate, wait, resume, resolve and close, without a mouse."""
    ticket = log(by="supervisor", subject="Impresora no imprime", impact=2, urgency=2)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="2")

        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert (info.status, info.agent_name) == ("en_proceso", "Jorge Pérez Julio")
        assert info.first_response_at is not None
        assert ("information", f"{ticket.code} tomado: queda a cargo de Jorge Pérez Julio") in toasts(app)

        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ClassifyDialog)
        await pilot.press("tab", "tab", "enter", "s", "enter")  # naturaleza: Software
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert info.nature == "software"

        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EscalateDialog)
        await pilot.press("tab")
        await pilot.press(*"Requiere especialista de redes")
        await pilot.press("enter")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert (info.status, info.level, info.agent_id) == ("asignado", 2, None)
        assert info.group_name == "Infraestructura y redes"
        assert ("information", f"{ticket.code} escalado a nivel 2 (Infraestructura y redes)") in toasts(app)

        await pilot.press("w")
        await settle(app, pilot)
        await pilot.press(*"Esperando al usuario")
        await pilot.press("enter")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert (info.status, info.wait_reason) == ("en_espera", "Esperando al usuario")
        assert info.ttr.paused
        # The SLA block says the clock is paused and the time left, never a stale due time.
        console = Console(width=200, color_system=None)
        with console.capture() as shown:
            console.print(app.screen.query_one("#ticket-sla", Static).content)
        sla = shown.get()
        assert "en pausa desde" in sla and "quedan" in sla and "vence" not in sla.split("Solución")[1]

        await pilot.press("u")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert info.status == "en_proceso" and not info.ttr.paused

        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press(*"Se cambió el tóner")
        await pilot.press("tab", "enter")  # forma de solución: la primera, remota
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert (info.status, info.solution, info.solution_mode) == ("resuelto", "Se cambió el tóner", "remoto")

        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        info = desk.get(system_of(desk), ticket.id)
        assert info.status == "cerrado"
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.view.info.status == "cerrado"

    actions = [e.action for e in desk.timeline(system_of(desk), ticket.id) if isinstance(e, EventInfo)]
    assert actions[::-1] == [
        "registrar",
        "tomar",
        "clasificar",
        "escalar",
        "esperar",
        "reanudar",
        "resolver",
        "cerrar",
    ]


async def test_take_from_the_queue_leaves_the_unassigned_view(make_app, desk, log):
    first = log(by="supervisor", subject="Primero")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert [r.code for r in app.screen.table.rows_shown] == [first.code]
        await pilot.press("t", "enter")
        await settle(app, pilot)
        assert desk.get(system_of(desk), first.id).agent_name == "Jorge Pérez Julio"
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.table.rows_shown == []
        await pilot.press("1")
        await settle(app, pilot)
        assert [r.code for r in app.screen.table.rows_shown] == [first.code]


async def test_supervisor_assigns_to_an_agent(make_app, desk, log):
    ticket = log(by="supervisor")
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("enter", "L", "enter")  # agente: Liliana Marrugo Díaz
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    info = desk.get(system_of(desk), ticket.id)
    assert (info.status, info.agent_name) == ("asignado", "Liliana Marrugo Díaz")


async def test_public_comment(make_app, desk, log):
    ticket = log(by="jperez")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="2")
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press(*"Vamos en camino")
        await pilot.press("tab", "space", "ctrl+s")
        await settle(app, pilot)
        body = app.screen.query_one("#timeline-body").render()
        assert "Vamos en camino" in str(body)
    comments = [c for c in desk.timeline(system_of(desk), ticket.id) if isinstance(c, CommentInfo)]
    assert [(c.body, c.public, c.author_name) for c in comments] == [("Vamos en camino", True, "Jorge Pérez Julio")]


async def test_reopen_a_resolved_ticket(make_app, desk, log):
    ticket = log(by="jperez")
    jperez = actor_of(desk, "jperez")
    desk.take(jperez, ticket.id)
    desk.resolve(jperez, ticket.id, "Reinicio del equipo", "en_sitio")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        # Estado: Resuelto (fifth option after the blank one).
        await pilot.press("tab", "enter", "down", "down", "down", "down", "down", "enter", "ctrl+s")
        await settle(app, pilot)
        assert [r.code for r in app.screen.table.rows_shown] == [ticket.code]
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Reabrir" in footer_keys(app) and "Resolver" not in footer_keys(app)
        await pilot.press("o")
        await settle(app, pilot)
        await pilot.press(*"Volvió a fallar", "enter")
        await settle(app, pilot)
    info = desk.get(system_of(desk), ticket.id)
    assert (info.status, info.solution) == ("en_proceso", None)


async def test_only_a_supervisor_may_cancel(make_app, desk, log):
    ticket = log(by="jperez")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="2")
        assert "Anular" not in footer_keys(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)  # nothing offered, nothing opened
    assert desk.get(system_of(desk), ticket.id).status == "nuevo"

    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press(*"Caso duplicado", "enter")
        await settle(app, pilot)
        assert ("information", f"{ticket.code} anulado") in toasts(app)
    assert desk.get(system_of(desk), ticket.id).status == "anulado"


async def test_a_colleagues_ticket_offers_no_owner_actions(make_app, desk, log):
    ticket = log(by="jperez")
    desk.take(actor_of(desk, "lmarrugo"), ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="3")
        offered = footer_keys(app)
        assert {"Tomar", "Resolver", "Escalar", "Espera"}.isdisjoint(offered)
        assert {"Clasificar", "Comentar"} <= offered
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
    assert desk.get(system_of(desk), ticket.id).status == "en_proceso"


async def test_empty_reason_is_refused_next_to_the_field(make_app, desk, log):
    ticket = log(by="jperez")
    before = desk.get(system_of(desk), ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="2")
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, EscalateDialog)
        error = dialog.query_one("#error-reason")
        assert str(error.render()) == "El motivo del escalamiento es obligatorio."
        assert dialog.query_one("#field-reason").has_class("-invalid")
        await pilot.press(*"Ahora sí", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
    after = desk.get(system_of(desk), ticket.id)
    assert after.level == 2 and after.version == before.version + 1


async def test_a_refusal_from_the_service_is_a_message(make_app, desk, log):
    """An agent may not change the priority of a classified ticket: the service says no."""
    ticket = log(by="jperez", impact=2, urgency=2)
    jperez = actor_of(desk, "jperez")
    desk.take(jperez, ticket.id)
    desk.classify(jperez, ticket.id, impact=2, urgency=2, nature="red")
    before = desk.get(system_of(desk), ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="1")
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("enter", "up", "enter")  # impacto 1 · Alto: prioridad Alta
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        assert (
            "error",
            "Solo un supervisor puede cambiar la prioridad de un caso ya clasificado.",
        ) in toasts(app)
    assert desk.get(system_of(desk), ticket.id) == before


async def test_a_conflict_is_reported_and_the_ticket_reloaded(make_app, desk, log):
    ticket = log(by="jperez")
    jperez = actor_of(desk, "jperez")
    desk.take(jperez, ticket.id)
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="1")
        # Meanwhile the supervisor classifies it.
        desk.classify(actor_of(desk, "supervisor"), ticket.id, impact=1, urgency=1, nature="red")
        await pilot.press("w")
        await settle(app, pilot)
        await pilot.press(*"Esperando al usuario", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        severities = [s for s, m in toasts(app) if "fue modificado por otra persona" in m]
        assert severities == ["error"]
        assert app.screen.view.info.priority == "crítica"  # reloaded
    assert desk.get(system_of(desk), ticket.id).status == "en_proceso"


async def test_escape_closes_a_dialog_without_changes(make_app, desk, log):
    ticket = log(by="jperez")
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await open_ticket(app, pilot, ticket.code, view_key="2")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"algo", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    assert desk.get(system_of(desk), ticket.id).version == ticket.version
