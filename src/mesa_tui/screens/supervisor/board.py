"""The SLA board (tablero ANS): every open ticket in four groups (vencidos, en
riesgo, en pausa, en tiempo) plus all of them, one page at a time. Each group is
sorted by priority, then the newest crossing first in vencidos and en riesgo (the
critical ticket that just ran out on top), the due order elsewhere.

The counts and the page are read together in a worker every 30 s; the table is
diffed by ticket id, so the cursor stays on its ticket. `a` reassigns and `e`
escalates with the agent screens' own dialogs and use cases (TicketActions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, Tab, Tabs

from mesa_tui.domain.board import BOARD_ORDER, BoardGroup, SlaBoardCounts, SlaBoardPage, SlaBoardRow
from mesa_tui.domain.changes import TicketChange
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.queue import PageDirection, PageRequest, SlaView
from mesa_tui.domain.sla import ClockState
from mesa_tui.domain.text import thousands
from mesa_tui.domain.tickets import TicketInfo
from mesa_tui.screens.agent.actions import TicketActions
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.loading import UNEXPECTED, Loader, Pager
from mesa_tui.screens.supervisor.base import REFRESH_SECONDS, ScreenFactory, SupervisorScreen, cases
from mesa_tui.services.reports import Reports
from mesa_tui.widgets.format import SLA_STYLES, fmt_short, local, sla_text, status_text
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.keyed_table import Cell, Column, Row
from mesa_tui.widgets.paging import PagedKeyedTable, paging_bindings
from mesa_tui.widgets.plain import plain
from mesa_tui.widgets.ticket_table import short_name

ALL = "todos"  # the tab with every open ticket (group None)
TABS: tuple[str, ...] = (*(g.value for g in BOARD_ORDER), ALL)
TAB_TITLES = {**{g.value: g.label for g in BOARD_ORDER}, ALL: "Todos"}
CLOCK_SHORT = {"tto": "Resp", "ttr": "Sol"}
_CHROME = 7  # lines around the table: top bar, group tabs, status and footer

COLUMNS = (
    Column("code", "Código", 15),
    Column("subject", "Asunto", share=3),
    Column("service", "Servicio", 8),
    Column("level", "Nv", 2),
    Column("agent", "Agente", share=2),
    Column("status", "Estado", 10),
    Column("clock", "ANS", 4),
    Column("due", "Vence", 11),
    Column("remaining", "Restante", 16, numeric=True),
)


def tab_label(name: str, counts: SlaBoardCounts | None) -> str:
    number = TABS.index(name) + 1
    title = TAB_TITLES[name]
    if counts is None:
        return f"{number} {title}"
    n = counts.total if name == ALL else counts[BoardGroup(name)]
    return f"{number} {title} ({thousands(n)})"


def board_cells(row: SlaBoardRow) -> tuple[Cell, ...]:
    sla = SlaView(row.state, row.remaining_label, row.clock_kind)
    return (
        row.code,
        row.subject,
        row.service_code,
        str(row.level),
        short_name(row.agent_name) if row.agent_name else Text("sin asignar", style="dim italic"),
        status_text(row.status),
        CLOCK_SHORT.get(row.clock_kind, row.clock_kind),
        # A paused clock's due time is stale (it moves on when the clock resumes).
        Text("en pausa", style=SLA_STYLES[ClockState.EN_PAUSA])
        if row.state is ClockState.EN_PAUSA
        else fmt_short(row.due_at),
        sla_text(sla),
    )


class GroupTabs(Tabs, can_focus=False):
    """The board's groups; switched with tab, shift+tab or 1-5 (the table keeps the focus)."""


class BoardTable(PagedKeyedTable[SlaBoardRow], inherit_bindings=False):
    """One page of the SLA board."""

    BINDINGS = paging_bindings(
        "board",
        next_page="Mostrar la página siguiente",
        prev_page="Mostrar la página anterior",
        top="Ir al primer caso del grupo",
        bottom="Ir al último caso del grupo",
    )


@dataclass(frozen=True)
class _Read:
    counts: SlaBoardCounts | None  # None: a page turn, the counts were not read again
    page: SlaBoardPage
    loaded_at: datetime


