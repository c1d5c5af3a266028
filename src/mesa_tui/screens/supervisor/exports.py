"""The report exports from the supervisor screens: the file (and for the ticket
report the dates) confirmed in a small dialog, then the same use cases as
`mesa report ...`.

The dialogs are `ActionDialog`s: the export runs in the dialog's worker, a
refusal the supervisor can fix (a folder that does not exist, dates the wrong
way round or out of the reports' years) shows next to its field and the dialog
stays open. A file that is already there is replaced only once the supervisor
says so.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from mesa_tui.domain.dates import parse_day
from mesa_tui.screens.delivery import DOWNLOAD_HINT, deliver, download_name, in_browser, name_problem
from mesa_tui.screens.dialogs import ActionDialog, ConfirmDialog, Outcome
from mesa_tui.screens.paths import is_dir, is_file, typed_path, unusable_path
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.format import local

FORMAT_OPTIONS = [("Excel (.xlsx)", "xlsx"), ("CSV separado por «;» (.csv)", "csv")]
SUFFIXES = {f".{fmt}" for _label, fmt in FORMAT_OPTIONS}
DATE_HINT = "AAAA-MM-DD o DD/MM/AAAA"

R = TypeVar("R")


def default_folder() -> str:
    """Where a report goes unless the supervisor says otherwise: the home folder
    (written "~") when there is one, else the working directory."""
    try:
        if Path.home().is_dir():
            return "~"
    except RuntimeError:  # no home directory in the environment
        pass
    return str(Path.cwd())


def with_format(path: str, fmt: str) -> str:
    """The path with its extension changed to the format's, when it has one of ours."""
    p = Path(path)
    if p.suffix.lower() in SUFFIXES:
        return str(p.with_suffix(f".{fmt}"))
    return path


class ExportDialog(ActionDialog[R]):
    """The file and its format; subclasses add what the report is about.

    In a browser session the file is only a name: `values()["stream"]` is the
    buffer the report is written to, handed to the browser once it is written
    (None in a terminal, where `values()["out"]` is the path)."""

    def __init__(self, title: str, file_name: str, run: Callable[[dict[str, Any]], R], intro: str = "") -> None:
        super().__init__(title, run, confirm="Exportar", intro=intro)
        self.add_class("export-dialog")
        self.file_name = file_name
        self.auto_path = ""
        self.replace_ok: Path | None = None  # the existing file the supervisor agreed to replace
        self.stream: io.BytesIO | None = None  # the last submitted download (browser sessions)
        self.download = ""  # and its name

    @property
    def web(self) -> bool:
        return in_browser(self.app)

    def proposed(self, file_name: str, fmt: str = "xlsx") -> str:
        return f"{file_name}.{fmt}" if self.web else f"{default_folder()}/{file_name}.{fmt}"

    def file_fields(self) -> ComposeResult:
        self.auto_path = self.proposed(self.file_name)
        yield FormField(
            "Archivo",
            Input(self.auto_path, id="input-out"),
            "out",
            hint=f"{DOWNLOAD_HINT} Enter exporta." if self.web else "~ es su carpeta personal. Enter exporta.",
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
        exists = bool(text) and not self.web and is_file(typed_path(text))
        note = self.query_one("#export-exists", Static)
        note.update("Ese archivo ya existe: se preguntará antes de reemplazarlo." if exists else "")
        note.display = exists

    def values(self) -> dict[str, Any]:
        text = self.path_box.value.strip()
        if self.web:
            self.stream, self.download = io.BytesIO(), download_name(text)
            return {"out": self.download, "format": self.fmt, "stream": self.stream}
        path = typed_path(text)
        return {"out": str(path) if path is not None else text, "format": self.fmt, "stream": None}

    def action_submit(self) -> None:
        """Export; over a file that is already there, only once the supervisor says so."""
        if self.web:
            super().action_submit()
            return
        values = self.values()
        target = Path(values["out"])
        if not self.busy and not self.problems(values) and is_file(target) and target != self.replace_ok:
            question = ConfirmDialog(
                f"¿Reemplazar {target.name}?",
                f"{target}\n\nYa existe un archivo con ese nombre: el informe nuevo lo reemplaza.",
                lambda v: target,
                confirm="Reemplazar",
            )
            self.app.push_screen(question, partial(self._replace_answered, target))
            return
        super().action_submit()

    def _replace_answered(self, target: Path, outcome: Outcome[Path] | None) -> None:
        if outcome is not None and outcome.error is None:
            self.replace_ok = target
            self.action_submit()

    def _succeeded(self, info: R) -> None:
        if self.stream is not None:
            deliver(self.app, self.stream, self.download)
        super()._succeeded(info)

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        text = self.path_box.value.strip()
        if self.web:
            problem = name_problem(text)
            return {"out": problem} if problem else {}
        if not text:
            return {"out": "Escriba la ruta del archivo."}
        if typed_path(text) is None:
            return {"out": unusable_path(text)}
        if is_dir(Path(values["out"])):
            return {"out": "Esa ruta es una carpeta: agregue el nombre del archivo."}
        return {}


class ExportIndicatorsDialog(ExportDialog[str]):
    def __init__(self, year: int, run: Callable[[dict[str, Any]], str]) -> None:
        super().__init__(
            f"Exportar los indicadores de {year}",
            f"mesa-indicadores-{year}",
            run,
            intro="Mes1 a Mes12, semestres, promedio, meta y cumplimiento, con el numerador y el denominador de cada indicador.",
        )


class ExportTicketsDialog(ExportDialog[tuple[int, str]]):
    """The ticket report: the cases logged between two dates, with their SLA outcome."""

    def __init__(self, now: datetime, run: Callable[[dict[str, Any]], tuple[int, str]]) -> None:
        today = local(now).date()
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
            self.set_auto_path(self.proposed(self._file_name(start, end), self.fmt))

    def values(self) -> dict[str, Any]:
        return {
            **super().values(),
            "date_from": parse_day(self.query_one("#input-date_from", Input).value),
            "date_to": parse_day(self.query_one("#input-date_to", Input).value),
        }

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        for name in ("date_from", "date_to"):
            if values[name] is None:
                problems[name] = f"No es una fecha: escríbala como {DATE_HINT} (p. ej. 2026-11-01)."
        return {**problems, **super().problems(values)}
