"""The ticket (detalle): every field, both SLA clocks, the timeline and the actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from mesa_tui.domain.changes import LastChange, TicketChange, ago, touches
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.sla import Clock, ClockState, format_remaining
from mesa_tui.domain.tickets import CommentInfo, EventInfo, TicketInfo
from mesa_tui.screens.agent.actions import TicketActions, TicketKeys
from mesa_tui.screens.agent.new_ticket import NewTicketScreen
from mesa_tui.screens.agent.ticket_text import FullTextDialog, TicketTextPane
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.loading import Loader
from mesa_tui.services.errors import NotFound
from mesa_tui.services.requesters import RequesterTicket
from mesa_tui.widgets.format import (
    ACTION_PAST,
    CALENDAR_LABELS,
    CLOCK_NAMES,
    IMPACT_LABELS,
    URGENCY_LABELS,
    channel_label,
    fmt_date,
    fmt_dt,
    fmt_short,
    level_label,
    mode_label,
    nature_label,
    priority_label,
    priority_text,
    state_text,
    status_label,
    status_text,
    type_label,
)
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.plain import plain


@dataclass(frozen=True)
class ClockView:
    name: str
    clock: Clock
    due_at: datetime
    state: ClockState
    remaining: timedelta

    def remaining_text(self) -> str:
        if self.remaining < timedelta(0):
            return f"excedido en {format_remaining(-self.remaining)}"
        return f"quedan {format_remaining(self.remaining)}"


@dataclass(frozen=True)
class TicketView:
    info: TicketInfo
    clocks: tuple[ClockView, ClockView]
    timeline: tuple[EventInfo | CommentInfo, ...]
    reference: Reference
    others: tuple[RequesterTicket, ...] = ()  # the requester's other tickets, newest first


def read_ticket(ctx: DeskContext, ticket_id: int) -> TicketView:
    """Everything the detail shows, read in one go (call from a worker thread)."""
    info = ctx.desk.get(ctx.actor, ticket_id)
    timeline = ctx.desk.timeline(ctx.actor, ticket_id)
    ref = ctx.reference or ctx.load_reference()
    now = ctx.now()
    cal = ref.sla.calendars[info.sla_calendar]
    tto, ttr = (
        ClockView(which, clock, due, clock.state(cal, now, ref.sla.risk), clock.remaining(cal, now))
        for which, clock, due in (("tto", info.tto, info.tto_due_at), ("ttr", info.ttr, info.ttr_due_at))
    )
    others = (
        tuple(ctx.requesters.other_tickets(ctx.actor, info.requester_id, except_ticket=info.id))
        if info.requester_id is not None
        else ()
    )
    return TicketView(info, (tto, ttr), tuple(timeline), ref, others)


class OtherTicketsDialog(ModalScreen[int | None]):
    """The requester's other tickets: Enter opens one, Esc goes back."""

    BINDINGS = [Binding("escape", "cancel", "Volver", id="others.cancel", tooltip="Volver al caso")]

    def __init__(self, name: str, others: tuple[RequesterTicket, ...]) -> None:
        super().__init__()
        self.requester_name = name
        self.others = others

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide-list"):
            yield Label(plain(f"Otros casos de {self.requester_name}"), id="dialog-title")
            yield OptionList(*(Option(_other_line(t), id=str(t.id)) for t in self.others), id="others-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _other_line(t: RequesterTicket) -> Text:
    line = Text.assemble((t.code, "bold"), "  ")
    line.append_text(status_text(t.status))
    line.append(f"  {fmt_short(t.created_at)}  ")
    line.append(t.subject)
    return line


class TicketScreen(MesaScreen[None], TicketKeys):
    HELP_TITLE = "Detalle del caso"

    BINDINGS = [
        Binding("escape,q", "back", "Volver", id="ticket.back", tooltip="Volver a la cola"),
        Binding("R", "refresh", "Actualizar", show=False, id="ticket.refresh", tooltip="Volver a leer el caso"),
        Binding(
            "v",
            "see_change",
            "Ver cambios",
            id="ticket.see_change",
            tooltip="Otra persona modificó el caso: volver a leerlo para ver lo nuevo",
        ),
        Binding("n", "new_ticket", "Nuevo", show=False, id="ticket.new", tooltip="Registrar un caso nuevo"),
        Binding(
            "s",
            "requester_tickets",
            "Otros casos",
            id="ticket.requester_tickets",
            tooltip="Otros casos del mismo solicitante: Enter abre uno",
        ),
        Binding(
            "l",
            "full_text",
            "Ver completo",
            id="ticket.full_text",
            tooltip="Ver la descripción y la solución completas",
        ),
        Binding("j", "scroll('down')", "Bajar", show=False, id="ticket.scroll_down", tooltip="Bajar en el historial"),
        Binding("k", "scroll('up')", "Subir", show=False, id="ticket.scroll_up", tooltip="Subir en el historial"),
    ]

    def __init__(self, ctx: DeskContext, ticket_id: int) -> None:
        super().__init__(ctx)
        self.ticket_id = ticket_id
        self.view: TicketView | None = None
        self._reader: Loader[TicketView] = Loader(self, "ticket", self._failed)
        self._changes: Loader[LastChange] = Loader(self, "ticket-change")
        self.newer: LastChange | None = None  # a newer version than the one on view, and who made it
        self._ages: Timer | None = None
        self.ticket_actions = TicketActions(self, self.current_ticket, self.after_action)

    def compose(self) -> ComposeResult:
        yield Static(Text("Cargando el caso…", style="dim"), id="topbar")
        yield Static("", id="ticket-changed")
        yield Static("", id="ticket-subject")
        with Horizontal(id="ticket-main"):
            yield Static("", id="ticket-fields")
            yield Static("", id="ticket-sla")
        yield TicketTextPane(id="ticket-text")
        yield Label("Historial (lo más reciente primero)", id="timeline-title")
        with VerticalScroll(id="timeline"):
            yield Static("", id="timeline-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#timeline").focus()
        self.reload()

    def reload(self) -> None:
        ctx, ticket_id = self.ctx, self.ticket_id
        self._reader.load(lambda: read_ticket(ctx, ticket_id), self._show)

    def _show(self, view: TicketView) -> None:
        self.view = view
        if self.newer is not None and self.newer.version <= view.info.version:
            self._show_changed(None)
        info = view.info
        self.query_one("#topbar", Static).update(self._head(info))
        subject = Text.assemble(plain(info.subject, style="bold"), ("  · l descripción y solución completas", "dim"))
        self.query_one("#ticket-subject", Static).update(subject)
        self.query_one("#ticket-fields", Static).update(self._fields(view))
        self.query_one("#ticket-sla", Static).update(self._sla(view))
        self.query_one("#ticket-text", TicketTextPane).show(info)
        self.query_one("#timeline-body", Static).update(self._timeline(view))
        self.ticket_actions.offer_changed()

    def _failed(self, error: DeskError) -> None:
        self.notify(error.message, title="No se pudo abrir el caso", severity="error", timeout=8, markup=False)
        if isinstance(error, NotFound) or self.view is None:
            self.dismiss()

    # --- changes made elsewhere ---------------------------------------------------------

    def tickets_changed(self, changes: tuple[TicketChange, ...]) -> None:
        shown = self.newer.version if self.newer is not None else self.view.info.version if self.view else None
        if shown is not None and touches(changes, self.ticket_id, shown):
            self._look_for_change()

    def on_screen_resume(self) -> None:
        # Changes told while a dialog covered the ticket were not looked at.
        if self.view is not None:
            self._look_for_change()

    def _look_for_change(self) -> None:
        ctx, ticket_id = self.ctx, self.ticket_id
        self._changes.load(lambda: ctx.desk.last_change(ctx.actor, ticket_id), self._change_read)

    def _change_read(self, change: LastChange) -> None:
        # A reload under way brings the new version itself.
        if self.view is not None and self._reader.fresh and change.version > self.view.info.version:
            self._show_changed(change)

    def _show_changed(self, change: LastChange | None) -> None:
        self.newer = change
        banner = self.query_one("#ticket-changed", Static)
        banner.set_class(change is not None, "-shown")
        if self._ages is not None:
            self._ages.stop()
            self._ages = None
        if change is not None:
            self._age_banner()
            self._ages = self.set_interval(1, self._age_banner)
        self.refresh_bindings()

    def _age_banner(self) -> None:
        change = self.newer
        if change is None:
            return
        line = Text.assemble(("Modificado por ", "bold"), (change.by, "bold"))
        if change.at is not None:
            line.append(f" {ago((self.ctx.now() - change.at).total_seconds())}")
        line.append(" · v para ver los cambios", style="italic")
        self.query_one("#ticket-changed", Static).update(line)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "see_change":
            return self.newer is not None
        return super().check_action(action, parameters)

    def action_see_change(self) -> None:
        self.reload()

    # --- rendering --------------------------------------------------------------------

    def _head(self, info: TicketInfo) -> Text:
        head = Text.assemble((info.code, "bold"), "  ·  ")
        head.append_text(status_text(info.status))
        head.append("  ·  prioridad ")
        head.append_text(priority_text(info.priority))
        head.append(f"  ·  {type_label(info.type)}")
        return head

    def _fields(self, view: TicketView) -> Table:
        info = view.info
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        rows = [
            ("Solicitante", info.requester_name),
            ("Dependencia", info.requester_dependency or "—"),
            ("Contacto", info.requester_contact or "—"),
            ("Canal", channel_label(info.channel)),
            ("Servicio", f"{info.service_code} · {info.service_name} ({info.service_category})"),
            (
                "Impacto / urgencia",
                f"{IMPACT_LABELS[info.impact]} / {URGENCY_LABELS[info.urgency]} → {priority_label(info.priority)}",
            ),
            ("Naturaleza", nature_label(info.nature)),
            ("Nivel · grupo", f"{level_label(info.level)} · {info.group_name or '—'}"),
            ("Agente", info.agent_name or "sin asignar"),
            ("Registrado", f"{fmt_dt(info.created_at)} por {info.created_by_name or 'el sistema'}"),
            ("Actualizado", fmt_dt(info.updated_at)),
        ]
        if info.legal_due_on is not None:
            rows.append(("Plazo legal PQRS", fmt_date(info.legal_due_on)))
        if info.resolved_at is not None:
            rows.append(("Resuelto", f"{fmt_dt(info.resolved_at)} · solución {mode_label(info.solution_mode).lower()}"))
        if info.closed_at is not None:
            rows.append(("Cerrado", fmt_dt(info.closed_at)))
        for label, value in rows:
            grid.add_row(label, plain(value))  # names and contacts as typed: never markup
        if view.others:
            grid.add_row("Otros casos", Text("del solicitante, los más recientes (s abre uno):", style="dim"))
            for t in view.others:
                line = _other_line(t)
                line.no_wrap, line.overflow = True, "ellipsis"
                grid.add_row("", line)
        return grid

    def _sla(self, view: TicketView) -> Group:
        info = view.info
        code = info.sla_calendar
        title = Text.assemble(
            ("ANS", "bold"), f" · {CALENDAR_LABELS.get(code) or view.reference.sla.names.get(code, code)}"
        )
        parts: list[Text] = [title]
        for cv in view.clocks:
            line = Text.assemble((f"{CLOCK_NAMES[cv.name]}", "bold"), f" · meta {format_remaining(cv.clock.target)}\n")
            if cv.clock.stopped_at is not None:
                line.append(f"  detenido {fmt_dt(cv.clock.stopped_at)}\n  ")
            elif cv.clock.paused_at is not None:
                line.append(f"  en pausa desde {fmt_dt(cv.clock.paused_at)}\n  {cv.remaining_text()} · ")
            else:
                line.append(f"  vence {fmt_dt(cv.due_at)}\n  {cv.remaining_text()} · ")
            line.append_text(state_text(cv.state))
            parts.append(Text(""))
            parts.append(line)
        if info.wait_reason:
            parts += [Text(""), Text.assemble(("En espera: ", "bold cyan"), info.wait_reason)]
        return Group(*parts)

    def _timeline(self, view: TicketView) -> Text:
        ref = view.reference
        out = Text()
        for item in view.timeline:
            if out:
                out.append("\n")
            out.append(f"{fmt_dt(item.at)}  ", style="dim")
            if isinstance(item, CommentInfo):
                out.append(item.author_name, style="bold")
                out.append(" comentó ")
                out.append("(público)" if item.public else "(nota interna)", style="cyan" if item.public else "dim")
                out.append(f"\n    {item.body}")
                continue
            out.append(item.by, style="bold")
            out.append(f" {ACTION_PAST.get(item.action, item.action)}")
            details = _changes(item.changes, ref) if item.action != "registrar" else ""
            if details:
                out.append(f" · {details}", style="dim")
            if item.note and item.action != "comentar":
                out.append(f"\n    {item.note}")
            solution, mode = item.solution  # every solution given stays, even after a reopening
            if solution:
                out.append(f"\n    Solución ({mode_label(mode).lower()}):", style="bold green")
                out.append_text(plain("".join(f"\n      {line}" for line in solution.splitlines())))
        return out or Text("Sin movimientos.", style="dim")

    # --- actions ----------------------------------------------------------------------

    def current_ticket(self) -> TicketInfo | None:
        return self.view.info if self.view is not None else None

    def after_action(self, info: TicketInfo | None) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss()

    def action_requester_tickets(self) -> None:
        if self.view is None or not self.view.others:
            self.notify("El solicitante no tiene otros casos.", timeout=3, markup=False)
            return

        def opened(ticket_id: int | None) -> None:
            if ticket_id is not None:
                self.app.push_screen(TicketScreen(self.ctx, ticket_id))

        self.app.push_screen(OtherTicketsDialog(self.view.info.requester_name, self.view.others), opened)

    def action_full_text(self) -> None:
        if self.view is not None:
            self.app.push_screen(FullTextDialog(self.view.info))

    def action_refresh(self) -> None:
        self.reload()

    def action_new_ticket(self) -> None:
        self.app.push_screen(NewTicketScreen(self.ctx), self._logged)

    def _logged(self, info: TicketInfo | None) -> None:
        if info is not None:
            self.app.push_screen(TicketScreen(self.ctx, info.id))

    def action_scroll(self, direction: str) -> None:
        timeline = self.query_one("#timeline", VerticalScroll)
        if direction == "down":
            timeline.scroll_down()
        else:
            timeline.scroll_up()


def _changes(changes: dict[str, tuple[Any, Any]], ref: Reference) -> str:
    """The changes of an event worth reading in the timeline."""
    parts = []
    if "status" in changes:
        old, new = changes["status"]
        parts.append(f"{status_label(old)} → {status_label(new)}" if old else status_label(new))
    if "level" in changes and changes["level"][0] is not None:
        parts.append(f"nivel {changes['level'][0]} → {changes['level'][1]}")
    if "group_id" in changes and changes["group_id"][1] is not None:
        parts.append(f"grupo {ref.group_name(changes['group_id'][1])}")
    if "agent_id" in changes:
        new = changes["agent_id"][1]
        parts.append(f"agente {ref.agent_name(new)}" if new is not None else "sin agente")
    if "priority" in changes and changes["priority"][0] is not None:
        old, new = changes["priority"]
        parts.append(f"prioridad {priority_label(old)} → {priority_label(new)}")
    if "type" in changes and changes["type"][0] is not None:
        old, new = changes["type"]
        parts.append(f"tipo {type_label(old)} → {type_label(new)}")
    if "nature" in changes and changes["nature"][1] is not None:
        parts.append(f"naturaleza {nature_label(changes['nature'][1])}")
    if "ttr_due_at" in changes and "status" not in changes and changes["ttr_due_at"][0] is not None:
        parts.append(f"solución vence {fmt_dt(datetime.fromisoformat(changes['ttr_due_at'][1]))}")
    return " · ".join(parts)
