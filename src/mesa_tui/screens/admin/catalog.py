"""The service catalog (catálogo de servicios) and its categories: list with search,
every field of an entry, deactivation (entries are never deleted), and the catalog
file imported with a preview or exported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from mesa_tui.domain.catalog import FIELD_LABELS, CatalogEntry, CategoryInfo, ImportStatus, PreviewRow
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, OneFieldDialog, counted, selected
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.catalog import ImportResult
from mesa_tui.services.errors import ServiceError, ValidationError
from mesa_tui.widgets.admin_table import AdminTable, Column, Row, SearchBox, matches
from mesa_tui.widgets.form import FormField, show_field_errors

_CODE_NUMBER = re.compile(r"^SER-(\d{3})$")
DEFAULT_EXPORT = "catalogo_servicios.tsv"


def next_code(entries: list[CatalogEntry]) -> str:
    """The code after the highest one in use: what a new entry is offered."""
    numbers = [int(m.group(1)) for e in entries if (m := _CODE_NUMBER.match(e.code))]
    return f"SER-{min(max(numbers, default=0) + 1, 999):03d}"


def one_paragraph(text: str) -> str:
    """A catalog value is one line: the lines of a text box joined with spaces."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def active_text(active: bool) -> Text:
    return Text("Activo", style="green") if active else Text("Inactivo", style="yellow")


# --- the catalog list ----------------------------------------------------------------


@dataclass(frozen=True)
class _Catalog:
    entries: list[CatalogEntry]
    categories: list[str]


