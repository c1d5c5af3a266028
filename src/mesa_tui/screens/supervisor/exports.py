"""The report exports from the supervisor screens: the file (and for the ticket
report the dates) confirmed in a small dialog, then the same use cases as
`mesa report ...`.

The dialogs are `ActionDialog`s: the export runs in the dialog's worker, a
refusal the supervisor can fix (a folder that does not exist, dates the wrong
way round) shows next to its field and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from mesa_tui.domain.calendar import BOGOTA as LOCAL_TZ
from mesa_tui.screens.dialogs import ActionDialog
from mesa_tui.widgets.form import FormField

FORMAT_OPTIONS = [("Excel (.xlsx)", "xlsx"), ("CSV separado por «;» (.csv)", "csv")]
SUFFIXES = {f".{fmt}" for _label, fmt in FORMAT_OPTIONS}
DATE_HINT = "AAAA-MM-DD o DD/MM/AAAA"


def default_folder() -> str:
    """Where a report goes unless the supervisor says otherwise: the home folder
    (written "~") when there is one, else the working directory."""
    try:
        if Path.home().is_dir():
            return "~"
    except RuntimeError:  # no home directory in the environment
        pass
    return str(Path.cwd())


def parse_day(text: str) -> date | None:
    """A date as a person types it in Colombia or as ISO: 2026-11-01, 1/11/2026."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def with_format(path: str, fmt: str) -> str:
    """The path with its extension changed to the format's, when it has one of ours."""
    p = Path(path)
    if p.suffix.lower() in SUFFIXES:
        return str(p.with_suffix(f".{fmt}"))
    return path


class ExportDialog(ActionDialog):
    """The file and its format; subclasses add what the report is about."""

    def __init__(self, title: str, file_name: str, run: Callable[[dict[str, Any]], Any], intro: str = ""):
        super().__init__(title, run, confirm="Exportar", intro=intro)
        self.add_class("export-dialog")
        self.auto_path = f"{default_folder()}/{file_name}.xlsx"

    def file_fields(self) -> ComposeResult:
        yield FormField(
            "Archivo",
            Input(self.auto_path, id="input-out"),
            "out",
            hint="~ es su carpeta personal. Enter exporta.",
        )
        yield Static("", id="export-exists", classes="field-hint")
        yield FormField(
            "Formato",
            Select(FORMAT_OPTIONS, allow_blank=False, value="xlsx", id="input-format", compact=True),
            "format",
        )

    def fields(self) -> ComposeResult:
        yield from self.file_fields()

    def on_mount(self) -> None:
        self._check_exists()

    @property
    def path_box(self) -> Input:
        return self.query_one("#input-out", Input)

    @property
    def fmt(self) -> str:
        return str(self.query_one("#input-format", Select).value)

    def set_auto_path(self, path: str) -> None:
        """Propose another file name, unless the supervisor typed one of their own."""
        box = self.path_box
        if box.value == self.auto_path:
            box.value = path
        self.auto_path = path

    @on(Select.Changed, "#input-format")
    def _format_changed(self) -> None:
        box = self.path_box
        changed = with_format(box.value, self.fmt)
        if box.value == self.auto_path:
            self.auto_path = changed
        box.value = changed

    @on(Input.Changed, "#input-out")
    def _check_exists(self) -> None:
        text = self.path_box.value.strip()
        exists = bool(text) and Path(text).expanduser().is_file()
        note = self.query_one("#export-exists", Static)
        note.update("Ese archivo ya existe: se reemplazará." if exists else "")
        note.display = exists

    def values(self) -> dict[str, Any]:
        return {"out": str(Path(self.path_box.value.strip()).expanduser()), "format": self.fmt}

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        text = self.path_box.value.strip()
        if not text:
            return {"out": "Escriba la ruta del archivo."}
        if Path(values["out"]).is_dir():
            return {"out": "Esa ruta es una carpeta: agregue el nombre del archivo."}
        return {}


class ExportIndicatorsDialog(ExportDialog):
    def __init__(self, year: int, run: Callable[[dict[str, Any]], Any]):
        super().__init__(
            f"Exportar los indicadores de {year}",
            f"mesa-indicadores-{year}",
            run,
            intro="Mes1 a Mes12, semestres, promedio, meta y cumplimiento, con el numerador y el denominador de cada indicador.",
        )


class ExportTicketsDialog(ExportDialog):
    """The ticket report: the cases logged between two dates, with their SLA outcome."""

    def __init__(self, now: datetime, run: Callable[[dict[str, Any]], Any]):
        today = now.astimezone(LOCAL_TZ).date()
        self.date_from = today.replace(day=1)
        self.date_to = today
        super().__init__(
            "Exportar el informe de casos",
            self._file_name(self.date_from, self.date_to),
            run,
            intro="Casos registrados entre las dos fechas (incluidas), con el resultado de su ANS. "
            "Un periodo largo puede tardar unos segundos.",
        )

    @staticmethod
    def _file_name(date_from: date, date_to: date) -> str:
        return f"mesa-casos-{date_from.isoformat()}-a-{date_to.isoformat()}"

    def fields(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield FormField(
                "Desde", Input(self.date_from.isoformat(), id="input-date_from"), "date_from", hint=DATE_HINT
            )
            yield FormField("Hasta", Input(self.date_to.isoformat(), id="input-date_to"), "date_to", hint=DATE_HINT)
        yield from self.file_fields()

    @on(Input.Changed, "#input-date_from, #input-date_to")
    def _dates_changed(self) -> None:
        start = parse_day(self.query_one("#input-date_from", Input).value)
        end = parse_day(self.query_one("#input-date_to", Input).value)
        if start is not None and end is not None:
            self.set_auto_path(f"{default_folder()}/{self._file_name(start, end)}.{self.fmt}")

    def values(self) -> dict[str, Any]:
        return {
            **super().values(),
            "date_from": parse_day(self.query_one("#input-date_from", Input).value),
            "date_to": parse_day(self.query_one("#input-date_to", Input).value),
        }

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        problems = {}
        for name in ("date_from", "date_to"):
            if values[name] is None:
                problems[name] = f"No es una fecha: escríbala como {DATE_HINT} (p. ej. 2026-11-01)."
        return {**problems, **super().problems(values)}
