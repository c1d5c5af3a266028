"""The demo's directory: the city hall's dependencies and a pool of requesters that the
demo tickets point to, made with Core inserts (thousands at once) and one "crear" event
each by the desk's own actor."""

from __future__ import annotations

import random
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from mesa_tui.domain.requesters import dependency_key, search_key
from mesa_tui.store import audit, identity_repo
from mesa_tui.store import requesters_repo as repo
from mesa_tui.store.audit_chain import NewEvent
from mesa_tui.store.demo_rows import DEPENDENCIES, FIRST, LAST
from mesa_tui.store.models import Requester, table_of

_NOTE = "Datos de demostración"
_R = table_of(Requester)
# A demo requester: (id, name, dependency, contact) as a ticket's snapshot keeps them.
Person = tuple[int, str, str, str]


def pool_size(tickets: int) -> int:
    """A few tickets per person for small demos; a few thousand people for a million tickets."""
    return max(20, min(5000, tickets // 4 if tickets <= 2000 else 500 + tickets // 200))


def ensure_people(s: Session, rng: random.Random, count: int, now: datetime) -> list[Person]:
    """The demo dependencies that are missing, and `count` new requesters with e-mails
    nobody has yet (inside the caller's write transaction)."""
    system = identity_repo.system_actor(s)
    deps = repo.dependency_by_key(s)
    dep_ids: dict[str, int] = {}
    for name in DEPENDENCIES:
        found = deps.get(dependency_key(name))
        if found is None:
            dep_id = repo.insert_dependency(s, name)
            audit.write_event(
                s,
                actor_id=system.id,
                action="crear",
                at=now,
                changes={"name": (None, name)},
                note=_NOTE,
                entity="dependency",
                entity_key=str(dep_id),
            )
            dep_ids[name] = dep_id
        else:
            dep_ids[name] = found.id
    taken = set(s.execute(sa.select(_R.c.email).where(_R.c.email.is_not(None))).scalars())
    rows = []
    for _ in range(count):
        first, last, second = rng.choice(FIRST), rng.choice(LAST), rng.choice(LAST)
        name = f"{first} {last} {second}"
        dep = rng.choice(DEPENDENCIES)
        email, phone = None, ""
        if rng.random() < 0.8:
            user = f"{first[0]}{last}".lower().translate(str.maketrans("áéíóúñ", "aeioun"))
            email, n = f"{user}@cartagena.gov.co", 1
            while email in taken:
                n += 1
                email = f"{user}{n}@cartagena.gov.co"
            taken.add(email)
        else:
            phone = f"3{rng.randint(0, 2)}{rng.randint(10_000_000, 99_999_999)}"
        rows.append(
            {
                "name": name,
                "document_type": None,
                "document_number": None,
                "dependency_id": dep_ids[dep],
                "email": email,
                "phone": phone,
                "extension": "",
                "position": rng.choice(("Profesional universitario", "Técnico administrativo", "Auxiliar", "Asesor")),
                "vip": rng.random() < 0.03,
                "notes": "",
                "search_text": search_key(name, email, None),
                "privacy_notice_version": "1",
                "privacy_notice_at": now,
                "anonymized": False,
                "anonymized_at": None,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    first_id = s.execute(sa.select(sa.func.coalesce(sa.func.max(_R.c.id), 0))).scalar_one()
    repo.bulk_insert(s, rows)
    made = s.execute(
        sa.select(_R.c.id, _R.c.name, _R.c.dependency_id, _R.c.email, _R.c.phone)
        .where(_R.c.id > first_id)
        .order_by(_R.c.id)
    ).all()
    names = {d: n for n, d in dep_ids.items()}
    audit.write_events(s, [NewEvent(None, "requester", str(r.id), now, system.id, "crear", "{}", _NOTE) for r in made])
    return [(r.id, r.name, names.get(r.dependency_id, ""), r.email or r.phone) for r in made]
