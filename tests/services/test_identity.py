"""Who is at the keyboard: the OS login maps to an agent, `--as` is for administrators
and names both in the audit, password accounts with enrolment codes and a lockout,
the first administrator, and every session audited."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import select

from mesa_tui.domain.passwords import LOCK_MINUTES, MAX_FAILURES
from mesa_tui.services.admin import Admin
from mesa_tui.services.errors import LoginRefused, PermissionDenied, UnknownLogin, ValidationError
from mesa_tui.services.identity import Identity
from mesa_tui.store.models import Agent, AgentCredential, TicketEvent
from tests.support import actor_of, system_of

PASSWORD = "Corales del Rosario 2026"


@pytest.fixture
def identity(db, now) -> Identity:
    return Identity(db, now=now)


def events(db, *where) -> list[SimpleNamespace]:
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(*where).order_by(TicketEvent.id)).all()
        return [SimpleNamespace(**r.model_dump()) for r in rows]


def sessions(db) -> list[tuple[str, str]]:
    """(action, entity_key) of the session events, in order."""
    return [(e.action, e.entity_key) for e in events(db, TicketEvent.entity == "session")]


def deactivate(db, login: str) -> None:
    def change(s):
        agent = s.exec(select(Agent).where(Agent.login == login)).one()
        agent.active = False
        s.add(agent)

    db.write(change)


def audit_text(db) -> str:
    """Everything the audit trail holds, as text: no password or code may be in it."""
    return "\n".join(f"{e.entity_key} {e.action} {e.changes} {e.note}" for e in events(db))


# --- the system account -------------------------------------------------------------------


def test_the_os_login_is_the_agent(identity, desk):
    assert identity.from_os("jperez") == actor_of(desk, "jperez")
    assert identity.from_os("jperez", "jperez") == actor_of(desk, "jperez")


def test_an_admin_acting_as_an_agent_is_recorded_as_operator(db, identity, desk, log):
    ticket = log(by="lmarrugo")
    acting = identity.from_os("admin", "jperez")
    assert (acting.id, acting.operator_id) == (actor_of(desk, "jperez").id, actor_of(desk, "admin").id)
    assert acting.role == "agent"  # the rights of the agent acted for, not the admin's
    desk.take(acting, ticket.id)
    (taken,) = events(db, TicketEvent.ticket_id == ticket.id, TicketEvent.action == "tomar")
    assert (taken.actor_id, taken.operator_id) == (acting.id, acting.operator_id)
    shown = desk.timeline(acting, ticket.id)[0]
    assert shown.by == "Rafael Puello Navarro (como Jorge Pérez Julio)"
    (logged,) = events(db, TicketEvent.ticket_id == ticket.id, TicketEvent.action == "registrar")
    assert logged.operator_id is None  # lmarrugo logged it herself


@pytest.mark.parametrize("login", ["jperez", "supervisor"])
def test_only_an_admin_may_act_as_someone_else_and_the_refusal_is_audited(db, identity, login):
    with pytest.raises(PermissionDenied, match="administrador"):
        identity.from_os(login, "admin")
    assert sessions(db) == [("rechazar", login)]
    assert "--as admin" in events(db, TicketEvent.entity == "session")[0].note


def test_unknown_inactive_and_system_logins_are_refused(db, identity):
    with pytest.raises(UnknownLogin, match="«intruso» no está registrado"):
        identity.from_os("intruso")
    with pytest.raises(UnknownLogin, match="«fantasma»"):
        identity.from_os("admin", "fantasma")
    deactivate(db, "vsalas")
    with pytest.raises(UnknownLogin, match="inactivo"):
        identity.from_os("vsalas")
    with pytest.raises(UnknownLogin, match="inactivo"):
        identity.from_os("admin", "vsalas")
    for os_login, as_login in (("sistema", None), ("admin", "sistema")):
        with pytest.raises(UnknownLogin):
            identity.from_os(os_login, as_login)
    assert [a for a, _ in sessions(db)] == ["rechazar"] * 6


def test_a_deactivated_admin_may_not_act_as_anyone(db, identity):
    deactivate(db, "admin")
    with pytest.raises(UnknownLogin, match="«admin» está inactivo"):
        identity.from_os("admin", "jperez")


def test_an_operator_who_lost_the_admin_role_ends_the_session(db, identity, desk, log):
    from mesa_tui.services.errors import SessionEnded

    ticket = log()
    acting = identity.from_os("admin", "jperez")
    db.write(lambda s: s.exec(select(Agent).where(Agent.login == "admin")).one().sqlmodel_update({"role": "agent"}))
    with pytest.raises(SessionEnded, match="ya no es administrador"):
        desk.take(acting, ticket.id)


def test_sessions_are_audited_with_where_they_come_from(db, identity, now):
    me = identity.open_session(identity.from_os("jperez"), "SSH 10.0.0.7 · terminal /dev/pts/3", "sistema operativo")
    now.advance(hours=2)
    identity.close_session(me, "SSH 10.0.0.7 · terminal /dev/pts/3")
    opened, closed = events(db, TicketEvent.entity == "session")
    assert (opened.action, opened.actor_id, closed.action) == ("entrar", me.id, "salir")
    assert "SSH 10.0.0.7" in opened.note and "sistema operativo" in opened.note
    assert closed.at - opened.at == timedelta(hours=2)


# --- password accounts ----------------------------------------------------------------------


def enrol(db, now, login: str = "jperez") -> str:
    return Admin(db, now=now).issue_enrolment_code(actor_of(db, "admin"), login)


def test_enrolment_then_login(db, identity, now):
    code = enrol(db, now)
    assert len(code) == 14 and code.count("-") == 2  # XXXX-XXXX-XXXX
    me = identity.enrol_password("jperez", code.lower().replace("-", " "), PASSWORD, "terminal /dev/pts/1")
    assert me.login == "jperez"
    assert identity.password_login("jperez", PASSWORD).id == me.id
    # The code is spent.
    with pytest.raises(LoginRefused, match="código"):
        identity.enrol_password("jperez", code, PASSWORD + "!", "")
    with db.read() as s:
        stored = s.get(AgentCredential, me.id)
        assert stored.password_hash.startswith("$argon2id$") and stored.enrol_code_hash is None
    issued = events(db, TicketEvent.entity == "agent", TicketEvent.action == "emitir código")
    assert len(issued) == 1 and issued[0].actor_id == actor_of(db, "admin").id
    assert [a for a, _ in sessions(db)] == ["entrar", "entrar", "rechazar"]
    text = audit_text(db)
    assert PASSWORD not in text and code not in text and code.replace("-", "") not in text


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("corto", "al menos 12"),
        ("jperez-2026-xyz", "su usuario"),
        ("Contraseña123", "común"),
        ("aaaaaaaaaaaaaa", "común"),
    ],
)
def test_the_password_policy(db, identity, now, password, why):
    code = enrol(db, now)
    with pytest.raises(ValidationError, match=why):
        identity.enrol_password("jperez", code, password, "")
    identity.enrol_password("jperez", code, PASSWORD, "")  # the code still works once


def test_a_code_expires(db, identity, now):
    code = enrol(db, now)
    now.advance(hours=73)
    with pytest.raises(LoginRefused, match="venció"):
        identity.enrol_password("jperez", code, PASSWORD, "")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(db, identity, now):
    identity.enrol_password("jperez", enrol(db, now), PASSWORD, "")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused, match="incorrectos"):
            identity.password_login("jperez", "no es la contraseña", "terminal /dev/pts/2")
    with pytest.raises(LoginRefused, match="bloqueada"):
        identity.password_login("jperez", "tampoco es esta", "terminal /dev/pts/2")
    with pytest.raises(LoginRefused, match="bloqueada"):  # even the right one, while locked
        identity.password_login("jperez", PASSWORD, "")
    now.advance(minutes=LOCK_MINUTES - 1)
    with pytest.raises(LoginRefused, match="bloqueada"):
        identity.password_login("jperez", PASSWORD, "")
    now.advance(minutes=1)
    assert identity.password_login("jperez", PASSWORD, "").login == "jperez"
    actions = [a for a, _ in sessions(db)]
    assert actions == ["entrar", *["rechazar"] * 4, "bloquear", "rechazar", "rechazar", "entrar"]
    assert PASSWORD not in audit_text(db)


def test_unknown_and_inactive_logins_get_the_same_answer(db, identity, now):
    identity.enrol_password("jperez", enrol(db, now), PASSWORD, "")
    for login in ("nadie", PASSWORD, "sistema"):
        with pytest.raises(LoginRefused, match="Usuario o contraseña incorrectos"):
            identity.password_login(login, PASSWORD, "")
    deactivate(db, "jperez")
    with pytest.raises(LoginRefused, match="Usuario o contraseña incorrectos"):
        identity.password_login("jperez", PASSWORD, "")
    # A typed login that is no agent may be a password typed in the wrong box: not kept.
    assert PASSWORD not in audit_text(db)
    assert ("rechazar", "desconocido") in sessions(db)


def test_an_agent_without_a_password_cannot_log_in_by_password(identity):
    with pytest.raises(LoginRefused, match="incorrectos"):
        identity.password_login("lmarrugo", "", "")


def test_only_an_admin_issues_enrolment_codes(db, now):
    admin = Admin(db, now=now)
    for login in ("jperez", "supervisor"):
        with pytest.raises(PermissionDenied):
            admin.issue_enrolment_code(actor_of(db, login), "lmarrugo")
    with pytest.raises(Exception, match="No existe"):
        admin.issue_enrolment_code(actor_of(db, "admin"), "sistema")


# --- the first administrator ----------------------------------------------------------------


def test_init_creates_the_first_admin_only_on_a_desk_without_one(empty_db, now):
    identity = Identity(empty_db, now=now)
    made = identity.init_first_admin("rpuello", "Rafael Puello Navarro", "terminal /dev/pts/0")
    assert (made.login, made.role, made.active) == ("rpuello", "admin", True)
    (created,) = events(empty_db, TicketEvent.entity == "agent")
    assert created.actor_id == system_of(empty_db).id and "Primer administrador" in created.note
    with pytest.raises(PermissionDenied, match="ya tiene administrador"):
        identity.init_first_admin("otro", "Otro Administrador")
    assert identity.from_os("rpuello").is_admin


def test_the_system_actor_is_not_staff(db, desk):
    system = system_of(db)
    assert system.login == "sistema" and system.is_system and not system.is_supervisor
    assert "sistema" not in {a.login for a in desk.agents(system)}
    assert "sistema" not in {a.login for a in Admin(db).agents(system, include_inactive=True)}
