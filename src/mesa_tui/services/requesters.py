"""Requesters (solicitantes): find, create and edit the people the desk serves, and the
personal-data rights of Ley 1581 de 2012 (services/requester_data.py).

Any agent finds, creates (from the new-ticket form) and edits requesters; an edit
rewrites the requester's snapshot on their tickets in the same transaction. A
correction (rectificación) is an edit an administrator makes at the person's
request, audited as such with its reason. The audit events name which personal
fields changed, never their values (the trail is append-only: an anonymization
could not erase them there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mesa_tui.domain.limits import REASON
from mesa_tui.domain.requesters import (
    NOTICE_VERSION_MAX,
    SEARCH_LIMIT,
    DependencyInfo,
    RequesterInfo,
    RequesterInput,
)
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.actors import require_actor
from mesa_tui.services.checks import required_text
from mesa_tui.services.errors import ValidationError
from mesa_tui.services.requester_base import (
    DEFAULT_NOTICE,
    NOTICE_SETTING,
    checked,
    requester_event,
    save,
    stored,
    unique_keys,
    usable_dependency,
)
from mesa_tui.services.requester_data import RequesterData
from mesa_tui.store import requesters_repo as repo
from mesa_tui.store import tickets_repo
from mesa_tui.store.engine import Session

OTHER_TICKETS = 5


@dataclass(frozen=True)
class RequesterTicket:
    """One of a requester's tickets, as the ticket screen lists them."""

    id: int
    code: str
    subject: str
    status: str
    created_at: datetime
    priority: str


