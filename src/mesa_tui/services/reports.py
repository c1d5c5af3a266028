"""The supervisor's reads and the management reports.

Queue overview, SLA board (counts and pages), the yearly indicator table, the
targets (metas) and the two exports. Every read is one read transaction of a
few aggregate queries; nothing loops over the tickets in Python except the
ticket export, which streams its rows a chunk at a time.

Supervisors and administrators only; changing a target is for administrators
and leaves an audit event.

The indicator table's files are written here, the ticket export's in
services/ticket_export.py, both by the conventions of services/files.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from mesa_tui.domain.board import BoardGroup, SlaBoardCounts, SlaBoardPage
from mesa_tui.domain.calendar import BOGOTA, BusinessCalendar
from mesa_tui.domain.dates import local_day_start
from mesa_tui.domain.indicators import (
    INDICATORS,
    NO_CASES,
    Family,
    Frequency,
    IndicatorDef,
    IndicatorRow,
    IndicatorTable,
    build_table,
    format_target,
    indicator,
    month_bounds,
    parse_target,
)
from mesa_tui.domain.overview import QueueOverview, Throughput, ageing_cutoffs, build_overview
from mesa_tui.domain.queue import PageRequest
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import (
    Role,
    Status,
)
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.base import Service
from mesa_tui.services.errors import PermissionDenied, ValidationError
from mesa_tui.services.files import atomic_write, check_format, write_csv, xlsx_row
from mesa_tui.services.ticket_export import Lookups, ticket_values, tickets_csv, tickets_xlsx
from mesa_tui.store import board_repo, schedules_repo, stats_repo
from mesa_tui.store import tickets_repo as repo
from mesa_tui.store.engine import Session

FIRST_YEAR, LAST_YEAR = 2000, 2100
TARGET_PREFIX = "meta."
T = TypeVar("T")


class Reports(Service):
    """Reads for the supervisor's screens and the report exports over one database."""

    # --- queue overview ---------------------------------------------------------

    def overview(self, actor: ActorInfo, now: datetime | None = None) -> QueueOverview:
        require_actor(actor)
        now = now or self.now()
        with self.db.read() as s:
            _check_supervisor(s, actor)
            cals, _risk = _sla_setup(s)
            office = cals["office"]
            cuts = board_repo.sla_cuts(s, cals, now, risk=None)  # overdue only
            cube = stats_repo.open_cube(s, ageing_cutoffs(office, now), cuts)
            resolved_by_level = stats_repo.count_by_level(s, Status.RESUELTO.value)
            today = now.astimezone(BOGOTA).date()
            day_start, day_end = local_day_start(today), local_day_start(today + timedelta(days=1))
            week_start = local_day_start(today - timedelta(days=today.weekday()))
            throughput = Throughput(
                received_today=stats_repo.received_between(s, day_start, day_end),
                resolved_today=stats_repo.resolved_between(s, day_start, day_end),
                received_week=stats_repo.received_between(s, week_start, day_end),
                resolved_week=stats_repo.resolved_between(s, week_start, day_end),
            )
            agents = stats_repo.agents_with_groups(s)
            services = stats_repo.services_with_categories(s)
        return build_overview(now, cube, resolved_by_level, throughput, agents, services)

    # --- SLA board ----------------------------------------------------------------

    def sla_board_counts(self, actor: ActorInfo, now: datetime | None = None) -> SlaBoardCounts:
        require_actor(actor)
        now = now or self.now()
        with self.db.read() as s:
            _check_supervisor(s, actor)
            cals, risk = _sla_setup(s)
            cuts = board_repo.sla_cuts(s, cals, now, risk)
            return SlaBoardCounts(now, board_repo.board_counts(s, cuts))

    def sla_board_page(
        self,
        actor: ActorInfo,
        group: BoardGroup | None = None,
        request: PageRequest | None = None,
        now: datetime | None = None,
    ) -> SlaBoardPage:
        """Open tickets in due order, one page: of one board group, or all of them
        (group None). Each row carries its group and remaining business time at `now`."""
        require_actor(actor)
        now = now or self.now()
        request = request or PageRequest()
        with self.db.read() as s:
            _check_supervisor(s, actor)
            cals, risk = _sla_setup(s)
            # Only these groups need the per-target risk cuts (one more query).
            needs_risk = group in (BoardGroup.EN_RIESGO, BoardGroup.EN_TIEMPO)
            cuts = board_repo.sla_cuts(s, cals, now, risk if needs_risk else None)
            rows, before, after = board_repo.board_page(s, group, request, cuts, cals, now, risk)
        return SlaBoardPage(now, group, tuple(rows), before, after, request)

    # --- indicators and targets ---------------------------------------------------------

    def indicators(self, actor: ActorInfo, year: int) -> IndicatorTable:
        require_actor(actor)
        _check_year(year)
        with self.db.read() as s:
            _check_supervisor(s, actor)
            counts = stats_repo.indicator_counts(s, month_bounds(year))
            targets = _targets(s)
        return build_table(year, counts, targets, today=self.now().astimezone(BOGOTA).date())

    def targets(self, actor: ActorInfo) -> list[tuple[IndicatorDef, Fraction]]:
        require_actor(actor)
        with self.db.read() as s:
            _check_supervisor(s, actor)
            targets = _targets(s)
        return [(d, targets[d.target_key]) for d in INDICATORS]

    def set_target(self, actor: ActorInfo, indicator_key: str, value: str) -> Fraction:
        """Change an indicator's target (administrators); `value` as typed ("92,5", "92,5 %").

        The target is a setting: the write and its audit event are the admin
        service's, so there is one way to change a setting."""
        require_actor(actor)
        from mesa_tui.services.admin import Admin

        try:
            definition = indicator(indicator_key)
        except ValueError:
            raise ValidationError("indicator", f"No existe el indicador «{indicator_key}».") from None
        try:
            target = parse_target(value)
        except ValueError as exc:
            raise ValidationError("target", str(exc)) from None
        stored = Admin(self.db, self.now).set_setting(actor, definition.target_key, format_target(target))
        return parse_target(stored)

    # --- exports --------------------------------------------------------------------

    def export_indicators(self, actor: ActorInfo, year: int, path: str | Path, fmt: str) -> Path:
        require_actor(actor)
        fmt = check_format(fmt)
        table = self.indicators(actor, year)
        path = Path(path)
        atomic_write(path, lambda out: (_indicators_csv if fmt == "csv" else _indicators_xlsx)(table, out))
        return path

    def write_indicators(self, actor: ActorInfo, year: int, out: BinaryIO, fmt: str) -> None:
        """The indicators' file written to `out` (a browser download, the standard
        output) instead of a path."""
        require_actor(actor)
        fmt = check_format(fmt)
        (_indicators_csv if fmt == "csv" else _indicators_xlsx)(self.indicators(actor, year), out)

    def export_tickets(self, actor: ActorInfo, date_from: date, date_to: date, path: str | Path, fmt: str) -> int:
        """Tickets created from `date_from` to `date_to` (Bogotá dates, both
        included) with their SLA outcome; returns how many were written."""
        require_actor(actor)
        write = self._tickets_writer(actor, date_from, date_to, fmt)
        return atomic_write(Path(path), write)

    def write_tickets(self, actor: ActorInfo, date_from: date, date_to: date, out: BinaryIO, fmt: str) -> int:
        """The ticket report written to `out` (a browser download, the standard
        output) instead of a path."""
        require_actor(actor)
        return self._tickets_writer(actor, date_from, date_to, fmt)(out)

    def _tickets_writer(self, actor: ActorInfo, date_from: date, date_to: date, fmt: str) -> Callable[[BinaryIO], int]:
        """The report's input checked; what writes it once the file is open."""
        fmt = check_format(fmt)
        for field, which, day in (("date_from", "inicial", date_from), ("date_to", "final", date_to)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:  # the indicators' years: no 0001 or 9999
                raise ValidationError(
                    field,
                    f"La fecha {which} debe estar entre los años {FIRST_YEAR} y {LAST_YEAR} (recibida: {day.isoformat()}).",
                )
        if date_from > date_to:
            raise ValidationError(
                "date_from",
                f"La fecha inicial ({date_from.isoformat()}) es posterior a la final ({date_to.isoformat()}).",
            )
        now = self.now()

        def write(out: BinaryIO) -> int:
            with self.db.read() as s:
                _check_supervisor(s, actor)
                cals, risk = _sla_setup(s)
                lookups = Lookups(
                    services=stats_repo.services_with_categories(s),
                    agents=stats_repo.agent_names(s),
                    groups=stats_repo.group_names(s),
                    schedules={w.code: w.name for w in schedules_repo.schedules(s)},
                )
                tickets = stats_repo.tickets_created_between(
                    s, local_day_start(date_from), local_day_start(date_to + timedelta(days=1))
                )
                records = (ticket_values(t, lookups, cals, now, risk) for t in tickets)
                return tickets_csv(records, out) if fmt == "csv" else tickets_xlsx(records, out)

        return write


# --- helpers: permissions and settings -------------------------------------------------


def _check_supervisor(s: Session, actor: ActorInfo) -> ActorInfo:
    """The actor as stored now: active, and a supervisor or an administrator."""
    agent = current_actor(s, actor)
    if agent.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied("El tablero, los indicadores y los informes son para supervisores y administradores.")
    return agent


def _sla_setup(s: Session) -> tuple[dict[str, BusinessCalendar], float]:
    return repo.calendars(s), float(repo.setting(s, "risk_threshold", "0.75"))


def _targets(s: Session) -> dict[str, Fraction]:
    stored = stats_repo.settings_with_prefix(s, TARGET_PREFIX)
    out = {}
    for d in INDICATORS:
        try:
            out[d.target_key] = parse_target(stored[d.target_key])
        except (KeyError, ValueError):
            out[d.target_key] = d.default_target  # missing or unreadable: the seed's target
    return out


def _check_year(year: int) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError("year", f"El año debe estar entre {FIRST_YEAR} y {LAST_YEAR} (recibido: {year!r}).")


# --- indicator files ----------------------------------------------------------------------

SEMESTER_HEADERS = ("Semestre 1", "Semestre 2")


def _number(value: Fraction | float, decimals: int = 1) -> Decimal:
    """A figure rounded for the CSV, which writes it with a decimal comma."""
    return Decimal(f"{float(value):.{decimals}f}")


def _csv_percent(value: Fraction | None, decimals: int = 1) -> Decimal | str:
    return NO_CASES if value is None else _number(value, decimals)


def _component_rows(row: IndicatorRow) -> list[tuple[str, str, list[int], tuple[int, ...]]]:
    d = row.definition
    return [
        ("Numerador", d.numerator, [v.numerator for v in row.months], tuple(v.numerator for v in row.semesters)),
        (
            "Denominador",
            d.denominator,
            [v.denominator for v in row.months],
            tuple(v.denominator for v in row.semesters),
        ),
    ]


def _indicators_csv(table: IndicatorTable, out: BinaryIO) -> None:
    header = [
        "Año",
        "Familia",
        "Indicador",
        "Componente",
        "Descripción",
        "Meta (%)",
        "Frecuencia",
        *table.month_labels(long=True),
        *SEMESTER_HEADERS,
        "Promedio",
        "Cumple",
        "Acumulado del año",
    ]
    write_csv(out, header, _indicator_csv_rows(table))


def _indicator_csv_rows(table: IndicatorTable) -> Iterator[list[object]]:
    for row in table.rows:
        d = row.definition
        semestral = d.frequency is Frequency.SEMESTRAL
        semesters = [_csv_percent(v.percent_exact) for v in row.semesters] if semestral else ["", ""]
        yield [
            table.year,
            d.family.value,
            d.name,
            "Indicador (%)",
            d.formula,
            _number(row.target, 0 if row.target.denominator == 1 else 1),
            d.frequency.label,
            *(_csv_percent(v.percent_exact) for v in row.months),
            *semesters,
            _csv_percent(row.average, 0),
            row.met_label,
            _csv_percent(row.year_to_date.percent_exact),
        ]
        ytd = (row.year_to_date.numerator, row.year_to_date.denominator)
        for (component, label, months, sems), pooled in zip(_component_rows(row), ytd, strict=True):
            yield [
                table.year,
                d.family.value,
                d.name,
                component,
                label,
                "",
                "",
                *months,
                *(sems if semestral else ("", "")),
                "",
                "",
                pooled,
            ]


def _indicators_xlsx(table: IndicatorTable, out: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    met_fill = PatternFill("solid", fgColor="C6EFCE")
    missed_fill = PatternFill("solid", fgColor="FFC7CE")
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"Indicadores de la mesa de ayuda {table.year}"
    for family in Family:
        rows = table.family(family)
        semestral = any(r.definition.frequency is Frequency.SEMESTRAL for r in rows)
        ws = wb.create_sheet(family.value)
        header = [
            "Indicador",
            "Fórmula / componente",
            "Meta",
            "Frecuencia",
            *table.month_labels(long=True),
            *(SEMESTER_HEADERS if semestral else ()),
            "Promedio",
            "Cumple",
            "Acumulado del año",
        ]
        ws.append(xlsx_row(ws, header))
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        first_value_col = 5
        for row in rows:
            d = row.definition
            periods = list(row.months) + (list(row.semesters) if semestral else [])
            values: list[Any] = [v.ratio if v.has_cases else NO_CASES for v in periods]
            average = None if row.average is None else float(row.average) / 100
            ws.append(
                xlsx_row(
                    ws,
                    [
                        d.name,
                        d.formula,
                        float(row.target) / 100,
                        d.frequency.label,
                        *values,
                        NO_CASES if average is None else average,
                        row.met_label,
                        row.year_to_date.ratio if row.year_to_date.has_cases else NO_CASES,
                    ],
                )
            )
            r = ws.max_row
            ws.cell(r, 1).font = bold
            ws.cell(r, 3).number_format = "0%" if row.target.denominator == 1 else "0.0%"
            for offset, v in enumerate(periods):
                cell = ws.cell(r, first_value_col + offset)
                if v.has_cases:
                    cell.number_format = "0.0%"
                    cell.fill = met_fill if v.meets(row.target) else missed_fill
                else:
                    cell.alignment = Alignment(horizontal="center")
            avg_cell = ws.cell(r, first_value_col + len(periods))
            if average is not None:
                avg_cell.number_format = "0%"
            met_cell = ws.cell(r, first_value_col + len(periods) + 1)
            if row.met is not None:
                met_cell.fill = met_fill if row.met else missed_fill
            if row.year_to_date.has_cases:
                ws.cell(r, first_value_col + len(periods) + 2).number_format = "0.0%"
            ytd = (row.year_to_date.numerator, row.year_to_date.denominator)
            for (component, label, months, sems), pooled in zip(_component_rows(row), ytd, strict=True):
                ws.append(
                    xlsx_row(
                        ws,
                        [
                            d.name,
                            f"{component}: {label}",
                            None,
                            None,
                            *months,
                            *(sems if semestral else ()),
                            None,
                            None,
                            pooled,
                        ],
                    )
                )
        ws.freeze_panes = "E2"
        ws.column_dimensions["A"].width = 32
        ws.column_dimensions["B"].width = 60
        ws.column_dimensions["D"].width = 11
        for col in range(3, len(header) + 1):
            if col != 4:
                ws.column_dimensions[get_column_letter(col)].width = 10
    wb.save(out)
