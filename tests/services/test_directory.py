"""Directory login: the settings name an LDAP server, the directory vouches for the
password (a bind as the user, here against ldap3's mock server), mesa's own agent
table says who may log in and with which role; failures count toward the lockout."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from mesa_tui.domain.passwords import MAX_FAILURES
from mesa_tui.services.directory import Directory, directory_from_settings
from mesa_tui.services.errors import LoginRefused
from mesa_tui.services.identity import Identity
from mesa_tui.store import config
from mesa_tui.store.models import TicketEvent
from tests.support import actor_of

ldap3 = pytest.importorskip("ldap3")

SECRET = "Clave del directorio 2026"
USER_DN = "uid={login},ou=people,dc=alcaldia,dc=test"


@pytest.fixture
def directory() -> Directory:
    server = ldap3.Server("dc.alcaldia.test", get_info=ldap3.NONE)
    seed = ldap3.Connection(server, user="cn=admin,dc=alcaldia,dc=test", password="x", client_strategy=ldap3.MOCK_SYNC)
    for login in ("jperez", "externo"):  # "externo" is in the directory, not on the desk
        seed.strategy.add_entry(
            USER_DN.format(login=login), {"uid": login, "userPassword": SECRET, "objectClass": "person"}
        )
    return Directory(server=server, user_dn=USER_DN, strategy=ldap3.MOCK_SYNC)


@pytest.fixture
def identity(db, now, directory) -> Identity:
    return Identity(db, now=now, directory=directory)


def sessions(db) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(TicketEvent.entity == "session").order_by(TicketEvent.id)).all()
        return [(e.action, e.note) for e in rows]


def test_the_directory_vouches_for_the_password_and_the_desk_for_the_role(db, identity):
    me = identity.password_login("jperez", SECRET, "terminal /dev/pts/5")
    assert replace(me, session_id=None) == actor_of(db, "jperez") and me.role == "agent" and me.session_id
    assert sessions(db) == [("entrar", "Directorio · terminal /dev/pts/5")]


def test_wrong_directory_passwords_count_toward_the_lockout(db, identity):
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused, match="incorrectos"):
            identity.password_login("jperez", "otra clave cualquiera", "")
    with pytest.raises(LoginRefused, match="bloqueada"):
        identity.password_login("jperez", "otra clave cualquiera", "")
    with pytest.raises(LoginRefused, match="bloqueada"):
        identity.password_login("jperez", SECRET, "")


def test_a_directory_user_who_is_no_agent_is_refused(identity):
    with pytest.raises(LoginRefused, match="incorrectos"):
        identity.password_login("externo", SECRET, "")


def test_an_empty_password_is_never_an_anonymous_bind(identity, directory):
    assert directory.check("jperez", "") is False
    with pytest.raises(LoginRefused):
        identity.password_login("jperez", "", "")


def test_the_settings_name_the_server(tmp_path, monkeypatch):
    settings = tmp_path / "mesa.toml"
    settings.write_text('[ldap]\nserver = "ldaps://dc.alcaldia.local"\nuser_dn = "{login}@alcaldia.local"\n')
    monkeypatch.setenv("MESA_CONFIG", str(settings))
    config._settings.cache_clear()
    found = directory_from_settings()
    assert found == Directory(server="ldaps://dc.alcaldia.local", user_dn="{login}@alcaldia.local")
    settings.write_text('database_url = "sqlite:///x.db"\n')
    config._settings.cache_clear()
    assert directory_from_settings() is None
