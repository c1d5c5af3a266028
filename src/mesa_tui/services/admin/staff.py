"""Agents and support groups: create, change, activate and deactivate (never delete)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from mesa_tui.domain.staff import AgentInfo, Group, GroupInfo, agent_problems, group_problems
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import Role
from mesa_tui.services.admin.base import AdminBase, diff, require_admin
from mesa_tui.services.checks import raise_first
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import tickets_repo
from mesa_tui.store.engine import Session

_STAFF = "administrar agentes y grupos"


class StaffAdmin(AdminBase):
    """Agents and support groups."""

    def agents(self, include_inactive: bool = False) -> list[AgentInfo]:
        with self.db.read() as s:
            return repo.agents(s, include_inactive)

    def create_agent(
        self, actor: ActorInfo, login: str, full_name: str, role: str, level: int, group_id: int | None
    ) -> AgentInfo:
        require_admin(actor, _STAFF)
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
        require_admin(actor, _STAFF)
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
        for a supervisor to reassign."""
        require_admin(actor, _STAFF)

        def tx(s: Session, who: ActorInfo, now: datetime) -> AgentInfo:
            agent = _agent(s, agent_id)
            if agent.active != active:
                if not active:
                    if agent.id == who.id:
                        raise ValidationError("active", "No puede desactivar su propio usuario.")
                    if agent.role == Role.ADMIN:
                        _not_last_admin(s, agent, "active")
                action = "activar" if active else "desactivar"
                self._event(s, who, now, "agent", str(agent.id), action, {"active": (agent.active, active)})
                repo.save_agent(s, replace(agent, active=active))
            return repo.agent_info(s, agent.id)

        return self._write(actor, _STAFF, tx)

    def groups(self, include_inactive: bool = True) -> list[GroupInfo]:
        with self.db.read() as s:
            return repo.groups(s, include_inactive)

    def create_group(self, actor: ActorInfo, name: str, level: int) -> GroupInfo:
        require_admin(actor, _STAFF)
        name = (name or "").strip()
        raise_first(group_problems(name, level))

        def tx(s: Session, who: ActorInfo, now: datetime) -> GroupInfo:
            _group_name_free(s, name)
            group_id = repo.create_group(s, name, level)
            self._event(s, who, now, "group", str(group_id), "crear", {"name": (None, name), "level": (None, level)})
            return repo.group_info(s, group_id)

        return self._write(actor, _STAFF, tx)

    def update_group(self, actor: ActorInfo, group_id: int, name: str, level: int) -> GroupInfo:
        require_admin(actor, _STAFF)
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
        require_admin(actor, _STAFF)

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
    if agent is None:
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
