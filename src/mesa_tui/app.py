"""MesaApp: modes, global keys, the command palette. No business logic here."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from mesa_tui.domain.changes import TicketChange
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.sessions import CHECK_SECONDS
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.screens.admin.screen import AdminScreen
from mesa_tui.screens.agent.queue import QueueScreen
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.keys import KeysScreen
from mesa_tui.screens.loading import Loader
from mesa_tui.screens.login import LoginScreen
from mesa_tui.screens.supervisor import supervisor_screen
from mesa_tui.services.desk import Desk
from mesa_tui.services.identity import Identity
from mesa_tui.services.live import LiveUpdates, Watch
from mesa_tui.services.queue import QueueService
from mesa_tui.services.sessions import Sessions

# Start-up leaves ~150k long-lived objects (Textual, SQLAlchemy, the calendars'
# tables). A full collection walking them freezes the screen for ~100 ms every
# few seconds of use; once start-up has settled they are moved out of the
# collector's way (gc.freeze), and later full collections only see what the
# session allocates (measured 90-110 ms -> 10-40 ms). Once after the first
# paint, and again when the first reads (calendars, reference lists) are in.
FREEZE_STARTUP_AFTER_S = 2.0

# What counts as someone at the keyboard for the idle logout: keys, clicks, the
# wheel, a paste. A mouse merely moving over a browser tab does not.
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)
LOGIN_MODE = "ingreso"  # a blank screen under the login shown again after a logout


def idle_notice(minutes: float) -> str:
    return f"Su sesión se cerró tras {minutes:g} minutos sin actividad. Ingrese de nuevo."


def idle_reason(minutes: float) -> str:
    return f"inactividad ({minutes:g} min)"


class TicketsChanged(Message):
    """Tickets committed elsewhere (posted from the change feed's thread)."""

    def __init__(self, changes: tuple[TicketChange, ...]) -> None:
        super().__init__()
        self.changes = changes


class MesaApp(App[None]):
    """The help desk. Each mode is a screen stack: "agent" is the queue.

    Supervisor and admin screens join as modes: `add_mode(name, factory)` in
    `__init__` with a factory that takes no arguments (close over `self.ctx`).
    """

    CSS_PATH = "app.tcss"
    TITLE = "Mesa de ayuda TIC"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark,f1", "help", "Ayuda", id="app.help", tooltip="Ver todas las teclas de esta pantalla"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Comandos",
            show=False,
            priority=True,
            id="app.palette",
            tooltip="Buscar y ejecutar un comando de esta pantalla",
        ),
        Binding(
            "ctrl+q", "quit", "Salir", show=False, priority=True, id="app.quit", tooltip="Salir de la mesa de ayuda"
        ),
        Binding(
            "f2",
            "supervisor",
            "Supervisión",
            id="app.supervisor",
            tooltip="Tablero ANS, resumen de la cola e indicadores (supervisores y administradores)",
        ),
        Binding(
            "f5",
            "admin",
            "Administración",
            show=False,
            id="app.admin",
            tooltip="Catálogo, políticas de ANS, matriz de prioridad, agentes, grupos, calendario y parámetros",
        ),
        Binding(
            "K",
            "my_keys",
            "Mis llaves",
            show=False,
            id="app.my_keys",
            tooltip="Sus llaves SSH: con ellas entra a la mesa con «ssh» desde cualquier equipo",
        ),
    ]

    def __init__(
        self,
        desk: Desk,
        actor: ActorInfo | None,
        now: Callable[[], datetime] | None = None,
        keymap: dict[str, str] | None = None,
        *,
        identity: Identity | None = None,
        where: str = "",
        live: bool = True,
        idle_minutes: float | None = None,
    ) -> None:
        """`actor` None: the login screen comes first (`mesa --login`, a browser
        session), and the desk opens as the agent who logs in. `live`: follow other
        sessions' changes to tickets (the visible list or ticket re-reads within a
        second or two). `idle_minutes`: after that long without a key or a click the
        session is logged out (audited) and the login shows again; for sessions that
        start at the login."""
        super().__init__()
        self.desk = desk
        self.clock = now or desk.now
        self.identity = identity or Identity(desk.db, now=self.clock)
        self.where = where
        self.live = live
        self._watch: Watch | None = None
        self._watch_lock = threading.Lock()
        self._closed = False  # the app is gone: a watch that starts now stops at once
        self._session_check: tuple[Loader[None], Timer] | None = None
        self.idle_minutes = idle_minutes
        self._ctx: DeskContext | None = None
        self._desk_modes: list[str] = []
        self._has_login_mode = False
        self._last_input = time.monotonic()
        if keymap:
            self.set_keymap(keymap)
        if actor is not None:
            self._open(actor)

    @property
    def ctx(self) -> DeskContext:
        assert self._ctx is not None, "no session yet: the login screen is showing"
        return self._ctx

    @property
    def session_actor(self) -> ActorInfo | None:
        """Who the session acts as (None while the login screen shows)."""
        return self._ctx.actor if self._ctx is not None else None

    def _open(self, actor: ActorInfo) -> None:
        self._ctx = DeskContext(
            desk=self.desk, queue=QueueService(self.desk.db, now=self.clock), actor=actor, now=self.clock
        )
        modes: dict[str, Callable[[], Screen[Any]]] = {"agent": lambda: QueueScreen(self.ctx)}
        if actor.is_supervisor:
            modes["supervisor"] = lambda: supervisor_screen("board", self.ctx)
        if actor.is_admin:
            modes["admin"] = lambda: AdminScreen(self.ctx)
        for name, factory in modes.items():
            self.add_mode(name, factory)
        self._desk_modes = list(modes)

    def on_mount(self) -> None:
        if self._ctx is None:
            self.push_screen(LoginScreen(self.identity, self.where), self._logged_in)
        else:
            self.switch_mode("agent")
            self._watch_session()
            self._start_watch()
        self.call_after_refresh(gc.freeze)
        self.set_timer(FREEZE_STARTUP_AFTER_S, gc.freeze)
        if self.idle_minutes is not None and self._ctx is None:
            idle_s = self.idle_minutes * 60
            self.set_interval(min(max(idle_s / 10, 0.25), 30.0), partial(self._check_idle, idle_s))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self._last_input = time.monotonic()
        await super().on_event(event)

    async def _check_idle(self, idle_s: float) -> None:
        if self._ctx is not None and time.monotonic() - self._last_input >= idle_s:
            assert self.idle_minutes is not None
            await self.log_out(idle_notice(self.idle_minutes), idle_reason(self.idle_minutes))

    async def log_out(self, notice: str, reason: str) -> None:
        """End the session (audited with `reason`): every screen of the desk goes,
        and the login shows `notice`."""
        if self._ctx is None:
            return
        actor, self._ctx = self._ctx.actor, None
        self._stop_watching()  # the session is closed below: its checks and live feed end with it
        if not self._has_login_mode:
            self.add_mode(LOGIN_MODE, Screen)
            self._has_login_mode = True
        await self.switch_mode(LOGIN_MODE)
        self.push_screen(LoginScreen(self.identity, self.where, notice=notice), self._logged_in)
        for mode in self._desk_modes:
            await self.remove_mode(mode)
        self._desk_modes = []
        self.run_worker(
            partial(self.identity.close_session, actor, self.where, reason),
            thread=True,
            exit_on_error=False,
            group="session",
        )

    def _logged_in(self, actor: ActorInfo | None) -> None:
        if actor is None:
            self.exit()
            return
        self._open(actor)
        self.switch_mode("agent")
        self._watch_session()
        self._start_watch()

    def _watch_session(self) -> None:
        """Every few seconds: is the session still on (an administrator may end it, the
        agent may be deactivated)? The Loader ends the app with the message when not;
        the check also keeps the session's heartbeat (services/sessions.py)."""
        actor = self.ctx.actor
        if actor.session_id is None:
            return
        sessions = Sessions(self.desk.db, now=self.clock)
        checker: Loader[None] = Loader(self, "session-check")
        self._session_check = (
            checker,
            self.set_interval(CHECK_SECONDS, lambda: checker.load(lambda: sessions.keep_alive(actor), lambda _: None)),
        )

    def _stop_watching(self) -> None:
        """A logout: the session's checks stop (a check in flight is dropped) and so
        does the live feed; the next login starts both again."""
        if self._session_check is not None:
            checker, timer = self._session_check
            timer.stop()
            checker.drop()
            self._session_check = None
        with self._watch_lock:
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()

    # --- live updates -----------------------------------------------------------------

    @property
    def live_watch(self) -> Watch | None:
        """The session's watch on other sessions' changes, once it has started."""
        return self._watch

    def _start_watch(self) -> None:
        if self.live and self._watch is None:
            self.run_worker(self._watch_tickets, thread=True, group="live", exit_on_error=False)

    def _watch_tickets(self) -> None:
        # Off the UI thread: starting checks the account and opens the feed's connection.
        try:
            watch = LiveUpdates(self.desk.db, now=self.clock).watch(self.ctx.actor, self._tell)
        except DeskError as exc:  # the lists still refresh on their timers
            self.log.warning(f"live updates off: {exc.message}")
            return
        with self._watch_lock:
            kept = not self._closed
            if kept:
                self._watch = watch
        if not kept:
            watch.stop()

    def _tell(self, changes: tuple[TicketChange, ...]) -> None:
        # In the feed's thread: post_message is the thread-safe way onto the app's queue.
        self.post_message(TicketsChanged(changes))

    def on_tickets_changed(self, message: TicketsChanged) -> None:
        # Only the screen on view reads again; the others do when they come back.
        screen = self.screen
        if isinstance(screen, MesaScreen):
            screen.tickets_changed(message.changes)

    def on_unmount(self) -> None:
        with self._watch_lock:
            self._closed = True
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()
        # Give the frozen objects back to the collector: whatever runs next in
        # this process (a test, another app) must be able to free them.
        gc.unfreeze()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The modes exist only for the roles that may use them (and the
        # services refuse anyone else anyway).
        if self._ctx is None:
            return action not in ("supervisor", "admin")
        if action == "supervisor":
            return self.ctx.actor.is_supervisor and self.current_mode != "supervisor"
        if action == "admin":
            return self.ctx.actor.is_admin and self.current_mode != "admin"
        if action == "my_keys":
            return not isinstance(self.screen, KeysScreen)
        return True

    def action_supervisor(self) -> None:
        self.switch_mode("supervisor")

    def action_admin(self) -> None:
        self.switch_mode("admin")

    def action_my_keys(self) -> None:
        self.push_screen(KeysScreen(self.ctx))

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, MesaScreen):
            screen.action_help()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, MesaScreen):
            yield from screen.palette_commands()
        if self._ctx is None:
            return
        if self.ctx.actor.is_supervisor and self.current_mode != "supervisor":
            yield SystemCommand(
                "Supervisión (F2)", "Tablero ANS, resumen de la cola e indicadores", self.action_supervisor
            )
        if self.ctx.actor.is_admin and self.current_mode != "admin":
            yield SystemCommand(
                "Administración (F5)", "Catálogo, ANS, prioridades, agentes, grupos y calendario", self.action_admin
            )
        yield SystemCommand("Tema de colores", "Cambiar el tema de colores", self.action_change_theme)
