"""Dependencies (Secretaría de Hacienda, ...): the list requesters are placed in. Never
deleted (requesters point to them): an inactive one is offered to nobody new. A new
name reaches the snapshot of its requesters' tickets in the same transaction."""

from __future__ import annotations

from datetime import datetime

from mesa_tui.domain.requesters import DependencyInfo, dependency_key, dependency_problem
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import AdminBase
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import requesters_repo as repo
from mesa_tui.store.engine import Session

_DEPENDENCIES = "administrar las dependencias"


class DependencyAdmin(AdminBase):
    def dependencies(self, actor: ActorInfo, include_inactive: bool = True) -> list[DependencyInfo]:
        with self._reading(actor) as s:
            return repo.dependencies(s, include_inactive)

    def create_dependency(self, actor: ActorInfo, name: str) -> DependencyInfo:
        self._require_admin(actor, _DEPENDENCIES)
        name = _checked(name)

        def tx(s: Session, who: ActorInfo, now: datetime) -> DependencyInfo:
            _name_free(s, name)
            dep_id = repo.insert_dependency(s, name)
            self._event(s, who, now, "dependency", str(dep_id), "crear", {"name": (None, name)})
            return _dependency(s, dep_id)

        return self._write(actor, _DEPENDENCIES, tx)

    def rename_dependency(self, actor: ActorInfo, dependency_id: int, name: str) -> DependencyInfo:
        self._require_admin(actor, _DEPENDENCIES)
        name = _checked(name)

        def tx(s: Session, who: ActorInfo, now: datetime) -> DependencyInfo:
            dep = _dependency(s, dependency_id)
            if dep.name != name:
                _name_free(s, name, except_id=dep.id)
                repo.save_dependency(s, dep.id, name=name)
                moved = repo.rename_in_tickets(s, dep.id, name)
                note = f"{moved} caso(s) actualizados" if moved else ""
                self._event(s, who, now, "dependency", str(dep.id), "modificar", {"name": (dep.name, name)}, note)
            return _dependency(s, dep.id)

        return self._write(actor, _DEPENDENCIES, tx)

    def set_dependency_active(self, actor: ActorInfo, dependency_id: int, active: bool) -> DependencyInfo:
        self._require_admin(actor, _DEPENDENCIES)

        def tx(s: Session, who: ActorInfo, now: datetime) -> DependencyInfo:
            dep = _dependency(s, dependency_id)
            if dep.active != active:
                repo.save_dependency(s, dep.id, active=active)
                action = "activar" if active else "desactivar"
                self._event(s, who, now, "dependency", str(dep.id), action, {"active": (dep.active, active)})
            return _dependency(s, dep.id)

        return self._write(actor, _DEPENDENCIES, tx)


def _checked(name: str) -> str:
    name = " ".join((name or "").split())
    problem = dependency_problem(name)
    if problem:
        raise ValidationError("name", problem)
    return name


def _dependency(s: Session, dependency_id: int) -> DependencyInfo:
    dep = repo.dependency(s, dependency_id)
    if dep is None:
        raise NotFound(f"No existe la dependencia {dependency_id}.")
    return dep


def _name_free(s: Session, name: str, except_id: int | None = None) -> None:
    clash = repo.dependency_by_key(s).get(dependency_key(name))
    if clash is not None and clash.id != except_id:
        raise ValidationError("name", f"Ya existe la dependencia «{clash.name}».")
