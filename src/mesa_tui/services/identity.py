"""Who is at the keyboard: the agent a session acts as, and the audit of sessions.

Three ways in, each audited under the entity "session" ("entrar", "salir",
"rechazar", "bloquear"), with where from in the note (terminal, SSH client):

- the system account: the real uid's login names the agent (`from_os`); an
  administrator may act for another agent (`--as`), and every event written then
  names both;
- a password account (`password_login`), with a one-time enrolment code an
  administrator issues to set the password (`enrol_password`); five wrong
  passwords in a row lock the account for fifteen minutes. When the settings
  name a directory server (services/directory.py), an agent without a password
  of the desk logs in with the directory's; the lockout counts those too;
- an SSH key's forced command (`from_ssh`): the agent the key was registered for,
  only for the SSH service account under sshd;
- the first administrator of a new desk (`init_first_admin`), by the system actor.

Every session that opens gets a row in the session registry (services/sessions.py),
closed with it; the actor it acts as carries the row's id (`session_id`).

The system actor ("sistema") never logs in. No password or code is ever written
to the audit or returned, except the code once to the administrator who issued it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mesa_tui.domain.calendar import BOGOTA
from mesa_tui.domain.passwords import LOCK_MINUTES, MAX_FAILURES, Credential, password_problem
from mesa_tui.domain.sessions import session_kind
from mesa_tui.domain.ssh_keys import SSH_ACCOUNT
from mesa_tui.domain.staff import AgentInfo, agent_problems
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import Role
from mesa_tui.services import passwords
from mesa_tui.services.actors import current_actor
from mesa_tui.services.checks import raise_first
from mesa_tui.services.clock import utcnow
from mesa_tui.services.directory import Directory
from mesa_tui.services.errors import LoginRefused, PermissionDenied, UnknownLogin, ValidationError
from mesa_tui.store import admin_repo, identity_repo, sessions_repo, tickets_repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Database, Session
from mesa_tui.store.errors import StoreError

SESSION = "session"
WRONG_PASSWORD = "Usuario o contraseña incorrectos."
BAD_CODE = "El código de activación no es válido o ya venció: pida uno nuevo al administrador."
UNKNOWN_KEY = "desconocido"  # what a refused login by an unknown name is filed under (it may be a password)


def locked_message(until: datetime) -> str:
    return f"Cuenta bloqueada por intentos fallidos hasta las {until.astimezone(BOGOTA):%H:%M}: intente más tarde."


@dataclass(frozen=True)
class _Refusal:
    """A login refused after its failure was recorded (the transaction commits it)."""

    message: str


class Identity:
    """Sessions over one database: who acts, and the audit of logins and logouts."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utcnow, directory: Directory | None = None):
        self.db = db
        self.now = now
        self.directory = directory

    # --- looking agents up -------------------------------------------------------

    def agent(self, login: str) -> ActorInfo:
        """The active agent with this login (a lookup: it opens no session)."""
        with self.db.read() as s:
            agent = tickets_repo.actor_by_login(s, login)
        if agent is None or agent.is_system:
            raise UnknownLogin(f"El usuario «{login}» no está registrado como agente de la mesa de ayuda.")
        if not agent.active:
            raise UnknownLogin(f"El agente «{login}» está inactivo.")
        return agent

    def system(self) -> ActorInfo:
        """The desk's own actor, for the desk's own work (`mesa maintenance`, the first
        catalog load): it can never log in."""
        return self.db.write(identity_repo.system_actor)

    def has_admin(self) -> bool:
        """Whether the desk has an active administrator (until then it is being set up)."""
        with self.db.read() as s:
            return identity_repo.admin_count(s) > 0

    # --- the system account ----------------------------------------------------------

    def from_os(self, os_login: str, as_login: str | None = None, where: str = "") -> ActorInfo:
        """The agent the OS login maps to, or, for an administrator, the agent named by
        `as_login`, acting with the administrator recorded as operator. Refusals are
        audited."""
        with self.db.read() as s:
            me = tickets_repo.actor_by_login(s, os_login)
            target = tickets_repo.actor_by_login(s, as_login) if as_login and as_login != os_login else None
        suffix = f" (--as {as_login})" if as_login and as_login != os_login else ""
        if me is None or me.is_system:
            self._refused(None, os_login, f"Usuario del sistema sin agente{suffix}", where)
            raise UnknownLogin(
                f"El usuario del sistema «{os_login}» no está registrado como agente de la mesa de ayuda: "
                "pida a un administrador que lo cree."
            )
        if not me.active:
            self._refused(me, os_login, f"Agente inactivo{suffix}", where)
            raise UnknownLogin(f"El agente «{os_login}» está inactivo.")
        if not suffix:
            return me
        if not me.is_admin:
            self._refused(me, os_login, f"--as sin ser administrador{suffix}", where)
            raise PermissionDenied("Solo un administrador puede actuar como otro usuario (--as).")
        if target is None or target.is_system:
            self._refused(me, os_login, f"--as a un usuario que no es agente{suffix}", where)
            raise UnknownLogin(f"El usuario «{as_login}» no está registrado como agente de la mesa de ayuda.")
        if not target.active:
            self._refused(me, os_login, f"--as a un agente inactivo{suffix}", where)
            raise UnknownLogin(f"El agente «{as_login}» está inactivo: no se puede actuar como él.")
        return replace(target, operator_id=me.id, operator_name=me.full_name)

    def from_ssh(self, os_login: str, agent_login: str, ssh_connection: str, where: str = "") -> ActorInfo:
        """The agent an SSH key's forced command names (`mesa session --agent LOGIN`).

        Only the SSH service account the database names (the setting `ssh_account`,
        which only an administrator changes) may open such a session, and only under
        sshd (SSH_CONNECTION set): any other OS user running `mesa session` is refused,
        and audited, so nobody becomes another agent by typing their login. The
        account is read from the database, never from a file or variable the caller
        could point elsewhere. Refusals are audited."""
        with self.db.read() as s:
            account = admin_repo.setting_value(s, SSH_ACCOUNT) or ""
            agent = tickets_repo.actor_by_login(s, agent_login)
        what = f"SSH --agent {agent_login}"
        if not account:
            self._refused(None, os_login, f"{what}: sin cuenta de servicio SSH", where)
            raise PermissionDenied(
                "Las sesiones SSH no están habilitadas: un administrador debe indicar la cuenta de servicio SSH "
                "(Administración → Parámetros)."
            )
        if os_login != account or not ssh_connection.strip():
            self._refused(None, os_login, f"{what}: no es la cuenta de servicio SSH bajo sshd", where)
            raise PermissionDenied(
                f"«mesa session» solo lo ejecuta sshd con la cuenta de servicio «{account}», "
                "por la llave registrada de cada agente: para entrar a la mesa use «mesa»."
            )
        if agent is None or agent.is_system or not agent.active:
            self._refused(
                agent if agent and not agent.is_system else None, agent_login, f"{what}: sin agente activo", where
            )
            raise UnknownLogin(f"El agente «{agent_login}» no existe o está inactivo: su llave ya no abre la mesa.")
        return agent

    def open_session(self, actor: ActorInfo, where: str, method: str, kind: str | None = None) -> ActorInfo:
        """Audit the start of an interactive session and register it; the actor as
        stored now, with its session's id. `kind` (terminal, ssh, navegador) is read
        from `where` when not given (domain.sessions.session_kind)."""

        def tx(s: Session) -> ActorInfo:
            return self._enter(s, current_actor(s, actor), method, where, self.now(), kind)

        return self.db.write(tx)

    def close_session(self, actor: ActorInfo, where: str, reason: str = "") -> None:
        """Audit the end of an interactive session and close its row (the agent may be
        deactivated by now; a session an administrator ended keeps that reason)."""

        def tx(s: Session) -> None:
            now = self.now()
            why = reason
            if actor.session_id is not None:
                row = sessions_repo.session(s, actor.session_id, for_update=True)
                if row is not None and row.ended_at is not None:
                    why = row.end_reason or why
                sessions_repo.end(s, actor.session_id, now, why or "salió", None)
            who = tickets_repo.actor_by_id(s, actor.id)
            if who is not None:
                who = replace(who, operator_id=actor.operator_id)
                self._event(s, who, "salir", _note(why, where), at=now)

        self.db.write(tx)

    # --- password accounts -------------------------------------------------------------

    def password_login(self, login: str, password: str, where: str = "") -> ActorInfo:
        """The agent whose password this is. Wrong, unknown and locked logins are refused
        with the same care (the time of a hash check each) and audited."""
        login = (login or "").strip()
        with self.db.read() as s:
            agent = tickets_repo.actor_by_login(s, login) if login else None
            stored = identity_repo.credential(s, agent.id).password_hash if agent else None
        method = "Directorio" if stored is None and self.directory is not None else "Contraseña"
        # The slow check (a hash, or the directory) runs outside the write transaction.
        if method == "Directorio" and agent is not None and agent.active and not agent.is_system:
            assert self.directory is not None
            good = self.directory.check(login, password)
        else:
            good = passwords.verify_password(stored, password)
        known = self._known(agent, method, where, WRONG_PASSWORD)

        def tx(s: Session) -> ActorInfo | _Refusal:
            now = self.now()
            cred = self._unlocked(s, known, now, method, where)
            if isinstance(cred, _Refusal):
                return cred
            if not good or cred.password_hash != stored:
                return self._failure(s, known, cred, now, method, where, WRONG_PASSWORD)
            fresh = cred.password_hash
            if fresh is not None and passwords.needs_rehash(fresh):
                fresh = passwords.hash_password(password)
            identity_repo.save_credential(s, known.id, replace(cred, failures=0, password_hash=fresh))
            return self._enter(s, known, method, where, now)

        return _outcome(self.db.write(tx))

    def enrol_password(self, login: str, code: str, password: str, where: str = "") -> ActorInfo:
        """Set the password of `login` with the enrolment code an administrator issued;
        the code is spent. Returns the agent (logged in: the session is audited)."""
        login = (login or "").strip()
        problem = password_problem(password or "", login)
        if problem:
            raise ValidationError("password", problem)
        new_hash = passwords.hash_password(password)
        with self.db.read() as s:
            agent = tickets_repo.actor_by_login(s, login) if login else None
        known = self._known(agent, "Código de activación", where, BAD_CODE)

        def tx(s: Session) -> ActorInfo | _Refusal:
            now = self.now()
            cred = self._unlocked(s, known, now, "Código de activación", where)
            if isinstance(cred, _Refusal):
                return cred
            expired = cred.enrol_expires_at is None or now >= cred.enrol_expires_at
            if expired or not passwords.code_matches(cred.enrol_code_hash, code or ""):
                return self._failure(s, known, cred, now, "Código de activación", where, BAD_CODE)
            identity_repo.save_credential(
                s,
                known.id,
                Credential(password_hash=new_hash, password_set_at=now),
            )
            write_event(
                s,
                actor_id=known.id,
                action="definir contraseña",
                at=now,
                note=_note("Código de activación", where),
                entity="agent",
                entity_key=str(known.id),
            )
            return self._enter(s, known, "Contraseña nueva", where, now)

        return _outcome(self.db.write(tx))

    # --- the first administrator -----------------------------------------------------

    def init_first_admin(self, login: str, full_name: str, where: str = "") -> AgentInfo:
        """Create the desk's first administrator, only while it has none (by the system actor)."""
        login, full_name = (login or "").strip(), (full_name or "").strip()
        raise_first(agent_problems(login, full_name, Role.ADMIN.value, 1))

        def tx(s: Session) -> AgentInfo:
            if identity_repo.admin_count(s) > 0:
                raise PermissionDenied(
                    "La mesa ya tiene administrador: los demás los crea un administrador desde Administración."
                )
            if tickets_repo.actor_by_login(s, login) is not None:
                raise ValidationError("login", f"El usuario «{login}» ya existe: un administrador debe cambiar su rol.")
            system = identity_repo.system_actor(s)
            group = tickets_repo.first_group_at_level(s, 1)
            group_id = group.id if group else None
            agent_id = admin_repo.create_agent(s, login, full_name, Role.ADMIN.value, 1, group_id)
            fields = {
                "login": login,
                "full_name": full_name,
                "role": Role.ADMIN.value,
                "level": 1,
                "group_id": group_id,
            }
            write_event(
                s,
                actor_id=system.id,
                action="crear",
                at=self.now(),
                changes={f: (None, v) for f, v in fields.items()},
                note=_note("Primer administrador", where),
                entity="agent",
                entity_key=str(agent_id),
            )
            return admin_repo.agent_info(s, agent_id)

        return self.db.write(tx)

    # --- internals -----------------------------------------------------------------

    def _enter(
        self, s: Session, who: ActorInfo, method: str, where: str, now: datetime, kind: str | None = None
    ) -> ActorInfo:
        """A session starts: its audit event and its row; `who` with the session's id."""
        self._event(s, who, "entrar", _note(method, where), at=now)
        session_kind_ = kind or session_kind(where).value
        session_id = sessions_repo.start(s, who.id, who.operator_id, session_kind_, method, where, now)
        return replace(who, session_id=session_id)

    def _known(self, agent: ActorInfo | None, method: str, where: str, message: str) -> ActorInfo:
        """The agent a login names, if it may log in at all; else the refusal (audited),
        worded as for a wrong password: nobody learns which logins exist."""
        if agent is None or agent.is_system or not agent.active:
            self._refused(agent if agent and not agent.is_system else None, UNKNOWN_KEY, method, where)
            raise LoginRefused(message)
        return agent

    def _unlocked(self, s: Session, agent: ActorInfo, now: datetime, method: str, where: str) -> Credential | _Refusal:
        """The agent's credential, locked for the transaction: a refusal while the
        account is locked (audited), the failure count started again once it is over."""
        cred = identity_repo.credential(s, agent.id, for_update=True)
        if cred.locked_at(now):
            assert cred.locked_until is not None
            self._event(s, agent, "rechazar", _note(f"{method} · cuenta bloqueada", where), at=now)
            return _Refusal(locked_message(cred.locked_until))
        if cred.locked_until is not None:
            cred = replace(cred, failures=0, locked_until=None)
        return cred

    def _failure(
        self, s: Session, agent: ActorInfo, cred: Credential, now: datetime, method: str, where: str, message: str
    ) -> _Refusal:
        """Count a failed attempt; the fifth in a row locks the account (audited)."""
        failures = cred.failures + 1
        if failures >= MAX_FAILURES:
            until = now + timedelta(minutes=LOCK_MINUTES)
            identity_repo.save_credential(s, agent.id, replace(cred, failures=failures, locked_until=until))
            self._event(s, agent, "bloquear", _note(f"{method} · {failures} intentos fallidos", where), at=now)
            return _Refusal(locked_message(until))
        identity_repo.save_credential(s, agent.id, replace(cred, failures=failures))
        self._event(s, agent, "rechazar", _note(method, where), at=now)
        return _Refusal(message)

    def _refused(self, agent: ActorInfo | None, key: str, what: str, where: str) -> None:
        """Audit a refused login. Best effort: a user who cannot write the database
        still gets the refusal itself."""

        def tx(s: Session) -> None:
            who = agent or identity_repo.system_actor(s)
            self._event(s, who, "rechazar", _note(what, where), at=self.now(), key=key if agent is None else None)

        with contextlib.suppress(StoreError):
            self.db.write(tx)

    @staticmethod
    def _event(s: Session, who: ActorInfo, action: str, note: str, at: datetime, key: str | None = None) -> None:
        write_event(
            s,
            actor_id=who.id,
            operator_id=who.operator_id,
            action=action,
            at=at,
            note=note,
            entity=SESSION,
            entity_key=(key if key is not None else who.login)[:40],
        )


def _note(what: str, where: str) -> str:
    return " · ".join(part for part in (what, where) if part)


def _outcome(result: ActorInfo | _Refusal) -> ActorInfo:
    if isinstance(result, _Refusal):
        raise LoginRefused(result.message)
    return result
