"""The queue overview (resumen de la cola): where the open work is.

Tickets by status and support level, the open load of each agent, open tickets
by service and by category, how old they are in business days, and what came in
and was solved today and this week. One read (a few aggregate queries) in a
worker, every 30 s or with `r`; each table is diffed by key.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual.widgets.data_table import ColumnKey

from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.overview import OVERVIEW_STATUSES, AgeingBucket, QueueOverview
from mesa_tui.domain.text import thousands
from mesa_tui.domain.vocab import LEVEL_LABELS, Status
from mesa_tui.screens.context import DeskContext
from mesa_tui.screens.loading import Loader
from mesa_tui.screens.supervisor.base import REFRESH_SECONDS, ScreenFactory, SupervisorScreen, cases
from mesa_tui.services.reports import Reports
from mesa_tui.widgets.format import STATUS_STYLES, local
from mesa_tui.widgets.key_bar import KeyBar
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row
from mesa_tui.widgets.plain import plain
from mesa_tui.widgets.ticket_table import short_name

BAR = "█"
LEVELS = tuple(sorted(LEVEL_LABELS))  # support levels are 1 to 3
WORK_STATUSES = (Status.ASIGNADO, Status.EN_PROCESO, Status.EN_ESPERA)


def count_cell(n: int, style: str = "") -> Text:
    return Text(thousands(n), style=style if n else "dim")


def bucket_label(bucket: AgeingBucket) -> str:
    """Short ageing labels; the section title says they are business days."""
    if bucket.max_days is None:
        return f"Más de {bucket.min_days - 1} días"
    if bucket.min_days == bucket.max_days == 0:
        return "Hoy"
    return f"{bucket.min_days} a {bucket.max_days} días"


def status_rows(ov: QueueOverview, levels: tuple[int, ...] = LEVELS) -> list[Row]:
    def line(key: str, label: str | Text, counts: list[int], total: int, style: str = "") -> Row:
        return Row(key, (label, *(count_cell(n) for n in counts), count_cell(total, "bold")), style=style)

    rows = []
    for status in OVERVIEW_STATUSES[:4]:
        label = Text(status.label, style=STATUS_STYLES.get(status.value, ""))
        rows.append(
            line(status.value, label, [ov.count(status.value, lv) for lv in levels], ov.status_total(status.value))
        )
    rows.append(line("open", "Abiertos", [ov.level_total(lv) for lv in levels], ov.open_total, style="bold"))
    resolved = Status.RESUELTO.value
    rows.append(
        line(resolved, "Resueltos por cerrar", [ov.count(resolved, lv) for lv in levels], ov.status_total(resolved))
    )
    return rows


def agent_rows(ov: QueueOverview) -> list[Row]:
    rows = [
        Row(
            str(a.agent_id),
            (
                short_name(a.name),
                str(a.level),
                *(count_cell(a.by_status.get(s.value, 0)) for s in WORK_STATUSES),
                count_cell(a.total, "bold"),
                count_cell(a.overdue, "bold red"),
            ),
        )
        for a in ov.agents
    ]
    rows.append(
        Row("unassigned", (Text("Sin asignar", style="italic"), "", "", "", "", count_cell(ov.unassigned, "bold"), ""))
    )
    return rows


def ageing_rows(ov: QueueOverview, bar_width: int) -> list[Row]:
    top = max((a.count for a in ov.ageing), default=0)
    rows = []
    for i, a in enumerate(ov.ageing):
        length = round(a.count * bar_width / top) if top else 0
        bar = Text(" " + BAR * max(length, 1 if a.count else 0), style="red" if a.bucket.max_days is None else "cyan")
        rows.append(Row(str(i), (bucket_label(a.bucket), count_cell(a.count), bar)))
    return rows


def throughput_rows(ov: QueueOverview) -> list[Row]:
    tp = ov.throughput
    return [
        Row("received", ("Recibidos", count_cell(tp.received_today), count_cell(tp.received_week))),
        Row("resolved", ("Resueltos", count_cell(tp.resolved_today), count_cell(tp.resolved_week))),
    ]


def _table(columns: list[Column], **kwargs: Any) -> KeyedTable:
    """One of the overview's tables: tight cells, the supervisor's moving keys."""
    return KeyedTable(columns, moves="supervisor", cell_padding=0, **kwargs)


class Section(Vertical):
    """A titled box around one of the overview's tables."""

    def __init__(self, title: str, table: KeyedTable, **kwargs: Any) -> None:
        super().__init__(table, **kwargs)
        self.border_title = title


