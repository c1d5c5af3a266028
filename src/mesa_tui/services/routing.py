"""Where a ticket may go: the catalog service it may be logged or classified under,
and the support group it is routed to (at the group's level)."""

from __future__ import annotations

from mesa_tui.domain.catalog import ServiceRef
from mesa_tui.domain.staff import Group
from mesa_tui.domain.ticket_record import TicketRecord
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import tickets_repo as repo
from mesa_tui.store.engine import Session


def usable_service(s: Session, code: str | None) -> ServiceRef:
    """The catalog service a ticket may be logged or classified under."""
    service = repo.service_by_code(s, (code or "").strip().upper())
    if service is None:
        raise ValidationError("service", f"El servicio «{code}» no existe en el catálogo.")
    if not service.active:
        raise ValidationError("service", f"El servicio {service.code} está inactivo: elija otro.")
    return service


def group_of(s: Session, group_id: int) -> Group:
    group = repo.group_by_id(s, group_id)
    if group is None:  # the foreign keys make this impossible
        raise NotFound(f"No existe el grupo {group_id}.")
    return group


def active_group(s: Session, group_id: int) -> Group:
    group = repo.group_by_id(s, group_id)
    if group is None or not group.active:
        raise ValidationError("group", "El grupo elegido no existe o está inactivo.")
    return group


def route(t: TicketRecord, group: Group) -> None:
    """The ticket goes to `group`, at the group's level."""
    t.group_id, t.level = group.id, group.level
