"""Agents: who works the desk, with which role, level and group (the groups are in
groups.py). Nobody is deleted: an agent with history is deactivated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from mesa_tui.domain.limits import AGENT_NAME, LOGIN
from mesa_tui.domain.priority import LEVELS
from mesa_tui.domain.staff import AgentInfo, GroupInfo
from mesa_tui.domain.vocab import Role
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, active_text, admin_list, counted, offered, selected
from mesa_tui.screens.admin.enrol import issue_code
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.screens.keys import KeysScreen
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import level_label
from mesa_tui.widgets.keyed_table import Column, Row
from mesa_tui.widgets.limited import LimitedInput
from mesa_tui.widgets.plain import plain, plain_options
from mesa_tui.widgets.search_box import SearchBox, matches

NO_GROUP = 0  # the Select value of "no group" (a Select value can't be None)


def open_tickets_text(count: int) -> str:
    return "ningún caso abierto" if count == 0 else ("1 caso abierto" if count == 1 else f"{count} casos abiertos")


# --- agents -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Staff:
    agents: list[AgentInfo]
    groups: list[GroupInfo]


class AgentsPanel(AdminPanel[_Staff]):
    TITLE = "los agentes"

    BINDINGS = [
        Binding("n", "new", "Nuevo", id="agents.new", tooltip="Crear un agente: usuario, nombre, rol, nivel y grupo"),
        Binding("e,enter", "edit", "Editar", id="agents.edit", tooltip="Editar el agente seleccionado"),
        Binding(
            "d",
            "deactivate",
            "Desactivar",
            id="agents.deactivate",
            tooltip="Desactivar el agente: ya no entra; sus casos quedan para reasignar",
        ),
        Binding("d", "activate", "Activar", id="agents.activate", tooltip="Volver a activar el agente"),
        Binding("c", "enrol", "Código", id="agents.enrol", tooltip="Emitir el código para definir la contraseña"),
        Binding("K", "keys", "Llaves", id="agents.keys", tooltip="Las llaves SSH del agente: con ellas entra por ssh"),
        Binding("slash", "search", "Buscar", id="agents.search", tooltip="Buscar por usuario, nombre o grupo"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agents: list[AgentInfo] = []
        self.groups: list[GroupInfo] = []

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-searchbar"):
            yield Static("/", classes="admin-search-key")
            yield SearchBox(placeholder="Buscar por usuario, nombre o grupo", id="agents-search")
            yield Static("", id="agents-summary", classes="admin-summary")
        yield admin_list(
            (
                Column("login", "Usuario", 14),
                Column("name", "Nombre", share=3),
                Column("role", "Rol", 13),
                Column("level", "Nivel", 23),
                Column("group", "Grupo", share=2),
                Column("open", "Abiertos", 8),
                Column("active", "Estado", 8),
            ),
            id="agents-table",
        )

    def fetch(self) -> _Staff:
        return _Staff(
            self.admin.agents(self.actor, include_inactive=True), self.admin.groups(self.actor, include_inactive=True)
        )

    def show_data(self, data: _Staff, keep: str | None) -> None:
        self.agents, self.groups = data.agents, data.groups
        self._show(keep)

    def _show(self, keep: str | None = None) -> None:
        query = self.query_one("#agents-search", SearchBox).value
        shown = [a for a in self.agents if matches(query, a.login, a.full_name, a.group_name, a.role_label)]
        self.table.show_rows(
            [
                Row(
                    str(a.id),
                    (
                        a.login,
                        a.full_name,
                        a.role_label,
                        a.level_label,
                        a.group_name or "—",
                        str(a.open_tickets),
                        active_text(a.active),
                    ),
                    dim=not a.active,
                )
                for a in shown
            ],
            keep,
        )
        active = sum(1 for a in self.agents if a.active)
        summary = f"{counted(len(self.agents), 'agente', 'agentes')} · {counted(active, 'activo', 'activos')}"
        if query.strip():
            summary = f"{len(shown)} de {summary}"
        self.query_one("#agents-summary", Static).update(plain(summary))

    def current(self) -> AgentInfo | None:
        key = self.table.current_key
        return next((a for a in self.agents if str(a.id) == key), None)

    @on(SearchBox.Changed, "#agents-search")
    def _searched(self) -> None:
        self._show()

    @on(SearchBox.Done, "#agents-search")
    def _search_done(self) -> None:
        self.table.focus()

    def action_search(self) -> None:
        self.query_one("#agents-search", SearchBox).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        agent = self.current() if self.is_mounted else None
        return offered(action, agent.active if agent else None)

    def action_new(self) -> None:
        self.when_read(self._new)

    def _new(self) -> None:
        dialog = AgentDialog(
            "Nuevo agente",
            None,
            self.groups,
            lambda v: self.admin.create_agent(
                self.actor, v["login"], v["full_name"], v["role"], v["level"], v["group_id"]
            ),
            confirm="Crear",
        )
        self.open_dialog(dialog, lambda a: f"Agente {a.login} creado: {a.full_name}", keep=lambda a: str(a.id))

    def action_edit(self) -> None:
        agent = self.current()
        if agent is None:
            return
        dialog = AgentDialog(
            f"Editar agente {agent.login}",
            agent,
            self.groups,
            lambda v: self.admin.update_agent(
                self.actor, agent.id, v["login"], v["full_name"], v["role"], v["level"], v["group_id"]
            ),
        )
        self.open_dialog(
            dialog,
            lambda a: f"Agente {a.login} sin cambios" if a == agent else f"Agente {a.login} guardado",
            keep=lambda a: str(a.id),
        )

    def action_enrol(self) -> None:
        agent = self.current()
        if agent is not None and agent.active:
            issue_code(self, agent)

    def action_keys(self) -> None:
        agent = self.current()
        if agent is not None:
            self.app.push_screen(KeysScreen(self.ctx, agent.id, agent.full_name))

    def action_deactivate(self) -> None:
        self._set_active(False)

    def action_activate(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        agent = self.current()
        if agent is None or agent.active == active:
            return
        who = f"{agent.full_name} ({agent.login})"
        if active:
            dialog = ConfirmDialog(
                f"Activar {agent.login}",
                f"{who}\n\nPodrá volver a entrar a la mesa de ayuda y recibir casos.",
                lambda v: self.admin.set_agent_active(self.actor, agent.id, True),
                confirm="Activar",
            )
            self.open_dialog(dialog, lambda a: f"Agente {a.login} activado", keep=lambda a: str(a.id))
            return
        question = f"{who}\n\nNo podrá volver a entrar. El agente no se borra: su historial queda."
        if agent.open_tickets:
            question += f"\nTiene {open_tickets_text(agent.open_tickets)}: siguen a su nombre hasta que un supervisor los reasigne."
        dialog = ConfirmDialog(
            f"Desactivar {agent.login}",
            question,
            lambda v: self.admin.set_agent_active(self.actor, agent.id, False),
            confirm="Desactivar",
        )

        def done(a: AgentInfo) -> str:
            if a.open_tickets:
                return f"Agente {a.login} desactivado: {open_tickets_text(a.open_tickets)} por reasignar"
            return f"Agente {a.login} desactivado"

        self.open_dialog(dialog, done, keep=lambda a: str(a.id))


class AgentDialog(AdminForm[AgentInfo]):
    def __init__(
        self,
        title: str,
        agent: AgentInfo | None,
        groups: list[GroupInfo],
        run: Callable[[dict[str, Any]], AgentInfo],
        confirm: str = "Guardar",
    ) -> None:
        super().__init__(title, run, confirm=confirm)
        self.agent = agent
        self.groups = groups

    def fields(self) -> ComposeResult:
        a = self.agent
        # Inactive groups take no one new, but an agent already in one keeps it on screen.
        groups = [g for g in self.groups if g.active or (a is not None and g.id == a.group_id)]
        with Horizontal(classes="field-row"):
            yield FormField(
                "Usuario (login)",
                LimitedInput(
                    a.login if a else "", placeholder="p. ej. mgomez", id="input-login", compact=True, limit=LOGIN
                ),
                "login",
                hint="El usuario del equipo con el que entra.",
            )
            yield FormField(
                "Nombre completo",
                LimitedInput(
                    a.full_name if a else "",
                    placeholder="p. ej. María Gómez Salas",
                    id="input-full_name",
                    compact=True,
                    limit=AGENT_NAME,
                ),
                "full_name",
            )
        with Horizontal(classes="field-row"):
            yield FormField(
                "Rol",
                Select(
                    [(r.label, r.value) for r in Role],
                    allow_blank=False,
                    value=a.role if a else Role.AGENT.value,
                    id="input-role",
                    compact=True,
                ),
                "role",
            )
            yield FormField(
                "Grupo",
                Select(
                    plain_options([("Sin grupo", NO_GROUP), *((f"{g.name} (nivel {g.level})", g.id) for g in groups)]),
                    allow_blank=False,
                    value=(a.group_id or NO_GROUP) if a else (groups[0].id if groups else NO_GROUP),
                    id="input-group_id",
                    compact=True,
                ),
                "group_id",
            )
            yield FormField(
                "Nivel de soporte",
                Select(
                    [(level_label(n), n) for n in LEVELS],
                    allow_blank=False,
                    value=a.level if a else 1,
                    id="input-level",
                    compact=True,
                ),
                "level",
            )

    @on(Select.Changed, "#input-group_id")
    def _group_changed(self, event: Select.Changed) -> None:
        # An agent usually works at the level of their group: follow it (it can still be changed).
        group = next((g for g in self.groups if g.id == event.value), None)
        if group is not None and (self.agent is None or group.id != self.agent.group_id):
            self.query_one("#input-level", Select).value = group.level

    def values(self) -> dict[str, Any]:
        group = selected(self.query_one("#input-group_id", Select))
        return {
            "login": self.query_one("#input-login", Input).value,
            "full_name": self.query_one("#input-full_name", Input).value,
            "role": selected(self.query_one("#input-role", Select)),
            "level": selected(self.query_one("#input-level", Select)),
            "group_id": group or None,
        }
