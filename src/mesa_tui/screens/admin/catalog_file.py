"""The catalog file (a UTF-8 .tsv): imported all or nothing after a preview of
what it changes, or exported. Reading and writing the file is the catalog
service's (services/catalog.py); these dialogs do it in their worker."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Static

from mesa_tui.domain.catalog import FIELD_LABELS, ImportStatus, PreviewRow
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.screens.admin.base import AdminForm, counted
from mesa_tui.screens.delivery import DOWNLOAD_HINT, deliver, download_name, in_browser, name_problem
from mesa_tui.screens.loading import UNEXPECTED, Loader
from mesa_tui.screens.paths import is_dir, is_file, typed_path, unusable_path
from mesa_tui.services.admin import Admin
from mesa_tui.services.catalog import ImportResult, read_catalog_file
from mesa_tui.services.errors import ValidationError
from mesa_tui.widgets.form import FormField, show_field_errors

DEFAULT_EXPORT = "catalogo_servicios.tsv"


@dataclass(frozen=True)
class _Preview:
    path: str
    text: str
    rows: list[PreviewRow]


def preview_text(rows: list[PreviewRow]) -> Group:
    """What importing the file would do: counts, then each new or changed entry."""
    counts = {status: sum(1 for r in rows if r.status is status) for status in ImportStatus}
    summary = Text.assemble(
        f"{counted(len(rows), 'servicio', 'servicios')} en el archivo: ",
        (counted(counts[ImportStatus.NUEVO], "nuevo", "nuevos"), "bold green"),
        " · ",
        (counted(counts[ImportStatus.MODIFICADO], "modificado", "modificados"), "bold yellow"),
        " · ",
        f"{counts[ImportStatus.SIN_CAMBIOS]} sin cambios.",
    )
    changed = [r for r in rows if r.status is not ImportStatus.SIN_CAMBIOS]
    if not changed:
        return Group(summary, Text("El archivo no cambia nada del catálogo.", style="dim"))
    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column("Código", no_wrap=True)
    table.add_column("Cambio", no_wrap=True)
    table.add_column("Campos", ratio=1)
    for r in changed:
        style = "green" if r.status is ImportStatus.NUEVO else "yellow"
        fields = "todos" if r.status is ImportStatus.NUEVO else ", ".join(FIELD_LABELS[f] for f in r.fields)
        table.add_row(Text(r.code), Text(r.status.value, style=style), Text(fields))
    return Group(summary, table)


class ImportDialog(AdminForm[ImportResult]):
    """Ctrl+S (or Enter) first reviews the file: the preview, or its errors by line.
    Once reviewed, Ctrl+S imports exactly the text that was previewed, all or nothing."""

    def __init__(self, admin: Admin, actor: ActorInfo, run: Callable[[dict[str, Any]], ImportResult]) -> None:
        super().__init__(
            "Importar el catálogo de servicios",
            run,
            confirm="Revisar archivo",
            intro="Se crean los servicios nuevos y se actualizan los que cambian; los que no estén en el archivo no se tocan.",
        )
        self.admin = admin
        self.actor = actor
        self.preview: _Preview | None = None
        self._reviewer: Loader[_Preview] = Loader(self, "import-preview", self._preview_failed, unexpected=UNEXPECTED)

    def fields(self) -> ComposeResult:
        yield FormField(
            "Archivo del catálogo (.tsv)",
            Input(placeholder="p. ej. db/catalog.tsv", id="input-path", compact=True),
            "path",
            hint="Ruta absoluta o relativa a la carpeta desde donde se abrió mesa. Enter revisa el archivo.",
        )
        yield FormField(
            "Vista previa",
            VerticalScroll(
                Static(Text("Revise el archivo para ver qué cambiaría.", style="dim"), id="import-preview"),
                id="import-preview-box",
            ),
            "catalog",
        )

    def values(self) -> dict[str, Any]:
        return {"path": self.query_one("#input-path", Input).value, "text": self.preview.text if self.preview else ""}

    def action_submit(self) -> None:
        if self.busy:
            return
        path = self.query_one("#input-path", Input).value
        if path.strip() and typed_path(path) is None:
            show_field_errors(self, {"path": unusable_path(path)})
            return
        if self.preview is None or self.preview.path != path:
            self._review(path)
            return
        super().action_submit()

    def _review(self, path: str) -> None:
        self.busy = True
        self.add_class("-busy")
        show_field_errors(self, {})
        self._general_error(None)
        self._read_preview(path)

    def _read_preview(self, path: str) -> None:
        admin, actor = self.admin, self.actor

        def read() -> _Preview:
            text = read_catalog_file(path)
            return _Preview(path, text, admin.preview_import(actor, text))

        self._reviewer.load(read, self._previewed)

    def _previewed(self, preview: _Preview) -> None:
        self._idle()
        self.preview = preview
        self.query_one("#import-preview", Static).update(preview_text(preview.rows))
        self.query_one("#submit", Button).label = "Importar"

    def _preview_failed(self, error: DeskError) -> None:
        self._idle()
        self.preview = None
        self.query_one("#import-preview", Static).update(
            Text("El archivo no se puede importar: nada cambió.", style="dim")
        )
        if isinstance(error, ValidationError) and show_field_errors(self, {error.field: error.message}):
            return
        self._general_error(error.message)

    @on(Input.Changed, "#input-path")
    def _path_changed(self) -> None:
        if self.preview is not None:
            self.preview = None
            self.query_one("#submit", Button).label = "Revisar archivo"
            self.query_one("#import-preview", Static).update(
                Text("Revise el archivo para ver qué cambiaría.", style="dim")
            )

    def _idle(self) -> None:
        self.busy = False
        self.remove_class("-busy")


class ExportDialog(AdminForm[tuple[str, int]]):
    """Where to save the catalog file; an existing file is replaced only on a second Ctrl+S.
    In a browser session only the download's name: `values()["stream"]` is the buffer
    to write, handed to the browser once written (None in a terminal)."""

    def __init__(self, run: Callable[[dict[str, Any]], tuple[str, int]]) -> None:
        super().__init__("Exportar el catálogo de servicios", run, confirm="Exportar")
        self._armed: Path | None = None
        self.stream: io.BytesIO | None = None
        self.download = ""

    def fields(self) -> ComposeResult:
        hint = "Texto UTF-8 con columnas separadas por tabulador: se abre en una hoja de cálculo y se vuelve a importar con «i»."
        yield FormField(
            "Nombre del archivo" if in_browser(self.app) else "Guardar en",
            Input(DEFAULT_EXPORT, id="input-path", compact=True),
            "path",
            hint=f"{DOWNLOAD_HINT} {hint}" if in_browser(self.app) else hint,
        )

    def values(self) -> dict[str, Any]:
        text = self.query_one("#input-path", Input).value
        if in_browser(self.app):
            self.stream, self.download = io.BytesIO(), download_name(text)
            return {"path": self.download, "stream": self.stream}
        return {"path": text, "stream": None}

    def _succeeded(self, info: tuple[str, int]) -> None:
        if self.stream is not None:
            deliver(self.app, self.stream, self.download)
        super()._succeeded(info)

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        if in_browser(self.app):
            problem = name_problem(self.query_one("#input-path", Input).value)
            return {"path": problem} if problem else {}
        path = values["path"].strip()
        if not path:
            return {"path": "Escriba la ruta del archivo."}
        file = typed_path(path)
        if file is None:
            return {"path": unusable_path(path)}
        if is_dir(file):
            return {"path": f"{file} es una carpeta: escriba también el nombre del archivo."}
        if is_file(file) and self._armed != file:
            self._armed = file
            return {"path": "El archivo ya existe: pulse Ctrl+S otra vez para reemplazarlo."}
        return {}

    @on(Input.Changed, "#input-path")
    def _path_changed(self) -> None:
        self._armed = None
