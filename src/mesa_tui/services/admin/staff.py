"""Agents and support groups: create, change, activate and deactivate (never delete)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from mesa_tui.domain.passwords import CODE_HOURS, format_code
from mesa_tui.domain.staff import AgentInfo, Group, GroupInfo, agent_problems, group_problems
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import Role
from mesa_tui.services import passwords
from mesa_tui.services.admin.base import AdminBase, diff
from mesa_tui.services.checks import raise_first
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.services.ssh_keys import SshKeys
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import identity_repo, tickets_repo
from mesa_tui.store.engine import Session

_STAFF = "administrar agentes y grupos"


class StaffAdmin(AdminBase):
    """Agents and support groups."""

    def agents(self, actor: ActorInfo, include_inactive: bool = False) -> list[AgentInfo]:
        with self._reading(actor) as s:
            return repo.agents(s, include_inactive)

    def create_agent(
        self, actor: ActorInfo, login: str, full_name: str, role: str, level: int, group_id: int | None
    ) -> AgentInfo:
        self._require_admin(actor, _STAFF)
        login, full_name = (login or "").strip(), (full_name or "").strip()
        raise_first(agent_problems(login, full_name, role, level))

        def tx(s: Session, who: ActorInfo, now: datetime) -> AgentInfo:
            _login_free(s, login)
            _usable_group(s, group_id)
            agent_id = repo.create_agent(s, login, full_name, role, level, group_id)
            fields = {"login": login, "full_name": full_name, "role": role, "level": level, "group_id": group_id}
            self._event(s, who, now, "agent", str(agent_id), "crear", {f: (None, v) for f, v in fields.items()})
            return repo.agent_info(s, agent_id)

        return self._write(actor, _STAFF, tx)

    def update_agent(
        self,
        actor: ActorInfo,
        agent_id: int,
        login: str,
        full_name: str,
        role: str,
        level: int,
        group_id: int | None,
    ) -> AgentInfo:
        self._require_admin(actor, _STAFF)
        login, full_name = (login or "").strip(), (full_name or "").strip()
        raise_first(agent_problems(login, full_name, role, level))

        def tx(s: Session, who: ActorInfo, now: datetime) -> AgentInfo:
            agent = _agent(s, agent_id)
            if login != agent.login:
                _login_free(s, login)
            if group_id != agent.group_id:
                _usable_group(s, group_id)
            if agent.role == Role.ADMIN and role != Role.ADMIN and agent.active:
                _not_last_admin(s, agent, "role")
            new = {"login": login, "full_name": full_name, "role": role, "level": level, "group_id": group_id}
            changes = diff({f: getattr(agent, f) for f in new}, new)
            if changes:
                repo.save_agent(
                    s, replace(agent, login=login, full_name=full_name, role=role, level=level, group_id=group_id)
                )
                self._event(s, who, now, "agent", str(agent.id), "modificar", changes)
            return repo.agent_info(s, agent.id)

        return self._write(actor, _STAFF, tx)

    def set_agent_active(self, actor: ActorInfo, agent_id: int, active: bool) -> AgentInfo:
        """Agents are never deleted (their tickets and events name them). A deactivated agent
        can no longer log in; their open tickets stay assigned (`open_tickets` says how many)
        for a supervisor to reassign. authorized_keys is rewritten (services/ssh_keys.py)."""
        self._require_admin(actor, _STAFF)
        changed = False

        def tx(s: Session, who: ActorInfo, now: datetime) -> AgentInfo:
            nonlocal changed
            agent = _agent(s, agent_id)
            changed = agent.active != active
            if changed:
                if not active:
                    if agent.id == who.id:
                        raise ValidationError("active", "No puede desactivar su propio usuario.")
                    if agent.role == Role.ADMIN:
                        _not_last_admin(s, agent, "active")
                action = "activar" if active else "desactivar"
                self._event(s, who, now, "agent", str(agent.id), action, {"active": (agent.active, active)})
                repo.save_agent(s, replace(agent, active=active))
            return repo.agent_info(s, agent.id)

        info = self._write(actor, _STAFF, tx)
        if changed:
            # Their keys leave (or come back to) authorized_keys. Best effort: should the
            # file not be writable here, `mesa session` refuses an inactive agent anyway.
            SshKeys(self.db, self.now).publish(actor)
        return info

    def issue_enrolment_code(self, actor: ActorInfo, login: str) -> str:
        """A one-time code with which the agent `login` sets their password (valid
        CODE_HOURS hours; it also lifts a lockout). The code is returned once, for the
        administrator to hand over, and only its hash is kept; the event records when it
        expires, never the code."""
        self._require_admin(actor, _STAFF)
        raw = passwords.new_code()

        def tx(s: Session, who: ActorInfo, now: datetime) -> str:
            agent = tickets_repo.actor_by_login(s, (login or "").strip())
            if agent is None or agent.is_system:
                raise NotFound(f"No existe el agente «{login}».")
            if not agent.active:
                raise ValidationError("login", f"{agent.full_name} está inactivo: actívelo antes de emitir el código.")
            expires = now + timedelta(hours=CODE_HOURS)
            cred = identity_repo.credential(s, agent.id, for_update=True)
            code = replace(cred, enrol_code_hash=passwords.code_hash(raw), enrol_expires_at=expires)
            identity_repo.save_credential(s, agent.id, replace(code, failures=0, locked_until=None))
            changes = {"codigo_vence": (None, expires)}
            self._event(s, who, now, "agent", str(agent.id), "emitir código", changes, "Código de activación")
            return format_code(raw)

        return self._write(actor, _STAFF, tx)

    def groups(self, actor: ActorInfo, include_inactive: bool = True) -> list[GroupInfo]:
        with self._reading(actor) as s:
            return repo.groups(s, include_inactive)

    def create_group(self, actor: ActorInfo, name: str, level: int) -> GroupInfo:
        self._require_admin(actor, _STAFF)
        name = (name or "").strip()
        raise_first(group_problems(name, level))

        def tx(s: Session, who: ActorInfo, now: datetime) -> GroupInfo:
            _group_name_free(s, name)
            group_id = repo.create_group(s, name, level)
            self._event(s, who, now, "group", str(group_id), "crear", {"name": (None, name), "level": (None, level)})
            return repo.group_info(s, group_id)

        return self._write(actor, _STAFF, tx)

    def update_group(self, actor: ActorInfo, group_id: int, name: str, level: int) -> GroupInfo:
        self._require_admin(actor, _STAFF)
        name = (name or "").strip()
        raise_first(group_problems(name, level))

        def tx(s: Session, who: ActorInfo, now: datetime) -> GroupInfo:
            group = _group(s, group_id)
            _group_name_free(s, name, except_id=group.id)
            if group.active and group.level == 1 and level != 1:
                _not_last_first_level(s, group, "level")
            changes = diff({"name": group.name, "level": group.level}, {"name": name, "level": level})
            if changes:
                repo.save_group(s, replace(group, name=name, level=level))
                self._event(s, who, now, "group", str(group.id), "modificar", changes)
            return repo.group_info(s, group.id)

        return self._write(actor, _STAFF, tx)

    def set_group_active(self, actor: ActorInfo, group_id: int, active: bool) -> GroupInfo:
        """An inactive group receives no new tickets or escalations; its agents and open
        tickets stay where they are."""
        self._require_admin(actor, _STAFF)

        def tx(s: Session, who: ActorInfo, now: datetime) -> GroupInfo:
            group = _group(s, group_id)
            if group.active != active:
                if not active and group.level == 1:
                    _not_last_first_level(s, group, "active")
                action = "activar" if active else "desactivar"
                self._event(s, who, now, "group", str(group.id), action, {"active": (group.active, active)})
                repo.save_group(s, replace(group, active=active))
            return repo.group_info(s, group.id)

        return self._write(actor, _STAFF, tx)


def _agent(s: Session, agent_id: int) -> ActorInfo:
    agent = tickets_repo.actor_by_id(s, agent_id)
    if agent is None or agent.is_system:  # the desk's own actor is not staff to edit
        raise NotFound(f"No existe el agente {agent_id}.")
    return agent


def _login_free(s: Session, login: str) -> None:
    taken = tickets_repo.actor_by_login(s, login)
    if taken is not None:
        raise ValidationError("login", f"El usuario «{login}» ya existe: {taken.full_name}.")


def _usable_group(s: Session, group_id: int | None) -> None:
    if group_id is None:
        return
    group = tickets_repo.group_by_id(s, group_id)
    if group is None or not group.active:
        raise ValidationError("group_id", "El grupo elegido no existe o está inactivo.")


def _not_last_admin(s: Session, agent: ActorInfo, field: str) -> None:
    if repo.other_active_admins(s, agent.id) == 0:
        raise ValidationError(
            field, f"{agent.full_name} es el único administrador activo: nombre otro administrador antes."
        )


def _group(s: Session, group_id: int) -> Group:
    group = tickets_repo.group_by_id(s, group_id)
    if group is None:
        raise NotFound(f"No existe el grupo {group_id}.")
    return group


def _group_name_free(s: Session, name: str, except_id: int | None = None) -> None:
    clash = repo.group_name_clash(s, name, except_id)
    if clash:
        raise ValidationError("name", f"Ya existe el grupo «{clash}».")


def _not_last_first_level(s: Session, group: Group, field: str) -> None:
    if repo.other_active_groups_at_level(s, 1, group.id) == 0:
        raise ValidationError(
            field, f"«{group.name}» es el único grupo activo de nivel 1: los casos nuevos llegan a él."
        )
