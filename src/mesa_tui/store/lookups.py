"""Id -> column values of reference rows (agents, groups, services): the one lookup
the repositories share to put names on the ids a page or a ticket carries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from mesa_tui.store.models import table_of


def values_by_id(
    s: Session, model: type[SQLModel], ids: Iterable[int | None] | None, *columns: str
) -> dict[int, tuple[Any, ...]]:
    """`columns` of the rows of `model` whose id is in `ids` (None ids skipped), or of
    every row when `ids` is None."""
    table = table_of(model)
    q = sa.select(table.c.id, *(table.c[c] for c in columns))
    if ids is not None:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        q = q.where(table.c.id.in_(wanted))
    return {row[0]: tuple(row[1:]) for row in s.execute(q).all()}


def names_by_id(s: Session, model: type[SQLModel], ids: Iterable[int | None] | None, column: str) -> dict[int, str]:
    """Like values_by_id for one text column."""
    return {i: v[0] for i, v in values_by_id(s, model, ids, column).items()}
