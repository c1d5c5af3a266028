"""Directory login (LDAP, Active Directory): when the settings file names a server,
an agent without a password of the desk logs in with the directory's password, checked
by a bind as that user. Who may log in, and with which role, is still mesa's own
agent table: the directory only vouches for the password.

Settings file (see store/config.py):

    [ldap]
    server = "ldaps://dc.alcaldia.local"      # ldap:// or ldaps://
    user_dn = "{login}@alcaldia.local"         # AD's UPN; or "uid={login},ou=people,dc=..."
    timeout = 5                                # seconds to connect and to answer

ldap3 is an optional dependency (`pip install 'mesa-tui[ldap]'`), imported only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mesa_tui.services.errors import LoginRefused
from mesa_tui.store.config import settings

UNREACHABLE = "No se pudo consultar el directorio de la entidad: intente de nuevo o avise al administrador."


@dataclass(frozen=True)
class Directory:
    """A directory server that checks passwords by binding as the user."""

    server: Any  # the URL, or an ldap3.Server (tests hand in a mock one)
    user_dn: str
    timeout: float = 5.0
    strategy: str = "SYNC"

    def check(self, login: str, password: str) -> bool:
        """Whether the directory accepts `password` for `login`. An empty password
        would be an anonymous bind, which proves nothing: never a login."""
        if not password or not login:
            return False
        try:
            import ldap3
            from ldap3.core.exceptions import LDAPException
            from ldap3.utils.dn import escape_rdn
        except ImportError:
            raise LoginRefused(
                "La mesa está configurada para el directorio pero falta ldap3: instale mesa-tui[ldap]."
            ) from None
        server = self.server
        if isinstance(server, str):
            server = ldap3.Server(server, connect_timeout=self.timeout, get_info=ldap3.NONE)
        user = self.user_dn.format(login=escape_rdn(login))
        conn = ldap3.Connection(
            server, user=user, password=password, client_strategy=self.strategy, receive_timeout=self.timeout
        )
        try:
            return bool(conn.bind())
        except LDAPException:
            raise LoginRefused(UNREACHABLE) from None
        finally:
            conn.unbind()


def directory_from_settings() -> Directory | None:
    """The directory the settings file names under [ldap], or None."""
    section = settings().get("ldap")
    if not isinstance(section, dict) or not section.get("server"):
        return None
    user_dn = str(section.get("user_dn") or "{login}")
    return Directory(server=str(section["server"]), user_dn=user_dn, timeout=float(section.get("timeout", 5)))
