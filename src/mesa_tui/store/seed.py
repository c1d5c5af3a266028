"""Reference data every desk starts with. Idempotent: only fills what is missing."""

from __future__ import annotations

from sqlmodel import Session, col, select

from mesa_tui.domain.priority import DEFAULT_MATRIX
from mesa_tui.domain.sla import default_targets
from mesa_tui.domain.vocab import PRIORITY_ORDER, SEED_CATEGORIES
from mesa_tui.store.engine import Database
from mesa_tui.store.identity_repo import system_actor
from mesa_tui.store.models import PriorityRule, ServiceCategory, Setting, SlaPolicy, SupportGroup

DEFAULT_SETTINGS = {
    "risk_threshold": "0.75",
    "auto_close_business_days": "3",
    "meta.eficiencia": "95",
    "meta.software": "95",
    "meta.hardware": "60",
    "meta.remoto": "40",
    "meta.satisfaccion": "95",
    "meta.ans_resolucion": "90",
    "meta.ans_respuesta": "90",
    "ssh_account": "",  # the OS account sshd runs `mesa session` as; empty: no SSH sessions
    "privacy_notice_version": "1",  # the privacy notice (Ley 1581) the desk shows requesters now
}

DEFAULT_GROUPS = (
    ("Mesa de ayuda", 1),
    ("Infraestructura y redes", 2),
    ("Software y aplicaciones", 2),
    ("Seguridad informática", 2),
    ("Proveedor externo", 3),
)


def seed_reference_data(db: Database) -> None:
    def fill(s: Session) -> None:
        have = set(s.exec(select(ServiceCategory.name)).all())
        for name in SEED_CATEGORIES:
            if name not in have:
                s.add(ServiceCategory(name=name))
        have_rules = {(r.impact, r.urgency) for r in s.exec(select(PriorityRule)).all()}
        for (impact, urgency), priority in DEFAULT_MATRIX.items():
            if (impact, urgency) not in have_rules:
                s.add(PriorityRule(impact=impact, urgency=urgency, priority=priority.value))
        defaults = {
            p.priority
            for p in s.exec(
                select(SlaPolicy).where(col(SlaPolicy.service_id).is_(None), col(SlaPolicy.category_id).is_(None))
            ).all()
        }
        for priority in PRIORITY_ORDER:
            if priority.value not in defaults:
                t = default_targets(priority.value)
                s.add(
                    SlaPolicy(
                        priority=priority.value,
                        tto_minutes=int(t.tto.total_seconds() // 60),
                        ttr_minutes=int(t.ttr.total_seconds() // 60),
                        calendar=t.calendar,
                    )
                )
        have_settings = set(s.exec(select(Setting.key)).all())
        for key, value in DEFAULT_SETTINGS.items():
            if key not in have_settings:
                s.add(Setting(key=key, value=value))
        have_groups = set(s.exec(select(SupportGroup.name)).all())
        for name, level in DEFAULT_GROUPS:
            if name not in have_groups:
                s.add(SupportGroup(name=name, level=level))
        system_actor(s)  # the desk's own actor: auto-close, recomputes, the first setup

    db.write(fill)
