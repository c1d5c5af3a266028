"""SLA policies: create, change or delete one, and re-target the open tickets it governs."""

from __future__ import annotations

from datetime import datetime, timedelta

from mesa_tui.domain.catalog import (
    is_service_code,
)
from mesa_tui.domain.policies import PolicyInfo, PolicyScope, RecomputeResult, policy_key, policy_problems
from mesa_tui.domain.sla import SlaTargets
from mesa_tui.domain.targets import ROUND_THE_CLOCK
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.domain.vocab import PRIORITY_ORDER
from mesa_tui.services.admin.base import AdminBase, diff
from mesa_tui.services.admin.recompute import policy_lookup, retarget
from mesa_tui.services.checks import raise_first
from mesa_tui.services.errors import NotFound, ValidationError
from mesa_tui.store import admin_repo as repo
from mesa_tui.store import recompute_repo, tickets_repo
from mesa_tui.store.engine import Session

_SCOPE_ORDER = {PolicyScope.DEFAULT: 0, PolicyScope.CATEGORY: 1, PolicyScope.SERVICE: 2}

_POLICIES = "cambiar las políticas de ANS"


class PolicyAdmin(AdminBase):
    """SLA policies per service, category or the default."""

    def policies(self, actor: ActorInfo) -> list[PolicyInfo]:
        """Default policies first, then per category, then per service; by priority within each."""
        with self._reading(actor) as s:
            rows = repo.policies(s)
        rank = {p.value: i for i, p in enumerate(PRIORITY_ORDER)}
        return sorted(rows, key=lambda p: (_SCOPE_ORDER[p.scope], p.scope_label, rank.get(p.priority, 9)))

    def save_policy(
        self,
        actor: ActorInfo,
        scope: str | None,
        priority: str,
        tto_minutes: int,
        ttr_minutes: int,
        calendar: str,
        all_types: bool = False,
    ) -> RecomputeResult:
        """Create or change the policy of `scope` (a service code, a category name, or None
        for the default) and `priority`, and re-target the open tickets it governs.
        `calendar` is "office" (each service's own hours) or "24x7"; 24x7 covers the
        incidents it governs, or every ticket type with `all_types`."""
        self._require_admin(actor, _POLICIES)
        raise_first(policy_problems(priority, tto_minutes, ttr_minutes, calendar, all_types))
        all_types = all_types and calendar == ROUND_THE_CLOCK  # office hours cover every type anyway

        def tx(s: Session, who: ActorInfo, now: datetime) -> RecomputeResult:
            service_id, category_id, label = _scope(s, scope)
            stored = repo.policy_values(s, service_id, category_id, priority)
            new = {"tto_minutes": tto_minutes, "ttr_minutes": ttr_minutes, "calendar": calendar, "all_types": all_types}
            changes = diff(stored if stored is not None else dict.fromkeys(new), new)
            if not changes:
                return RecomputeResult(0)
            repo.save_policy(s, service_id, category_id, priority, tto_minutes, ttr_minutes, calendar, all_types)
            key = policy_key(service_id, category_id, priority)
            note = f"{label} · {priority}"
            self._event(s, who, now, "policy", key, "crear" if stored is None else "modificar", changes, note)
            targets = SlaTargets(timedelta(minutes=tto_minutes), timedelta(minutes=ttr_minutes), calendar, all_types)
            tickets = recompute_repo.governed_open_tickets(s, service_id, category_id, priority)
            done = "creada" if stored is None else "modificada"
            return RecomputeResult(retarget(s, self.now, tickets, lambda t: targets, f"Política de ANS {done}: {note}"))

        return self._write(actor, _POLICIES, tx)

    def delete_policy(self, actor: ActorInfo, scope: str | None, priority: str) -> RecomputeResult:
        """Remove a service's or category's policy; its open tickets fall to the next one.
        The default policies can be changed, not deleted."""
        self._require_admin(actor, _POLICIES)
        if scope is None:
            raise ValidationError("scope", "Las políticas predeterminadas no se eliminan: modifique sus tiempos.")

        def tx(s: Session, who: ActorInfo, now: datetime) -> RecomputeResult:
            service_id, category_id, label = _scope(s, scope)
            stored = repo.policy_values(s, service_id, category_id, priority)
            if stored is None:
                raise NotFound(f"No hay una política de ANS para {label} con prioridad {priority}.")
            changes = {f: (v, None) for f, v in stored.items()}
            repo.delete_policy(s, service_id, category_id, priority)
            note = f"{label} · {priority}"
            key = policy_key(service_id, category_id, priority)
            self._event(s, who, now, "policy", key, "eliminar", changes, note)
            tickets = recompute_repo.governed_open_tickets(s, service_id, category_id, priority)
            return RecomputeResult(
                retarget(s, self.now, tickets, policy_lookup(s), f"Política de ANS eliminada: {note}")
            )

        return self._write(actor, _POLICIES, tx)


def _scope(s: Session, scope: str | None) -> tuple[int | None, int | None, str]:
    """(service_id, category_id, label) of a policy scope."""
    if scope is None:
        return None, None, "Predeterminada"
    key = scope.strip()
    if is_service_code(key.upper()):
        service = tickets_repo.service_by_code(s, key.upper())
        if service is None:
            raise ValidationError("scope", f"El servicio «{key}» no existe en el catálogo.")
        return service.id, None, f"{service.code} · {service.name}"
    category_id = repo.category_id(s, key)
    if category_id is None:
        raise ValidationError("scope", f"No existe el servicio ni la categoría «{key}».")
    return None, category_id, f"Categoría {key}"
