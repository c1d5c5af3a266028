"""The catalog from the administrator's screens: services, categories, the catalog file."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from mesa_tui.domain.catalog import (
    CatalogEntry,
    CategoryInfo,
    PreviewRow,
    ServiceRef,
    category_problem,
    clean_entry,
    validate_entry,
)
from mesa_tui.domain.targets import OFFICE
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services import catalog as catalog_files
from mesa_tui.services.actors import require_actor
from mesa_tui.services.admin.base import AdminBase
from mesa_tui.services.admin.recompute import policy_lookup, retarget
from mesa_tui.services.admin.schedules import link_schedule
from mesa_tui.services.catalog import ImportResult
from mesa_tui.services.checks import named, raise_first
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import catalog_repo, recompute_repo, tickets_repo
from mesa_tui.store.engine import Session

_CATALOG = "editar el catálogo de servicios"


def _sentence(message: str) -> str:
    """validate_entry's messages follow "línea N:" in files; on a form they stand alone."""
    return message[:1].upper() + message[1:] + "."


class CatalogAdmin(AdminBase):
    """Catalog entries and categories; services moved to another category re-target their open tickets."""

    def services(self, actor: ActorInfo, include_inactive: bool = True) -> list[CatalogEntry]:
        with self._reading(actor) as s:
            return catalog_repo.list_services(s, include_inactive)

    def create_service(self, actor: ActorInfo, entry: CatalogEntry, schedule: str = OFFICE) -> CatalogEntry:
        """A new entry; its SLA clocks count `schedule` (Oficina unless said)."""
        self._require_admin(actor, _CATALOG)
        entry = _clean(entry)

        def tx(s: Session, who: ActorInfo, now: datetime) -> CatalogEntry:
            raise_first(_entry_problems(s, entry))
            _code_free(s, entry.code)
            result = catalog_repo.upsert_entries(s, [entry])
            _status, changes = result.changes[entry.code]
            self._event(s, who, now, "service", entry.code, "crear", changes)
            link_schedule(s, who, now, _service(s, entry.code), schedule)
            return entry

        return self._write(actor, _CATALOG, tx)

    def update_service(
        self, actor: ActorInfo, code: str, entry: CatalogEntry, schedule: str | None = None
    ) -> CatalogEntry:
        """Every field may change, the code too when the new one is free, and the schedule
        its SLA clocks count (None: the one it has). Moving the service to another category
        or schedule re-targets its open tickets when that changes their policy or hours."""
        self._require_admin(actor, _CATALOG)
        code = code.strip().upper()
        entry = _clean(entry)

        def tx(s: Session, who: ActorInfo, now: datetime) -> CatalogEntry:
            service = _service(s, code)
            raise_first(_entry_problems(s, entry))
            changes: dict[str, tuple[Any, Any]] = {}
            if entry.code != code:
                _code_free(s, entry.code)
                repo.rename_service(s, service.id, entry.code)
                changes["code"] = (code, entry.code)
            result = catalog_repo.upsert_entries(s, [entry])
            changes.update(result.changes.get(entry.code, (None, {}))[1])
            if changes:
                self._event(s, who, now, "service", entry.code, "modificar", changes)
            saved = _service(s, entry.code)
            notes = [f"Servicio {entry.code} cambió de categoría"] if saved.category_id != service.category_id else []
            moved = link_schedule(s, who, now, saved, schedule) if schedule is not None else None
            if moved:
                notes.append(moved)
            if notes:
                tickets = recompute_repo.open_tickets_of_service(s, service.id)
                retarget(s, self.now, tickets, policy_lookup(s), "; ".join(notes))
            return entry

        return self._write(actor, _CATALOG, tx)

    def set_service_active(self, actor: ActorInfo, code: str, active: bool) -> CatalogEntry:
        """An inactive entry can't be chosen for new tickets and still shows on old ones.
        Entries are never deleted."""
        self._require_admin(actor, _CATALOG)
        code = code.strip().upper()

        def tx(s: Session, who: ActorInfo, now: datetime) -> CatalogEntry:
            service = _service(s, code)
            if service.active != active:
                action = "activar" if active else "desactivar"
                self._event(s, who, now, "service", code, action, {"active": (service.active, active)})
                repo.set_service_active(s, service.id, active)
            return next(e for e in catalog_repo.list_services(s) if e.code == code)

        return self._write(actor, _CATALOG, tx)

    def categories(self, actor: ActorInfo) -> list[CategoryInfo]:
        with self._reading(actor) as s:
            return repo.categories(s)

    def add_category(self, actor: ActorInfo, name: str) -> CategoryInfo:
        self._require_admin(actor, _CATALOG)
        name = (name or "").strip()
        raise_first(named("name", category_problem(name)))

        def tx(s: Session, who: ActorInfo, now: datetime) -> CategoryInfo:
            clash = repo.category_name_clash(s, name)
            if clash:
                raise ValidationError("name", f"Ya existe la categoría «{clash}».")
            category_id = repo.add_category(s, name)
            self._event(s, who, now, "category", str(category_id), "crear", {"name": (None, name)})
            return CategoryInfo(id=category_id, name=name, services=0)

        return self._write(actor, _CATALOG, tx)

    def rename_category(self, actor: ActorInfo, old: str, new: str) -> CategoryInfo:
        self._require_admin(actor, _CATALOG)
        old, new = (old or "").strip(), (new or "").strip()
        raise_first(named("name", category_problem(new)))

        def tx(s: Session, who: ActorInfo, now: datetime) -> CategoryInfo:
            category_id = repo.category_id(s, old)
            if category_id is None:
                raise NotFound(f"No existe la categoría «{old}».")
            clash = repo.category_name_clash(s, new, except_id=category_id)
            if clash:
                raise ValidationError("name", f"Ya existe la categoría «{clash}».")
            if new != old:
                self._event(s, who, now, "category", str(category_id), "modificar", {"name": (old, new)})
                repo.rename_category(s, category_id, new)
            return next(c for c in repo.categories(s) if c.id == category_id)

        return self._write(actor, _CATALOG, tx)

    def preview_import(self, actor: ActorInfo, text: str) -> list[PreviewRow]:
        require_actor(actor)
        return catalog_files.preview_import(self.db, actor, text)

    def import_catalog(self, actor: ActorInfo, text: str) -> ImportResult:
        """All or nothing; services the file moves to another category re-target
        their open tickets in the same transaction, as an edit from the form does."""
        self._require_admin(actor, "importar el catálogo de servicios")

        def tx(s: Session, who: ActorInfo, now: datetime) -> ImportResult:
            result, moved = catalog_files.import_in(s, text, who, now)
            lookup = policy_lookup(s)
            for code in moved:
                tickets = recompute_repo.open_tickets_of_service(s, _service(s, code).id)
                retarget(s, self.now, tickets, lookup, f"Servicio {code} cambió de categoría")
            return result

        return self._write(actor, "importar el catálogo de servicios", tx)

    def export_catalog(self, actor: ActorInfo) -> str:
        require_actor(actor)
        return catalog_files.export_catalog(self.db, actor)


def _clean(entry: CatalogEntry) -> CatalogEntry:
    entry = clean_entry(entry)
    return replace(entry, code=entry.code.upper())


def _entry_problems(s: Session, entry: CatalogEntry) -> list[tuple[str, str]]:
    return [(f, _sentence(m)) for f, m in validate_entry(entry, catalog_repo.category_names(s))]


def _service(s: Session, code: str) -> ServiceRef:
    service = tickets_repo.service_by_code(s, code)
    if service is None:
        raise NotFound(f"El servicio {code} no existe en el catálogo.")
    return service


def _code_free(s: Session, code: str) -> None:
    taken = tickets_repo.service_by_code(s, code)
    if taken is not None:
        raise ValidationError("code", f"El código {code} ya está en uso: {taken.name}.")
