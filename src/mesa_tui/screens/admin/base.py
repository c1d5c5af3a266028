"""What the administration panels share: reading their list in a worker, running
a dialog against the `Admin` use cases and saying what happened.

Each panel is one area of the admin screen (catalog, SLA policies, ...). It owns
its keys (they apply while the focus is inside it) and reads its data with a
Loader (screens/loading.py), showing it once it arrives. Forms are the agent
screens' `ActionDialog`s: the dialog runs the use case itself, shows a
`ValidationError` next to its field and stays open with what was typed; any
other refusal closes it and the panel says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.widgets import Select

from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.dialogs import ActionDialog, Outcome
from mesa_tui.screens.loading import Loader
from mesa_tui.services.admin import Admin
from mesa_tui.widgets.keyed_table import Column, KeyedTable

D = TypeVar("D")  # what a panel reads
R = TypeVar("R")  # what a form's use case returns


def admin_list(columns: Sequence[Column], **kwargs: Any) -> KeyedTable:
    """A list of the admin screen, with its moving keys (ids admin.*)."""
    return KeyedTable(columns, moves="admin", min_flex=8, **kwargs)


def selected(select: Select[Any]) -> Any:
    """A Select's value, None while it is blank."""
    value = select.value
    return None if value is Select.NULL else value


def whole_number(text: str) -> int | None:
    """A whole number typed by a person ("1.200" and " 30 " too), None if it is not one."""
    cleaned = text.strip().replace(".", "").replace(" ", "")
    if cleaned.lstrip("-").isdigit():
        return int(cleaned)
    return None


def counted(count: int, singular: str, plural: str) -> str:
    """ "1 servicio", "3 servicios"."""
    return f"{count} {singular if count == 1 else plural}"


def active_text(active: bool) -> Text:
    return Text("Activo", style="green") if active else Text("Inactivo", style="yellow")


def offered(action: str, active: bool | None) -> bool:
    """Whether a verb of a list whose entries are deactivated, never deleted, applies
    to the entry under the cursor (`active` is None when there is none)."""
    if action == "edit":
        return active is not None
    if action == "deactivate":
        return active is True
    if action == "activate":
        return active is False
    return True


def tickets_moved(count: int) -> str:
    if count == 0:
        return "ningún caso abierto cambió de vencimiento"
    if count == 1:
        return "se recalculó el vencimiento de 1 caso abierto"
    return f"se recalcularon los vencimientos de {count} casos abiertos"


class AdminForm(ActionDialog[R]):
    """An admin form: an ActionDialog a little wider, for the longer admin records."""

    def __init__(
        self, title: str, run: Callable[[dict[str, Any]], R], confirm: str = "Guardar", intro: str = ""
    ) -> None:
        super().__init__(title, run, confirm=confirm, intro=intro)
        self.add_class("admin-form")


class AdminPanel(Vertical, Generic[D]):
    """One area of the admin screen: a list read from the `Admin` use cases and its keys."""

    TITLE = ""  # what it lists, for messages: "el catálogo de servicios"

    def __init__(self, ctx: DeskContext, admin: Admin, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self.admin = admin
        self._keep: str | None = None  # the row to put the cursor on once the read arrives
        self._waiting: list[Callable[[], None]] = []
        self._reader: Loader[D] = Loader(self, "admin-read", self._read_failed)

    @property
    def actor(self) -> ActorInfo:
        return self.ctx.actor

    @property
    def table(self) -> KeyedTable:
        """The panel's main list: what gets the focus when the panel is shown."""
        return self.query(KeyedTable).first()

    def activate(self) -> None:
        """The panel was brought to the front: read it again (another tab may have changed
        what its forms offer, such as categories or groups) and focus its list."""
        self.reload()
        self.table.focus()

    # --- reading -------------------------------------------------------------------

    def fetch(self) -> D:
        """Read what the panel shows (runs in a worker thread: no widgets here)."""
        raise NotImplementedError

    def show_data(self, data: D, keep: str | None) -> None:
        """Show what `fetch` read, with the cursor on `keep` when it is given."""
        raise NotImplementedError

    def reload(self, keep: str | None = None) -> None:
        # Kept aside, not handed to the read: a newer read may supersede this one.
        if keep is not None:
            self._keep = keep
        self._reader.load(self.fetch, self._read)

    def _read(self, data: D) -> None:
        keep, self._keep = self._keep, None
        self.show_data(data, keep)
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()
        self.screen.refresh_bindings()

    def _read_failed(self, error: DeskError) -> None:
        self._waiting.clear()
        self.notify(
            f"No se pudo leer {self.TITLE}: {error.message}", title="Error", severity="error", timeout=10, markup=False
        )

    def when_read(self, then: Callable[[], None]) -> None:
        """Run `then` now, or once the read under way is on screen: a key pressed right
        after opening the tab must not build a form from empty or stale lists."""
        if self._reader.fresh:
            then()
        else:
            self._waiting.append(then)

    # --- changing --------------------------------------------------------------------

    def open_dialog(
        self,
        dialog: ActionDialog[R],
        done: Callable[[R], str],
        keep: Callable[[R], str | None] | None = None,
    ) -> None:
        """Push `dialog`; on success say `done(result)` and reload with the cursor on `keep(result)`."""

        def finished(outcome: Outcome[R] | None) -> None:
            if outcome is None:
                return
            if outcome.error is not None:
                self.refused(outcome.error)
                self.reload()
                return
            # The agent screens keep the catalog, staff and matrix in memory: read them again.
            self.ctx.reference = None
            self.notify(done(outcome.info), title="Hecho", markup=False)
            self.reload(keep(outcome.info) if keep else None)

        self.app.push_screen(dialog, finished)

    def refused(self, error: DeskError) -> None:
        self.notify(error.message, title="No se pudo", severity="error", timeout=8, markup=False)

    @on(KeyedTable.RowHighlighted)
    @on(KeyedTable.CellHighlighted)
    def _moved(self) -> None:
        # Which verbs apply (activar or desactivar, eliminar) depends on the row.
        self.screen.refresh_bindings()
