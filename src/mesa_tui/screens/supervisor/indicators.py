"""The help desk's indicators (indicadores) for a year, laid out as the entity
reports them: Ene..Dic (the current month marked *, "en curso"), the seed's
promedio, meta and whether it was met; the detail adds the year-to-date ratio.

Under the table, the selected indicator's formula with its numerator and
denominator month by month, and a chart of its year against the target. ←/→
change the year, `x` exports the table (xlsx or csv), `m` changes a target
(administrators).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import partial
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.indicators import (
    MONTH_NAMES,
    MONTHS,
    NO_CASES,
    Frequency,
    IndicatorRow,
    IndicatorTable,
    IndicatorValue,
    format_percent,
)
from mesa_tui.domain.limits import SETTING_VALUE
from mesa_tui.domain.text import thousands
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.dialogs import OneFieldDialog, Outcome
from mesa_tui.screens.loading import Loader
from mesa_tui.screens.supervisor.base import ScreenFactory, SupervisorScreen
from mesa_tui.screens.supervisor.exports import ExportIndicatorsDialog
from mesa_tui.services.reports import FIRST_YEAR, Reports
from mesa_tui.widgets.format import local
from mesa_tui.widgets.indicator_chart import IndicatorChart
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row
from mesa_tui.widgets.plain import plain

# What fits the table's first column; the detail under it gives the full name.
SHORT_NAMES = {
    "eficiencia": "Eficiencia de solicitudes",
    "software": "Soporte software",
    "hardware": "Soporte hardware",
    "remoto": "Soporte remoto",
    "satisfaccion": "Satisfacción (semestral)",
    "ans_resolucion": "ANS de solución",
    "ans_respuesta": "ANS de respuesta",
}
NAME_WIDTH = 26
MONTH_WIDTH = 6
TAIL_WIDTH = 7
COLUMNS = (
    Column("name", " Indicador (%)"),
    Column("target", "Meta", MONTH_WIDTH, numeric=True),
    *(Column(f"m{m}", MONTH_NAMES[m - 1], MONTH_WIDTH, numeric=True) for m in range(1, MONTHS + 1)),
    Column("average", "Prom.", TAIL_WIDTH, numeric=True),
    Column("met", "Cumple", TAIL_WIDTH, numeric=True),
)
MET_STYLES = {True: "green", False: "bold red", None: "dim"}


def short_percent(value: Fraction | None) -> str:
    """A percentage in a narrow cell: "94,6", "100" (the header says %)."""
    if value is None:
        return "—"
    text = f"{float(value):.1f}".replace(".", ",")
    return text.removesuffix(",0")


def value_cell(value: IndicatorValue, target: Fraction, in_progress: bool = False) -> Text:
    """A month's value; the month in progress is marked * (its figure will still move)."""
    mark = "*" if in_progress else ""
    return Text(short_percent(value.percent_exact) + mark, style=MET_STYLES[value.meets(target)])


def indicator_row(row: IndicatorRow) -> Row:
    d = row.definition
    return Row(
        d.key,
        (
            Text(" " + SHORT_NAMES.get(d.key, d.name), style="bold"),
            short_percent(row.target),
            *(value_cell(v, row.target, m == row.current_month) for m, v in enumerate(row.months, start=1)),
            Text(short_percent(row.average), style=MET_STYLES[row.met]),
            Text({True: "Sí", False: "No", None: "—"}[row.met], style=MET_STYLES[row.met]),
        ),
    )


def met_words(met: bool | None) -> Text:
    return Text(
        {True: "cumple la meta", False: "no cumple la meta", None: "sin casos"}[met],
        style=MET_STYLES[met],
    )


def detail(row: IndicatorRow) -> Group:
    """Formula, numerator and denominator month by month, aligned with the table above."""
    d = row.definition
    head = Text.assemble((d.name, "bold"), f" · {d.frequency.label.lower()} · meta {row.target_label} · promedio ")
    head.append(row.average_label if row.average is not None else NO_CASES)
    head.append(" · ")
    head.append_text(met_words(row.met))
    ytd = row.year_to_date
    head.append(" · acumulado del año ")
    head.append(format_percent(ytd.percent_exact))
    if ytd.has_cases:
        head.append(f" ({thousands(ytd.numerator)} de {thousands(ytd.denominator)})", style="dim")
    formula = Text.assemble(("Fórmula: ", "bold"), d.formula)

    grid = Table.grid(padding=0)
    grid.add_column(width=NAME_WIDTH, no_wrap=True)
    grid.add_column(width=MONTH_WIDTH)
    for _ in range(MONTHS):
        grid.add_column(width=MONTH_WIDTH, justify="right", no_wrap=True)
    grid.add_column(width=2 * TAIL_WIDTH, justify="right", no_wrap=True)
    totals = row.totals
    for label, counts, total in (
        ("Numerador", [v.numerator for v in row.months], totals.numerator),
        ("Denominador", [v.denominator for v in row.months], totals.denominator),
    ):
        grid.add_row(Text(f" {label}", style="dim"), "", *(thousands(n) for n in counts), f"año {thousands(total)}")
    parts: list[RenderableType] = [head, formula, grid]
    parts.append(Text.assemble(("Numerador: ", "dim"), d.numerator, ("  ·  Denominador: ", "dim"), d.denominator))
    if d.frequency is Frequency.SEMESTRAL:
        line = Text("Se evalúa por semestre: ", style="dim")
        for i, v in enumerate(row.semesters, start=1):
            if i > 1:
                line.append("  ·  ")
            line.append(f"semestre {i} ")
            line.append(format_percent(v.percent_exact), style=MET_STYLES[v.meets(row.target)])
            if v.has_cases:
                line.append(f" ({thousands(v.numerator)} de {thousands(v.denominator)})", style="dim")
        parts.append(line)
    return Group(*parts)


