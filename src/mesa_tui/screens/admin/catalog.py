"""The service catalog (catálogo de servicios): list with search, every field of
an entry, deactivation (entries are never deleted), and the catalog file imported
with a preview or exported (catalog_file.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from mesa_tui.domain.catalog import CatalogEntry, service_count
from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.limits import CATALOG
from mesa_tui.domain.schedules import WorkSchedule
from mesa_tui.domain.targets import OFFICE
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, active_text, admin_list, counted, offered, selected
from mesa_tui.screens.admin.catalog_file import ExportDialog, ImportDialog
from mesa_tui.screens.admin.schedules import schedule_options
from mesa_tui.screens.delivery import in_browser
from mesa_tui.screens.dialogs import ConfirmDialog
from mesa_tui.services.catalog import ImportResult, write_catalog_file
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.keyed_table import Column, KeyedTable, Row
from mesa_tui.widgets.limited import LimitedInput, LimitedTextArea
from mesa_tui.widgets.plain import plain, plain_options
from mesa_tui.widgets.search_box import SearchBox, matches

_CODE_NUMBER = re.compile(r"^SER-(\d{3})$")


def next_code(entries: list[CatalogEntry]) -> str:
    """The code after the highest one in use: what a new entry is offered."""
    numbers = [int(m.group(1)) for e in entries if (m := _CODE_NUMBER.match(e.code))]
    return f"SER-{min(max(numbers, default=0) + 1, 999):03d}"


def one_paragraph(text: str) -> str:
    """A catalog value is one line: the lines of a text box joined with spaces."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


# --- the catalog list ----------------------------------------------------------------


@dataclass(frozen=True)
class _Catalog:
    entries: list[CatalogEntry]
    categories: list[str]
    schedules: list[WorkSchedule]
    service_schedules: dict[str, str]  # service code -> its schedule's, when not Oficina