class OverviewScreen(SupervisorScreen):
    NAME = "overview"

    BINDINGS = [
        Binding(
            "r,R",
            "refresh",
            "Actualizar",
            id="overview.refresh",
            tooltip="Volver a leer el resumen (se actualiza solo cada 30 s)",
        ),
        Binding(
            "x",
            "export",
            "Exportar",
            id="overview.export",
            tooltip="Exportar el informe de casos entre dos fechas (xlsx o csv)",
        ),
        Binding(
            "tab",
            "app.focus_next",
            "Sección siguiente",
            show=False,
            id="overview.next_section",
            tooltip="Pasar a la lista siguiente: agentes, servicios, categorías",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Sección anterior",
            show=False,
            id="overview.prev_section",
            tooltip="Volver a la lista anterior",
        ),
    ]

    def __init__(self, ctx: DeskContext, screens: ScreenFactory, reports: Reports | None = None) -> None:
        super().__init__(ctx, screens, reports)
        self.overview: QueueOverview | None = None
        self._reader: Loader[QueueOverview] = Loader(self, "overview-read", self._read_failed)

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        if self.allowed:
            level_columns = [Column(f"level{lv}", f"Nivel {lv}", 8, numeric=True) for lv in LEVELS]
            with Horizontal(id="overview-top"):
                yield Section(
                    "Casos por estado y nivel",
                    self._fixed_table(
                        [Column("status", "Estado", 20), *level_columns, Column("total", "Total", 8, numeric=True)],
                        "ov-status",
                    ),
                    id="sec-status",
                )
                yield Section(
                    "Antigüedad (días hábiles)",
                    self._fixed_table(
                        [
                            Column("bucket", "Abiertos", 14),
                            Column("count", "Casos", 8, numeric=True),
                            Column("bar", "", share=1),
                        ],
                        "ov-ageing",
                    ),
                    id="sec-ageing",
                )
                yield Section(
                    "Hoy y esta semana",
                    self._fixed_table(
                        [
                            Column("what", "", 10),
                            Column("today", "Hoy", 7, numeric=True),
                            Column("week", "Semana", 7, numeric=True),
                        ],
                        "ov-throughput",
                    ),
                    id="sec-throughput",
                )
            with Horizontal(id="overview-bottom"):
                yield Section(
                    "Carga abierta por agente",
                    _table(
                        [
                            Column("agent", "Agente"),
                            Column("level", "Nv", 3, numeric=True),
                            Column("assigned", "Asig.", 7, numeric=True),
                            Column("working", "Proc.", 7, numeric=True),
                            Column("waiting", "Esp.", 7, numeric=True),
                            Column("total", "Total", 7, numeric=True),
                            Column("overdue", "Venc.", 7, numeric=True),
                        ],
                        id="ov-agents",
                    ),
                    id="sec-agents",
                )
                with Vertical(id="overview-right"):
                    yield Section(
                        "Abiertos por servicio",
                        _table(
                            [
                                Column("code", "Código", 8),
                                Column("name", "Servicio"),
                                Column("count", "Casos", 8, numeric=True),
                            ],
                            id="ov-services",
                        ),
                        id="sec-services",
                    )
                    yield Section(
                        "Abiertos por categoría",
                        _table(
                            [Column("category", "Categoría"), Column("count", "Casos", 8, numeric=True)],
                            id="ov-categories",
                        ),
                        id="sec-categories",
                    )
            yield Static("", id="overview-status", classes="supervisor-status")
        yield KeyBar()

    @staticmethod
    def _fixed_table(columns: list[Column], ident: str) -> KeyedTable:
        """A table of a fixed handful of rows: read, not browsed, so it takes no focus."""
        table = _table(columns, cursor_type="none", zebra_stripes=False, id=ident)
        table.can_focus = False
        return table

    def on_mount(self) -> None:
        if not self.allowed:
            return
        self.section_table("ov-agents").focus()
        self.set_interval(REFRESH_SECONDS, self._periodic_refresh)
        self.reload()

    def section_table(self, ident: str) -> KeyedTable:
        return self.query_one(f"#{ident}", KeyedTable)

    # --- reading --------------------------------------------------------------------

    def reload(self) -> None:
        reports, actor, now = self.reports, self.ctx.actor, self.ctx.now
        self._reader.load(lambda: reports.overview(actor, now=now()), self._show)

    def _show(self, ov: QueueOverview) -> None:
        self.overview = ov
        self.section_table("ov-status").show_rows(status_rows(ov))
        ageing = self.section_table("ov-ageing")
        ageing.show_rows(ageing_rows(ov, max(ageing.columns[ColumnKey("bar")].width - 1, 4)))
        self.section_table("ov-throughput").show_rows(throughput_rows(ov))
        self.section_table("ov-agents").show_rows(agent_rows(ov))
        self.section_table("ov-services").show_rows(
            [Row(str(s.service_id), (s.code, s.name, count_cell(s.count))) for s in ov.services]
        )
        self.section_table("ov-categories").show_rows(
            [Row(c.category, (c.category or "Sin categoría", count_cell(c.count))) for c in ov.categories]
        )
        overdue = sum(a.overdue for a in ov.agents)
        parts = [
            f"Abiertos: {cases(ov.open_total)}",
            f"sin asignar: {thousands(ov.unassigned)}",
            f"vencidos a cargo de agentes: {thousands(overdue)}",
            f"actualizado {local(ov.at):%H:%M:%S} (cada {REFRESH_SECONDS} s)",
        ]
        self.query_one("#overview-status", Static).update(plain("  ·  ".join(parts)))

    def _read_failed(self, error: DeskError) -> None:
        self.notify_read_error("el resumen de la cola", error.message)

    def _periodic_refresh(self) -> None:
        if self.in_front():
            self.reload()

    def on_screen_resume(self) -> None:
        if self.allowed and self.overview is not None:
            self.reload()

    # --- keys -----------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.reload()
        self.notify("Resumen actualizado", timeout=2, markup=False)

    def action_export(self) -> None:
        self.export_tickets()