class IndicatorsScreen(SupervisorScreen):
    NAME = "indicators"
    HELP_NOTES = (
        "Promedio: como en el cuadro de indicadores de la entidad, el promedio de los meses del año "
        "(de los semestres, en Satisfacción), un mes sin casos cuenta 0 % y se redondea al entero "
        "(91 = 1094 / 12). En el año en curso promedia los meses hasta el actual, marcado * (en curso).",
        "Acumulado del año (en el detalle): los casos de esos meses sumados, numerador sobre denominador.",
        "Un indicador puede pasar de 100 %: Eficiencia cuenta los casos resueltos en el mes, vengan del mes "
        "que vengan, sobre los recibidos en el mes; un mes que despeja pendientes da más de 100 % "
        "(el cuadro de la entidad muestra 128 %).",
    )

    BINDINGS = [
        Binding(
            "left,h",
            "year(-1)",
            "Año anterior",
            id="indicators.prev_year",
            tooltip="Ver los indicadores del año anterior",
        ),
        Binding(
            "right,l",
            "year(1)",
            "Año siguiente",
            id="indicators.next_year",
            tooltip="Ver los indicadores del año siguiente",
        ),
        Binding(
            "x", "export", "Exportar", id="indicators.export", tooltip="Exportar los indicadores del año (xlsx o csv)"
        ),
        Binding(
            "X",
            "export_tickets",
            "Exportar casos",
            show=False,
            id="indicators.export_tickets",
            tooltip="Exportar el informe de casos entre dos fechas (xlsx o csv)",
        ),
        Binding(
            "m",
            "target",
            "Meta",
            id="indicators.target",
            tooltip="Cambiar la meta del indicador seleccionado (administradores)",
        ),
        Binding(
            "r,R",
            "refresh",
            "Actualizar",
            show=False,
            id="indicators.refresh",
            tooltip="Volver a leer los indicadores del año",
        ),
    ]

    def __init__(self, ctx: DeskContext, screens: ScreenFactory, reports: Reports | None = None) -> None:
        super().__init__(ctx, screens, reports)
        self.this_year = local(ctx.now()).year
        self.year = self.this_year
        self.data: IndicatorTable | None = None  # the table on screen
        self._years: dict[int, IndicatorTable] = {}  # read this visit; `r` reads again
        # Every year read is kept, until what was read goes stale (`r`, a new target).
        self._reader: Loader[IndicatorTable] = Loader(self, "indicators-read", latest_only=False)
        self._prefetcher: Loader[IndicatorTable] = Loader(self, "indicators-prefetch", latest_only=False)

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        if self.allowed:
            yield Static("", id="ind-year")
            yield KeyedTable(COLUMNS, moves="supervisor", cell_padding=0, id="ind-table")
            yield Static("", id="ind-detail")
            yield IndicatorChart(id="ind-chart")
            yield Static("", id="ind-status", classes="supervisor-status")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.allowed:
            return
        self.table.focus()
        self._show_year()
        self.reload()

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#ind-table", KeyedTable)

    # --- reading --------------------------------------------------------------------

    def reload(self, fresh: bool = True) -> None:
        """Show the chosen year: from what this visit already read unless `fresh`."""
        if fresh:
            self._reader.drop()
            self._prefetcher.drop()
            self._years.clear()
        table = self._years.get(self.year)
        if table is not None:
            self._present(table)
            return
        self.query_one("#ind-status", Static).update(plain(f"Leyendo los indicadores de {self.year}…"))
        year = self.year
        self._reader.load(self._indicators(year), partial(self._read, year), partial(self._read_failed, year))

    def _indicators(self, year: int) -> Callable[[], IndicatorTable]:
        reports, actor = self.reports, self.ctx.actor
        return lambda: reports.indicators(actor, year)

    def _read(self, year: int, table: IndicatorTable) -> None:
        self._years[year] = table
        if year == self.year:
            self._present(table)

    def _read_failed(self, year: int, error: DeskError) -> None:
        if year == self.year:
            self.notify_read_error(f"los indicadores de {year}", error.message)

    def _present(self, table: IndicatorTable) -> None:
        self.data = table
        self.table.show_rows([indicator_row(r) for r in table.rows])
        self._show_year()
        self._show_selected()
        met = sum(1 for r in table.rows if r.met)
        measured = sum(1 for r in table.rows if r.met is not None)
        current = table.current_month
        in_progress = f" · * {MONTH_NAMES[current - 1]} en curso" if current is not None else ""
        self.query_one("#ind-status", Static).update(
            plain(
                f"{table.year}: {met} de {measured} indicadores con casos cumplen la meta  ·  "
                f"verde cumple, rojo no cumple, — sin casos{in_progress}"
            )
        )
        self.refresh_bindings()
        # The year before is the one a supervisor looks at next.
        previous = table.year - 1
        if previous >= FIRST_YEAR and previous not in self._years:
            # Read before it is asked for, so ← shows it at once; a failure is said if it is asked for.
            self._prefetcher.load(self._indicators(previous), partial(self._read, previous))

    def _show_year(self) -> None:
        bar = Text.assemble(("Indicadores de la mesa de ayuda  ", "bold"))
        bar.append("◀ " if self.year > FIRST_YEAR else "  ", style="bold")
        bar.append(f" {self.year} ", style="bold reverse")
        bar.append(" ▶" if self.year < self.this_year else "  ", style="bold")
        bar.append("   ←/→ cambian el año · x exporta · j/k eligen el indicador del gráfico", style="dim")
        self.query_one("#ind-year", Static).update(bar)

    @on(DataTable.RowHighlighted, "#ind-table")
    def _show_selected(self) -> None:
        row, data = self.selected, self.data
        if row is None or data is None:
            return
        self.query_one("#ind-detail", Static).update(detail(row))
        self.query_one(IndicatorChart).show(row, data.year)

    @property
    def selected(self) -> IndicatorRow | None:
        key = self.table.current_key if self.is_mounted else None
        if self.data is None or key is None:
            return None
        return self.data.row(key)

    # --- keys -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action == "year":
            year = self.year + int(str(parameters[0]))
            return FIRST_YEAR <= year <= self.this_year
        if action == "target":
            return bool(self.ctx.actor.is_admin) and self.selected is not None
        if action == "export":
            return self.data is not None
        return True

    def action_year(self, step: int) -> None:
        year = self.year + step
        if not FIRST_YEAR <= year <= self.this_year:
            return
        self.year = year
        self._show_year()
        self.reload(fresh=False)
        self.refresh_bindings()

    def action_refresh(self) -> None:
        self.reload()

    def action_export(self) -> None:
        reports, actor, year = self.reports, self.ctx.actor, self.year

        def run(v: dict[str, Any]) -> str:
            if v["stream"] is not None:  # a browser session: a download
                reports.write_indicators(actor, year, v["stream"], v["format"])
                return f"Descargado como {v['out']}"
            return str(reports.export_indicators(actor, year, v["out"], v["format"]))

        dialog = ExportIndicatorsDialog(year, run)
        self.app.push_screen(dialog, lambda outcome: self._exported(year, outcome))

    def _exported(self, year: int, outcome: Outcome[str] | None) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            self.notify_refusal(outcome.error)
            return
        self.notify(outcome.info, title=f"Indicadores de {year} exportados", timeout=8, markup=False)

    def action_export_tickets(self) -> None:
        self.export_tickets()

    def action_target(self) -> None:
        row = self.selected
        if row is None:
            return
        reports, actor, key = self.reports, self.ctx.actor, row.definition.key
        dialog = OneFieldDialog(
            f"Meta de «{row.definition.name}»",
            "Meta (%)",
            lambda v: reports.set_target(actor, key, v["target"]),
            field="target",
            value=short_percent(row.target),
            intro="Porcentaje de 0 a 100, p. ej. 95 o 92,5. Cambia el «Cumple» de todos los años.",
            limit=SETTING_VALUE,
        )
        self.app.push_screen(dialog, lambda outcome: self._target_changed(row, outcome))

    def _target_changed(self, row: IndicatorRow, outcome: Outcome[Fraction] | None) -> None:
        if outcome is None:
            return
        if outcome.error is not None:
            self.notify_refusal(outcome.error)
            return
        self.notify(
            f"{row.definition.name}: meta {format_percent(outcome.info, 0 if outcome.info.denominator == 1 else 1)}",
            title="Meta cambiada",
            markup=False,
        )
        self.reload()