class CatalogPanel(AdminPanel[_Catalog]):
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[CatalogEntry] = []
        self.category_names: list[str] = []
        self.schedules: list[WorkSchedule] = []
        self.service_schedules: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-searchbar"):
            yield Static("/", classes="admin-search-key")
            yield SearchBox(placeholder="Buscar por código, nombre o categoría", id="catalog-search")
            yield Static("", id="catalog-summary", classes="admin-summary")
        yield admin_list(
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
        return _Catalog(
            self.admin.services(self.actor, include_inactive=True),
            [c.name for c in self.admin.categories(self.actor)],
            self.admin.schedules(self.actor),
            self.admin.service_schedules(self.actor),
        )

    def show_data(self, data: _Catalog, keep: str | None) -> None:
        self.entries = data.entries
        self.category_names = data.categories
        self.schedules, self.service_schedules = data.schedules, data.service_schedules
        self._show(keep)

    def schedule_of(self, code: str) -> str:
        return self.service_schedules.get(code, OFFICE)

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
        self.query_one("#catalog-summary", Static).update(plain(summary))
        self._show_detail()

    def current(self) -> CatalogEntry | None:
        code = self.table.current_key
        return next((e for e in self.entries if e.code == code), None)

    @on(KeyedTable.RowHighlighted, "#catalog-table")
    def _show_detail(self) -> None:
        entry = self.current()
        detail = self.query_one("#catalog-detail", Static)
        if entry is None:
            detail.update(Text("Ningún servicio coincide con la búsqueda." if self.entries else "", style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        schedule = next((s for s in self.schedules if s.code == self.schedule_of(entry.code)), None)
        for label, value in (
            ("Descripción", entry.description),
            ("Usuarios", entry.users),
            ("Horario", entry.hours),
            ("Horario ANS", f"{schedule.name} ({schedule.summary})" if schedule else ""),
            ("Canales", entry.channels),
            ("ANS", entry.ans_text),
        ):
            grid.add_row(label, plain(value or "—"))
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
        return offered(action, entry.active if entry else None)

    def action_new(self) -> None:
        self.when_read(self._new)

    def _new(self) -> None:
        blank = CatalogEntry(next_code(self.entries), "", "", "", "", "", "", "")
        dialog = ServiceDialog(
            "Nuevo servicio",
            blank,
            self.category_names,
            schedule_options(self.schedules, OFFICE),
            OFFICE,
            lambda v: self.admin.create_service(self.actor, v["entry"], v["schedule"]),
            confirm="Crear",
        )
        self.open_dialog(dialog, lambda e: f"{e.code} creado en el catálogo: {e.name}", keep=lambda e: e.code)

    def action_edit(self) -> None:
        entry = self.current()
        if entry is None:
            return
        current = self.schedule_of(entry.code)
        dialog = ServiceDialog(
            f"Editar {entry.code}",
            entry,
            self.category_names,
            schedule_options(self.schedules, current),
            current,
            lambda v: self.admin.update_service(self.actor, entry.code, v["entry"], v["schedule"]),
        )

        def done(saved: CatalogEntry) -> str:
            unchanged = saved == entry and dialog.schedule_chosen == current
            return f"{saved.code} sin cambios" if unchanged else f"{saved.code} guardado"

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
            question = f"«{entry.name}»\n\nVuelve a ofrecerse al registrar casos nuevos."
        else:
            title, confirm = f"Desactivar {entry.code}", "Desactivar"
            question = (
                f"«{entry.name}»\n\nUn servicio inactivo no se puede elegir en casos nuevos; "
                "los casos que ya lo tienen lo siguen mostrando. El servicio no se borra."
            )
        dialog = ConfirmDialog(
            title, question, lambda v: self.admin.set_service_active(self.actor, entry.code, active), confirm=confirm
        )
        verb = "activado" if active else "desactivado"
        self.open_dialog(dialog, lambda e: f"{e.code} {verb}", keep=lambda e: e.code)

    def action_import_file(self) -> None:
        if in_browser(self.app):
            # The path would name a file of the desk's server, not of the admin's machine.
            self.refused(
                DeskError("En el navegador no se importan archivos: use «mesa catalog import» en el servidor.")
            )
            return
        dialog = ImportDialog(self.admin, self.actor, lambda v: self.admin.import_catalog(self.actor, v["text"]))

        def done(result: ImportResult) -> str:
            return (
                f"Catálogo importado: {counted(result.created, 'nuevo', 'nuevos')}, "
                f"{counted(result.updated, 'modificado', 'modificados')}, {result.unchanged} sin cambios"
            )

        self.open_dialog(dialog, done)

    def action_export_file(self) -> None:
        admin, actor = self.admin, self.actor

        def run(v: dict[str, Any]) -> tuple[str, int]:
            text = admin.export_catalog(actor)
            if v["stream"] is not None:  # a browser session: a download
                v["stream"].write(text.encode("utf-8"))
                return f"la descarga {v['path']}", service_count(text)
            return write_catalog_file(v["path"], text)

        self.open_dialog(
            ExportDialog(run),
            lambda written: f"Catálogo exportado: {counted(written[1], 'servicio', 'servicios')} en {written[0]}",
        )


# --- an entry ------------------------------------------------------------------------


class ServiceDialog(AdminForm[CatalogEntry]):
    """Every field of a catalog entry and the schedule its SLA clocks count; the result is
    the saved CatalogEntry."""

    def __init__(
        self,
        title: str,
        entry: CatalogEntry,
        categories: list[str],
        schedules: list[tuple[str, str]],
        schedule: str,
        run: Callable[[dict[str, Any]], CatalogEntry],
        confirm: str = "Guardar",
    ) -> None:
        super().__init__(title, run, confirm=confirm)
        self.entry = entry
        self.categories = categories
        self.schedules = schedules
        self.schedule_chosen = schedule

    def fields(self) -> ComposeResult:
        e = self.entry
        names = [*self.categories, *([e.category] if e.category and e.category not in self.categories else [])]
        options = plain_options((name, name) for name in names)
        with Horizontal(classes="field-row"):
            yield FormField("Código (SER-NNN)", self._box("code"), "code")
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
        yield FormField("Nombre", self._box("name"), "name")
        yield FormField("Descripción funcional", self._text_box("description"), "description")
        with Horizontal(classes="field-row"):
            yield FormField("Usuarios", self._box("users"), "users")
            yield FormField("Horario de atención", self._box("hours"), "hours")
            yield FormField(
                "Horario del ANS",
                Select(
                    self.schedules, allow_blank=False, value=self.schedule_chosen, id="input-schedule", compact=True
                ),
                "schedule",
            )
        yield FormField("Canales de atención", self._box("channels"), "channels")
        yield FormField(
            "ANS (como lo publica la entidad)",
            self._text_box("ans_text"),
            "ans_text",
            hint="Un párrafo: los saltos de línea se guardan como espacios. Ctrl+S guarda.",
        )

    def _box(self, name: str) -> LimitedInput:
        """One line of the entry, as long as the catalog takes (domain/limits.py)."""
        return LimitedInput(getattr(self.entry, name), id=f"input-{name}", compact=True, limit=CATALOG[name])

    def _text_box(self, name: str) -> LimitedTextArea:
        return LimitedTextArea(
            getattr(self.entry, name),
            id=f"input-{name}",
            tab_behavior="focus",
            compact=True,
            classes="admin-text",
            limit=CATALOG[name],
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
        self.schedule_chosen = selected(self.query_one("#input-schedule", Select)) or OFFICE
        return {"entry": entry, "schedule": self.schedule_chosen}
