"""Requesters and dependencies in the database, and the tickets' snapshot of their requester."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from mesa_tui.domain.requesters import (
    DependencyInfo,
    RequesterInfo,
    RequesterValues,
    dependency_key,
    search_key,
)
from mesa_tui.domain.text import fold
from mesa_tui.store.models import Agent, Comment, Dependency, Requester, Ticket, TicketEvent, table_of

_R = table_of(Requester)
_E = table_of(TicketEvent)
_C = table_of(Comment)
_A = table_of(Agent)
_D = table_of(Dependency)
_T = table_of(Ticket)

VALUE_COLUMNS = (
    "name",
    "document_type",
    "document_number",
    "dependency_id",
    "email",
    "phone",
    "extension",
    "position",
    "vip",
    "notes",
)


# --- requesters -----------------------------------------------------------------------


def _info(row: Any, dependency_name: str, tickets: int = 0) -> RequesterInfo:
    return RequesterInfo(
        id=row.id,
        name=row.name,
        document_type=row.document_type,
        document_number=row.document_number,
        dependency_id=row.dependency_id,
        dependency_name=dependency_name,
        email=row.email,
        phone=row.phone,
        extension=row.extension,
        position=row.position,
        vip=row.vip,
        notes=row.notes,
        privacy_notice_version=row.privacy_notice_version,
        privacy_notice_at=row.privacy_notice_at,
        anonymized=row.anonymized,
        anonymized_at=row.anonymized_at,
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
        tickets=tickets,
    )


def _select() -> sa.Select[Any]:
    return sa.select(_R, sa.func.coalesce(_D.c.name, "").label("dependency_name")).select_from(
        _R.outerjoin(_D, _D.c.id == _R.c.dependency_id)
    )


def requester(s: Session, requester_id: int, *, for_update: bool = False) -> RequesterInfo | None:
    stmt = _select().where(_R.c.id == requester_id)
    if for_update:
        stmt = stmt.with_for_update(of=_R)
    row = s.execute(stmt).first()
    if row is None:
        return None
    count = s.execute(sa.select(sa.func.count()).where(_T.c.requester_id == requester_id)).scalar_one()
    return _info(row, row.dependency_name, count)


def values_of(info: RequesterInfo) -> RequesterValues:
    return RequesterValues(**{c: getattr(info, c) for c in VALUE_COLUMNS})


def by_email(s: Session, email: str) -> int | None:
    return s.execute(sa.select(_R.c.id).where(_R.c.email == email)).scalar_one_or_none()


def by_document(s: Session, document_type: str, number: str) -> int | None:
    q = sa.select(_R.c.id).where(_R.c.document_type == document_type, _R.c.document_number == number)
    return s.execute(q).scalar_one_or_none()


def by_name_only(s: Session, name: str) -> int | None:
    """The one requester named `name` (folded) who has neither e-mail nor document."""
    q = sa.select(_R.c.id).where(
        _R.c.search_text == search_key(name, None, None),
        _R.c.email.is_(None),
        _R.c.document_number.is_(None),
        _R.c.anonymized.is_(False),
    )
    found = list(s.execute(q.limit(2)).scalars())
    return found[0] if len(found) == 1 else None


def search(s: Session, text: str, limit: int, include_inactive: bool = False) -> tuple[list[RequesterInfo], bool]:
    """Requesters whose name, e-mail or document contain every word of `text` (folded),
    by name; (up to `limit`, whether there were more)."""
    stmt = _select()
    for word in fold(text).split():
        stmt = stmt.where(_R.c.search_text.contains(word, autoescape=True))
    if not include_inactive:
        stmt = stmt.where(_R.c.active.is_(True))
    rows = s.execute(stmt.order_by(_R.c.name, _R.c.id).limit(limit + 1)).all()
    return [_info(r, r.dependency_name) for r in rows[:limit]], len(rows) > limit


def ids_matching_email(text: str, limit: int) -> sa.Select[Any]:
    """The ids of requesters whose e-mail contains `text` (lower case): what the queue's
    text search adds to the ticket's own columns."""
    return sa.select(_R.c.id).where(_R.c.email.contains(text.lower(), autoescape=True)).limit(limit)


