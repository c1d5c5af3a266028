"""The SLA board (tablero ANS): every open ticket by due time, in four groups
(vencidos, en riesgo, en pausa, en tiempo) plus all of them, one page at a time.

The counts and the page are read together in a thread worker every 30 s; the
table is diffed by ticket id, so the cursor stays on its ticket. `a` reassigns
and `e` escalates with the agent screens' own dialogs and use cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static, Tab, Tabs

from mesa_tui.domain.board import BOARD_ORDER, BoardGroup, SlaBoardCounts, SlaBoardPage, SlaBoardRow
from mesa_tui.domain.calendar import BOGOTA as LOCAL_TZ
from mesa_tui.domain.queue import PageCursor, PageDirection, PageRequest, SlaView
from mesa_tui.domain.tickets import TicketInfo
from mesa_tui.screens.agent.ticket import TicketScreen
from mesa_tui.screens.base import ACTIONS, TicketActionsScreen
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.supervisor.base import REFRESH_SECONDS, SupervisorScreen, cases, thousands
from mesa_tui.services.errors import ServiceError
from mesa_tui.services.reports import Reports
from mesa_tui.widgets.format import fmt_short, sla_text, status_text
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.supervisor_tables import BoardTable, Column, Row
from mesa_tui.widgets.ticket_table import short_name

ALL = "todos"  # the tab with every open ticket (group None)
TABS: tuple[str, ...] = (*(g.value for g in BOARD_ORDER), ALL)
TAB_TITLES = {**{g.value: g.label for g in BOARD_ORDER}, ALL: "Todos"}
CLOCK_SHORT = {"tto": "Resp", "ttr": "Sol"}

COLUMNS = (
    Column("code", "Código", 15),
    Column("subject", "Asunto", share=3),
    Column("service", "Servicio", 8),
    Column("level", "Nv", 2),
    Column("agent", "Agente", share=2),
    Column("status", "Estado", 10),
    Column("clock", "ANS", 4),
    Column("due", "Vence", 11),
    Column("remaining", "Restante", 10, numeric=True),
)


def tab_label(name: str, counts: SlaBoardCounts | None) -> str:
    number = TABS.index(name) + 1
    title = TAB_TITLES[name]
    if counts is None:
        return f"{number} {title}"
    n = counts.total if name == ALL else counts[BoardGroup(name)]
    return f"{number} {title} ({thousands(n)})"


def board_cells(row: SlaBoardRow) -> tuple:
    sla = SlaView(row.state, row.remaining_label, row.clock_kind)
    return (
        row.code,
        row.subject,
        row.service_code,
        str(row.level),
        short_name(row.agent_name) if row.agent_name else Text("sin asignar", style="dim italic"),
        status_text(row.status),
        CLOCK_SHORT.get(row.clock_kind, row.clock_kind),
        fmt_short(row.due_at),
        sla_text(sla),
    )


class GroupTabs(Tabs, can_focus=False):
    """The board's groups; switched with tab, shift+tab or 1-5 (the table keeps the focus)."""


@dataclass(frozen=True)
class _Loaded:
    generation: int
    tab: str
    counts: SlaBoardCounts | None  # None: a page turn, the counts were not read again
    page: SlaBoardPage
    keep_id: int | None
    at: str | None
    loaded_at: datetime


