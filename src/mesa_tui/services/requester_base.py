"""What the requester use cases share: one write transaction with the actor re-read
inside it (and, for the personal-data rights, required to be an administrator), the
audit event of a requester, saving a requester with its tickets' snapshot, and the
requester a ticket logged from free text belongs to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mesa_tui.domain.contacts import contact_problem, normalized_contact, split_phone
from mesa_tui.domain.requesters import (
    RequesterInfo,
    RequesterInput,
    RequesterValues,
    audit_values,
    dependency_key,
    requester_values,
)
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import current_actor, require_actor
from mesa_tui.services.base import Service
from mesa_tui.services.errors import NotFound, PermissionDenied, ValidationError
from mesa_tui.store import requesters_repo as repo
from mesa_tui.store.audit import write_event
from mesa_tui.store.engine import Session

T = TypeVar("T")
ENTITY = "requester"
NOTICE_SETTING = "privacy_notice_version"
DEFAULT_NOTICE = "1"
# A change inside its transaction: (session, the actor as stored now, now).
Change = Callable[[Session, ActorInfo, datetime], T]


def requester_event(
    s: Session,
    who: ActorInfo,
    now: datetime,
    requester_id: int,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
    note: str = "",
) -> None:
    write_event(
        s,
        actor_id=who.id,
        operator_id=who.operator_id,
        action=action,
        at=now,
        changes=audit_values(changes or {}),
        note=note,
        entity=ENTITY,
        entity_key=str(requester_id),
    )


def checked(new: RequesterInput) -> RequesterValues:
    values, problems = requester_values(new)
    if values is None:
        field, message = problems[0]
        raise ValidationError(field, message)
    return values


def stored(s: Session, requester_id: int, *, for_update: bool = False) -> RequesterInfo:
    info = repo.requester(s, requester_id, for_update=for_update)
    if info is None:
        raise NotFound(f"No existe el solicitante {requester_id}.")
    return info


def unique_keys(s: Session, values: RequesterValues, except_id: int | None = None) -> None:
    """Refuse an e-mail or a document that another requester has."""
    if values.email is not None:
        other = repo.by_email(s, values.email)
        if other is not None and other != except_id:
            raise ValidationError("email", f"El correo {values.email} ya es de otro solicitante (n.º {other}).")
    if values.document_type and values.document_number:
        other = repo.by_document(s, values.document_type, values.document_number)
        if other is not None and other != except_id:
            raise ValidationError(
                "document_number",
                f"El documento {values.document_type} {values.document_number} ya es de otro solicitante (n.º {other}).",
            )


def usable_dependency(s: Session, dependency_id: int | None, current: int | None = None) -> None:
    if dependency_id is None or dependency_id == current:
        return
    dep = repo.dependency(s, dependency_id)
    if dep is None or not dep.active:
        raise ValidationError("dependency_id", "La dependencia elegida no existe o está inactiva.")


def save(
    s: Session, who: ActorInfo, now: datetime, before: RequesterInfo, values: RequesterValues, action: str, note: str
) -> int:
    """Store `values` over `before` with one event of `action` (when something changed),
    and rewrite the snapshot on their tickets; how many tickets changed."""
    old, new = repo.values_of(before).as_dict(), values.as_dict()
    changes = {f: (old[f], new[f]) for f in old if old[f] != new[f]}
    if not changes:
        return 0
    repo.update(s, before.id, values, now)
    moved = resync(s, before.id)
    if moved:
        note = f"{note} · {moved} caso(s) actualizados".strip(" ·")
    requester_event(s, who, now, before.id, action, changes, note)
    return moved


def resync(s: Session, requester_id: int) -> int:
    info = stored(s, requester_id)
    return repo.sync_tickets(s, requester_id, info.name, info.dependency_name, info.contact)


def requester_for_ticket(
    s: Session, who: ActorInfo, now: datetime, name: str, dependency: str, contact: str, code: str
) -> int:
    """The requester of a ticket logged with free text: the one with that e-mail, else
    a new one made of what was typed (its dependency when it names one of the list)."""
    email = contact.strip().lower() if "@" in contact else ""
    if email:
        found = repo.by_email(s, email)
        if found is not None:
            return found
    phone, extension = ("", "") if email else split_phone(contact) or (contact, "")
    deps = repo.dependency_by_key(s)
    dep = deps.get(dependency_key(dependency)) if dependency.strip() else None
    values, problems = requester_values(
        RequesterInput(
            name=name,
            dependency_id=dep.id if dep else None,
            email=email,
            phone=phone,
            extension=extension,
        )
    )
    if values is None:
        field = problems[0][0]
        raise ValidationError("requester_name" if field == "name" else "requester_contact", problems[0][1])
    requester_id = repo.insert(s, values, now, None)
    requester_event(
        s,
        who,
        now,
        requester_id,
        "crear",
        {f: (None, v) for f, v in values.as_dict().items() if v not in (None, "", False)},
        f"Creado al registrar el caso {code}",
    )
    return requester_id


def contact_value(value: str | None, field: str) -> str:
    """A requester's contact in the desk's form ("6056411370 ext. 1234"); refused when it
    is neither an e-mail, a phone nor an extension."""
    problem = contact_problem(value or "")
    if problem or value is None:
        raise ValidationError(field, problem or "")
    return normalized_contact(value)


def ticket_requester(
    s: Session, who: ActorInfo, now: datetime, chosen: int | None, typed: tuple[str, str, str], code: str
) -> tuple[int, tuple[str, str, str]]:
    """The requester of a new ticket and the ticket's snapshot of them (name, dependency,
    contact): the one `chosen` from the directory, else the one the `typed` text names."""
    if chosen is None:
        return requester_for_ticket(s, who, now, *typed, code), typed
    info = repo.requester(s, chosen)
    if info is None or not info.active or info.anonymized:
        raise ValidationError("requester_id", "El solicitante elegido no existe o está inactivo.")
    return info.id, (info.name, info.dependency_name, info.contact)


class RequesterBase(Service):
    """The database and clock the requester use cases run on."""

    def _require_admin(self, actor: ActorInfo, what: str) -> None:
        """Refuse anyone but an active administrator before the input is even read."""
        require_actor(actor)
        with self.db.read() as s:
            _admin(current_actor(s, actor), what)

    def _write(self, actor: ActorInfo, fn: Change[T], admin_for: str | None = None) -> T:
        """Run `fn` in one write transaction; `admin_for` names what only an
        administrator may do (checked before and again inside the transaction)."""
        require_actor(actor)
        if admin_for is not None:
            self._require_admin(actor, admin_for)

        def tx(s: Session) -> T:
            who = current_actor(s, actor)
            if admin_for is not None:
                _admin(who, admin_for)
            return fn(s, who, self.now())

        return self.db.write(tx)


def _admin(who: ActorInfo, what: str) -> None:
    if not who.is_admin:
        raise PermissionDenied(f"Solo un administrador puede {what}.")
