"""`mesa ticket ...`: work cases from scripts, in plain text or --json.

    mesa ticket log --requester ... --service SER-004 --subject ...
    mesa ticket list [--view open|mine|unassigned|group] [--text ...] [--status ...] [--after TOKEN]
    mesa ticket show|take|assign|classify|...|survey CODE-OR-ID

A change is made at the version just read, so a concurrent edit is refused.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mesa_tui.cli import common
from mesa_tui.domain.text import printable

if TYPE_CHECKING:
    from mesa_tui.domain.queue import PageCursor
    from mesa_tui.domain.tickets import ActorInfo, TicketInfo
    from mesa_tui.services.desk import Desk


# Database ids are 64-bit signed integers on both engines.
MAX_ID = 2**63 - 1
MAX_LIST = 10_000


def register(subparsers: common.Subparsers) -> None:
    t = subparsers.add_parser("ticket", help="casos, para scripts").add_subparsers(dest="action", required=True)

    def action(
        name: str, help_text: str, func: Callable[[argparse.Namespace], int] | None = None, ticket: bool = True
    ) -> argparse.ArgumentParser:
        a = t.add_parser(name, help=help_text)
        if ticket:
            a.add_argument("ticket", help="código (MDA-2026-000123) o id")
        a.add_argument("--json", action="store_true")
        a.set_defaults(func=func or cmd_change)
        return a

    lg = action("log", "registrar un caso", cmd_log, ticket=False)
    lg.add_argument("--requester", required=True)
    lg.add_argument("--dependency")
    lg.add_argument("--contact", required=True)
    lg.add_argument("--channel", required=True, help="correo|web|telefono|whatsapp|presencial")
    lg.add_argument("--service", required=True, help="código SER-NNN")
    lg.add_argument("--type", required=True, help="incidente|requerimiento|peticion|queja|reclamo|sugerencia")
    lg.add_argument("--subject", required=True)
    lg.add_argument("--description")
    lg.add_argument("--impact", type=int, default=2)
    lg.add_argument("--urgency", type=int, default=2)
    lg.add_argument("--legal-days", type=int)
    ls = action("list", "listar casos", cmd_list, ticket=False)
    ls.add_argument("--view", default="open", choices=["mine", "unassigned", "group", "open"])
    ls.add_argument("--text")
    ls.add_argument("--status")
    ls.add_argument(
        "--limit", type=common.number_between(1, MAX_LIST), default=50, help=f"cuántos casos (1 a {MAX_LIST})"
    )
    ls.add_argument(
        "--after", type=_after, metavar="TOKEN", help="seguir después del último caso listado (el TOKEN que se indicó)"
    )
    action("show", "ver un caso", cmd_show)
    action("take", "tomar")
    a = action("assign", "asignar")
    a.add_argument("--agent")
    a.add_argument("--group", help="nombre del grupo (o su número)")
    c = action("classify", "clasificar")
    c.add_argument("--impact", type=int, required=True)
    c.add_argument("--urgency", type=int, required=True)
    c.add_argument("--nature", required=True, help="hardware|software|red|accesos|otro")
    c.add_argument("--type")
    c.add_argument("--service")
    c.add_argument("--reason", help="motivo (para bajar la prioridad de un caso ajeno o sacar un PQRS de PQRS)")
    e = action("escalate", "escalar")
    e.add_argument("--reason", required=True)
    e.add_argument("--group", help="nombre del grupo (o su número)")
    w = action("wait", "poner en espera")
    w.add_argument("--reason", required=True)
    r = action("resume", "reanudar")
    r.add_argument("--note")
    rs = action("resolve", "resolver")
    rs.add_argument("--solution", required=True)
    rs.add_argument("--mode", required=True, help="remoto|en_sitio")
    cl = action("close", "cerrar")
    cl.add_argument("--note")
    ro = action("reopen", "reabrir")
    ro.add_argument("--reason", required=True)
    an = action("cancel", "anular")
    an.add_argument("--reason", required=True)
    cm = action("comment", "comentar")
    cm.add_argument("--body", required=True)
    cm.add_argument("--public", action="store_true")
    sv = action("survey", "encuesta de satisfacción")
    sv.add_argument("--score", type=int, required=True)
    sv.add_argument("--comment")


def cmd_list(args: argparse.Namespace) -> int:
    from mesa_tui.domain.queue import PageDirection, PageRequest, QueueQuery, QueueView
    from mesa_tui.domain.vocab import Status
    from mesa_tui.services.errors import ValidationError
    from mesa_tui.services.queue import QueueService

    desk = common.desk(args)
    actor = common.actor(args, desk)
    try:
        status = Status(args.status) if args.status else None
    except ValueError:
        raise ValidationError("status", f"El estado «{args.status}» no existe.") from None
    query = QueueQuery(view=QueueView(args.view), text=args.text or "", status=status)
    request = PageRequest(size=args.limit)
    if args.after is not None:
        request = PageRequest(PageDirection.AFTER, args.after, size=args.limit)
    page = QueueService(desk.db).page(actor, query, request)
    if args.json:
        common.print_json(page.rows)
    else:
        for r in page.rows:
            print(f"{r.code}  {r.status:<10} {r.priority:<8} {r.service_code}  {printable(r.subject[:60])}")
    if page.has_after and page.last is not None:
        # On stderr, so a script reading stdout (or --json) gets only the rows.
        print(
            f"Se listaron {len(page.rows)} casos y hay más: siga con --after {_token(page.last)}",
            file=sys.stderr,
        )
    return 0


def _token(cursor: PageCursor) -> str:
    """Where a listing stopped, as a word a script passes back: the due time and the id,
    after a "p" when the ticket is paused (the due order lists those last)."""
    paused, due = cursor.value
    return f"{'p' if paused else ''}{due.astimezone(UTC):%Y%m%dT%H%M%S%f}.{cursor.id}"


def _after(text: str) -> PageCursor:
    from mesa_tui.domain.queue import PageCursor

    stamp, _, ident = text.partition(".")
    paused = stamp.startswith("p")
    stamp = stamp.removeprefix("p")
    try:
        at = datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
        if not ident.isdigit() or not 1 <= int(ident) <= MAX_ID:
            raise ValueError(ident)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» no es un TOKEN de --after: use el que indicó el listado anterior"
        ) from None
    return PageCursor((int(paused), at), int(ident))


def group_id(desk: Desk, actor: ActorInfo, text: str | None) -> int | None:
    """A group named as people name it (accents and case aside), or its number."""
    from mesa_tui.domain.text import fold
    from mesa_tui.services.errors import ValidationError

    if text is None:
        return None
    groups = desk.groups(actor)
    wanted = fold(text.strip())
    for gid, name, _level in groups:
        if fold(name) == wanted or (text.strip().isdigit() and int(text) == gid):
            return gid
    names = ", ".join(name for _gid, name, _level in groups)
    raise ValidationError("group", f"No hay un grupo activo llamado «{text.strip()}». Los grupos: {names}.")


def cmd_log(args: argparse.Namespace) -> int:
    from mesa_tui.services.desk import NewTicket

    desk = common.desk(args)
    actor = common.actor(args, desk)
    info = desk.log(
        actor,
        NewTicket(
            requester_name=args.requester,
            requester_dependency=args.dependency or "",
            requester_contact=args.contact,
            channel=args.channel,
            service_code=args.service,
            type=args.type,
            subject=args.subject,
            description=args.description or "",
            impact=args.impact,
            urgency=args.urgency,
            legal_days=args.legal_days,
        ),
    )
    _print_ticket(info, desk, actor, args.json)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    desk = common.desk(args)
    actor = common.actor(args, desk)  # an unknown user is refused before anything is shown
    ticket_id, _version = _ticket_id(desk, actor, args.ticket)
    _print_ticket(desk.get(actor, ticket_id), desk, actor, args.json)
    if not args.json:
        from mesa_tui.domain.calendar import BOGOTA
        from mesa_tui.domain.tickets import CommentInfo

        for item in desk.timeline(actor, ticket_id):
            when = f"{item.at.astimezone(BOGOTA):%Y-%m-%d %H:%M}"
            if isinstance(item, CommentInfo):
                kind = "respuesta pública" if item.public else "nota interna (no sale de la mesa)"
                print(f"  {when} {printable(item.author_name)} · {kind}:")
                print(_indented(item.body))
            else:
                note = f" {printable(item.note)}" if item.note else ""
                print(f"  {when} {printable(item.by)}: {item.action}{note}")
                solution, mode = item.solution  # each solution given, even one a reopening rejected
                if solution:
                    print(f"    Solución ({mode or '—'}):")
                    print(_indented(solution))
    return 0


def _indented(text: str) -> str:
    return "\n".join(f"      {line}" for line in printable(text).splitlines() or [""])


def cmd_change(args: argparse.Namespace) -> int:
    """One verb on one ticket."""
    desk = common.desk(args)
    actor = common.actor(args, desk)
    ticket_id, version = _ticket_id(desk, actor, args.ticket)
    calls: dict[str, Callable[[], TicketInfo]] = {
        "take": lambda: desk.take(actor, ticket_id, expected_version=version),
        "assign": lambda: desk.assign(
            actor,
            ticket_id,
            agent_login=args.agent,
            group_id=group_id(desk, actor, args.group),
            expected_version=version,
        ),
        "classify": lambda: desk.classify(
            actor,
            ticket_id,
            impact=args.impact,
            urgency=args.urgency,
            nature=args.nature,
            type=args.type,
            service_code=args.service,
            expected_version=version,
            reason=args.reason or "",
        ),
        "escalate": lambda: desk.escalate(
            actor, ticket_id, args.reason, group_id=group_id(desk, actor, args.group), expected_version=version
        ),
        "wait": lambda: desk.wait(actor, ticket_id, args.reason, expected_version=version),
        "resume": lambda: desk.resume(actor, ticket_id, note=args.note or "", expected_version=version),
        "resolve": lambda: desk.resolve(actor, ticket_id, args.solution, args.mode, expected_version=version),
        "close": lambda: desk.close(actor, ticket_id, note=args.note or "", expected_version=version),
        "reopen": lambda: desk.reopen(actor, ticket_id, args.reason, expected_version=version),
        "cancel": lambda: desk.cancel(actor, ticket_id, args.reason, expected_version=version),
        "comment": lambda: desk.comment(actor, ticket_id, args.body, public=args.public),
        "survey": lambda: desk.survey(actor, ticket_id, args.score, args.comment or ""),
    }
    _print_ticket(calls[args.action](), desk, actor, args.json)
    return 0


def _ticket_id(desk: Desk, actor: ActorInfo, ref: str) -> tuple[int, int]:
    """A code (MDA-2026-000123) or a database id; anything else names no ticket."""
    from mesa_tui.services.errors import NotFound

    ref = ref.strip()
    if ref.isdigit():
        if not 1 <= int(ref) <= MAX_ID:
            raise NotFound(f"No existe el caso {ref}.")
        info = desk.get(actor, int(ref))
    else:
        info = desk.find(actor, ref)
    return info.id, info.version


def _print_ticket(info: TicketInfo, desk: Desk, actor: ActorInfo, as_json: bool) -> None:
    from mesa_tui.domain.sla import format_remaining

    if as_json:
        common.print_json(info)
        return
    from mesa_tui.services.clock import utcnow

    cal = desk.calendar(actor, info.sla_calendar)
    now = utcnow()
    risk = desk.risk_threshold(actor)
    p = printable
    print(f"{info.code}  [{info.status}]  {p(info.subject)}")
    print(f"  Solicitante: {p(info.requester_name)} · {p(info.requester_dependency)} · {p(info.requester_contact)}")
    print(f"  Servicio: {info.service_code} {p(info.service_name)}  Tipo: {info.type}  Prioridad: {info.priority}")
    print(f"  Nivel {info.level} · {p(info.group_name)}  Agente: {p(info.agent_name or '-')}  Versión: {info.version}")
    for label, clock, due in (("Respuesta", info.tto, info.tto_due_at), ("Solución", info.ttr, info.ttr_due_at)):
        when = f"vence {due.astimezone(cal.tz):%Y-%m-%d %H:%M}"
        if clock.stopped_at is not None:  # a stopped clock has an outcome, not time left
            outcome = "cumplido" if clock.met(cal) else "incumplido"
            print(f"  {label}: {outcome} · {when} · detenido {clock.stopped_at.astimezone(cal.tz):%Y-%m-%d %H:%M}")
        else:
            print(
                f"  {label}: {clock.state(cal, now, risk)} · {when} · restante {format_remaining(clock.remaining(cal, now))}"
            )
    if info.legal_due_on:
        print(f"  Plazo legal PQRS: {info.legal_due_on.isoformat()}")
    if info.description:
        print("  Descripción:")
        print(_indented(info.description))
    if info.solution:
        print(f"  Solución ({info.solution_mode}):")
        print(_indented(info.solution))