class SlaBoardScreen(SupervisorScreen):
    """The board offers two of the ticket actions, on keys of its own: reassign and escalate."""

    NAME = "board"

    BINDINGS = [
        Binding("a", "assign", "Reasignar", id="board.reassign", tooltip="Reasignar el caso a otro agente o grupo"),
        Binding(
            "e",
            "escalate",
            "Escalar",
            id="board.escalate",
            tooltip="Escalar el caso a otro grupo o nivel, con el motivo",
        ),
        Binding(
            "r,R",
            "refresh",
            "Actualizar",
            id="board.refresh",
            tooltip="Volver a leer el tablero (se actualiza solo cada 30 s)",
        ),
        Binding(
            "x",
            "export",
            "Exportar",
            id="board.export",
            tooltip="Exportar el informe de casos entre dos fechas (xlsx o csv)",
        ),
        Binding(
            "tab",
            "next_group(1)",
            "Grupo siguiente",
            show=False,
            id="board.next_group",
            tooltip="Pasar al grupo siguiente del tablero",
        ),
        Binding(
            "shift+tab",
            "next_group(-1)",
            "Grupo anterior",
            show=False,
            id="board.prev_group",
            tooltip="Volver al grupo anterior del tablero",
        ),
        *(
            Binding(
                str(i),
                f"group('{name}')",
                TAB_TITLES[name],
                show=False,
                id=f"board.group_{name}",
                tooltip=f"Ver los casos {'abiertos' if name == ALL else TAB_TITLES[name].lower()}",
            )
            for i, name in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, ctx: DeskContext, screens: ScreenFactory, reports: Reports | None = None) -> None:
        super().__init__(ctx, screens, reports)
        self.tab = BoardGroup.VENCIDO.value
        self.counts: SlaBoardCounts | None = None
        self.loaded_at: datetime | None = None
        self._counts_wanted = True  # read the counts with the next page
        self.pager: Pager[SlaBoardPage] = Pager(lambda: self.table, self._read_page, self._total)
        self._pages: Loader[_Read] = Loader(self, "board-read", self._read_failed)
        self._tickets: Loader[tuple[TicketInfo, Reference]] = Loader(
            self, "board-action", self._action_failed, unexpected=UNEXPECTED
        )
        self.ticket_actions = TicketActions(self, self.current_ticket, self.after_action, prepare=self._prepare)

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        if self.allowed:
            yield GroupTabs(*(Tab(tab_label(name, None), id=f"group-{name}") for name in TABS), id="board-groups")
            yield BoardTable(COLUMNS, id="board-table")
            yield Static("", id="board-status", classes="supervisor-status")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.allowed:
            return
        self.query_one(GroupTabs).active = f"group-{self.tab}"
        self.table.focus()
        self.set_interval(REFRESH_SECONDS, self._periodic_refresh)
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        self.pager.fit(_CHROME)
        self.pager.load(PageDirection.FIRST)

    @property
    def table(self) -> BoardTable:
        return self.query_one(BoardTable)

    def on_resize(self) -> None:
        if self.pager.size:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.pager.fit(_CHROME):
            self.refresh_board()

    # --- loading --------------------------------------------------------------------

    def _read_page(self, request: PageRequest, keep_id: int | None, at: str | None) -> None:
        actor, reports, tab, recount = self.ctx.actor, self.reports, self.tab, self._counts_wanted
        now = self.ctx.now

        def read() -> _Read:
            at_now = now()
            group = None if tab == ALL else BoardGroup(tab)
            counts = reports.sla_board_counts(actor, now=at_now) if recount else None
            return _Read(counts, reports.sla_board_page(actor, group, request, now=at_now), at_now)

        self._pages.load(read, partial(self._page_read, keep_id, at))

    def _page_read(self, keep_id: int | None, at: str | None, read: _Read) -> None:
        if read.counts is not None:
            self.counts = read.counts
            self._counts_wanted = False
            self._show_counts()
        page = read.page
        if not self.pager.arrived(page, keep_id):
            if read.counts is not None:
                self._show_status()
            return
        self.loaded_at = read.loaded_at
        rows = [Row(str(r.id), board_cells(r)) for r in page.rows]
        self.table.show_page(page.rows, rows, page.has_before, page.has_after, keep_id, at)
        self._show_status()
        self.ticket_actions.offer_changed()

    def _read_failed(self, error: DeskError) -> None:
        self.notify_read_error("el tablero", error.message)

    def _group_total(self) -> int:
        if self.counts is None:
            return 0
        return self.counts.total if self.tab == ALL else self.counts[BoardGroup(self.tab)]

    def _total(self) -> int | None:
        return self._group_total() if self.counts is not None else None

    def _show_counts(self) -> None:
        for name in TABS:
            tab = self.query_one(f"#group-{name}", Tab)
            label = tab_label(name, self.counts)
            if tab.label_text != label:
                tab.label = label

    def _show_status(self) -> None:
        parts = ["Todos los abiertos" if self.tab == ALL else TAB_TITLES[self.tab]]
        total = self._group_total()
        if self.counts is not None:
            parts.append(cases(total) if total else "ningún caso")
        page, number = self.pager.page, self.pager.page_number
        if page is not None and page.rows and number is not None:
            parts.append(f"pág. {number} de {max(self.pager.pages() or 1, number)}")
        if self.loaded_at is not None:
            parts.append(f"actualizado {local(self.loaded_at):%H:%M:%S}")
        parts.append(f"se actualiza cada {REFRESH_SECONDS} s")
        self.query_one("#board-status", Static).update(plain("  ·  ".join(parts)))

    def refresh_board(self) -> None:
        """Read the counts and the page again from its first row, keeping the cursor on its ticket."""
        self._counts_wanted = True
        self.pager.refresh()

    def _periodic_refresh(self) -> None:
        if self.in_front():
            self.refresh_board()

    def on_screen_resume(self) -> None:
        if self.allowed and self.pager.page is not None:
            self.refresh_board()

    def tickets_changed(self, changes: tuple[TicketChange, ...]) -> None:
        # The page only, keyed: the group counts (a read over every open ticket)
        # keep to the 30-s refresh.
        if self.allowed and self.pager.page is not None:
            self.pager.refresh()

    # --- the table's requests -----------------------------------------------------------

    @on(BoardTable.PageRequested)
    def _page_requested(self, message: BoardTable.PageRequested) -> None:
        # Turning a page reads the page only; the counts come with every refresh.
        self.pager.turn(message.direction)

    @on(BoardTable.OpenRequested)
    def _open_requested(self, message: BoardTable.OpenRequested) -> None:
        self.app.push_screen(TicketScreen(self.ctx, message.row.id))

    @on(BoardTable.RowChanged)
    def _row_changed(self) -> None:
        self.ticket_actions.offer_changed()

    @on(Tabs.TabActivated, "#board-groups")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        tab = (event.tab.id or "").removeprefix("group-")
        if tab != self.tab:
            self.tab = tab
            self.pager.reset()
            self._counts_wanted = True
            self.pager.load(PageDirection.FIRST, at="top")
            self._show_status()

    # --- keys -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        offered = self.ticket_actions.check(action)
        return allowed if offered is None else offered

    def action_group(self, name: str) -> None:
        self.query_one(GroupTabs).active = f"group-{name}"

    def action_next_group(self, step: int) -> None:
        index = (TABS.index(self.tab) + step) % len(TABS)
        self.action_group(TABS[index])

    def action_refresh(self) -> None:
        self.refresh_board()
        self.notify("Tablero actualizado", timeout=2, markup=False)

    def action_export(self) -> None:
        self.export_tickets()

    def action_assign(self) -> None:
        self.ticket_actions.start("assign")

    def action_escalate(self) -> None:
        self.ticket_actions.start("escalate")

    # --- reassign and escalate: the agent screens' dialogs ---------------------------------

    def current_ticket(self) -> SlaBoardRow | None:
        return self.table.current if self.is_mounted and self.allowed else None

    def after_action(self, info: TicketInfo | None) -> None:
        self.refresh_board()

    def _prepare(self, name: str, row: SlaBoardRow) -> None:
        """A board row lacks some of what the dialogs need (the group's id): read the
        ticket first, then open the same dialog the ticket screen opens."""
        ctx = self.ctx
        self._tickets.load(
            lambda: (ctx.desk.get(ctx.actor, row.id), ctx.reference or ctx.load_reference()),
            partial(self._ticket_read, name, row),
        )

    def _ticket_read(self, name: str, row: SlaBoardRow, read: tuple[TicketInfo, Reference]) -> None:
        info, ref = read
        if info.version != row.version:
            # Someone changed it since the board was read: act on what is there now.
            self.notify(
                f"{info.code} cambió desde la última lectura del tablero. Revise el caso y vuelva a intentarlo.",
                title="El caso cambió",
                severity="warning",
                timeout=8,
                markup=False,
            )
            self.refresh_board()
            return
        if not self.in_front():
            return  # the supervisor went elsewhere meanwhile
        self.ticket_actions.open(name, info, ref)

    def _action_failed(self, error: DeskError) -> None:
        self.notify_refusal(error)
        self.refresh_board()
