"""`mesa requester ...`: the directory of requesters and the personal-data rights (Ley 1581).

mesa requester import FILE            the entity's staff (.csv or .xlsx), all or nothing
mesa requester list [--search TEXT]   the directory, by name
mesa requester export-data ID --file F   everything the desk holds about one person (.json or .xlsx)
mesa requester anonymize ID --reason R   blank their personal data, keep their tickets' statistics
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from mesa_tui.cli import common
from mesa_tui.domain.text import printable

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.requesters import Requesters

MAX_ID = 2**63 - 1
MAX_LIST = 10_000


def register(subparsers: common.Subparsers) -> None:
    r = subparsers.add_parser("requester", help="solicitantes (directorio y datos personales)").add_subparsers(
        dest="requester_command", required=True
    )
    im = r.add_parser("import", help="cargar el personal de la entidad desde .csv o .xlsx (todo o nada)")
    im.add_argument("file")
    im.set_defaults(func=cmd_import)
    ls = r.add_parser("list", help="listar solicitantes")
    ls.add_argument("--search", default="", help="parte del nombre, correo o documento")
    ls.add_argument("--limit", type=common.number_between(1, MAX_LIST), default=200)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)
    ex = r.add_parser("export-data", help="exportar todo lo que la mesa guarda de una persona (.json o .xlsx)")
    ex.add_argument("id", type=common.number_between(1, MAX_ID))
    ex.add_argument("--file", required=True)
    ex.set_defaults(func=cmd_export)
    an = r.add_parser("anonymize", help="anonimizar a una persona (no se deshace)")
    an.add_argument("id", type=common.number_between(1, MAX_ID))
    an.add_argument("--reason", required=True)
    an.set_defaults(func=cmd_anonymize)


def _service(args: argparse.Namespace) -> tuple[Requesters, ActorInfo]:
    from mesa_tui.services.requesters import Requesters

    desk = common.desk(args)
    return Requesters(desk.db), common.actor(args, desk)


def cmd_import(args: argparse.Namespace) -> int:
    service, actor = _service(args)
    result = service.import_file(actor, args.file)
    print(
        f"Solicitantes importados: {result.created} nuevos, {result.updated} actualizados, "
        f"{result.unchanged} sin cambios; {result.dependencies} dependencias nuevas."
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    service, actor = _service(args)
    rows, more = service.search(actor, args.search, args.limit)
    if args.json:
        common.print_json(rows)
        return 0
    for r in rows:
        state = " (anonimizado)" if r.anonymized else ("" if r.active else " (inactivo)")
        print(
            f"{r.id:>6}  {printable(r.name)[:40]:<40}  {printable(r.email or r.phone_text)[:36]:<36}  "
            f"{printable(r.dependency_name)[:40]}{state}"
        )
    if more:
        print(f"… hay más: afine la búsqueda o use --limit (se muestran {len(rows)}).")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    service, actor = _service(args)
    path, tickets = service.export_data(actor, args.id, args.file)
    print(f"Datos del solicitante {args.id} exportados a {path} ({tickets} casos).")
    return 0


def cmd_anonymize(args: argparse.Namespace) -> int:
    service, actor = _service(args)
    info = service.anonymize(actor, args.id, args.reason)
    print(f"Solicitante {info.id} anonimizado: ahora «{info.name}»; sus {info.tickets} casos se conservan.")
    return 0