class SlaBoardScreen(SupervisorScreen, TicketActionsScreen):
    """The board is a ticket-actions screen whose keys are only reassign and escalate."""

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

    class Loaded(Message):
        def __init__(self, result: _Loaded) -> None:
            super().__init__()
            self.result = result

    class LoadFailed(Message):
        def __init__(self, generation: int, error: str) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    class ActionReady(Message):
        """The ticket as stored now and the reference lists, for an action's dialog."""

        def __init__(self, name: str, row: SlaBoardRow, info: TicketInfo, ref: Reference) -> None:
            super().__init__()
            self.name = name
            self.row = row
            self.info = info
            self.ref = ref

    class ActionFailed(Message):
        def __init__(self, error: ServiceError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, ctx: DeskContext, reports: Reports | None = None) -> None:
        super().__init__(ctx, reports)
        self.tab = BoardGroup.VENCIDO.value
        self.page: SlaBoardPage | None = None
        self.counts: SlaBoardCounts | None = None
        self.page_number: int | None = None
        self.loaded_at: datetime | None = None
        self._generation = 0
        self._page_size = 0

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
        self._page_size = self._fit_page_size()
        self.load(PageDirection.FIRST)

    @property
    def table(self) -> BoardTable:
        return self.query_one(BoardTable)

    def _fit_page_size(self) -> int:
        height = self.table.size.height or (self.app.size.height - 7)
        return max(height - 1, 3)  # minus the header row

    def on_resize(self) -> None:
        if self._page_size:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        size = self._fit_page_size()
        if size != self._page_size:
            self._page_size = size
            self.refresh_board()

    # --- loading --------------------------------------------------------------------

    def load(
        self,
        direction: PageDirection,
        cursor: PageCursor | None = None,
        keep_id: int | None = None,
        at: str | None = None,
        recount: bool = True,
    ) -> None:
        self._generation += 1
        request = PageRequest(direction, cursor, max(self._page_size, 3))
        self._read(self._generation, self.tab, request, keep_id, at, recount)

    @work(thread=True, exclusive=True, exit_on_error=False, group="board-read")
    def _read(
        self, generation: int, tab: str, request: PageRequest, keep_id: int | None, at: str | None, recount: bool
    ) -> None:
        try:
            now = self.ctx.now()
            group = None if tab == ALL else BoardGroup(tab)
            counts = self.reports.sla_board_counts(self.ctx.actor, now=now) if recount else None
            page = self.reports.sla_board_page(self.ctx.actor, group, request, now=now)
        except ServiceError as exc:
            self.post_message(self.LoadFailed(generation, exc.message))
        except Exception as exc:  # the database went away, a bug: tell, don't crash
            self.post_message(self.LoadFailed(generation, str(exc)))
        else:
            self.post_message(self.Loaded(_Loaded(generation, tab, counts, page, keep_id, at, now)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        result = message.result
        if result.generation != self._generation:
            return  # a newer request is on its way
        if result.counts is not None:
            self.counts = result.counts
            self._show_counts()
        page = result.page
        direction = page.request.direction
        if direction is PageDirection.FROM and not page.rows and page.has_before:
            # Every ticket from this page on left the group: show its last page.
            self.load(PageDirection.LAST, keep_id=result.keep_id, at="bottom", recount=False)
            return
        if direction in (PageDirection.AFTER, PageDirection.BEFORE) and not page.rows:
            self._show_status()
            return  # nothing beyond the edge: stay where we are
        if direction is PageDirection.FIRST or not page.has_before:
            self.page_number = 1
        elif direction is PageDirection.AFTER and self.page_number is not None:
            self.page_number += 1
        elif direction is PageDirection.BEFORE and self.page_number is not None:
            self.page_number = max(self.page_number - 1, 1)
        elif direction is PageDirection.LAST:
            total = self._group_total()
            self.page_number = max(math.ceil(total / page.request.size), 1) if total else None
        self.page = page
        self.loaded_at = result.loaded_at
        rows = [Row(str(r.id), board_cells(r)) for r in page.rows]
        self.table.show_page(page.rows, rows, page.has_before, page.has_after, result.keep_id, result.at)
        self._show_status()
        self.offer_changed()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.generation == self._generation:
            self.notify_read_error("el tablero", message.error)

    def _group_total(self) -> int:
        if self.counts is None:
            return 0
        return self.counts.total if self.tab == ALL else self.counts[BoardGroup(self.tab)]

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
        if self.page is not None and self.page.rows and self.page_number is not None:
            pages = math.ceil(total / self.page.request.size) if total else 1
            parts.append(f"pág. {self.page_number} de {max(pages, self.page_number)}")
        if self.loaded_at is not None:
            parts.append(f"actualizado {self.loaded_at.astimezone(LOCAL_TZ):%H:%M:%S}")
        parts.append(f"se actualiza cada {REFRESH_SECONDS} s")
        self.query_one("#board-status", Static).update("  ·  ".join(parts))

    def refresh_board(self) -> None:
        """Read the counts and the page again from its first row, keeping the cursor on its ticket."""
        current = self.table.current
        keep_id = current.id if current else None
        if self.page is None or not self.page.rows or not self.page.has_before:
            # On the first page the tickets that just fell due must show up on top.
            self.load(PageDirection.FIRST, keep_id=keep_id)
        else:
            self.load(PageDirection.FROM, self.page.first, keep_id=keep_id)

    def _periodic_refresh(self) -> None:
        if self.is_current():
            self.refresh_board()

    def on_screen_resume(self) -> None:
        if self.allowed and self.page is not None:
            self.refresh_board()

    # --- the table's requests -----------------------------------------------------------

    @on(BoardTable.PageRequested)
    def _page_requested(self, message: BoardTable.PageRequested) -> None:
        page = self.page
        direction = message.direction
        # Turning a page reads the page only; the counts come with every refresh.
        if direction is PageDirection.AFTER:
            if page is not None and page.has_after:
                self.load(direction, page.last, at="top", recount=False)
        elif direction is PageDirection.BEFORE:
            if page is not None and page.has_before:
                self.load(direction, page.first, at="bottom", recount=False)
        elif direction is PageDirection.FIRST:
            self.load(direction, at="top", recount=False)
        else:
            self.load(direction, at="bottom", recount=False)

    @on(BoardTable.OpenRequested)
    def _open_requested(self, message: BoardTable.OpenRequested) -> None:
        self.app.push_screen(TicketScreen(self.ctx, message.row.id))

    @on(BoardTable.RowChanged)
    def _row_changed(self) -> None:
        self.offer_changed()

    @on(Tabs.TabActivated, "#board-groups")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        tab = event.tab.id.removeprefix("group-")
        if tab != self.tab:
            self.tab = tab
            self.page = None
            self.page_number = None
            self.load(PageDirection.FIRST, at="top")
            self._show_status()

    # --- keys -----------------------------------------------------------------------

    def action_group(self, name: str) -> None:
        self.query_one(GroupTabs).active = f"group-{name}"

    def action_next_group(self, step: int) -> None:
        index = (TABS.index(self.tab) + step) % len(TABS)
        self.action_group(TABS[index])

    def action_refresh(self) -> None:
        self.refresh_board()
        self.notify("Tablero actualizado", timeout=2)

    def action_export(self) -> None:
        self.export_tickets()

    # --- reassign and escalate: the agent screens' dialogs ---------------------------------

    def current_ticket(self) -> SlaBoardRow | None:
        return self.table.current if self.is_mounted and self.allowed else None

    def after_action(self, info: TicketInfo | None) -> None:
        self.refresh_board()

    def _start(self, name: str) -> None:
        """A board row lacks some of what the dialogs need (the group's id): read the
        ticket first, then open the same dialog the ticket screen opens."""
        row = self.current_ticket()
        if row is None or not self.may(ACTIONS[name], row):
            return
        self._prepare(name, row)

    @work(thread=True, exclusive=True, exit_on_error=False, group="board-action")
    def _prepare(self, name: str, row: SlaBoardRow) -> None:
        try:
            info = self.ctx.desk.get(row.id)
            ref = self.ctx.reference or self.ctx.load_reference()
        except ServiceError as exc:
            self.post_message(self.ActionFailed(exc))
        except Exception as exc:  # the database went away, a bug: tell, don't crash
            self.post_message(self.ActionFailed(ServiceError(f"Error inesperado: {exc}")))
        else:
            self.post_message(self.ActionReady(name, row, info, ref))

    @on(ActionReady)
    def _action_ready(self, message: ActionReady) -> None:
        info, row = message.info, message.row
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
        if self.app.screen is not self:
            return  # the supervisor went elsewhere meanwhile
        self._open(message.name, ACTIONS[message.name], info, message.ref)

    @on(ActionFailed)
    def _action_failed(self, message: ActionFailed) -> None:
        self.notify_refusal(message.error)
        self.refresh_board()
