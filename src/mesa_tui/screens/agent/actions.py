"""The ticket actions, described once: the key, the workflow action, the dialog
and what the toast says, one row each.

A screen with a current ticket holds a `TicketActions` (the queue, the ticket
screen, the SLA board): it offers only the actions the ticket's status and the
agent's role allow (the service still has the last word), opens the dialog and
says how it went. The queue and the ticket screen offer every action on its key
(`TicketKeys`); the board offers reassign and escalate on keys of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, Protocol, TypeVar, cast

from textual.binding import Binding
from textual.dom import DOMNode

from mesa_tui.domain.limits import WAIT_REASON
from mesa_tui.domain.tickets import ActorInfo, TicketInfo, permission_problem
from mesa_tui.domain.vocab import Priority
from mesa_tui.domain.workflow import Action, allowed
from mesa_tui.screens.agent.ticket_dialogs import (
    AssignDialog,
    ClassifyDialog,
    CommentDialog,
    EscalateDialog,
    ResolveDialog,
    TicketLike,
)
from mesa_tui.screens.base import MesaScreen
from mesa_tui.screens.context import Reference
from mesa_tui.screens.dialogs import ActionDialog, ConfirmDialog, Outcome, ReasonDialog
from mesa_tui.services.desk import Desk
from mesa_tui.widgets.format import mode_label, nature_label

Dialog = ActionDialog[TicketInfo]


class ActionTarget(Protocol):
    """What deciding whether an action is offered needs of a ticket (a board row has no more)."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def agent_id(self) -> int | None: ...


T = TypeVar("T", bound=ActionTarget)


@dataclass(frozen=True)
class TicketAction:
    name: str  # the screen action: "take" runs `action_take`
    action: Action  # the workflow action it performs
    binding: Binding
    dialog: Callable[[TicketLike, Reference, Desk, ActorInfo], Dialog]
    toast: Callable[[TicketInfo], str]