class Requesters(RequesterData):
    """The directory of requesters over one database."""

    # --- reading ------------------------------------------------------------------

    def find(self, actor: ActorInfo, text: str, limit: int = SEARCH_LIMIT) -> list[RequesterInfo]:
        """Active requesters whose name, e-mail or document contain every word typed."""
        with self._reading(actor) as s:
            return repo.search(s, text, limit)[0]

    def search(self, actor: ActorInfo, text: str, limit: int = 200) -> tuple[list[RequesterInfo], bool]:
        """The directory for the administrators' list, inactive and anonymized too:
        (up to `limit`, whether there are more)."""
        with self._reading(actor) as s:
            return repo.search(s, text, limit, include_inactive=True)

    def get(self, actor: ActorInfo, requester_id: int) -> RequesterInfo:
        with self._reading(actor) as s:
            return stored(s, requester_id)

    def other_tickets(
        self, actor: ActorInfo, requester_id: int, except_ticket: int | None = None, limit: int = OTHER_TICKETS
    ) -> list[RequesterTicket]:
        """The requester's tickets, newest first, but `except_ticket`."""
        with self._reading(actor) as s:
            return [RequesterTicket(*r) for r in repo.tickets_of(s, requester_id, limit, except_ticket)]

    def dependencies(self, actor: ActorInfo) -> list[DependencyInfo]:
        """The active dependencies, for the forms."""
        with self._reading(actor) as s:
            return repo.dependencies(s, include_inactive=False)

    def notice_version(self, actor: ActorInfo) -> str:
        """The version of the privacy notice the desk shows now (setting privacy_notice_version)."""
        with self._reading(actor) as s:
            return tickets_repo.setting(s, NOTICE_SETTING, DEFAULT_NOTICE)

    # --- changing -----------------------------------------------------------------

    def create(self, actor: ActorInfo, new: RequesterInput) -> RequesterInfo:
        require_actor(actor)
        values = checked(new)
        notice = _notice(new.privacy_notice_version)

        def tx(s: Session, who: ActorInfo, now: datetime) -> RequesterInfo:
            usable_dependency(s, values.dependency_id)
            unique_keys(s, values)
            requester_id = repo.insert(s, values, now, notice)
            fields = {f: (None, v) for f, v in values.as_dict().items() if v not in (None, "", False)}
            if notice:
                fields["privacy_notice_version"] = (None, notice)
            requester_event(s, who, now, requester_id, "crear", fields)
            return stored(s, requester_id)

        return self._write(actor, tx)

    def update(self, actor: ActorInfo, requester_id: int, new: RequesterInput) -> RequesterInfo:
        """An edit (contact data up to date, a dependency change...); their tickets' snapshot follows."""
        return self._edit(actor, requester_id, new, "modificar", "")

    def correct(self, actor: ActorInfo, requester_id: int, new: RequesterInput, reason: str) -> RequesterInfo:
        """A correction the person asked for (Ley 1581, art. 8: rectificación), with its reason."""
        require_actor(actor)
        reason = required_text(reason, "reason", "El motivo de la corrección", REASON)
        return self._edit(actor, requester_id, new, "corregir", reason, admin_for="corregir datos personales")

    def record_notice(self, actor: ActorInfo, requester_id: int, version: str) -> RequesterInfo:
        """The person was shown the privacy notice `version` now."""
        require_actor(actor)
        notice = _notice(version)
        if not notice:
            raise ValidationError("privacy_notice_version", "Escriba la versión del aviso de privacidad informado.")

        def tx(s: Session, who: ActorInfo, now: datetime) -> RequesterInfo:
            before = _editable(s, requester_id)
            repo.update(
                s, requester_id, repo.values_of(before), now, privacy_notice_version=notice, privacy_notice_at=now
            )
            changes = {"privacy_notice_version": (before.privacy_notice_version, notice)}
            requester_event(s, who, now, requester_id, "aviso de privacidad", changes)
            return stored(s, requester_id)

        return self._write(actor, tx)

    def set_active(self, actor: ActorInfo, requester_id: int, active: bool) -> RequesterInfo:
        """An inactive requester (who left the entity) is no longer offered; their tickets stay."""

        def tx(s: Session, who: ActorInfo, now: datetime) -> RequesterInfo:
            before = _editable(s, requester_id)
            if before.active != active:
                repo.update(s, requester_id, repo.values_of(before), now, active=active)
                action = "activar" if active else "desactivar"
                requester_event(s, who, now, requester_id, action, {"active": (before.active, active)})
            return stored(s, requester_id)

        return self._write(actor, tx, admin_for="activar o desactivar solicitantes")

    def _edit(
        self,
        actor: ActorInfo,
        requester_id: int,
        new: RequesterInput,
        action: str,
        note: str,
        admin_for: str | None = None,
    ) -> RequesterInfo:
        require_actor(actor)
        values = checked(new)
        notice = _notice(new.privacy_notice_version)

        def tx(s: Session, who: ActorInfo, now: datetime) -> RequesterInfo:
            before = _editable(s, requester_id)
            usable_dependency(s, values.dependency_id, before.dependency_id)
            unique_keys(s, values, except_id=requester_id)
            save(s, who, now, before, values, action, note)
            if notice and notice != before.privacy_notice_version:
                after = stored(s, requester_id)
                repo.update(
                    s, requester_id, repo.values_of(after), now, privacy_notice_version=notice, privacy_notice_at=now
                )
                changes = {"privacy_notice_version": (before.privacy_notice_version, notice)}
                requester_event(s, who, now, requester_id, "aviso de privacidad", changes)
            return stored(s, requester_id)

        return self._write(actor, tx, admin_for=admin_for)


def _editable(s: Session, requester_id: int) -> RequesterInfo:
    info = stored(s, requester_id, for_update=True)
    if info.anonymized:
        raise ValidationError("name", f"El solicitante {requester_id} fue anonimizado: sus datos ya no se editan.")
    return info


def _notice(version: str | None) -> str:
    text = (version or "").strip()
    if len(text) > NOTICE_VERSION_MAX:
        raise ValidationError(
            "privacy_notice_version", f"La versión del aviso admite hasta {NOTICE_VERSION_MAX} caracteres."
        )
    return text
