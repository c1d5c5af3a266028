"""The chart of one indicator over a year: its monthly values against its target."""

from __future__ import annotations

import math

from textual_plotext import PlotextPlot

from mesa_tui.domain.indicators import MONTHS, IndicatorRow

MONTH_TICKS = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")


class IndicatorChart(PlotextPlot):
    """Bars per month (green when the month meets the target, red when not; a month
    without cases has no bar) and the target as a line across the year."""

    def show(self, row: IndicatorRow, year: int) -> None:
        plt = self.plt
        plt.clear_figure()
        target = float(row.target)
        # A month has a percentage when it has cases.
        values = [
            (m, v.percent, bool(v.meets(row.target)))
            for m, v in enumerate(row.months, start=1)
            if v.percent is not None
        ]
        labelled: set[bool] = set()
        for month, percent, met in values:
            # One bar per call: plotext scales a call's bar width by the spacing of its points.
            label = None if met in labelled else ("cumple" if met else "no cumple")
            labelled.add(met)
            plt.bar([month], [percent], color="green" if met else "red", width=0.6, label=label, reset_ticks=False)
        plt.plot([0.5, MONTHS + 0.5], [target, target], color="yellow", marker="hd", label=f"meta {row.target_label}")
        highest = max([p for _, p, _ in values] + [target, 100.0])
        top = 25 * math.ceil(highest * 1.05 / 25)
        plt.ylim(0, top)
        ticks = range(0, top + 1, 25)
        plt.yticks([float(t) for t in ticks], [f"{t} %" for t in ticks])
        plt.xlim(0.5, MONTHS + 0.5)
        plt.xticks(list(range(1, MONTHS + 1)), list(MONTH_TICKS))
        title = f"{row.definition.name} {year}: avance mensual (%) frente a la meta"
        if not values:
            title += " · sin casos en el año"
        plt.title(title)
        self.refresh()
