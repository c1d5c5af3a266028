"""The actor of every use case: named by the caller, re-read from the database
inside the use case's own transaction.

A caller hands the services an `ActorInfo`; only its ids count. Its role and
active flag, and those of the administrator acting for it (`--as`), are read
again in the transaction the use case runs in, so a forged role, a role changed
since login or a deactivated account change nothing but the refusal.
"""

from __future__ import annotations

from dataclasses import replace

from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.errors import PermissionDenied, SessionEnded
from mesa_tui.store import tickets_repo
from mesa_tui.store.engine import Session

NO_ACTOR = "Falta el usuario que hace la acción: nada se hizo."
DEACTIVATED = "Su usuario fue desactivado."


def require_actor(actor: object) -> ActorInfo:
    """The first check of every public use case: the call names who acts."""
    if not isinstance(actor, ActorInfo):
        raise PermissionDenied(NO_ACTOR)
    return actor


def current_actor(s: Session, actor: object) -> ActorInfo:
    """`actor` as stored now, with the operator who acts for it (if any) re-read too.

    Raises SessionEnded when the agent is gone or inactive, or when the operator is no
    longer an active administrator: the session that holds this actor must end.
    """
    claimed = require_actor(actor)
    stored = tickets_repo.actor_by_id(s, claimed.id)
    if stored is None or not stored.active:
        raise SessionEnded(DEACTIVATED)
    if claimed.operator_id is None or claimed.operator_id == stored.id:
        return stored
    operator = tickets_repo.actor_by_id(s, claimed.operator_id)
    if operator is None or not operator.active:
        raise SessionEnded(DEACTIVATED)
    if not operator.is_admin:
        raise SessionEnded("Su usuario ya no es administrador: no puede actuar como otro usuario.")
    return replace(stored, operator_id=operator.id, operator_name=operator.full_name)