def _take(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ConfirmDialog(
        f"Tomar {t.code}",
        f"«{t.subject}»\n\nEl caso queda a su cargo y se registra la primera respuesta.",
        lambda v: desk.take(actor, tid, expected_version=version),
        confirm="Tomar",
    )


def _assign(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return AssignDialog(
        t.code,
        ref.agents,
        ref.groups,
        t.agent_id,
        lambda v: desk.assign(
            actor, tid, agent_login=v["agent"], group_id=v["group"], expected_version=version, note=v["note"]
        ),
    )


def _classify(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ClassifyDialog(
        t,
        ref.services,
        ref.matrix,
        actor,
        lambda v: desk.classify(
            actor,
            tid,
            impact=v["impact"],
            urgency=v["urgency"],
            nature=v["nature"],
            type=v["type"],
            service_code=v["service"],
            expected_version=version,
            reason=v["reason"],
        ),
    )


def _escalate(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return EscalateDialog(
        t.code,
        ref.groups,
        t.group_id,
        t.level,
        lambda v: desk.escalate(actor, tid, v["reason"], group_id=v["group"], expected_version=version),
    )


def _wait(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ReasonDialog(
        f"Poner en espera {t.code}",
        "Motivo de la espera",
        lambda v: desk.wait(actor, tid, v["reason"], expected_version=version),
        placeholder="Esperando respuesta del usuario",
        confirm="Poner en espera",
        intro="Mientras el caso está en espera el ANS no corre.",
        limit=WAIT_REASON,
    )


def _resume(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ReasonDialog(
        f"Reanudar {t.code}",
        "Nota (opcional)",
        lambda v: desk.resume(actor, tid, note=v["note"], expected_version=version),
        field="note",
        placeholder="El usuario respondió",
        confirm="Reanudar",
    )


def _resolve(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ResolveDialog(t.code, lambda v: desk.resolve(actor, tid, v["solution"], v["mode"], expected_version=version))


def _close(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ConfirmDialog(
        f"Cerrar {t.code}",
        f"«{t.subject}»\n\n¿Cerrar el caso? El solicitante confirmó la solución.",
        lambda v: desk.close(actor, tid, expected_version=version),
        confirm="Cerrar caso",
    )


def _reopen(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ReasonDialog(
        f"Reabrir {t.code}",
        "Motivo de la reapertura",
        lambda v: desk.reopen(actor, tid, v["reason"], expected_version=version),
        placeholder="El problema persiste",
        confirm="Reabrir",
    )


def _cancel(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid, version = t.id, t.version
    return ReasonDialog(
        f"Anular {t.code}",
        "Motivo de la anulación",
        lambda v: desk.cancel(actor, tid, v["reason"], expected_version=version),
        placeholder="Caso duplicado",
        confirm="Anular",
        intro="Un caso anulado sale de la cola y no cuenta en los indicadores.",
    )


def _comment(t: TicketLike, ref: Reference, desk: Desk, actor: ActorInfo) -> Dialog:
    tid = t.id
    return CommentDialog(t.code, lambda v: desk.comment(actor, tid, v["body"], public=v["public"]))


def _assigned(i: TicketInfo) -> str:
    return f"{i.code} asignado a {i.agent_name}" if i.agent_name else f"{i.code} asignado al grupo {i.group_name}"


def _classified(i: TicketInfo) -> str:
    return f"{i.code} clasificado: prioridad {Priority(i.priority).label.lower()}, {nature_label(i.nature).lower()}"


# In the order the keys are offered (help, footer, palette).
TICKET_ACTIONS = (
    TicketAction(
        "take",
        Action.TOMAR,
        Binding(
            "t",
            "take",
            "Tomar",
            id="ticket.take",
            tooltip="Tomar el caso: queda a su cargo y cuenta como primera respuesta",
        ),
        _take,
        lambda i: f"{i.code} tomado: queda a cargo de {i.agent_name}",
    ),
    TicketAction(
        "assign",
        Action.ASIGNAR,
        Binding("a", "assign", "Asignar", id="ticket.assign", tooltip="Asignar el caso a un agente o a un grupo"),
        _assign,
        _assigned,
    ),
    TicketAction(
        "classify",
        Action.CLASIFICAR,
        Binding(
            "c",
            "classify",
            "Clasificar",
            id="ticket.classify",
            tooltip="Impacto, urgencia (prioridad), naturaleza, tipo y servicio",
        ),
        _classify,
        _classified,
    ),
    TicketAction(
        "escalate",
        Action.ESCALAR,
        Binding(
            "e",
            "escalate",
            "Escalar",
            id="ticket.escalate",
            tooltip="Pasar el caso a otro grupo o nivel, con el motivo",
        ),
        _escalate,
        lambda i: f"{i.code} escalado a nivel {i.level} ({i.group_name})",
    ),
    TicketAction(
        "wait",
        Action.ESPERAR,
        Binding(
            "w", "wait", "Espera", id="ticket.wait", tooltip="Poner en espera (usuario o proveedor): el ANS se pausa"
        ),
        _wait,
        lambda i: f"{i.code} en espera: el ANS queda en pausa",
    ),
    TicketAction(
        "resume",
        Action.REANUDAR,
        Binding("u", "resume", "Reanudar", id="ticket.resume", tooltip="Sacar de la espera: el ANS vuelve a correr"),
        _resume,
        lambda i: f"{i.code} reanudado: el ANS vuelve a correr",
    ),
    TicketAction(
        "resolve",
        Action.RESOLVER,
        Binding("r", "resolve", "Resolver", id="ticket.resolve", tooltip="Registrar la solución, remota o en sitio"),
        _resolve,
        lambda i: f"{i.code} resuelto (solución {mode_label(i.solution_mode).lower()})",
    ),
    TicketAction(
        "close",
        Action.CERRAR,
        Binding("x", "close", "Cerrar caso", id="ticket.close", tooltip="Cerrar un caso resuelto"),
        _close,
        lambda i: f"{i.code} cerrado",
    ),
    TicketAction(
        "reopen",
        Action.REABRIR,
        Binding("o", "reopen", "Reabrir", id="ticket.reopen", tooltip="Reabrir un caso resuelto, con el motivo"),
        _reopen,
        lambda i: f"{i.code} reabierto",
    ),
    TicketAction(
        "cancel_ticket",
        Action.ANULAR,
        Binding(
            "d", "cancel_ticket", "Anular", id="ticket.cancel", tooltip="Anular el caso (supervisores), con el motivo"
        ),
        _cancel,
        lambda i: f"{i.code} anulado",
    ),
    TicketAction(
        "comment",
        Action.COMENTAR,
        Binding(
            "m", "comment", "Comentar", id="ticket.comment", tooltip="Agregar una nota interna o un comentario público"
        ),
        _comment,
        lambda i: f"Comentario agregado a {i.code}",
    ),
)
ACTIONS = {a.name: a for a in TICKET_ACTIONS}


class TicketActions(Generic[T]):
    """The ticket actions of one screen, on the ticket `current()` returns.

    `after(info)` reloads what the screen shows once an action is done (or was
    refused: then `info` is None). Without `prepare` the current ticket carries
    all a dialog needs (a queue row, a TicketInfo) and the dialog opens once the
    reference lists are read; `prepare(name, ticket)` gets it otherwise and opens
    the dialog with `open` (the board reads the ticket as stored now).
    """

    def __init__(
        self,
        screen: MesaScreen[Any],
        current: Callable[[], T | None],
        after: Callable[[TicketInfo | None], None],
        prepare: Callable[[str, T], None] | None = None,
    ) -> None:
        self.screen = screen
        self.current = current
        self.after = after
        self.prepare = prepare
        self._offered: tuple[object, ...] | None = None

    def may(self, name: str, ticket: T | None = None) -> bool:
        ticket = ticket or self.current()
        if ticket is None:
            return False
        action = ACTIONS[name].action
        if not allowed(action, ticket.status):
            return False
        return permission_problem(self.screen.ctx.actor, action, ticket.agent_id) is None

    def check(self, action: str) -> bool | None:
        """For the screen's `check_action`: whether a ticket action is offered now (None: not one)."""
        return self.may(action) if action in ACTIONS else None

    def offer_changed(self, *more: object) -> None:
        """Rebuild the footer if what is on offer changed (`more`: the screen's own
        conditions). Rebuilding it costs a frame: not on every cursor move."""
        ticket = self.current()
        signature = (*(self.may(name, ticket) for name in ACTIONS), *more)
        if signature != self._offered:
            self._offered = signature
            self.screen.refresh_bindings()

    def start(self, name: str) -> None:
        ticket = self.current()
        if ticket is None or not self.may(name, ticket):
            return
        if self.prepare is not None:
            self.prepare(name, ticket)
        else:
            full = cast(TicketLike, ticket)
            self.screen.with_reference(lambda ref: self.open(name, full, ref))

    def open(self, name: str, ticket: TicketLike, ref: Reference) -> None:
        ctx = self.screen.ctx
        dialog = ACTIONS[name].dialog(ticket, ref, ctx.desk, ctx.actor)
        self.screen.app.push_screen(dialog, partial(self._finished, name))

    def _finished(self, name: str, outcome: Outcome[TicketInfo] | None) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            self.screen.notify_refusal(outcome.error)
            self.after(None)
            return
        self.screen.notify(ACTIONS[name].toast(outcome.info), title="Hecho", markup=False)
        self.after(outcome.info)


class TicketKeys(DOMNode):
    """Every ticket action on its key, for a screen that offers them all (the queue,
    the ticket). Mixed in after the screen class; the screen sets `ticket_actions`."""

    BINDINGS = [a.binding for a in TICKET_ACTIONS]

    ticket_actions: TicketActions[Any]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        offered = self.ticket_actions.check(action)
        return super().check_action(action, parameters) if offered is None else offered

    def action_take(self) -> None:
        self.ticket_actions.start("take")

    def action_assign(self) -> None:
        self.ticket_actions.start("assign")

    def action_classify(self) -> None:
        self.ticket_actions.start("classify")

    def action_escalate(self) -> None:
        self.ticket_actions.start("escalate")

    def action_wait(self) -> None:
        self.ticket_actions.start("wait")

    def action_resume(self) -> None:
        self.ticket_actions.start("resume")

    def action_resolve(self) -> None:
        self.ticket_actions.start("resolve")

    def action_close(self) -> None:
        self.ticket_actions.start("close")

    def action_reopen(self) -> None:
        self.ticket_actions.start("reopen")

    def action_cancel_ticket(self) -> None:
        self.ticket_actions.start("cancel_ticket")

    def action_comment(self) -> None:
        self.ticket_actions.start("comment")
