"""The session registry: every session that opens (terminal, SSH, browser, password)
gets a row, closed with it; administrators list the active ones and end one, which
the session notices at its next check; a session whose process died stops counting
once its heartbeat is stale. Starts and ends are audited."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import select

from mesa_tui.domain.sessions import ENDED_BY_ADMIN, HEARTBEAT_SECONDS, STALE_AFTER_SECONDS
from mesa_tui.services.admin import Admin
from mesa_tui.services.errors import NotFound, PermissionDenied, SessionEnded, ValidationError
from mesa_tui.services.identity import Identity
from mesa_tui.services.sessions import Sessions
from mesa_tui.store.models import AgentSession, TicketEvent
from tests.support import actor_of

PASSWORD = "Corales del Rosario 2026"


@pytest.fixture
def identity(db, now) -> Identity:
    return Identity(db, now=now)


@pytest.fixture
def sessions(db, now) -> Sessions:
    return Sessions(db, now=now)


def rows(db) -> list[SimpleNamespace]:
    with db.read() as s:
        return [SimpleNamespace(**r.model_dump()) for r in s.exec(select(AgentSession).order_by(AgentSession.id)).all()]


def session_events(db) -> list[tuple[str, str, str]]:
    with db.read() as s:
        q = select(TicketEvent).where(TicketEvent.entity == "session").order_by(TicketEvent.id)
        return [(e.action, e.entity_key, e.note) for e in s.exec(q).all()]


def test_each_way_in_registers_its_session_with_how_and_where(db, identity, now):
    local = identity.open_session(actor_of(db, "jperez"), "terminal /dev/pts/3", "sistema operativo")
    ssh = identity.open_session(actor_of(db, "lmarrugo"), "SSH 10.0.0.7 · terminal /dev/pts/9", "llave SSH")
    web = identity.open_session(actor_of(db, "acastro"), "navegador 10.0.0.8", "Contraseña", kind="navegador")
    assert local.session_id and ssh.session_id and web.session_id
    got = [(r.agent_id, r.kind, r.method, r.origin, r.ended_at) for r in rows(db)]
    assert got == [
        (local.id, "terminal", "sistema operativo", "terminal /dev/pts/3", None),
        (ssh.id, "ssh", "llave SSH", "SSH 10.0.0.7 · terminal /dev/pts/9", None),
        (web.id, "navegador", "Contraseña", "navegador 10.0.0.8", None),
    ]
    assert rows(db)[0].started_at == now() == rows(db)[0].seen_at


def test_a_password_login_registers_its_session(db, identity, now):
    from mesa_tui.domain.passwords import Credential
    from mesa_tui.services import passwords
    from mesa_tui.store import identity_repo

    agent = actor_of(db, "vsalas")
    db.write(
        lambda s: identity_repo.save_credential(
            s, agent.id, Credential(password_hash=passwords.hash_password(PASSWORD))
        )
    )
    who = identity.password_login("vsalas", PASSWORD, "SSH 10.0.0.9 · terminal /dev/pts/1")
    (row,) = rows(db)
    assert (who.session_id, row.agent_id, row.kind, row.method) == (row.id, agent.id, "ssh", "Contraseña")


def test_closing_ends_the_row_and_audits_the_way_out(db, identity, sessions, now):
    me = identity.open_session(actor_of(db, "jperez"), "terminal /dev/pts/3", "sistema operativo")
    now.advance(minutes=5)
    identity.close_session(me, "terminal /dev/pts/3")
    (row,) = rows(db)
    assert row.ended_at == now() and row.end_reason == "salió"
    assert [a for a, _, _ in session_events(db)] == ["entrar", "salir"]
    assert sessions.active(actor_of(db, "admin")) == []


def test_admins_see_active_sessions_and_end_one_which_the_session_notices(db, identity, sessions, now):
    admin = identity.open_session(actor_of(db, "admin"), "terminal /dev/pts/1", "sistema operativo")
    jperez = identity.open_session(actor_of(db, "jperez"), "SSH 10.0.0.7 · terminal /dev/pts/9", "llave SSH")
    listed = sessions.active(admin)
    assert [(x.agent_login, x.kind_label, x.origin) for x in listed] == [
        ("admin", "Terminal", "terminal /dev/pts/1"),
        ("jperez", "SSH", "SSH 10.0.0.7 · terminal /dev/pts/9"),
    ]
    sessions.keep_alive(jperez)  # still on: nothing happens
    with pytest.raises(PermissionDenied):
        sessions.active(jperez)
    with pytest.raises(PermissionDenied):
        sessions.end(jperez, admin.session_id)
    with pytest.raises(ValidationError, match="propia sesión"):
        sessions.end(admin, admin.session_id)
    ended = sessions.end(admin, jperez.session_id)
    assert ended.ended_at == now() and ended.end_reason == "cerrada por un administrador"
    assert [x.agent_login for x in sessions.active(admin)] == ["admin"]
    with pytest.raises(SessionEnded) as notice:
        sessions.keep_alive(jperez)
    assert notice.value.message == ENDED_BY_ADMIN
    with pytest.raises(NotFound):
        sessions.end(admin, jperez.session_id)
    # The session then closes itself: its row keeps the administrator's reason.
    identity.close_session(jperez, "SSH 10.0.0.7 · terminal /dev/pts/9", "usuario desactivado")
    actions = [(a, k) for a, k, _ in session_events(db)]
    assert actions == [("entrar", "admin"), ("entrar", "jperez"), ("terminar", "jperez"), ("salir", "jperez")]
    assert "cerrada por un administrador" in session_events(db)[-1][2]


def test_a_deactivated_agents_session_ends_at_its_next_check(db, identity, sessions, now):
    jperez = identity.open_session(actor_of(db, "jperez"), "terminal /dev/pts/3", "sistema operativo")
    Admin(db, now=now).set_agent_active(actor_of(db, "admin"), jperez.id, False)
    with pytest.raises(SessionEnded):
        sessions.keep_alive(jperez)


def test_a_silent_session_goes_stale_and_a_live_one_keeps_its_heartbeat(db, identity, sessions, now):
    admin = identity.open_session(actor_of(db, "admin"), "terminal /dev/pts/1", "sistema operativo")
    identity.open_session(actor_of(db, "jperez"), "terminal /dev/pts/2", "sistema operativo")  # then killed
    started = now()
    now.advance(seconds=HEARTBEAT_SECONDS - 1)
    sessions.keep_alive(admin)
    assert rows(db)[0].seen_at == started  # not due yet: no write
    now.advance(seconds=1)
    sessions.keep_alive(admin)
    assert rows(db)[0].seen_at == now()
    now.advance(seconds=STALE_AFTER_SECONDS - HEARTBEAT_SECONDS + 1)
    sessions.keep_alive(admin)
    assert [x.agent_login for x in sessions.active(admin)] == ["admin"]
    assert rows(db)[1].ended_at is None  # never closed, just no longer shown as active
    assert now() - rows(db)[1].seen_at > timedelta(seconds=STALE_AFTER_SECONDS)
