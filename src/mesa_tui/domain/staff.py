"""Agents and support groups as the administrator edits them, and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mesa_tui.domain.limits import AGENT_NAME, GROUP_NAME, LOGIN
from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.tickets import text_problem
from mesa_tui.domain.vocab import LEVEL_LABELS, Role

LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")


@dataclass(frozen=True)
class AgentInfo:
    id: int
    login: str
    full_name: str
    role: str
    level: int
    group_id: int | None
    group_name: str
    active: bool
    open_tickets: int  # open tickets assigned to the agent

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, str(self.level))


@dataclass(frozen=True)
class Group:
    """A support group as tickets are routed to it."""

    id: int
    name: str
    level: int
    active: bool


@dataclass(frozen=True)
class GroupInfo:
    id: int
    name: str
    level: int
    active: bool
    agents: int  # active agents in the group
    open_tickets: int

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, str(self.level))


def level_problem(level: object) -> str | None:
    if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
        return f"El nivel de soporte debe ser 1, 2 o 3 (recibido: {level!r})."
    return None


def agent_problems(login: str, full_name: str, role: str, level: object) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    login = (login or "").strip()
    if not login:
        problems.append(("login", "El usuario (login) es obligatorio."))
    elif len(login) > LOGIN:
        problems.append(("login", f"El usuario (login) admite hasta {LOGIN} caracteres."))
    elif not LOGIN_RE.match(login):
        problems.append(
            ("login", "El usuario (login) solo admite letras sin tilde, números, punto, guion y guion bajo.")
        )
    name = text_problem(full_name, "El nombre", AGENT_NAME)
    if name:
        problems.append(("full_name", name))
    if role not in {r.value for r in Role}:
        problems.append(("role", f"El rol «{role}» no es válido (use: agent, supervisor o admin)."))
    level_p = level_problem(level)
    if level_p:
        problems.append(("level", level_p))
    return problems


def group_problems(name: str, level: object) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    name_p = text_problem(name, "El nombre del grupo", GROUP_NAME)
    if name_p:
        problems.append(("name", name_p))
    level_p = level_problem(level)
    if level_p:
        problems.append(("level", level_p))
    return problems
