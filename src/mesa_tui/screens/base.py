"""What agent screens share: the context, help and palette built from the
screen's own bindings, and the ticket actions (one key each, a dialog each)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Protocol

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mesa_tui.domain.tickets import TicketInfo, permission_problem
from mesa_tui.domain.vocab import Priority
from mesa_tui.domain.workflow import Action, allowed
from mesa_tui.screens.context import DeskContext, Reference
from mesa_tui.screens.dialogs import (
    ActionDialog,
    AssignDialog,
    ClassifyDialog,
    CommentDialog,
    ConfirmDialog,
    EscalateDialog,
    HelpScreen,
    Outcome,
    ReasonDialog,
    ResolveDialog,
)
from mesa_tui.services.errors import ServiceError
from mesa_tui.widgets.format import mode_label, nature_label


class TicketLike(Protocol):
    """What the actions need of a ticket: a queue row or a full TicketInfo."""

    id: int
    code: str
    version: int
    subject: str
    status: str
    agent_id: int | None
    group_id: int | None
    level: int
    impact: int
    urgency: int
    nature: str | None
    type: str
    service_code: str
    priority: str


class MesaScreen(Screen):
    """An agent screen: knows the desk context; `?`/F1 and the palette list its keys."""

    HELP_TITLE = ""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx

    def _bindings_in_use(self) -> list[tuple[str, Binding, Any, bool]]:
        """(keys, binding, node, enabled) per binding id, in the order the screen offers them."""
        grouped: dict[str, tuple[list[str], Binding, Any, bool]] = {}
        for key, active in self.active_bindings.items():
            binding = active.binding
            ident = binding.id or f"{binding.action}:{key}"
            display = self.app.get_key_display(Binding(key, binding.action))
            if ident in grouped:
                grouped[ident][0].append(display)
            else:
                grouped[ident] = ([display], binding, active.node, active.enabled)
        return [("/".join(keys), binding, node, enabled) for keys, binding, node, enabled in grouped.values()]

    def help_rows(self) -> list[tuple[str, str, str, str]]:
        """(keys, what, detail, binding id) for every key the screen offers now."""
        return [
            (keys, binding.description, binding.tooltip, binding.id)
            for keys, binding, _node, enabled in self._bindings_in_use()
            if enabled and binding.id and binding.description
        ]

    def palette_commands(self) -> Iterable[SystemCommand]:
        for keys, binding, node, enabled in self._bindings_in_use():
            if not enabled or not binding.description or binding.action in ("command_palette", "app.command_palette"):
                continue
            yield SystemCommand(
                f"{binding.description} ({keys})",
                binding.tooltip or binding.description,
                partial(node.run_action, binding.action),
            )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.HELP_TITLE, self.help_rows()))

    def with_reference(self, then: Callable[[Reference], None]) -> None:
        """Call `then` with the reference lists, reading them first if needed."""
        if self.ctx.reference is not None:
            then(self.ctx.reference)
        else:
            self._read_reference(then)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reference")
    def _read_reference(self, then: Callable[[Reference], None]) -> None:
        try:
            ref = self.ctx.load_reference()
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, f"No se pudieron leer las listas de referencia: {exc}", severity="error"
            )
            return
        self.app.call_from_thread(then, ref)


# Screen action name -> the workflow action it performs.
ACTIONS = {
    "take": Action.TOMAR,
    "assign": Action.ASIGNAR,
    "classify": Action.CLASIFICAR,
    "escalate": Action.ESCALAR,
    "wait": Action.ESPERAR,
    "resume": Action.REANUDAR,
    "comment": Action.COMENTAR,
    "resolve": Action.RESOLVER,
    "close": Action.CERRAR,
    "reopen": Action.REABRIR,
    "cancel_ticket": Action.ANULAR,
}


def toast(action: Action, info: TicketInfo) -> str:
    code = info.code
    if action is Action.TOMAR:
        return f"{code} tomado: queda a cargo de {info.agent_name}"
    if action is Action.ASIGNAR:
        return (
            f"{code} asignado a {info.agent_name}" if info.agent_name else f"{code} asignado al grupo {info.group_name}"
        )
    if action is Action.CLASIFICAR:
        return f"{code} clasificado: prioridad {Priority(info.priority).label.lower()}, {nature_label(info.nature).lower()}"
    if action is Action.ESCALAR:
        return f"{code} escalado a nivel {info.level} ({info.group_name})"
    if action is Action.ESPERAR:
        return f"{code} en espera: el ANS queda en pausa"
    if action is Action.REANUDAR:
        return f"{code} reanudado: el ANS vuelve a correr"
    if action is Action.RESOLVER:
        return f"{code} resuelto (solución {mode_label(info.solution_mode).lower()})"
    if action is Action.CERRAR:
        return f"{code} cerrado"
    if action is Action.REABRIR:
        return f"{code} reabierto"
    if action is Action.ANULAR:
        return f"{code} anulado"
    if action is Action.COMENTAR:
        return f"Comentario agregado a {code}"
    return f"{code}: {action.verb} hecho"


class TicketActionsScreen(MesaScreen):
    """A screen with a current ticket and the lifecycle actions on it.

    Actions the ticket's status or the agent's role do not allow are hidden
    (and their keys do nothing); the service still has the last word.
    """

    BINDINGS = [
        Binding(
            "t",
            "take",
            "Tomar",
            id="ticket.take",
            tooltip="Tomar el caso: queda a su cargo y cuenta como primera respuesta",
        ),
        Binding("a", "assign", "Asignar", id="ticket.assign", tooltip="Asignar el caso a un agente o a un grupo"),
        Binding(
            "c",
            "classify",
            "Clasificar",
            id="ticket.classify",
            tooltip="Impacto, urgencia (prioridad), naturaleza, tipo y servicio",
        ),
        Binding(
            "e",
            "escalate",
            "Escalar",
            id="ticket.escalate",
            tooltip="Pasar el caso a otro grupo o nivel, con el motivo",
        ),
        Binding(
            "w", "wait", "Espera", id="ticket.wait", tooltip="Poner en espera (usuario o proveedor): el ANS se pausa"
        ),
        Binding("u", "resume", "Reanudar", id="ticket.resume", tooltip="Sacar de la espera: el ANS vuelve a correr"),
        Binding("r", "resolve", "Resolver", id="ticket.resolve", tooltip="Registrar la solución, remota o en sitio"),
        Binding("x", "close", "Cerrar caso", id="ticket.close", tooltip="Cerrar un caso resuelto"),
        Binding("o", "reopen", "Reabrir", id="ticket.reopen", tooltip="Reabrir un caso resuelto, con el motivo"),
        Binding(
            "d", "cancel_ticket", "Anular", id="ticket.cancel", tooltip="Anular el caso (supervisores), con el motivo"
        ),
        Binding(
            "m", "comment", "Comentar", id="ticket.comment", tooltip="Agregar una nota interna o un comentario público"
        ),
    ]

    _offered: tuple[bool, ...] | None = None

    def current_ticket(self) -> TicketLike | None:
        raise NotImplementedError

    def offer_signature(self) -> tuple[bool, ...]:
        """Which bindings are on offer now; the footer is rebuilt only when it changes."""
        ticket = self.current_ticket()
        return tuple(self.may(action, ticket) for action in ACTIONS.values())

    def offer_changed(self) -> None:
        # Rebuilding the footer costs a frame: not on every cursor move.
        signature = self.offer_signature()
        if signature != self._offered:
            self._offered = signature
            self.refresh_bindings()

    def after_action(self, info: TicketInfo | None) -> None:
        """Reload what the screen shows after a change (or a refusal)."""
        raise NotImplementedError

    def may(self, action: Action, ticket: TicketLike | None = None) -> bool:
        ticket = ticket or self.current_ticket()
        if ticket is None:
            return False
        if not allowed(action, ticket.status):
            return False
        return permission_problem(self.ctx.actor, action, ticket.agent_id) is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS:
            return self.may(ACTIONS[action])
        return True

    # --- the actions ---------------------------------------------------------------

    def action_take(self) -> None:
        self._start("take")

    def action_assign(self) -> None:
        self._start("assign")

    def action_classify(self) -> None:
        self._start("classify")

    def action_escalate(self) -> None:
        self._start("escalate")

    def action_wait(self) -> None:
        self._start("wait")

    def action_resume(self) -> None:
        self._start("resume")

    def action_resolve(self) -> None:
        self._start("resolve")

    def action_close(self) -> None:
        self._start("close")

    def action_reopen(self) -> None:
        self._start("reopen")

    def action_cancel_ticket(self) -> None:
        self._start("cancel_ticket")

    def action_comment(self) -> None:
        self._start("comment")

    def _start(self, name: str) -> None:
        ticket = self.current_ticket()
        action = ACTIONS[name]
        if ticket is None or not self.may(action, ticket):
            return
        self.with_reference(lambda ref: self._open(name, action, ticket, ref))

    def _open(self, name: str, action: Action, t: TicketLike, ref: Reference) -> None:
        desk, actor, tid, version = self.ctx.desk, self.ctx.actor, t.id, t.version
        dialog: ActionDialog
        if name == "take":
            dialog = ConfirmDialog(
                f"Tomar {t.code}",
                f"«{t.subject}»\n\nEl caso queda a su cargo y se registra la primera respuesta.",
                lambda v: desk.take(actor, tid, expected_version=version),
                confirm="Tomar",
            )
        elif name == "assign":
            dialog = AssignDialog(
                t.code,
                ref.agents,
                ref.groups,
                t.agent_id,
                lambda v: desk.assign(
                    actor, tid, agent_login=v["agent"], group_id=v["group"], expected_version=version, note=v["note"]
                ),
            )
        elif name == "classify":
            dialog = ClassifyDialog(
                t,
                ref.services,
                ref.matrix,
                lambda v: desk.classify(
                    actor,
                    tid,
                    impact=v["impact"],
                    urgency=v["urgency"],
                    nature=v["nature"],
                    type=v["type"],
                    service_code=v["service"],
                    expected_version=version,
                ),
            )
        elif name == "escalate":
            dialog = EscalateDialog(
                t.code,
                ref.groups,
                t.group_id,
                t.level,
                lambda v: desk.escalate(actor, tid, v["reason"], group_id=v["group"], expected_version=version),
            )
        elif name == "wait":
            dialog = ReasonDialog(
                f"Poner en espera {t.code}",
                "Motivo de la espera",
                lambda v: desk.wait(actor, tid, v["reason"], expected_version=version),
                placeholder="Esperando respuesta del usuario",
                confirm="Poner en espera",
                intro="Mientras el caso está en espera el ANS no corre.",
            )
        elif name == "resume":
            dialog = ReasonDialog(
                f"Reanudar {t.code}",
                "Nota (opcional)",
                lambda v: desk.resume(actor, tid, note=v["note"], expected_version=version),
                field="note",
                placeholder="El usuario respondió",
                confirm="Reanudar",
            )
        elif name == "resolve":
            dialog = ResolveDialog(
                t.code, lambda v: desk.resolve(actor, tid, v["solution"], v["mode"], expected_version=version)
            )
        elif name == "close":
            dialog = ConfirmDialog(
                f"Cerrar {t.code}",
                f"«{t.subject}»\n\n¿Cerrar el caso? El solicitante confirmó la solución.",
                lambda v: desk.close(actor, tid, expected_version=version),
                confirm="Cerrar caso",
            )
        elif name == "reopen":
            dialog = ReasonDialog(
                f"Reabrir {t.code}",
                "Motivo de la reapertura",
                lambda v: desk.reopen(actor, tid, v["reason"], expected_version=version),
                placeholder="El problema persiste",
                confirm="Reabrir",
            )
        elif name == "cancel_ticket":
            dialog = ReasonDialog(
                f"Anular {t.code}",
                "Motivo de la anulación",
                lambda v: desk.cancel(actor, tid, v["reason"], expected_version=version),
                placeholder="Caso duplicado",
                confirm="Anular",
                intro="Un caso anulado sale de la cola y no cuenta en los indicadores.",
            )
        else:
            dialog = CommentDialog(t.code, lambda v: desk.comment(actor, tid, v["body"], public=v["public"]))
        self.app.push_screen(dialog, partial(self._finished, action))

    def _finished(self, action: Action, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            self.notify_refusal(outcome.error)
            self.after_action(None)
            return
        self.notify(toast(action, outcome.info), title="Hecho", markup=False)
        self.after_action(outcome.info)

    def notify_refusal(self, error: ServiceError) -> None:
        self.notify(error.message, title="No se pudo", severity="error", timeout=8, markup=False)
