"""The agents' queue in SQL: one page at a time, keyset-paged on (sort value, id).

Nothing here reads more than a page (plus one row to know whether another
page follows). The views map onto the ticket indexes: "mine" and "unassigned"
on (agent_id, status, due_at, id), "my group" on (group_id, status, due_at,
id), "all open" on (status, due_at, id). Ordered by due time over several
statuses, each status is read in index order with its own LIMIT and the
pieces are merged, so SQLite never sorts the whole open set. The due order is
(paused, due_at, id): paused tickets (en espera) follow the running ones, since
a paused clock's due time is stale; its cursor value is (paused, due_at).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from mesa_tui.domain.queue import (
    PRIORITY_RANK,
    STATUS_RANK,
    PageCursor,
    PageDirection,
    PageRequest,
    QueueQuery,
    QueueRow,
    QueueView,
    SortKey,
    normalize_text,
)
from mesa_tui.domain.vocab import Status
from mesa_tui.store import requesters_repo
from mesa_tui.store.engine import AnySelect
from mesa_tui.store.lookups import names_by_id, values_by_id
from mesa_tui.store.models import Agent, CatalogService, SupportGroup, Ticket, table_of
from mesa_tui.store.ticket_rows import CLOCK_COLUMNS, clock_of

_ESPERA = Status.EN_ESPERA.value
_CODE_RE = re.compile(r"^MDA-\d{4}-\d{6}\Z")
_CODE_PREFIX_RE = re.compile(r"^MDA-[\d-]*\Z")

# The text filter matches the code, the subject, the requester's name (the ticket's
# snapshot) and the requester's e-mail (in the requester table).
# Optional trigram index over subject and requester (SQLite FTS5, 3.34+). When
# the table exists the text filter looks terms of 3+ characters up in it
# instead of scanning the queue with LIKE: same substring semantics, but a rare
# term costs milliseconds instead of a scan of every open ticket. The triggers
# keep it in step with every write to `ticket`, bulk inserts included; the
# last statement fills it for the tickets already there. A migration applies
# FTS_DDL in order (and FTS_DROP to go back).
FTS_TABLE = "ticket_text"
FTS_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(subject, requester_name, "
    "content='ticket', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON ticket BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, subject, requester_name) VALUES (new.id, new.subject, new.requester_name); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON ticket BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject, requester_name) "
    "VALUES ('delete', old.id, old.subject, old.requester_name); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF subject, requester_name ON ticket BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject, requester_name) "
    "VALUES ('delete', old.id, old.subject, old.requester_name); "
    f"INSERT INTO {FTS_TABLE}(rowid, subject, requester_name) VALUES (new.id, new.subject, new.requester_name); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
FTS_DROP = (
    *(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{t}" for t in ("ai", "ad", "au")),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
_FTS_MIN_CHARS = 3  # a trigram index cannot answer shorter terms
# A term matching fewer tickets than this is looked up in the index; a more
# common one is found faster by walking the queue in order (LIMIT stops early).
_FTS_SELECTIVE = 2000
_EMAIL_MATCHES = 200  # requesters whose e-mail matches a search, at most
_has_text_index: weakref.WeakKeyDictionary[sa.Engine, bool] = weakref.WeakKeyDictionary()

_T = table_of(Ticket)
_A = table_of(Agent).alias("queue_agent")
_S = table_of(CatalogService).alias("queue_service")
_SERVICES = table_of(CatalogService)

_ROW_COLUMNS = (
    "id",
    "code",
    "version",
    "subject",
    "requester_name",
    "requester_dependency",
    "service_id",
    "priority",
    "status",
    "level",
    "agent_id",
    "group_id",
    "due_at",
    "sla_calendar",
    "impact",
    "urgency",
    "nature",
    "type",
)
_COLUMNS = (*_ROW_COLUMNS, *CLOCK_COLUMNS)


def _sort_expr(key: SortKey) -> sa.ColumnElement[Any]:
    if key is SortKey.DUE:
        return _T.c.due_at
    if key is SortKey.CODE:
        return _T.c.code
    if key is SortKey.SUBJECT:
        return _T.c.subject
    if key is SortKey.REQUESTER:
        return _T.c.requester_name
    if key is SortKey.SERVICE:
        return _S.c.code
    if key is SortKey.PRIORITY:
        return sa.case(PRIORITY_RANK, value=_T.c.priority, else_=len(PRIORITY_RANK))
    if key is SortKey.STATUS:
        return sa.case(STATUS_RANK, value=_T.c.status, else_=len(STATUS_RANK))
    if key is SortKey.AGENT:
        return sa.func.coalesce(_A.c.full_name, "")
    raise ValueError(f"unknown sort key {key!r}")


def _from(key: SortKey) -> sa.FromClause:
    if key is SortKey.SERVICE:
        return _T.join(_S, _S.c.id == _T.c.service_id)
    if key is SortKey.AGENT:
        return _T.outerjoin(_A, _A.c.id == _T.c.agent_id)
    return _T


def text_index_available(s: Session) -> bool:
    """Whether the trigram index exists (looked up once per engine)."""
    engine = s.get_bind().engine
    known = _has_text_index.get(engine)
    if known is None:
        known = (
            engine.dialect.name == "sqlite"
            and s.execute(
                sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": FTS_TABLE}
            ).first()
            is not None
        )
        _has_text_index[engine] = known
    return known


def _rare_term_matches(s: Session, text: str) -> AnySelect | None:
    """The ids matching `text` from the trigram index, when there is one and
    the term is rare enough for the id set to be small; else None."""
    if len(text) < _FTS_MIN_CHARS or not text_index_available(s):
        return None
    phrase: sa.BindParameter[str] = sa.bindparam("text_phrase", '"' + text.replace('"', '""') + '"')
    matches: AnySelect = (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.table(FTS_TABLE))
        .where(sa.literal_column(FTS_TABLE).op("MATCH")(phrase))
    )
    sample = matches.limit(_FTS_SELECTIVE).subquery()
    found = s.execute(sa.select(sa.func.count()).select_from(sample)).scalar_one()
    return matches if found < _FTS_SELECTIVE else None


def _email_condition(s: Session, text: str) -> sa.ColumnElement[bool]:
    """Tickets of the requesters whose e-mail contains `text` (a few, from their small
    table). When they hold few tickets, those are read through ix_ticket_requester and
    looked up by id (as the trigram index's matches are); when many, the queue's walk in
    order tests each row's requester and stops at a page."""
    people = requesters_repo.ids_matching_email(text, _EMAIL_MATCHES)
    inner = table_of(Ticket).alias("by_email")
    tickets = sa.select(inner.c.id).where(inner.c.requester_id.in_(people))
    found = s.execute(sa.select(sa.func.count()).select_from(tickets.limit(_FTS_SELECTIVE).subquery())).scalar_one()
    if found < _FTS_SELECTIVE:
        return _T.c.id.in_(tickets)
    return _T.c.requester_id.in_(people)


def _text_condition(s: Session, text: str) -> sa.ColumnElement[bool] | None:
    text = normalize_text(text)
    if not text:
        return None
    code = text.upper()
    if _CODE_RE.match(code):
        return _T.c.code == code
    if "@" in text and " " not in text:
        # An e-mail (or part of one): only the requesters' e-mails, never a scan of every
        # open ticket's subject and name.
        return _email_condition(s, text)
    matches = _rare_term_matches(s, text)
    subject_or_requester: sa.ColumnElement[bool]
    if matches is not None:
        subject_or_requester = _T.c.id.in_(matches)
    else:
        sqlite = s.get_bind().dialect.name == "sqlite"

        def contains(column: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
            # SQLite's LIKE already ignores ASCII case; elsewhere ask for it.
            if sqlite:
                return column.contains(text, autoescape=True)
            return column.icontains(text, autoescape=True)

        subject_or_requester = sa.or_(contains(_T.c.subject), contains(_T.c.requester_name))
    if len(text) >= _FTS_MIN_CHARS:
        # The requester's e-mail too (the ticket keeps no e-mail column to scan).
        by_email = _email_condition(s, text)
        subject_or_requester = sa.or_(subject_or_requester, by_email)
    if _CODE_PREFIX_RE.match(code):
        return sa.or_(_T.c.code.startswith(code, autoescape=True), subject_or_requester)
    return subject_or_requester


def _conditions(s: Session, q: QueueQuery, actor_id: int, group_id: int | None) -> list[sa.ColumnElement[bool]]:
    """Every condition except the statuses (which the caller places)."""
    conds: list[sa.ColumnElement[bool]] = []
    if q.view is QueueView.MINE:
        conds.append(_T.c.agent_id == actor_id)
    elif q.view is QueueView.UNASSIGNED:
        conds.append(_T.c.agent_id.is_(None))
    elif q.view is QueueView.GROUP:
        # An agent without a group has no group queue: match nothing.
        conds.append(_T.c.group_id == group_id if group_id is not None else sa.false())
    text = _text_condition(s, q.text)
    if text is not None:
        conds.append(text)
    if q.priority is not None:
        conds.append(_T.c.priority == q.priority.value)
    if q.service_code:
        service_id = sa.select(_SERVICES.c.id).where(_SERVICES.c.code == q.service_code).scalar_subquery()
        conds.append(_T.c.service_id == service_id)
    if q.level is not None:
        conds.append(_T.c.level == q.level)
    return conds


def _keyset(expr: sa.ColumnElement[Any], cursor: PageCursor, forward: bool, inclusive: bool) -> sa.ColumnElement[bool]:
    """Rows after (forward) or before the cursor in ascending (expr, id) order.

    Written as `expr >= v AND (expr > v OR id > i)` so the first half is an
    index range and the second only trims the rows equal to v.
    """
    v, i = cursor.value, cursor.id
    if forward:
        id_cond = _T.c.id >= i if inclusive else _T.c.id > i
        return sa.and_(expr >= v, sa.or_(expr > v, id_cond))
    id_cond = _T.c.id <= i if inclusive else _T.c.id < i
    return sa.and_(expr <= v, sa.or_(expr < v, id_cond))


def _due_parts(
    statuses: Sequence[str],
    conds: list[sa.ColumnElement[bool]],
    cursor: PageCursor | None,
    ascending: bool,
    inclusive: bool,
) -> list[tuple[str, int, list[sa.ColumnElement[bool]]]]:
    """The due order is (paused, due_at, id): running tickets first, then the paused
    ones (en espera: their clocks are stopped, their due time is stale). The flag is
    constant within a status, so each status is one index-ordered read of
    (status, due_at, id); the cursor, a (paused, due_at) value, keeps a status whole,
    trims it on (due_at, id) or drops it, depending on which side of it the status lies."""
    parts = []
    for st in statuses:
        flag = int(st == _ESPERA)
        where = list(conds)
        if cursor is not None:
            cursor_flag, due = cursor.value
            if flag == cursor_flag:
                where.append(_keyset(_T.c.due_at, PageCursor(due, cursor.id), ascending, inclusive))
            elif (flag > cursor_flag) != ascending:
                continue  # the whole status lies behind the cursor
        parts.append((st, flag, where))
    return parts


def _select_rows(
    s: Session,
    q: QueueQuery,
    actor_id: int,
    group_id: int | None,
    cursor: PageCursor | None,
    forward: bool,
    inclusive: bool,
    limit: int,
) -> list[Any]:
    """Up to `limit` rows from the cursor on, walking in `forward` direction of
    the query's order (descending sorts flip it)."""
    expr = _sort_expr(q.sort)
    ascending = forward != q.descending
    conds = _conditions(s, q, actor_id, group_id)
    columns = [_T.c[name] for name in _COLUMNS] + [expr.label("sort_value")]

    def ordered(stmt: AnySelect, *keys: sa.ColumnElement[Any]) -> AnySelect:
        return stmt.order_by(*(k.asc() if ascending else k.desc() for k in keys))

    statuses = [st.value for st in q.statuses]
    if q.sort is SortKey.DUE:
        # One index-ordered read per status, merged: never a sort of the whole set.
        parts = [
            ordered(
                sa.select(*columns, sa.literal(flag, sa.Integer).label("paused"))
                .select_from(_from(q.sort))
                .where(_T.c.status == st, *where),
                _T.c.due_at,
                _T.c.id,
            )
            .limit(limit)
            .subquery()
            for st, flag, where in _due_parts(statuses, conds, cursor, ascending, inclusive)
        ]
        if not parts:
            return []
        union = sa.union_all(*(sa.select(p) for p in parts)).subquery("queue_page")
        stmt = ordered(sa.select(union), union.c.paused, union.c.sort_value, union.c.id).limit(limit)
        return list(s.execute(stmt).all())
    if cursor is not None:
        # In descending order "after" means smaller values.
        conds.append(_keyset(expr, cursor, ascending, inclusive))
    status_cond = _T.c.status == statuses[0] if len(statuses) == 1 else _T.c.status.in_(statuses)
    stmt = ordered(sa.select(*columns).select_from(_from(q.sort)).where(status_cond, *conds), expr, _T.c.id)
    return list(s.execute(stmt.limit(limit)).all())


def page(
    s: Session, q: QueueQuery, req: PageRequest, actor_id: int, group_id: int | None
) -> tuple[list[QueueRow], bool, bool]:
    """(rows in display order, has a page before, has a page after)."""
    n = req.size
    d = req.direction
    due = q.sort is SortKey.DUE
    if d is PageDirection.FIRST:
        rows = _select_rows(s, q, actor_id, group_id, None, True, False, n + 1)
        return _rows(s, rows[:n], due), False, len(rows) > n
    if d is PageDirection.LAST:
        rows = _select_rows(s, q, actor_id, group_id, None, False, False, n + 1)
        return _rows(s, rows[:n][::-1], due), len(rows) > n, False
    if d is PageDirection.AFTER:
        rows = _select_rows(s, q, actor_id, group_id, req.cursor, True, False, n + 1)
        return _rows(s, rows[:n], due), True, len(rows) > n
    if d is PageDirection.BEFORE:
        rows = _select_rows(s, q, actor_id, group_id, req.cursor, False, False, n + 1)
        if len(rows) <= n:
            # Reached the top: show a full first page rather than a short one.
            return page(s, q, PageRequest(PageDirection.FIRST, size=n), actor_id, group_id)
        return _rows(s, rows[:n][::-1], due), True, True
    # FROM: refresh in place, starting at the cursor row (or where it would be).
    rows = _select_rows(s, q, actor_id, group_id, req.cursor, True, True, n + 1)
    before = _select_rows(s, q, actor_id, group_id, req.cursor, False, False, 1)
    if len(rows) < n and before:
        # The page shrank (tickets left the filter): top it up from above.
        missing = n - len(rows)
        above = _select_rows(s, q, actor_id, group_id, req.cursor, False, False, missing + 1)
        has_before = len(above) > missing
        return _rows(s, above[:missing][::-1] + rows, due), has_before, False
    return _rows(s, rows[:n], due), bool(before), len(rows) > n


def count(s: Session, q: QueueQuery, actor_id: int, group_id: int | None, cap: int) -> tuple[int, bool]:
    """How many tickets match, counting no further than cap (then: capped)."""
    conds = _conditions(s, q, actor_id, group_id)
    statuses = [st.value for st in q.statuses]
    status_cond = _T.c.status == statuses[0] if len(statuses) == 1 else _T.c.status.in_(statuses)
    inner = sa.select(_T.c.id).where(status_cond, *conds).limit(cap + 1).subquery()
    n = s.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one()
    return min(n, cap), n > cap


def _rows(s: Session, rows: Sequence[Any], due: bool) -> list[QueueRow]:
    """The page's rows; in the due order a row's cursor value is (paused, due_at)."""
    services = values_by_id(s, CatalogService, (r.service_id for r in rows), "code", "name")
    agents = names_by_id(s, Agent, (r.agent_id for r in rows), "full_name")
    groups = names_by_id(s, SupportGroup, (r.group_id for r in rows), "name")
    out = []
    for r in rows:
        kind = "tto" if r.tto_stopped_at is None else "ttr"
        service_code, service_name = services.get(r.service_id, ("", ""))
        out.append(
            QueueRow(
                id=r.id,
                code=r.code,
                version=r.version,
                subject=r.subject,
                requester_name=r.requester_name,
                requester_dependency=r.requester_dependency,
                service_code=service_code,
                service_name=service_name,
                priority=r.priority,
                impact=r.impact,
                urgency=r.urgency,
                nature=r.nature,
                type=r.type,
                status=r.status,
                level=r.level,
                agent_id=r.agent_id,
                agent_name=agents.get(r.agent_id, ""),
                group_id=r.group_id,
                group_name=groups.get(r.group_id, ""),
                due_at=r.due_at,
                sla_calendar=r.sla_calendar,
                clock_kind=kind,
                clock=clock_of(r, kind),
                cursor=PageCursor((r.paused, r.sort_value) if due else r.sort_value, r.id),
            )
        )
    return out