def insert(s: Session, values: RequesterValues, now: datetime, notice: str | None) -> int:
    result: sa.CursorResult[Any] = s.execute(  # type: ignore[assignment]  # an INSERT's result is a cursor's
        sa.insert(_R).values(
            **values.as_dict(),
            search_text=search_key(values.name, values.email, values.document_number),
            privacy_notice_version=notice or None,
            privacy_notice_at=now if notice else None,
            anonymized=False,
            active=True,
            created_at=now,
            updated_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def update(s: Session, requester_id: int, values: RequesterValues, now: datetime, **extra: Any) -> None:
    s.execute(
        sa.update(_R)
        .where(_R.c.id == requester_id)
        .values(
            **values.as_dict(),
            search_text=search_key(values.name, values.email, values.document_number),
            updated_at=now,
            **extra,
        )
    )


def dependency_name(s: Session, dependency_id: int | None) -> str:
    if dependency_id is None:
        return ""
    return s.execute(sa.select(_D.c.name).where(_D.c.id == dependency_id)).scalar_one_or_none() or ""


def sync_tickets(s: Session, requester_id: int, name: str, dependency: str, contact: str) -> int:
    """Rewrite the snapshot of the requester on every ticket of theirs; how many changed.
    Not a change of the ticket (no version, no event): the requester's event says it."""
    result: sa.CursorResult[Any] = s.execute(  # type: ignore[assignment]  # an UPDATE's result is a cursor's
        sa.update(_T)
        .where(
            _T.c.requester_id == requester_id,
            sa.or_(
                _T.c.requester_name != name,
                _T.c.requester_dependency != dependency,
                _T.c.requester_contact != contact,
            ),
        )
        .values(requester_name=name, requester_dependency=dependency, requester_contact=contact)
    )
    return int(result.rowcount or 0)


def tickets_of(s: Session, requester_id: int, limit: int, except_id: int | None = None) -> list[Any]:
    """A requester's tickets, newest first (index ix_ticket_requester)."""
    q = (
        sa.select(_T.c.id, _T.c.code, _T.c.subject, _T.c.status, _T.c.created_at, _T.c.priority)
        .where(_T.c.requester_id == requester_id)
        .order_by(_T.c.created_at.desc(), _T.c.id.desc())
        .limit(limit)
    )
    if except_id is not None:
        q = q.where(_T.c.id != except_id)
    return list(s.execute(q).all())


def ticket_ids_of(s: Session, requester_id: int) -> list[int]:
    return list(s.execute(sa.select(_T.c.id).where(_T.c.requester_id == requester_id).order_by(_T.c.id)).scalars())


def ticket_rows_of(s: Session, requester_id: int, columns: Sequence[str]) -> list[dict[str, Any]]:
    q = sa.select(*(_T.c[c] for c in columns)).where(_T.c.requester_id == requester_id).order_by(_T.c.id)
    return [dict(r._mapping) for r in s.execute(q)]


def events_about(s: Session, requester_id: int, ticket_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The events of the requester's record and of their tickets, in order."""
    about = sa.and_(_E.c.entity == "requester", _E.c.entity_key == str(requester_id))
    if ticket_ids:
        about = sa.or_(about, _E.c.ticket_id.in_(list(ticket_ids)))
    q = (
        sa.select(
            _E.c.id,
            _E.c.at,
            _E.c.ticket_id,
            _E.c.entity,
            _E.c.entity_key,
            _E.c.action,
            _E.c.changes,
            _E.c.note,
            sa.func.coalesce(_A.c.full_name, "").label("actor"),
        )
        .select_from(_E.outerjoin(_A, _A.c.id == _E.c.actor_id))
        .where(about)
        .order_by(_E.c.id)
    )
    return [dict(r._mapping) for r in s.execute(q)]


def comments_of(s: Session, ticket_ids: Sequence[int]) -> list[dict[str, Any]]:
    if not ticket_ids:
        return []
    q = (
        sa.select(
            _C.c.id,
            _C.c.ticket_id,
            _C.c.at,
            _C.c.public,
            _C.c.body,
            sa.func.coalesce(_A.c.full_name, "").label("author"),
        )
        .select_from(_C.outerjoin(_A, _A.c.id == _C.c.author_id))
        .where(_C.c.ticket_id.in_(list(ticket_ids)))
        .order_by(_C.c.id)
    )
    return [dict(r._mapping) for r in s.execute(q)]


def count_requesters(s: Session) -> int:
    return s.execute(sa.select(sa.func.count()).select_from(_R)).scalar_one()


# --- dependencies ---------------------------------------------------------------------


def dependencies(s: Session, include_inactive: bool = True) -> list[DependencyInfo]:
    counts = sa.select(_R.c.dependency_id, sa.func.count().label("n")).group_by(_R.c.dependency_id).subquery()
    q = sa.select(_D, sa.func.coalesce(counts.c.n, 0).label("n")).select_from(
        _D.outerjoin(counts, counts.c.dependency_id == _D.c.id)
    )
    if not include_inactive:
        q = q.where(_D.c.active.is_(True))
    rows = s.execute(q.order_by(_D.c.name)).all()
    return [DependencyInfo(r.id, r.name, r.active, r.n) for r in rows]


def dependency(s: Session, dependency_id: int) -> DependencyInfo | None:
    return next((d for d in dependencies(s) if d.id == dependency_id), None)


def dependency_by_key(s: Session) -> dict[str, DependencyInfo]:
    """Every dependency by its folded name (the imports and the free-text tickets match by it)."""
    return {dependency_key(d.name): d for d in dependencies(s)}


def insert_dependency(s: Session, name: str) -> int:
    result: sa.CursorResult[Any] = s.execute(sa.insert(_D).values(name=name, active=True))  # type: ignore[assignment]
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def save_dependency(s: Session, dependency_id: int, **values: Any) -> None:
    s.execute(sa.update(_D).where(_D.c.id == dependency_id).values(**values))


def bulk_insert(s: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Plain requester rows (the demo's thousands), through Core."""
    batch = list(rows)
    if batch:
        s.execute(sa.insert(_R), batch)


def rename_in_tickets(s: Session, dependency_id: int, name: str) -> int:
    """The new name of a dependency on the snapshot of its requesters' tickets."""
    people = sa.select(_R.c.id).where(_R.c.dependency_id == dependency_id)
    result: sa.CursorResult[Any] = s.execute(  # type: ignore[assignment]  # an UPDATE's result is a cursor's
        sa.update(_T)
        .where(_T.c.requester_id.in_(people), _T.c.requester_dependency != name)
        .values(requester_dependency=name)
    )
    return int(result.rowcount or 0)
