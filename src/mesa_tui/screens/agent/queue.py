"""The queue (cola): the agents' day. One page of tickets at a time, read in a
thread worker; the table keeps its cursor across refreshes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static, Tab, Tabs

from mesa_tui.domain.changes import TicketChange
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.limits import SEARCH
from mesa_tui.domain.queue import (
    PageDirection,
    PageRequest,
    QueueCount,
    QueuePage,
    QueueQuery,
    QueueRow,
    QueueView,
    SlaView,
    SortKey,
)
from mesa_tui.domain.tickets import TicketInfo
from mesa_tui.domain.vocab import Role
from mesa_tui.screens.agent.actions import TicketActions, TicketKeys
from mesa_tui.screens.agent.new_ticket import NewTicketScreen
from mesa_tui.screens.agent.pickers import FilterDialog, SortDialog
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.loading import Loader, Pager
from mesa_tui.widgets.format import local
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.limited import LimitedInput
from mesa_tui.widgets.plain import plain
from mesa_tui.widgets.ticket_table import TicketTable

REFRESH_SECONDS = 30
_CHROME = 6  # lines around the table: top bar, tabs, search, status and footer
_VIEW_KEYS = ("1", "2", "3", "4")


class ViewTabs(Tabs, can_focus=False):
    """The four queues; switched with 1-4 (the table keeps the focus)."""


def _slas(ref: Reference, page: QueuePage, now: datetime) -> dict[int, SlaView]:
    return {row.id: ref.sla.of(row, now) for row in page.rows}


class FilterInput(LimitedInput):
    BINDINGS = [
        Binding(
            "down,enter",
            "done",
            "Ir a la lista",
            show=False,
            id="queue.filter_done",
            tooltip="Volver a la lista con el filtro puesto",
        ),
    ]

    class Done(Message):
        pass

    def action_done(self) -> None:
        self.post_message(self.Done())


@dataclass(frozen=True)
class _Page:
    query: QueueQuery
    page: QueuePage
    slas: dict[int, SlaView] | None  # None until the calendars are ready
    loaded_at: datetime


@dataclass(frozen=True)
class _Slas:
    """The SLA column of the page just read, once the calendars are built."""

    slas: dict[int, SlaView]


class QueueScreen(MesaScreen[None], TicketKeys):
    HELP_TITLE = "Cola de casos"

    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Buscar",
            show=False,
            id="queue.filter",
            tooltip="Filtrar por código, asunto o solicitante",
        ),
        Binding(
            "f",
            "filters",
            "Filtros",
            show=False,
            id="queue.filters",
            tooltip="Filtrar por estado, prioridad, servicio o nivel",
        ),
        Binding(
            "s", "sort", "Orden", show=False, id="queue.sort", tooltip="Elegir la columna por la que se ordena la cola"
        ),
        Binding("S", "reverse", "Invertir", show=False, id="queue.reverse", tooltip="Invertir el sentido del orden"),
        Binding("n", "new_ticket", "Nuevo", show=False, id="queue.new", tooltip="Registrar un caso nuevo"),
        Binding(
            "R",
            "refresh",
            "Actualizar",
            show=False,
            id="queue.refresh",
            tooltip="Volver a leer la cola (se actualiza sola cada 30 s)",
        ),
        Binding("1", "view('mine')", "Mis casos", show=False, id="queue.view_mine", tooltip="Casos a mi cargo"),
        Binding(
            "2", "view('unassigned')", "Sin asignar", show=False, id="queue.view_unassigned", tooltip="Casos sin agente"
        ),
        Binding(
            "3", "view('group')", "Mi grupo", show=False, id="queue.view_group", tooltip="Casos de mi grupo de soporte"
        ),
        Binding("4", "view('open')", "Abiertos", show=False, id="queue.view_open", tooltip="Todos los casos abiertos"),
        Binding(
            "escape", "back_out", "Quitar filtros", id="queue.clear", tooltip="Quitar el texto y los filtros de la cola"
        ),
        Binding("q", "quit", "Salir", show=False, id="queue.quit", tooltip="Salir de la mesa de ayuda"),
    ]

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        view = QueueView.MINE if ctx.actor.role == Role.AGENT else QueueView.OPEN
        self.query_state = QueueQuery(view=view)
        self.shown_query: QueueQuery | None = None  # the query the rows on screen answer
        self.count: QueueCount | None = None
        self.loaded_at: datetime | None = None
        self._count_wanted = False  # a refresh asked for the count again
        self.pager: Pager[QueuePage] = Pager(lambda: self.table, self._read_page, self._total)
        self._pages: Loader[_Page | _Slas | QueueCount] = Loader(self, "queue-page", self._page_failed)
        self.ticket_actions = TicketActions(self, self.current_ticket, self.after_action)

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.title_line("Cola de casos"), id="topbar")
        yield ViewTabs(
            *(
                Tab(f"{key} {view.label}", id=f"view-{view.value}")
                for key, view in zip(_VIEW_KEYS, QueueView, strict=True)
            ),
            id="views",
        )
        with Horizontal(id="filter-bar"):
            yield Static("/", id="filter-key")
            yield FilterInput(
                placeholder="Buscar por código, asunto o solicitante", id="filter-text", limit=SEARCH, label="Búsqueda"
            )
            yield Static("", id="filter-summary")
        yield TicketTable(id="queue-table")
        yield Static("", id="queue-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ViewTabs).active = f"view-{self.query_state.view.value}"
        self.query_one(TicketTable).focus()
        self.set_interval(REFRESH_SECONDS, self._periodic_refresh)
        # Read before the first layout (from the terminal size) so the query
        # overlaps the first paint; a resize later corrects the page size.
        self.pager.fit(_CHROME)
        self.pager.load(PageDirection.FIRST)

    @property
    def table(self) -> TicketTable:
        return self.query_one(TicketTable)

    @property
    def page(self) -> QueuePage | None:
        return self.pager.page

    def on_resize(self) -> None:
        if not self.pager.size:
            return
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        table = self.table
        table.fit_width(table.size.width)
        if self.pager.fit(_CHROME):
            self.refresh_queue()

    # --- loading --------------------------------------------------------------------

    def _read_page(self, request: PageRequest, keep_id: int | None, at: str | None) -> None:
        ctx, query = self.ctx, self.query_state
        recount = self._count_wanted or self.count is None

        def read() -> Iterator[_Page | _Slas | QueueCount]:
            page = ctx.queue.page(ctx.actor, query, request)
            now = ctx.now()
            ref = ctx.reference
            yield _Page(query, page, _slas(ref, page, now) if ref is not None else None, now)
            if ref is None:
                # First read: the rows go up now, the SLA column once the calendars are built.
                yield _Slas(_slas(ctx.load_reference(), page, now))
            if recount:
                yield ctx.queue.count(ctx.actor, query)

        self._pages.stream(read, partial(self._page_read, keep_id, at))

    def _page_read(self, keep_id: int | None, at: str | None, read: _Page | _Slas | QueueCount) -> None:
        if isinstance(read, _Slas):
            self.table.update_slas(read.slas)
            return
        if isinstance(read, QueueCount):
            self.count = read
            self._count_wanted = False
            self.pager.renumber_last()
            self._show_status()
            return
        page = read.page
        if not self.pager.arrived(page, keep_id):
            return
        self.shown_query = read.query
        self.loaded_at = read.loaded_at
        self.table.show_page(list(page.rows), read.slas, page.has_before, page.has_after, keep_id, at)
        self._show_status()
        self.ticket_actions.offer_changed(self.query_state.filtered)

    def _page_failed(self, error: DeskError) -> None:
        self.notify(
            f"No se pudo leer la cola: {error.message}", title="Error", severity="error", timeout=10, markup=False
        )

    def _total(self) -> int | None:
        if self.count is None or self.count.capped:
            return None
        return self.count.value

    def _show_status(self) -> None:
        q = self.query_state
        parts = [q.view.label]
        rows = len(self.page.rows) if self.page else 0
        if self.count is not None:
            if self.count.value == 0:
                parts.append("ningún caso coincide" if q.filtered else "no hay casos")
            else:
                parts.append(
                    f"{self.count.label()} {'caso' if self.count.value == 1 and not self.count.capped else 'casos'}"
                )
        if rows and self.pager.page_number is not None:
            parts.append(f"pág. {self.pager.page_number}")
        parts.append(f"orden: {q.describe_sort()}")
        if self.loaded_at is not None:
            parts.append(f"actualizada {local(self.loaded_at):%H:%M:%S}")
        self.query_one("#queue-status", Static).update(plain("  ·  ".join(parts)))
        self.query_one("#filter-summary", Static).update(plain(self._filter_summary()))

    def _filter_summary(self) -> str:
        q = self.query_state.with_(text="")
        described = q.describe_filters()
        if described:
            return f"Filtros: {described}  (f cambia, Esc quita)"
        return "f filtros · s orden · n nuevo caso · ? ayuda"

    def refresh_queue(self) -> None:
        """Read the page and the count again, keeping the cursor on its ticket."""
        self._count_wanted = True
        self.pager.refresh()

    def _periodic_refresh(self) -> None:
        if self.app.screen is self:
            self.refresh_queue()

    def on_screen_resume(self) -> None:
        if self.page is not None:
            self.refresh_queue()

    def tickets_changed(self, changes: tuple[TicketChange, ...]) -> None:
        # Any change may move a ticket into or out of this page: read it again, keyed.
        if self.page is not None:
            self.refresh_queue()

    def _requery(self, query: QueueQuery) -> None:
        self.query_state = query
        self.count = None
        self.table.set_sort(query.sort, query.descending)
        self.pager.load(PageDirection.FIRST)
        self._show_status()

    # --- the table's requests -----------------------------------------------------------

    @on(TicketTable.PageRequested)
    def _page_requested(self, message: TicketTable.PageRequested) -> None:
        self.pager.turn(message.direction)

    @on(TicketTable.OpenRequested)
    def _open_requested(self, message: TicketTable.OpenRequested) -> None:
        self.open_ticket(message.row.id)

    @on(TicketTable.RowChanged)
    def _row_changed(self) -> None:
        self.ticket_actions.offer_changed(self.query_state.filtered)

    @on(TicketTable.SortRequested)
    def _header_clicked(self, event: TicketTable.SortRequested) -> None:
        key = event.sort
        q = self.query_state
        descending = not q.descending if key is q.sort else False
        self._requery(q.with_(sort=key, descending=descending))

    @on(Tabs.TabActivated, "#views")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        view = QueueView((event.tab.id or "").removeprefix("view-"))
        if view is not self.query_state.view:
            self._requery(self.query_state.with_(view=view))

    # --- filter ----------------------------------------------------------------------

    @on(Input.Changed, "#filter-text")
    def _text_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if text != self.query_state.text:
            self._requery(self.query_state.with_(text=text))

    @on(FilterInput.Done)
    def _filter_done(self) -> None:
        self.table.focus()

    # --- actions --------------------------------------------------------------------

    def current_ticket(self) -> QueueRow | None:
        return self.table.current if self.is_mounted else None

    def after_action(self, info: TicketInfo | None) -> None:
        self.refresh_queue()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_out":
            return self.query_state.filtered or self.focused is self.query_one("#filter-text")
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_back_out(self) -> None:
        """Esc: leave the search box, then drop every filter."""
        box = self.query_one("#filter-text", Input)
        if self.focused is box and not box.value:
            self.table.focus()
            return
        box.value = ""
        self.table.focus()
        if self.query_state.filtered:
            self._requery(self.query_state.cleared())

    def action_filters(self) -> None:
        def open_dialog(ref: Reference) -> None:
            self.app.push_screen(FilterDialog(self.query_state, ref.services), self._filters_chosen)

        self.with_reference(open_dialog)

    def _filters_chosen(self, query: QueueQuery | None) -> None:
        if query is None or query == self.query_state:
            return
        box = self.query_one("#filter-text", Input)
        with box.prevent(Input.Changed):
            box.value = query.text
        self._requery(query)

    def action_sort(self) -> None:
        self.app.push_screen(SortDialog(self.query_state.sort), self._sort_chosen)

    def _sort_chosen(self, key: SortKey | None) -> None:
        if key is not None and key is not self.query_state.sort:
            self._requery(self.query_state.with_(sort=key, descending=False))

    def action_reverse(self) -> None:
        self._requery(self.query_state.with_(descending=not self.query_state.descending))

    def action_view(self, view: str) -> None:
        self.query_one(ViewTabs).active = f"view-{view}"

    def action_refresh(self) -> None:
        self.ctx.reference = None  # re-read calendars, agents and services too
        self.refresh_queue()
        self.notify("Cola actualizada", timeout=2, markup=False)

    def action_new_ticket(self) -> None:
        self.app.push_screen(NewTicketScreen(self.ctx), self._logged)

    def _logged(self, info: TicketInfo | None) -> None:
        if info is not None:
            self.open_ticket(info.id)

    def action_quit(self) -> None:
        self.app.exit()

    def open_ticket(self, ticket_id: int) -> None:
        self.app.push_screen(TicketScreen(self.ctx, ticket_id))
