"""`mesa report ...`: the management reports from the command line.

    mesa report indicators [--year 2026] [--format csv|xlsx] [--out FILE]
    mesa report tickets --from 2026-01-01 --to 2026-03-31 [--format csv|xlsx] [--out FILE]

Supervisors and administrators only (the OS login, or `--as` for an admin).
Services are imported inside the handlers so `mesa --help` stays fast.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING

from mesa_tui.cli import common
from mesa_tui.domain.calendar import BOGOTA

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.reports import Reports

FORMATS = ("csv", "xlsx")


def _date(text: str) -> date:
    from mesa_tui.services.reports import FIRST_YEAR, LAST_YEAR

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» no es una fecha válida: use AAAA-MM-DD (p. ej. 2026-01-31)"
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"la fecha {text} está fuera de los años {FIRST_YEAR} a {LAST_YEAR}")
    return day


def _year(text: str) -> int:
    from mesa_tui.services.reports import FIRST_YEAR, LAST_YEAR

    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"«{text}» no es un año: use cuatro cifras (p. ej. 2026)")
    if not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"el año {text} está fuera de {FIRST_YEAR} a {LAST_YEAR}")
    return int(text)


def register(subparsers: common.Subparsers) -> None:
    rep = subparsers.add_parser("report", help="informes de gestión (supervisores y administradores)")
    sub = rep.add_subparsers(dest="report_command", required=True)

    ind = sub.add_parser("indicators", help="indicadores de la mesa de ayuda de un año, mes a mes")
    ind.add_argument("--year", type=_year, help="año (por defecto, el actual)")
    ind.add_argument("--format", choices=FORMATS, default="xlsx", help="csv o xlsx (por defecto xlsx)")
    ind.add_argument("--out", help="archivo de salida (por defecto indicadores-AAAA.FORMATO)")
    ind.set_defaults(func=cmd_report_indicators)

    tk = sub.add_parser("tickets", help="casos registrados entre dos fechas, con el resultado del ANS")
    tk.add_argument("--from", dest="date_from", type=_date, required=True, help="desde (AAAA-MM-DD, incluida)")
    tk.add_argument("--to", dest="date_to", type=_date, required=True, help="hasta (AAAA-MM-DD, incluida)")
    tk.add_argument("--format", choices=FORMATS, default="xlsx", help="csv o xlsx (por defecto xlsx)")
    tk.add_argument("--out", help="archivo de salida (por defecto casos-DESDE-a-HASTA.FORMATO)")
    tk.set_defaults(func=cmd_report_tickets)


def _reports_and_actor(args: argparse.Namespace) -> tuple[Reports, ActorInfo]:
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.reports import Reports

    db = common.database(args)
    return Reports(db), common.actor(args, Desk(db))


def cmd_report_indicators(args: argparse.Namespace) -> int:
    reports, actor = _reports_and_actor(args)
    year = args.year if args.year is not None else datetime.now(BOGOTA).year
    out = args.out or f"indicadores-{year}.{args.format}"
    path = reports.export_indicators(actor, year, out, args.format)
    print(f"Indicadores {year} escritos en {path}")
    return 0


def cmd_report_tickets(args: argparse.Namespace) -> int:
    reports, actor = _reports_and_actor(args)
    out = args.out or f"casos-{args.date_from.isoformat()}-a-{args.date_to.isoformat()}.{args.format}"
    n = reports.export_tickets(actor, args.date_from, args.date_to, out, args.format)
    print(f"{n:,} casos escritos en {out}".replace(",", "."))
    return 0
