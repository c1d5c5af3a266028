"""Reads and writes of the service catalog, in domain values (CatalogEntry)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from mesa_tui.domain.catalog import TEXT_FIELDS, CatalogEntry, ImportStatus, diff_entry
from mesa_tui.store.models import CatalogService, ServiceCategory


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int
    # code -> (NUEVO or MODIFICADO, {field: (old, new)}), in input order; unchanged codes are absent.
    changes: dict[str, tuple[ImportStatus, dict[str, tuple[object, object]]]] = field(default_factory=dict)


def category_names(s: Session) -> list[str]:
    return list(s.exec(select(ServiceCategory.name).order_by(col(ServiceCategory.name))).all())


def list_services(s: Session, include_inactive: bool = True) -> list[CatalogEntry]:
    q = select(CatalogService, ServiceCategory.name).join(
        ServiceCategory, col(ServiceCategory.id) == CatalogService.category_id
    )
    if not include_inactive:
        q = q.where(col(CatalogService.active).is_(True))
    return [_entry(row, category) for row, category in s.exec(q.order_by(col(CatalogService.code))).all()]


def active_service_codes(s: Session) -> list[str]:
    """Codes of the active services, in the order they were created."""
    return list(
        s.exec(
            select(CatalogService.code).where(col(CatalogService.active).is_(True)).order_by(col(CatalogService.id))
        ).all()
    )


def service_id_by_code(s: Session) -> dict[str, int]:
    return {code: id_ for code, id_ in s.exec(select(CatalogService.code, CatalogService.id)).all() if id_ is not None}


def upsert_entries(s: Session, entries: Iterable[CatalogEntry]) -> UpsertResult:
    """Create or update services by code. Never deletes: services missing from
    `entries` stay as they are. Codes must be unique and categories must exist."""
    entries = list(entries)
    codes = [e.code for e in entries]
    if len(set(codes)) != len(codes):
        raise ValueError("upsert_entries: duplicate codes")
    category_ids = {
        name: id_ for id_, name in s.exec(select(ServiceCategory.id, ServiceCategory.name)).all() if id_ is not None
    }
    category_by_id = {id_: name for name, id_ in category_ids.items()}
    unknown = sorted({e.category for e in entries} - category_ids.keys())
    if unknown:
        raise ValueError(f"upsert_entries: unknown categories {unknown}")
    rows = {r.code: r for r in s.exec(select(CatalogService).where(col(CatalogService.code).in_(codes))).all()}
    changes: dict[str, tuple[ImportStatus, dict[str, tuple[object, object]]]] = {}
    unchanged = 0
    for entry in entries:
        row = rows.get(entry.code)
        if row is None:
            s.add(CatalogService(**_columns(entry, category_ids)))
            changes[entry.code] = (ImportStatus.NUEVO, diff_entry(None, entry))
            continue
        diff = diff_entry(_entry(row, category_by_id[row.category_id]), entry)
        if not diff:
            unchanged += 1
            continue
        for name, value in _columns(entry, category_ids).items():
            setattr(row, name, value)
        s.add(row)
        changes[entry.code] = (ImportStatus.MODIFICADO, diff)
    s.flush()
    created = sum(1 for status, _ in changes.values() if status is ImportStatus.NUEVO)
    return UpsertResult(created=created, updated=len(changes) - created, unchanged=unchanged, changes=changes)


def _entry(row: CatalogService, category: str) -> CatalogEntry:
    return CatalogEntry(
        **{name: getattr(row, name) for name in TEXT_FIELDS if name != "category"},
        category=category,
        active=row.active,
    )


def _columns(entry: CatalogEntry, category_ids: dict[str, int]) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(entry, name) for name in TEXT_FIELDS if name != "category"}
    values["category_id"] = category_ids[entry.category]
    values["active"] = entry.active
    return values
