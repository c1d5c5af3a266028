"""`mesa --login` by keys: enrolment with the administrator's code, a wrong password,
the lockout and its end, the audit rows; the agents panel's `c` issues the code; and a
deactivated agent's next refresh ends the session."""

from __future__ import annotations

from sqlmodel import select

from mesa_tui.app import MesaApp
from mesa_tui.domain.passwords import LOCK_MINUTES, MAX_FAILURES
from mesa_tui.screens.admin.enrol import CodeScreen
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.screens.loading import SESSION_ENDED
from mesa_tui.screens.login import LoginScreen
from mesa_tui.services.admin import Admin
from mesa_tui.services.identity import Identity
from mesa_tui.store.models import Agent, AgentCredential, TicketEvent
from tests.screens.admin.support import open_admin, press, type_text
from tests.screens.support import SIZE, settle
from tests.support import actor_of

PASSWORD = "Murallas de Cartagena 1586"
WHERE = "terminal /dev/pts/9"


def login_app(desk, now) -> MesaApp:
    return MesaApp(desk, None, now=now, identity=Identity(desk.db, now=now), where=WHERE, live=False)


def message(app) -> str:
    return str(app.screen.query_one("#login-message").render())


def sessions(db) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(TicketEvent.entity == "session").order_by(TicketEvent.id)).all()
        return [(e.action, e.entity_key) for e in rows]


async def log_in(app, pilot, login: str, password: str) -> None:
    user = app.screen.query_one("#login-user")
    user.value = ""
    user.focus()
    await type_text(pilot, login)
    await press(app, pilot, "enter")
    await type_text(pilot, password)
    await press(app, pilot, "enter")


async def test_enrolment_by_keys_then_the_desk_opens_as_that_agent(db, desk, now):
    code = Admin(db, now=now).issue_enrolment_code(actor_of(db, "admin"), "jperez")
    app = login_app(desk, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen) and app.session_actor is None
        await press(app, pilot, "ctrl+e")
        await type_text(pilot, "jperez")
        await press(app, pilot, "enter")
        await type_text(pilot, code)
        await press(app, pilot, "enter")
        await type_text(pilot, PASSWORD)
        await press(app, pilot, "enter")
        await type_text(pilot, PASSWORD + "x")
        await press(app, pilot, "enter")
        assert "no coinciden" in message(app)
        assert isinstance(app.screen, LoginScreen)
        app.screen.query_one("#login-new").focus()
        await type_text(pilot, PASSWORD)
        await press(app, pilot, "enter")
        await type_text(pilot, PASSWORD)
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.session_actor.login == "jperez"
    with db.read() as s:
        assert s.get(AgentCredential, actor_of(db, "jperez").id).password_hash.startswith("$argon2id$")
    assert sessions(db) == [("entrar", "jperez")]


async def test_wrong_password_lockout_and_the_end_of_it_by_keys(db, desk, now):
    Identity(db, now=now).enrol_password(
        "jperez", Admin(db, now=now).issue_enrolment_code(actor_of(db, "admin"), "jperez"), PASSWORD, ""
    )
    app = login_app(desk, now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await log_in(app, pilot, "jperez", "no es esta")
        assert message(app) == "Usuario o contraseña incorrectos."
        assert app.screen.query_one("#login-password").value == ""  # what was typed is gone
        for _ in range(MAX_FAILURES - 1):
            await log_in(app, pilot, "jperez", "tampoco")
        assert "bloqueada" in message(app)
        await log_in(app, pilot, "jperez", PASSWORD)
        assert "bloqueada" in message(app) and isinstance(app.screen, LoginScreen)
        now.advance(minutes=LOCK_MINUTES)
        await log_in(app, pilot, "jperez", PASSWORD)
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen) and app.session_actor.login == "jperez"
    actions = [a for a, _ in sessions(db)]
    assert actions == ["entrar", *["rechazar"] * (MAX_FAILURES - 1), "bloquear", "rechazar", "entrar"]


async def test_the_agents_panel_issues_a_code_shown_once(db, desk, make_app, now):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "agents")
        await press(app, pilot, "slash")
        await type_text(pilot, "lmarrugo")
        await press(app, pilot, "enter")
        assert screen.query_one("#agents-table").current_key == str(actor_of(db, "lmarrugo").id)
        await press(app, pilot, "c")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, CodeScreen)
        code = app.screen.code
        await press(app, pilot, "enter")
        assert not isinstance(app.screen, CodeScreen)
    # The code works once, for lmarrugo.
    assert Identity(db, now=now).enrol_password("lmarrugo", code, PASSWORD, "").login == "lmarrugo"


async def test_a_deactivated_agent_is_put_out_at_the_next_refresh(db, desk, make_app, now):
    app = make_app("jperez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        Admin(db, now=now).set_agent_active(actor_of(db, "admin"), actor_of(db, "jperez").id, False)
        await pilot.press("R")
        await settle(app, pilot)
        await pilot.pause(0.2)
    assert app.return_code == SESSION_ENDED
    with db.read() as s:
        assert s.exec(select(Agent.active).where(Agent.login == "jperez")).one() is False