class CatalogPanel(AdminPanel):
    TITLE = "el catálogo de servicios"

    BINDINGS = [
        Binding("n", "new", "Nuevo", id="catalog.new", tooltip="Agregar un servicio al catálogo"),
        Binding(
            "e,enter", "edit", "Editar", id="catalog.edit", tooltip="Editar todos los campos del servicio seleccionado"
        ),
        Binding(
            "d",
            "deactivate",
            "Desactivar",
            id="catalog.deactivate",
            tooltip="Desactivar el servicio: no se elige en casos nuevos, sigue en los antiguos",
        ),
        Binding(
            "d",
            "activate",
            "Activar",
            id="catalog.activate",
            tooltip="Volver a ofrecer el servicio en los casos nuevos",
        ),
        Binding("slash", "search", "Buscar", id="catalog.search", tooltip="Buscar por código, nombre o categoría"),
        Binding(
            "i",
            "import_file",
            "Importar",
            id="catalog.import",
            tooltip="Importar el archivo del catálogo (.tsv), con vista previa de los cambios",
        ),
        Binding("x", "export_file", "Exportar", id="catalog.export", tooltip="Guardar el catálogo en un archivo .tsv"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[CatalogEntry] = []
        self.category_names: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-searchbar"):
            yield Static("/", classes="admin-search-key")
            yield SearchBox(placeholder="Buscar por código, nombre o categoría", id="catalog-search")
            yield Static("", id="catalog-summary", classes="admin-summary")
        yield AdminTable(
            (
                Column("code", "Código", 7),
                Column("name", "Nombre", share=5),
                Column("category", "Categoría", 24),
                Column("hours", "Horario", share=4),
                Column("active", "Estado", 8),
            ),
            id="catalog-table",
        )
        yield Static("", id="catalog-detail", classes="admin-detail")

    def fetch(self) -> _Catalog:
        return _Catalog(self.admin.services(include_inactive=True), [c.name for c in self.admin.categories()])

    def show_data(self, data: _Catalog, keep: str | None) -> None:
        self.entries = data.entries
        self.category_names = data.categories
        self._show(keep)

    def _show(self, keep: str | None = None) -> None:
        query = self.query_one("#catalog-search", SearchBox).value
        shown = [e for e in self.entries if matches(query, e.code, e.name, e.category)]
        self.table.show_rows(
            [
                Row(e.code, (e.code, e.name, e.category, e.hours, active_text(e.active)), dim=not e.active)
                for e in shown
            ],
            keep,
        )
        active = sum(1 for e in self.entries if e.active)
        summary = f"{counted(len(self.entries), 'servicio', 'servicios')} · {counted(active, 'activo', 'activos')}"
        if query.strip():
            summary = f"{len(shown)} de {summary}"
        self.query_one("#catalog-summary", Static).update(summary)
        self._show_detail()

    def current(self) -> CatalogEntry | None:
        code = self.table.current_key
        return next((e for e in self.entries if e.code == code), None)

    @on(AdminTable.RowHighlighted, "#catalog-table")
    def _show_detail(self) -> None:
        entry = self.current()
        detail = self.query_one("#catalog-detail", Static)
        if entry is None:
            detail.update(Text("Ningún servicio coincide con la búsqueda." if self.entries else "", style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        # Text, not str: a catalog value with brackets is not console markup.
        for label, value in (
            ("Descripción", entry.description),
            ("Usuarios", entry.users),
            ("Horario", entry.hours),
            ("Canales", entry.channels),
            ("ANS", entry.ans_text),
        ):
            grid.add_row(label, Text(value or "—"))
        title = Text.assemble((entry.code, "bold"), f" · {entry.name}  ", active_text(entry.active))
        detail.update(Group(title, grid))

    # --- search ----------------------------------------------------------------------

    @on(SearchBox.Changed, "#catalog-search")
    def _searched(self) -> None:
        self._show()

    @on(SearchBox.Done, "#catalog-search")
    def _search_done(self) -> None:
        self.table.focus()

    def action_search(self) -> None:
        self.query_one("#catalog-search", SearchBox).focus()

    # --- verbs -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = self.current() if self.is_mounted else None
        if action == "edit":
            return entry is not None
        if action == "deactivate":
            return entry is not None and entry.active
        if action == "activate":
            return entry is not None and not entry.active
        return True

    def action_new(self) -> None:
        self.when_read(self._new)

    def _new(self) -> None:
        blank = CatalogEntry(next_code(self.entries), "", "", "", "", "", "", "")
        dialog = ServiceDialog(
            "Nuevo servicio",
            blank,
            self.category_names,
            lambda v: self.admin.create_service(self.actor, v["entry"]),
            confirm="Crear",
        )
        self.open_dialog(dialog, lambda e: f"{e.code} creado en el catálogo: {e.name}", keep=lambda e: e.code)

    def action_edit(self) -> None:
        entry = self.current()
        if entry is None:
            return
        dialog = ServiceDialog(
            f"Editar {entry.code}",
            entry,
            self.category_names,
            lambda v: self.admin.update_service(self.actor, entry.code, v["entry"]),
        )

        def done(saved: CatalogEntry) -> str:
            return f"{saved.code} sin cambios" if saved == entry else f"{saved.code} guardado"

        self.open_dialog(dialog, done, keep=lambda e: e.code)

    def action_deactivate(self) -> None:
        self._set_active(False)

    def action_activate(self) -> None:
        self._set_active(True)

    def _set_active(self, active: bool) -> None:
        entry = self.current()
        if entry is None or entry.active == active:
            return
        if active:
            title, confirm = f"Activar {entry.code}", "Activar"
            question = f"«{escape(entry.name)}»\n\nVuelve a ofrecerse al registrar casos nuevos."
        else:
            title, confirm = f"Desactivar {entry.code}", "Desactivar"
            question = (
                f"«{escape(entry.name)}»\n\nUn servicio inactivo no se puede elegir en casos nuevos; "
                "los casos que ya lo tienen lo siguen mostrando. El servicio no se borra."
            )
        dialog = ConfirmDialog(
            title, question, lambda v: self.admin.set_service_active(self.actor, entry.code, active), confirm=confirm
        )
        verb = "activado" if active else "desactivado"
        self.open_dialog(dialog, lambda e: f"{e.code} {verb}", keep=lambda e: e.code)

    def action_import_file(self) -> None:
        dialog = ImportDialog(self.admin, lambda v: self.admin.import_catalog(self.actor, v["text"]))

        def done(result: ImportResult) -> str:
            return (
                f"Catálogo importado: {counted(result.created, 'nuevo', 'nuevos')}, "
                f"{counted(result.updated, 'modificado', 'modificados')}, {result.unchanged} sin cambios"
            )

        self.open_dialog(dialog, done)

    def action_export_file(self) -> None:
        self.open_dialog(
            ExportDialog(lambda v: export_to(v["path"], self.admin.export_catalog())),
            lambda written: f"Catálogo exportado: {counted(written[1], 'servicio', 'servicios')} en {written[0]}",
        )


# --- an entry ------------------------------------------------------------------------


class ServiceDialog(AdminForm):
    """Every field of a catalog entry; the result is the saved CatalogEntry."""

    def __init__(self, title: str, entry: CatalogEntry, categories: list[str], run, confirm: str = "Guardar"):
        super().__init__(title, run, confirm=confirm)
        self.entry = entry
        self.categories = categories

    def fields(self) -> ComposeResult:
        e = self.entry
        options = [(name, name) for name in self.categories]
        if e.category and e.category not in self.categories:
            options.append((e.category, e.category))
        with Horizontal(classes="field-row"):
            yield FormField("Código (SER-NNN)", Input(e.code, id="input-code", compact=True, max_length=7), "code")
            yield FormField(
                "Categoría",
                Select(
                    options,
                    prompt="Elija la categoría",
                    value=e.category or Select.NULL,
                    id="input-category",
                    compact=True,
                ),
                "category",
            )
            yield FormField("Estado", Checkbox("Activo", e.active, id="input-active", compact=True), "active")
        yield FormField("Nombre", Input(e.name, id="input-name", compact=True), "name")
        yield FormField(
            "Descripción funcional",
            TextArea(e.description, id="input-description", tab_behavior="focus", compact=True, classes="admin-text"),
            "description",
        )
        with Horizontal(classes="field-row"):
            yield FormField("Usuarios", Input(e.users, id="input-users", compact=True), "users")
            yield FormField("Horario de atención", Input(e.hours, id="input-hours", compact=True), "hours")
        yield FormField("Canales de atención", Input(e.channels, id="input-channels", compact=True), "channels")
        yield FormField(
            "ANS (como lo publica la entidad)",
            TextArea(e.ans_text, id="input-ans_text", tab_behavior="focus", compact=True, classes="admin-text"),
            "ans_text",
            hint="Un párrafo: los saltos de línea se guardan como espacios. Ctrl+S guarda.",
        )

    def values(self) -> dict[str, Any]:
        def text(name: str) -> str:
            return self.query_one(f"#input-{name}", Input).value

        entry = CatalogEntry(
            code=text("code"),
            name=text("name"),
            description=one_paragraph(self.query_one("#input-description", TextArea).text),
            category=selected(self.query_one("#input-category", Select)) or "",
            users=text("users"),
            hours=text("hours"),
            channels=text("channels"),
            ans_text=one_paragraph(self.query_one("#input-ans_text", TextArea).text),
            active=self.query_one("#input-active", Checkbox).value,
        )
        return {"entry": entry}


# --- the catalog file ----------------------------------------------------------------


def read_catalog_file(path: str) -> str:
    """The text of the file the admin named; a ValidationError on "path" says why not."""
    if not path.strip():
        raise ValidationError("path", "Escriba la ruta del archivo del catálogo.")
    file = Path(path.strip()).expanduser()
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError("path", f"No existe el archivo {file}.") from None
    except IsADirectoryError:
        raise ValidationError("path", f"{file} es una carpeta: escriba también el nombre del archivo.") from None
    except UnicodeDecodeError:
        raise ValidationError(
            "path", "El archivo no es texto UTF-8: guárdelo como texto UTF-8 delimitado por tabulaciones."
        ) from None
    except OSError as exc:
        raise ValidationError("path", f"No se pudo leer {file}: {exc.strerror or exc}.") from None


def export_to(path: str, text: str) -> tuple[str, int]:
    """Write the exported catalog; (the full path, how many services)."""
    file = Path(path.strip()).expanduser()
    try:
        file.write_text(text, encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError("path", f"No existe la carpeta {file.parent}.") from None
    except IsADirectoryError:
        raise ValidationError("path", f"{file} es una carpeta: escriba también el nombre del archivo.") from None
    except OSError as exc:
        raise ValidationError("path", f"No se pudo escribir {file}: {exc.strerror or exc}.") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return str(file.resolve()), max(len(lines) - 1, 0)  # minus the header


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


class ImportDialog(AdminForm):
    """Ctrl+S (or Enter) first reviews the file: the preview, or its errors by line.
    Once reviewed, Ctrl+S imports exactly the text that was previewed, all or nothing."""

    class Previewed(Message):
        def __init__(self, preview: _Preview) -> None:
            super().__init__()
            self.preview = preview

    class PreviewFailed(Message):
        def __init__(self, error: ServiceError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, admin, run):
        super().__init__(
            "Importar el catálogo de servicios",
            run,
            confirm="Revisar archivo",
            intro="Se crean los servicios nuevos y se actualizan los que cambian; los que no estén en el archivo no se tocan.",
        )
        self.admin = admin
        self.preview: _Preview | None = None

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

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-preview")
    def _read_preview(self, path: str) -> None:
        try:
            text = read_catalog_file(path)
            rows = self.admin.preview_import(text)
        except ServiceError as exc:
            self.post_message(self.PreviewFailed(exc))
        except Exception as exc:  # a bug or a broken database: say so, never crash
            self.post_message(self.PreviewFailed(ServiceError(f"Error inesperado: {exc}")))
        else:
            self.post_message(self.Previewed(_Preview(path, text, rows)))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        self._idle()
        self.preview = message.preview
        self.query_one("#import-preview", Static).update(preview_text(message.preview.rows))
        self.query_one("#submit").label = "Importar"

    @on(PreviewFailed)
    def _preview_failed(self, message: PreviewFailed) -> None:
        self._idle()
        self.preview = None
        self.query_one("#import-preview", Static).update(
            Text("El archivo no se puede importar: nada cambió.", style="dim")
        )
        error = message.error
        if isinstance(error, ValidationError) and show_field_errors(self, {error.field: error.message}):
            return
        self._general_error(error.message)

    @on(Input.Changed, "#input-path")
    def _path_changed(self) -> None:
        if self.preview is not None:
            self.preview = None
            self.query_one("#submit").label = "Revisar archivo"
            self.query_one("#import-preview", Static).update(
                Text("Revise el archivo para ver qué cambiaría.", style="dim")
            )

    def _idle(self) -> None:
        self.busy = False
        self.remove_class("-busy")


class ExportDialog(AdminForm):
    """Where to save the catalog file; an existing file is replaced only on a second Ctrl+S."""

    def __init__(self, run):
        super().__init__("Exportar el catálogo de servicios", run, confirm="Exportar")
        self._armed: Path | None = None

    def fields(self) -> ComposeResult:
        yield FormField(
            "Guardar en",
            Input(DEFAULT_EXPORT, id="input-path", compact=True),
            "path",
            hint="Texto UTF-8 con columnas separadas por tabulador: se abre en una hoja de cálculo y se vuelve a importar con «i».",
        )

    def values(self) -> dict[str, Any]:
        return {"path": self.query_one("#input-path", Input).value}

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        path = values["path"].strip()
        if not path:
            return {"path": "Escriba la ruta del archivo."}
        file = Path(path).expanduser()
        if file.is_dir():
            return {"path": f"{file} es una carpeta: escriba también el nombre del archivo."}
        if file.exists() and self._armed != file:
            self._armed = file
            return {"path": "El archivo ya existe: pulse Ctrl+S otra vez para reemplazarlo."}
        return {}

    @on(Input.Changed, "#input-path")
    def _path_changed(self) -> None:
        self._armed = None


# --- categories ----------------------------------------------------------------------


class CategoriesPanel(AdminPanel):
    TITLE = "las categorías del catálogo"

    BINDINGS = [
        Binding("n", "new", "Nueva", id="categories.new", tooltip="Agregar una categoría al catálogo"),
        Binding(
            "e,enter",
            "rename",
            "Renombrar",
            id="categories.rename",
            tooltip="Cambiar el nombre de la categoría seleccionada",
        ),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories: list[CategoryInfo] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "Las categorías agrupan el catálogo y pueden tener su propia política de ANS. "
            "Una categoría con servicios se renombra; sus servicios la siguen.",
            classes="admin-intro",
        )
        yield AdminTable((Column("name", "Categoría", 60), Column("services", "Servicios", 10)), id="categories-table")

    def fetch(self) -> list[CategoryInfo]:
        return self.admin.categories()

    def show_data(self, data: list[CategoryInfo], keep: str | None) -> None:
        self.categories = data
        self.table.show_rows([Row(str(c.id), (c.name, str(c.services))) for c in data], keep)

    def current(self) -> CategoryInfo | None:
        key = self.table.current_key
        return next((c for c in self.categories if str(c.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rename":
            return self.is_mounted and self.current() is not None
        return True

    def action_new(self) -> None:
        dialog = OneFieldDialog(
            "Nueva categoría",
            "Nombre de la categoría",
            lambda v: self.admin.add_category(self.actor, v["name"]),
            confirm="Agregar",
        )
        self.open_dialog(dialog, lambda c: f"Categoría «{c.name}» agregada", keep=lambda c: str(c.id))

    def action_rename(self) -> None:
        category = self.current()
        if category is None:
            return
        dialog = OneFieldDialog(
            f"Renombrar «{escape(category.name)}»",
            "Nombre de la categoría",
            lambda v: self.admin.rename_category(self.actor, category.name, v["name"]),
            value=category.name,
        )
        self.open_dialog(dialog, lambda c: f"Categoría «{c.name}» guardada", keep=lambda c: str(c.id))
