"""Administración → Sesiones, by keys: the open sessions listed (agent, how, from where,
since when), one ended with `x` (audited, its row closed), and the ended session's
app closing by itself at its next check, with the message."""

from __future__ import annotations

from sqlmodel import select

from mesa_tui.app import MesaApp
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.screens.loading import SESSION_ENDED
from mesa_tui.services.identity import Identity
from mesa_tui.store.models import AgentSession, TicketEvent
from tests.screens.admin.support import open_admin, press
from tests.screens.support import SIZE, settle
from tests.support import actor_of


def ended_reasons(db) -> dict[int, str]:
    with db.read() as s:
        return {r.id: r.end_reason for r in s.exec(select(AgentSession)).all() if r.ended_at is not None}


async def test_an_admin_sees_the_open_sessions_and_ends_one(desk, db, now):
    identity = Identity(db, now=now)
    admin = identity.open_session(actor_of(db, "admin"), "terminal /dev/pts/1", "sistema operativo")
    jperez = identity.open_session(actor_of(db, "jperez"), "SSH 10.0.0.7 · terminal /dev/pts/9", "llave SSH")
    app = MesaApp(desk, admin, now=now, identity=identity)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_admin(app, pilot, "sessions")
        table = screen.query_one("#sessions-table")
        assert table.keys == [str(admin.session_id), str(jperez.session_id)]
        row = [str(c) for c in table.get_row_at(1)]
        assert row[0].startswith("Jorge Pérez Julio (jperez)") and row[1] == "SSH"
        assert row[2].startswith("SSH 10.0.0.7") and row[3].startswith("2026-") and row[4] == "hace 0 s"
        assert str(table.get_row_at(0)[0]).startswith("Usted: Rafael Puello")

        await press(app, pilot, "x")  # on its own session: not offered
        assert not isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "down", "x")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "ctrl+s")
        assert ended_reasons(db) == {jperez.session_id: "cerrada por un administrador"}
        assert table.keys == [str(admin.session_id)]
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.entity == "session", TicketEvent.action == "terminar")
        (event,) = s.exec(q).all()
        assert (event.actor_id, event.entity_key) == (admin.id, "jperez")


async def test_the_ended_session_closes_by_itself_with_a_spanish_message(desk, db, now):
    from mesa_tui.services.sessions import Sessions

    identity = Identity(db, now=now)
    admin = identity.open_session(actor_of(db, "admin"), "terminal /dev/pts/1", "sistema operativo")
    jperez = identity.open_session(actor_of(db, "jperez"), "SSH 10.0.0.7 · terminal /dev/pts/9", "llave SSH")
    app = MesaApp(desk, jperez, now=now, identity=identity)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.return_code is None
        Sessions(db, now=now).end(admin, jperez.session_id)
        # The app checks every few seconds: wait for it (no time is asserted).
        for _ in range(300):
            if app.return_code is not None:
                break
            await pilot.pause(0.1)
        assert app.return_code == SESSION_ENDED
        assert "Un administrador cerró su sesión." in str(app._exit_renderables)
