"""The indicators screen: the year's table, the year keys, the formula and chart of
the selected indicator, the export (read back with openpyxl) and the targets."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from rich.console import Console
from textual.widgets import Input

from mesa_tui.domain.indicators import NO_CASES
from mesa_tui.screens.dialogs import OneFieldDialog
from mesa_tui.screens.supervisor.exports import ExportIndicatorsDialog
from mesa_tui.services.reports import Reports
from mesa_tui.widgets.indicator_chart import IndicatorChart
from mesa_tui.widgets.keyed_table import KeyedTable as SupervisorTable
from tests.screens.supervisor.support import cells, show
from tests.screens.support import SIZE, settle, toasts


def grid(screen) -> dict[str, list[str]]:
    t = screen.query_one("#ind-table", SupervisorTable)
    return {key: cells(t, key) for key in t.keys}


async def test_the_year_laid_out_as_the_entity_reports_it(make_app, kpi_tickets):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        ind = await show(app, pilot, "indicators")
        rows = grid(ind)
        assert list(rows) == [
            "eficiencia",
            "software",
            "hardware",
            "remoto",
            "satisfaccion",
            "ans_resolucion",
            "ans_respuesta",
        ]
        # name, meta, Ene..Dic, promedio, cumple. Today is in November 2026, "en curso" (*):
        # the promedio counts January to November, months without cases as 0 %, half up.
        late = ["—", "—*", "—"]
        assert rows["eficiencia"] == ["Eficiencia de solicitudes", "95", "100", "0", *["—"] * 7, *late, "9", "No"]
        assert rows["software"] == ["Soporte software", "95", "100", "0", *["—"] * 7, *late, "9", "No"]
        assert rows["hardware"] == ["Soporte hardware", "60", "100", *["—"] * 8, *late, "9", "No"]
        assert rows["remoto"] == ["Soporte remoto", "40", "50", *["—"] * 8, *late, "5", "No"]  # 50 / 11 = 4,5
        # Semestral: (100 + 0) / 2, the second semester begun without a survey.
        assert rows["satisfaccion"] == ["Satisfacción (semestral)", "95", "100", *["—"] * 8, *late, "50", "No"]
        assert rows["ans_respuesta"][2:4] == ["100", "—"]
        status = str(ind.query_one("#ind-status").render())
        assert "2026: 0 de 7 indicadores con casos cumplen la meta" in status and "* Nov en curso" in status

        text = _plain(ind.query_one("#ind-detail").content)
        assert "Fórmula: Cantidad solicitudes resueltas / Cantidad solicitudes recibidas × 100" in text
        assert "Numerador: Solicitudes resueltas en el mes" in text
        assert "año 2" in text and "año 3" in text  # 2 resolved of 3 received in the year
        assert "acumulado del año 66,7%" in text and "(2 de 3)" in text

        chart = ind.query_one(IndicatorChart)
        drawn = chart.plt.uncolorize(chart.plt.build())
        assert "Eficiencia de solicitudes 2026" in drawn and "meta 95%" in drawn and "Ene" in drawn

        await pilot.press("j", "j", "j", "j")  # the semestral one: its semesters are spelled out
        text = _plain(ind.query_one("#ind-detail").content)
        assert "Nivel de satisfacción 2026" in chart.plt.uncolorize(chart.plt.build())
        assert "Nivel de satisfacción · semestral" in text and "semestre 1 100,0% (1 de 1)" in text


async def test_left_and_right_change_the_year(make_app, kpi_tickets, monkeypatch):
    years_read = []
    indicators = Reports.indicators
    monkeypatch.setattr(
        Reports, "indicators", lambda self, actor, year: (years_read.append(year), indicators(self, actor, year))[1]
    )
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        ind = await show(app, pilot, "indicators")
        assert years_read == [2026, 2025]  # the year before is read ahead, off the screen's path
        await pilot.press("right")  # no year after the current one
        await settle(app, pilot)
        assert ind.year == 2026
        await pilot.press("left")
        await settle(app, pilot)
        assert ind.year == 2025 and years_read == [2026, 2025, 2024]  # shown from what was read
        rows = grid(ind)
        assert rows["eficiencia"][2:14] == [*["—"] * 9, "100", "—", "—"]  # October
        assert rows["software"][-2:] == ["—", "—"]  # no software cases: sin casos, no verdict
        assert "2025" in str(ind.query_one("#ind-year").render())
        await pilot.press("right")
        await settle(app, pilot)
        assert ind.year == 2026 and grid(ind)["eficiencia"][2] == "100"
        await pilot.press("r")  # read again for real
        await settle(app, pilot)
        assert years_read[3:] == [2026, 2025]


async def test_export_xlsx_to_the_confirmed_path(make_app, kpi_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, "indicators")
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportIndicatorsDialog)
        assert dialog.query_one("#input-out", Input).value == "~/mesa-indicadores-2026.xlsx"
        assert not dialog.query_one("#export-exists").display
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not dialog
        await pilot.press("x")  # again: the file is there now, and the dialog says so
        await settle(app, pilot)
        note = app.screen.query_one("#export-exists")
        assert note.display and "se preguntará antes de reemplazarlo" in str(note.render())

    path = tmp_path / "mesa-indicadores-2026.xlsx"
    assert ("information", str(path)) in toasts(app)
    wb = openpyxl.load_workbook(path)
    ws = wb["Solicitudes"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Indicador", "Fórmula / componente", "Meta", "Frecuencia", "Ene", "Feb"]
    assert header[14] == "Nov (en curso)"
    row = [c.value for c in ws[2]]
    assert row[0] == "Eficiencia de solicitudes" and row[2] == 0.95
    assert row[4:7] == [1.0, 0.0, NO_CASES]
    assert row[header.index("Promedio")] == 0.09 and row[header.index("Cumple")] == "No"
    assert row[header.index("Acumulado del año")] == pytest.approx(2 / 3)
    assert [c.value for c in ws[3]][4:6] == [2, 0]  # numerador
    assert [c.value for c in ws[4]][4:6] == [2, 1]  # denominador
    soporte = {r[0]: r for r in wb["Soporte"].iter_rows(min_row=2, values_only=True) if r[2] is not None}
    assert soporte["Soporte remoto"][2:5] == (0.4, "Mensual", 0.5)  # meta, frecuencia, Mes1


async def test_export_csv_and_a_folder_that_does_not_exist(make_app, kpi_tickets, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, "indicators")
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        await pilot.press("tab", "enter", "down", "enter")  # formato: CSV
        await settle(app, pilot)
        box = dialog.query_one("#input-out", Input)
        assert box.value == "~/mesa-indicadores-2026.csv"
        box.focus()
        await pilot.press("home", "right", "right", *"nada/")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "no existe" in str(dialog.query_one("#error-out").render())
        await pilot.press("home", "right", "right", *["delete"] * 5, "enter")
        await settle(app, pilot)
        assert app.screen is not dialog

    with open(tmp_path / "mesa-indicadores-2026.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    eficiencia = rows[1]
    assert eficiencia[2] == "Eficiencia de solicitudes" and eficiencia[7:10] == ["100,0", "0,0", NO_CASES]
    assert eficiencia[-3:] == ["9", "No", "66,7"]


async def test_an_admin_changes_a_target(make_app, db, now, kpi_tickets):
    app = make_app("admin")
    async with app.run_test(size=SIZE) as pilot:
        ind = await show(app, pilot, "indicators")
        await pilot.press("m")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, OneFieldDialog)
        assert dialog.query_one("#input-target", Input).value == "95"
        await pilot.press("backspace", "backspace", *"150", "enter")
        await settle(app, pilot)
        assert app.screen is dialog and "entre 0 y 100" in str(dialog.query_one("#error-target").render())
        await pilot.press(*["backspace"] * 3, *"8,5", "enter")
        await settle(app, pilot)
        assert app.screen is ind
        assert grid(ind)["eficiencia"][1:2] + grid(ind)["eficiencia"][-2:] == ["8,5", "9", "Sí"]
    admin = Reports(db, now=now)
    targets = {d.key: v for d, v in admin.targets(ind.ctx.actor)}
    assert float(targets["eficiencia"]) == 8.5


async def test_a_supervisor_does_not_change_targets(make_app, kpi_tickets):
    app = make_app("supervisor")
    async with app.run_test(size=SIZE) as pilot:
        ind = await show(app, pilot, "indicators")
        await pilot.press("m")
        await settle(app, pilot)
        assert app.screen is ind
        assert "Meta" not in {b.description for _k, b, enabled, _t in ind.active_bindings.values() if enabled}


def _plain(renderable) -> str:
    """What a renderable reads as, 118 columns wide, without styles."""
    console = Console(width=118, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.file.getvalue()
