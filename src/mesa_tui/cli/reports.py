"""`mesa report ...`: the management reports from the command line.

    mesa report indicators [--year 2026] [--format csv|xlsx] [--out FILE|-]
    mesa report tickets --from 2026-01-01 --to 2026-03-31 [--format csv|xlsx] [--out FILE|-]

Without --out the file goes to the reports folder (`reports_dir` in the settings,
else ~/mesa-informes), never to whatever folder the command runs in; `--out -`
writes it to the standard output, for a pipe. Supervisors and administrators
only (the OS login, or `--as` for an admin).
Services are imported inside the handlers so `mesa --help` stays fast.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from mesa_tui.cli import common
from mesa_tui.domain.calendar import BOGOTA
from mesa_tui.domain.text import thousands

if TYPE_CHECKING:
    from mesa_tui.domain.tickets import ActorInfo
    from mesa_tui.services.reports import Reports

FORMATS = ("csv", "xlsx")
T = TypeVar("T")


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
    ind.add_argument("--format", choices=FORMATS, help="csv o xlsx (por defecto, el de la extensión de --out, o xlsx)")
    ind.add_argument(
        "--out",
        help="archivo de salida, o - para la salida estándar (por defecto ~/mesa-informes/indicadores-AAAA.FORMATO)",
    )
    ind.set_defaults(func=cmd_report_indicators)

    tk = sub.add_parser("tickets", help="casos registrados entre dos fechas, con el resultado del ANS")
    tk.add_argument("--from", dest="date_from", type=_date, required=True, help="desde (AAAA-MM-DD, incluida)")
    tk.add_argument("--to", dest="date_to", type=_date, required=True, help="hasta (AAAA-MM-DD, incluida)")
    tk.add_argument("--format", choices=FORMATS, help="csv o xlsx (por defecto, el de la extensión de --out, o xlsx)")
    tk.add_argument(
        "--out",
        help="archivo de salida, o - para la salida estándar (por defecto ~/mesa-informes/casos-DESDE-a-HASTA…)",
    )
    tk.set_defaults(func=cmd_report_tickets)


def _reports_and_actor(args: argparse.Namespace) -> tuple[Reports, ActorInfo]:
    from mesa_tui.services.desk import Desk
    from mesa_tui.services.reports import Reports

    db = common.database(args)
    return Reports(db), common.actor(args, Desk(db))


def _format(args: argparse.Namespace) -> str:
    """--format, else the one --out's extension names, else xlsx; a file named .csv
    is never written as a workbook (nor the other way round)."""
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out and args.out != "-" else ""
    if args.format and suffix in FORMATS and suffix != args.format:
        raise ValueError(f"El archivo {args.out} termina en .{suffix} pero se pidió --format {args.format}.")
    return str(args.format or (suffix if suffix in FORMATS else "xlsx"))


def _target(args: argparse.Namespace, name: str) -> Path | None:
    """The file to write: --out as given, else `name` in the reports folder (made if
    missing); None for `--out -`, the standard output."""
    from mesa_tui.store.config import reports_folder

    if args.out == "-":
        if args.format == "xlsx" and sys.stdout.isatty():
            raise ValueError(
                "Un xlsx no se escribe en la terminal: use --format csv, o --out - con una tubería (| ...)."
            )
        return None
    if args.out:
        return Path(args.out).expanduser()
    folder = reports_folder()
    try:
        folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    except OSError as exc:
        from mesa_tui.domain.errors import describe_os_error

        raise ValueError(describe_os_error(exc, folder, "crear la carpeta de informes")) from None
    return folder / name


def _to_stdout(write: Callable[[BinaryIO], T]) -> T:
    """The file into memory first (an xlsx is a zip, written with seeks), then out."""
    buffer = io.BytesIO()
    result = write(buffer)
    sys.stdout.buffer.write(buffer.getvalue())
    return result


def cmd_report_indicators(args: argparse.Namespace) -> int:
    args.format = _format(args)
    reports, actor = _reports_and_actor(args)
    year = args.year if args.year is not None else datetime.now(BOGOTA).year
    target = _target(args, f"indicadores-{year}.{args.format}")
    if target is None:
        _to_stdout(lambda out: reports.write_indicators(actor, year, out, args.format))
        return 0
    path = reports.export_indicators(actor, year, target, args.format)
    print(f"Indicadores {year} escritos en {path}")
    return 0


def cmd_report_tickets(args: argparse.Namespace) -> int:
    args.format = _format(args)
    reports, actor = _reports_and_actor(args)
    target = _target(args, f"casos-{args.date_from.isoformat()}-a-{args.date_to.isoformat()}.{args.format}")
    if target is None:
        _to_stdout(lambda out: reports.write_tickets(actor, args.date_from, args.date_to, out, args.format))
        return 0
    n = reports.export_tickets(actor, args.date_from, args.date_to, target, args.format)
    print(f"{thousands(n)} casos escritos en {target}")
    return 0
