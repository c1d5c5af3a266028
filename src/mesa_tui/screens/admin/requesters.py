"""Solicitantes: the directory of requesters (search, create, edit, correct at the
person's request), the staff import, and the personal-data rights of Ley 1581 de 2012
(export everything held about one person, anonymize them). The dependencies list opens
with p. The list shows one page of the search (the directory may hold thousands)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from mesa_tui.domain.requesters import DependencyInfo, RequesterInfo
from mesa_tui.screens.admin.base import AdminForm, AdminPanel, admin_list, counted
from mesa_tui.screens.admin.dependencies import DependenciesScreen
from mesa_tui.screens.dialogs import ReasonDialog
from mesa_tui.screens.requesters.dialog import RequesterDialog
from mesa_tui.services.requester_data import RequesterImport
from mesa_tui.services.requesters import Requesters
from mesa_tui.widgets.form import FormField
from mesa_tui.widgets.keyed_table import Column, Row
from mesa_tui.widgets.plain import plain
from mesa_tui.widgets.search_box import SearchBox

PAGE = 200


@dataclass(frozen=True)
class _Directory:
    people: list[RequesterInfo]
    more: bool
    dependencies: list[DependencyInfo]
    notice: str


def state_text(r: RequesterInfo) -> Text:
    if r.anonymized:
        return Text("Anonimizado", style="magenta")
    return Text("Activo", style="green") if r.active else Text("Inactivo", style="yellow")


class RequestersPanel(AdminPanel[_Directory]):
    TITLE = "los solicitantes"

    BINDINGS = [
        Binding("n", "new", "Nuevo", id="requesters.new", tooltip="Crear un solicitante"),
        Binding("e,enter", "edit", "Editar", id="requesters.edit", tooltip="Editar el solicitante seleccionado"),
        Binding(
            "c",
            "correct",
            "Corregir",
            id="requesters.correct",
            tooltip="Corregir sus datos a solicitud de la persona (Ley 1581), con el motivo",
        ),
        Binding("i", "import", "Importar", id="requesters.import", tooltip="Importar el personal desde .csv o .xlsx"),
        Binding(
            "x",
            "export",
            "Exportar datos",
            id="requesters.export",
            tooltip="Exportar todo lo que la mesa guarda de la persona",
        ),
        Binding(
            "A",
            "anonymize",
            "Anonimizar",
            id="requesters.anonymize",
            tooltip="Borrar sus datos personales conservando las estadísticas de sus casos (no se deshace)",
        ),
        Binding("p", "dependencies", "Dependencias", id="requesters.dependencies", tooltip="La lista de dependencias"),
        Binding("slash", "search", "Buscar", id="requesters.search", tooltip="Buscar por nombre, correo o documento"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data = _Directory([], False, [], "1")
        self._query = ""

    @property
    def people(self) -> Requesters:
        return self.ctx.requesters

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-searchbar"):
            yield Static("/", classes="admin-search-key")
            yield SearchBox(placeholder="Buscar por nombre, correo o documento", id="requesters-search")
            yield Static("", id="requesters-summary", classes="admin-summary")
        yield admin_list(
            (
                Column("name", "Nombre", share=3),
                Column("document", "Documento", 16),
                Column("contact", "Correo o teléfono", share=3),
                Column("dependency", "Dependencia", share=2),
                Column("vip", "VIP", 4),
                Column("state", "Estado", 11),
            ),
            id="requesters-table",
        )

    def reload(self, keep: str | None = None) -> None:
        self._query = self.query_one("#requesters-search", SearchBox).value
        super().reload(keep)

    def fetch(self) -> _Directory:
        people, more = self.people.search(self.actor, self._query, PAGE)
        return _Directory(people, more, self.people.dependencies(self.actor), self.people.notice_version(self.actor))

    def show_data(self, data: _Directory, keep: str | None) -> None:
        self.data = data
        self.table.show_rows(
            [
                Row(
                    str(r.id),
                    (r.name, r.document, r.contact, r.dependency_name, "VIP" if r.vip else "", state_text(r)),
                    dim=not r.active,
                )
                for r in data.people
            ],
            keep,
        )
        shown = counted(len(data.people), "solicitante", "solicitantes")
        summary = f"Mostrando {len(data.people)} de más de {PAGE}: afine la búsqueda" if data.more else shown
        self.query_one("#requesters-summary", Static).update(plain(summary))

    def current(self) -> RequesterInfo | None:
        key = self.table.current_key
        return next((r for r in self.data.people if str(r.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "correct", "anonymize", "export"):
            r = self.current() if self.is_mounted else None
            return r is not None and (action == "export" or not r.anonymized)
        return True

    @on(SearchBox.Changed, "#requesters-search")
    def _searched(self) -> None:
        self.reload()

    @on(SearchBox.Done, "#requesters-search")
    def _search_done(self) -> None:
        self.table.focus()

    def action_search(self) -> None:
        self.query_one("#requesters-search", SearchBox).focus()

    def action_dependencies(self) -> None:
        self.app.push_screen(DependenciesScreen(self.ctx, self.admin), lambda _: self.reload())

    def action_new(self) -> None:
        self.when_read(self._new)

    def _new(self) -> None:
        d = self.data
        dialog = RequesterDialog(
            "Nuevo solicitante",
            None,
            d.dependencies,
            d.notice,
            lambda v: self.people.create(self.actor, v["requester"]),
            confirm="Crear",
        )
        self.open_dialog(dialog, lambda r: f"Solicitante «{r.name}» creado", keep=lambda r: str(r.id))

    def action_edit(self) -> None:
        self._edit(correct=False)

    def action_correct(self) -> None:
        self._edit(correct=True)

    def _edit(self, correct: bool) -> None:
        r = self.current()
        if r is None or r.anonymized:
            return
        people, actor = self.people, self.actor

        def run(v: dict[str, Any]) -> RequesterInfo:
            if correct:
                return people.correct(actor, r.id, v["requester"], v["reason"])
            return people.update(actor, r.id, v["requester"])

        if correct:
            title, intro = f"Corregir datos de «{r.name}»", "Corrección a solicitud de la persona (Ley 1581 de 2012)."
        else:
            title, intro = f"Editar «{r.name}»", f"Sus {counted(r.tickets, 'caso', 'casos')} toman los datos nuevos."
        dialog = RequesterDialog(title, r, self.data.dependencies, self.data.notice, run, reason=correct, intro=intro)
        verb = "corregido" if correct else "guardado"
        self.open_dialog(dialog, lambda x: f"Solicitante «{x.name}» {verb}", keep=lambda x: str(x.id))

    def action_import(self) -> None:
        dialog = PathDialog(
            "Importar solicitantes",
            "Archivo del personal (.csv o .xlsx)",
            lambda v: self.people.import_file(self.actor, v["path"]),
            confirm="Importar",
            intro=(
                "Columnas: nombre (obligatoria), tipo_documento, numero_documento, dependencia, correo, telefono, "
                "extension, cargo, vip, notas. Se actualiza a quien tenga el mismo correo o documento; todo o nada."
            ),
        )
        self.open_dialog(dialog, _imported)

    def action_export(self) -> None:
        r = self.current()
        if r is None:
            return
        dialog = PathDialog(
            f"Exportar los datos de «{r.name}»",
            "Guardar en (.json o .xlsx)",
            lambda v: self.people.export_data(self.actor, r.id, v["path"]),
            confirm="Exportar",
            value=f"solicitante_{r.id}.json",
            intro="Su registro, sus casos con sus eventos y comentarios. La exportación queda en la auditoría.",
        )
        self.open_dialog(dialog, lambda x: f"Datos exportados a {x[0]} ({counted(x[1], 'caso', 'casos')})")

    def action_anonymize(self) -> None:
        r = self.current()
        if r is None or r.anonymized:
            return
        dialog: ReasonDialog[RequesterInfo] = ReasonDialog(
            f"Anonimizar a «{r.name}»",
            "Motivo (p. ej. solicitud de supresión de la titular)",
            lambda v: self.people.anonymize(self.actor, r.id, v["reason"]),
            confirm="Anonimizar",
            intro=(
                f"Se borran su nombre, documento, correo, teléfono, cargo y notas, también en sus "
                f"{counted(r.tickets, 'caso', 'casos')}, que se conservan para las estadísticas. No se puede deshacer."
            ),
        )
        self.open_dialog(dialog, lambda x: f"Solicitante anonimizado: ahora «{x.name}»", keep=lambda x: str(x.id))


def _imported(result: RequesterImport) -> str:
    return f"Importados: {result.created} nuevos, {result.updated} actualizados, {result.unchanged} sin cambios" + (
        f"; {counted(result.dependencies, 'dependencia nueva', 'dependencias nuevas')}" if result.dependencies else ""
    )


class PathDialog(AdminForm[Any]):
    """One path to read or write; the refusal (a file's errors by line) shows under it."""

    def __init__(
        self,
        title: str,
        label: str,
        run: Callable[[dict[str, Any]], Any],
        confirm: str,
        intro: str = "",
        value: str = "",
    ) -> None:
        super().__init__(title, run, confirm=confirm, intro=intro)
        self.label = label
        self.initial = value

    def fields(self) -> ComposeResult:
        yield FormField(self.label, Input(self.initial, id="input-path", compact=True), "path")

    def values(self) -> dict[str, Any]:
        return {"path": self.query_one("#input-path", Input).value}

    def _failed(self, error: Any) -> None:
        # The export's refusals name "out"; the form has one field for both.
        if getattr(error, "field", None) == "out":
            error.field = "path"
        super()._failed(error)
