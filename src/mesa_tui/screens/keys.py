"""SSH public keys of one agent: "Mis llaves" (key K on any screen of the desk) for
one's own, and key K in Administración → Agentes for an administrator.

A key registered here opens the desk with `ssh cuenta@servidor` as its agent (the
service account's authorized_keys is rewritten with each change). The list shows
the fingerprint, as `ssh-keygen -l -f llave.pub` prints it, so the agent can tell
their keys apart.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from mesa_tui.domain.calendar import BOGOTA
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.ssh_keys import KEY_TEXT_LIMIT, SshKeyInfo
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.dialogs import ConfirmDialog, OneFieldDialog, Outcome
from mesa_tui.screens.loading import Loader
from mesa_tui.services.ssh_keys import KeyChange, SshKeys
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row
from mesa_tui.widgets.plain import plain

HOW_TO = (
    "Cree su llave en su equipo con «ssh-keygen -t ed25519» (Windows: PowerShell o Windows Terminal) "
    "y pegue aquí el contenido del archivo .pub. Luego entre con «ssh cuenta@servidor»."
)


class KeysScreen(ModalScreen[None]):
    """The keys of `agent_id` (the acting agent's own when None)."""

    BINDINGS = [
        Binding("n", "add", "Agregar", id="keys.add", tooltip="Agregar una llave pública (el contenido del .pub)"),
        Binding("d,delete", "remove", "Quitar", id="keys.remove", tooltip="Quitar la llave seleccionada"),
        Binding("escape,q", "close", "Cerrar", id="keys.close", tooltip="Cerrar la lista de llaves"),
    ]

    def __init__(self, ctx: DeskContext, agent_id: int | None = None, agent_name: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.agent_id = agent_id
        self.agent_name = agent_name or ctx.actor.full_name
        self.service = SshKeys(ctx.desk.db, now=ctx.now)
        self.keys: list[SshKeyInfo] = []
        self._reader: Loader[list[SshKeyInfo]] = Loader(self, "keys-read", self._failed)

    @property
    def own(self) -> bool:
        return self.agent_id is None or self.agent_id == self.ctx.actor.id

    def compose(self) -> ComposeResult:
        title = "Mis llaves SSH" if self.own else f"Llaves SSH de {self.agent_name}"
        with Vertical(id="keys-box"):
            yield Label(plain(title), id="keys-title")
            yield Static(plain(HOW_TO), id="keys-intro")
            yield KeyedTable(
                (
                    Column("type", "Tipo", 19),
                    Column("fingerprint", "Huella (SHA256)", 51),
                    Column("comment", "Comentario"),
                    Column("added", "Agregada", 10),
                ),
                moves="admin",
                id="keys-table",
            )
            yield Static("", id="keys-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#keys-table", KeyedTable).focus()

    def reload(self, keep: str | None = None) -> None:
        self._reader.load(lambda: self.service.keys(self.ctx.actor, self.agent_id), lambda k: self._show(k, keep))

    def _show(self, keys: list[SshKeyInfo], keep: str | None) -> None:
        self.keys = keys
        table = self.query_one("#keys-table", KeyedTable)
        table.show_rows(
            [
                Row(
                    str(k.id),
                    (k.key_type, k.fingerprint, k.comment or "—", f"{k.added_at.astimezone(BOGOTA):%Y-%m-%d}"),
                )
                for k in keys
            ],
            keep,
        )
        count = len(keys)
        status = (
            "Sin llaves: pulse n para agregar una." if not count else ("1 llave" if count == 1 else f"{count} llaves")
        )
        self.query_one("#keys-status", Static).update(plain(status))
        self.refresh_bindings()

    def _failed(self, error: DeskError) -> None:
        self.notify(error.message, title="No se pudo", severity="error", timeout=8, markup=False)

    def current(self) -> SshKeyInfo | None:
        key = self.query_one("#keys-table", KeyedTable).current_key
        return next((k for k in self.keys if str(k.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return self.is_mounted and self.current() is not None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        dialog: OneFieldDialog[KeyChange] = OneFieldDialog(
            "Agregar llave SSH",
            "Llave pública",
            lambda v: self.service.add_key(self.ctx.actor, self.agent_id, v["key"]),
            field="key",
            confirm="Agregar",
            intro="Pegue una línea como «ssh-ed25519 AAAA… usuario@equipo» (el archivo .pub, nunca la llave privada).",
            limit=KEY_TEXT_LIMIT,
        )
        self.app.push_screen(dialog, lambda o: self._changed(o, "Llave agregada"))

    def action_remove(self) -> None:
        key = self.current()
        if key is None:
            return
        dialog: ConfirmDialog[KeyChange] = ConfirmDialog(
            "Quitar llave SSH",
            f"{key.key_type} {key.fingerprint}\n{key.comment}\n\nEsa llave dejará de abrir la mesa de ayuda.",
            lambda v: self.service.remove_key(self.ctx.actor, key.id),
            confirm="Quitar",
        )
        self.app.push_screen(dialog, lambda o: self._changed(o, "Llave quitada"))

    def _changed(self, outcome: Outcome[KeyChange] | None, done: str) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            self._failed(outcome.error)
            self.reload()
            return
        change = outcome.info
        self.notify(f"{done}: {change.key.fingerprint}", title="Hecho", markup=False)
        if change.published.problem:
            self.notify(
                f"authorized_keys no se actualizó: {change.published.problem}",
                title="Atención",
                severity="warning",
                timeout=12,
                markup=False,
            )
        self.reload(str(change.key.id))
