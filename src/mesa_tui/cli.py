"""The `mesa` command: start the TUI, or run a scripted task.

Heavy modules (textual, the services) are imported only by the commands that
need them, so scripted commands start fast.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path


def _os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (containers)
        return "unknown"


def _db(args):
    from mesa_tui.store.engine import Database

    return Database(args.db) if args.db else Database()


def _desk(args):
    from mesa_tui.services.desk import Desk

    return Desk(_db(args))


def _actor(args, desk):
    return desk.resolve_actor(_os_login(), args.as_login)


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {k: _jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    return value


def _print_ticket(info, desk, as_json: bool) -> None:
    from mesa_tui.domain.sla import format_remaining

    if as_json:
        print(json.dumps(_jsonable(info), ensure_ascii=False, indent=2))
        return
    from mesa_tui.services.clock import utcnow

    cal = desk.calendar(info.sla_calendar)
    now = utcnow()
    risk = desk.risk_threshold()
    print(f"{info.code}  [{info.status}]  {info.subject}")
    print(f"  Solicitante: {info.requester_name} · {info.requester_dependency} · {info.requester_contact}")
    print(f"  Servicio: {info.service_code} {info.service_name}  Tipo: {info.type}  Prioridad: {info.priority}")
    print(f"  Nivel {info.level} · {info.group_name}  Agente: {info.agent_name or '-'}  Versión: {info.version}")
    for label, clock, due in (("Respuesta", info.tto, info.tto_due_at), ("Solución", info.ttr, info.ttr_due_at)):
        print(
            f"  {label}: {clock.state(cal, now, risk)} · vence {due.astimezone(cal.tz):%Y-%m-%d %H:%M}"
            f" · restante {format_remaining(clock.remaining(cal, now))}"
        )
    if info.legal_due_on:
        print(f"  Plazo legal PQRS: {info.legal_due_on.isoformat()}")
    if info.solution:
        print(f"  Solución ({info.solution_mode}): {info.solution}")


# --- commands ---------------------------------------------------------------


def cmd_run(args) -> int:
    desk = _desk(args)
    actor = _actor(args, desk)
    from mesa_tui.app import MesaApp
    from mesa_tui.keymap import KeymapError, load_keymap

    try:
        keymap = load_keymap()
    except KeymapError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    MesaApp(desk, actor, keymap=keymap).run()
    return 0


def cmd_db_upgrade(args) -> int:
    from mesa_tui.store import migrate
    from mesa_tui.store.seed import seed_reference_data

    db = _db(args)
    migrate.upgrade(db)
    seed_reference_data(db)
    print(f"Base de datos al día: {db.url}")
    return 0


def cmd_catalog_import(args) -> int:
    from mesa_tui.services.admin import Admin
    from mesa_tui.services.catalog import import_catalog

    db = _db(args)
    actor = _maybe_actor(args, db)
    text = Path(args.file).read_text(encoding="utf-8")
    # An admin's import re-targets tickets of moved services; the first load has none.
    result = Admin(db).import_catalog(actor, text) if actor is not None else import_catalog(db, text)
    print(f"Catálogo importado: {result.created} nuevos, {result.updated} modificados, {result.unchanged} sin cambios.")
    return 0


def cmd_catalog_export(args) -> int:
    from mesa_tui.services.catalog import export_catalog

    text = export_catalog(_db(args))
    Path(args.file).write_text(text, encoding="utf-8")
    print(f"Catálogo exportado a {args.file}")
    return 0


def _maybe_actor(args, db):
    """Admin tasks need an admin, except on a desk with no agents yet (setup)."""
    from mesa_tui.services.desk import Desk

    desk = Desk(db)
    if not desk.agents() and args.as_login is None:
        return None
    return desk.resolve_actor(_os_login(), args.as_login)


def cmd_demo(args) -> int:
    import time

    from mesa_tui.demo import generate

    db = _db(args)
    t0 = time.perf_counter()
    stats = generate(db, tickets=args.tickets, seed=args.seed, admin_login=_os_login())
    elapsed = time.perf_counter() - t0
    print(
        f"Datos de demostración: {stats['tickets']:,} casos, {stats['agents']} agentes, "
        f"{stats['events']:,} eventos en {elapsed:.1f} s".replace(",", ".")
    )
    return 0


def cmd_maintenance(args) -> int:
    desk = _desk(args)
    closed = desk.auto_close()
    print(f"Cierre automático: {len(closed)} casos cerrados" + (f" ({', '.join(closed)})" if closed else ""))
    return 0


def _ticket_id(desk, ref: str) -> tuple[int, int]:
    info = desk.get(int(ref)) if ref.isdigit() else desk.find(ref)
    return info.id, info.version


def cmd_ticket(args) -> int:
    from mesa_tui.services.desk import NewTicket

    desk = _desk(args)
    if args.action == "list":
        from mesa_tui.domain.queue import PageRequest, QueueQuery, QueueView
        from mesa_tui.domain.vocab import Status
        from mesa_tui.services.errors import ValidationError
        from mesa_tui.services.queue import QueueService

        actor = _actor(args, desk)
        try:
            status = Status(args.status) if args.status else None
        except ValueError:
            raise ValidationError("status", f"El estado «{args.status}» no existe.") from None
        query = QueueQuery(view=QueueView(args.view), text=args.text or "", status=status)
        rows = QueueService(desk.db).page(actor, query, PageRequest(size=max(1, args.limit))).rows
        if args.json:
            print(json.dumps([_jsonable(r) for r in rows], ensure_ascii=False, indent=2))
        else:
            for r in rows:
                print(f"{r.code}  {r.status:<10} {r.priority:<8} {r.service_code}  {r.subject[:60]}")
        return 0
    actor = _actor(args, desk)
    if args.action == "log":
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
        _print_ticket(info, desk, args.json)
        return 0
    ticket_id, version = _ticket_id(desk, args.ticket)
    if args.action == "show":
        info = desk.get(ticket_id)
        _print_ticket(info, desk, args.json)
        if not args.json:
            cal_tz = desk.calendar("office").tz
            for item in desk.timeline(ticket_id):
                text = getattr(item, "note", None) or getattr(item, "body", "")
                who = getattr(item, "actor_name", None) or getattr(item, "author_name", "")
                what = getattr(item, "action", "comentario")
                print(f"  {item.at.astimezone(cal_tz):%Y-%m-%d %H:%M} {who}: {what} {text}")
        return 0
    calls = {
        "take": lambda: desk.take(actor, ticket_id, expected_version=version),
        "assign": lambda: desk.assign(
            actor, ticket_id, agent_login=args.agent, group_id=args.group, expected_version=version
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
        ),
        "escalate": lambda: desk.escalate(actor, ticket_id, args.reason, group_id=args.group, expected_version=version),
        "wait": lambda: desk.wait(actor, ticket_id, args.reason, expected_version=version),
        "resume": lambda: desk.resume(actor, ticket_id, note=args.note or "", expected_version=version),
        "resolve": lambda: desk.resolve(actor, ticket_id, args.solution, args.mode, expected_version=version),
        "close": lambda: desk.close(actor, ticket_id, note=args.note or "", expected_version=version),
        "reopen": lambda: desk.reopen(actor, ticket_id, args.reason, expected_version=version),
        "cancel": lambda: desk.cancel(actor, ticket_id, args.reason, expected_version=version),
        "comment": lambda: desk.comment(actor, ticket_id, args.body, public=args.public),
        "survey": lambda: desk.survey(actor, ticket_id, args.score, args.comment or ""),
    }
    _print_ticket(calls[args.action](), desk, args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mesa", description="Mesa de ayuda de TI en la terminal.")
    p.add_argument("--as", dest="as_login", metavar="LOGIN", help="actuar como otro agente (administradores)")
    p.add_argument("--db", help="URL de la base de datos (por defecto MESA_DATABASE_URL o sqlite:///db/mesa.db)")
    p.set_defaults(func=cmd_run)
    sub = p.add_subparsers(dest="command")
    from mesa_tui.cli_report import add_report_commands

    add_report_commands(sub)

    db = sub.add_parser("db", help="base de datos").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="crear o migrar la base de datos").set_defaults(func=cmd_db_upgrade)

    cat = sub.add_parser("catalog", help="catálogo de servicios").add_subparsers(dest="catalog_command", required=True)
    ci = cat.add_parser("import", help="cargar un archivo de catálogo (todo o nada)")
    ci.add_argument("file")
    ci.set_defaults(func=cmd_catalog_import)
    ce = cat.add_parser("export", help="escribir el catálogo en un archivo")
    ce.add_argument("file")
    ce.set_defaults(func=cmd_catalog_export)

    demo = sub.add_parser("demo", help="crear datos de demostración")
    demo.add_argument("--tickets", type=int, default=400)
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(func=cmd_demo)

    sub.add_parser("maintenance", help="cierre automático de casos resueltos").set_defaults(func=cmd_maintenance)

    t = sub.add_parser("ticket", help="casos, para scripts").add_subparsers(dest="action", required=True)

    def action(name, help_text, ticket=True):
        a = t.add_parser(name, help=help_text)
        if ticket:
            a.add_argument("ticket", help="código (MDA-2026-000123) o id")
        a.add_argument("--json", action="store_true")
        a.set_defaults(func=cmd_ticket)
        return a

    lg = action("log", "registrar un caso", ticket=False)
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
    ls = action("list", "listar casos", ticket=False)
    ls.add_argument("--view", default="open", choices=["mine", "unassigned", "group", "open"])
    ls.add_argument("--text")
    ls.add_argument("--status")
    ls.add_argument("--limit", type=int, default=50)
    action("show", "ver un caso")
    action("take", "tomar")
    a = action("assign", "asignar")
    a.add_argument("--agent")
    a.add_argument("--group", type=int)
    c = action("classify", "clasificar")
    c.add_argument("--impact", type=int, required=True)
    c.add_argument("--urgency", type=int, required=True)
    c.add_argument("--nature", required=True, help="hardware|software|red|accesos|otro")
    c.add_argument("--type")
    c.add_argument("--service")
    e = action("escalate", "escalar")
    e.add_argument("--reason", required=True)
    e.add_argument("--group", type=int)
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
    return p


def main(argv: list[str] | None = None) -> int:
    from mesa_tui.services.errors import ServiceError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ServiceError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 2
    except ValueError as exc:
        # Catalog file errors and other refused input: the message names the line or field.
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"Error: no se encontró el archivo {exc.filename or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
