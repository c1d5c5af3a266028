"""The SLA board in SQL: the cuts that decide a running clock's state, the board's
group counts and its pages.

The SLA board needs business time, which SQL cannot compute; the domain turns
"vencido" and "en riesgo" into comparisons of the stored due_at with instants
computed once per calendar (and per target for the risk threshold), so the
groups are counted in SQL and agree with `Clock.state` (see
`mesa_tui.domain.board.overdue_cut` / `risk_cut`). The stored due_at is
the one the services computed at the ticket's last change: a closure added
later moves it only when the admin service recomputes the open tickets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from mesa_tui.domain.board import BoardGroup, SlaBoardRow, board_group, overdue_cut, risk_cut
from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.overview import OPEN_STATUS_VALUES, WORKING_STATUS_VALUES
from mesa_tui.domain.queue import PRIORITY_RANK, PageCursor, PageDirection, PageRequest
from mesa_tui.domain.vocab import Status
from mesa_tui.store.lookups import names_by_id, values_by_id
from mesa_tui.store.models import Agent, CatalogService, SupportGroup, Ticket, table_of
from mesa_tui.store.ticket_rows import CLOCK_COLUMNS, clock_of

_T = table_of(Ticket)
_ESPERA = Status.EN_ESPERA.value


@dataclass(frozen=True)
class SlaCuts:
    """The instants that decide a running clock's SLA state at one moment."""

    overdue: Mapping[str, datetime]  # calendar kind -> overdue cut
    risk: Mapping[tuple[str, str, int], datetime]  # (calendar kind, clock, target seconds) -> risk cut


def _running_target() -> sa.ColumnElement[int]:
    return sa.case((_T.c.tto_stopped_at.is_(None), _T.c.tto_target_s), else_=_T.c.ttr_target_s)


def _running_kind() -> sa.ColumnElement[str]:
    return sa.case((_T.c.tto_stopped_at.is_(None), "tto"), else_="ttr")


def overdue_condition(cuts: SlaCuts) -> sa.ColumnElement[bool]:
    """Working ticket whose running clock is "vencido" (status not checked here)."""
    return sa.or_(*(sa.and_(_T.c.sla_calendar == kind, _T.c.due_at < cut) for kind, cut in cuts.overdue.items()))


def _at_risk(cuts: SlaCuts) -> sa.ColumnElement[bool]:
    """Due within the risk window of its own calendar and target (overdue not excluded here)."""
    if not cuts.risk:
        return sa.false()
    parts: list[sa.ColumnElement[bool]] = []
    for (kind, which, target), cut in cuts.risk.items():
        if which == "tto":
            clock_cond = sa.and_(_T.c.tto_stopped_at.is_(None), _T.c.tto_target_s == target)
        else:
            clock_cond = sa.and_(_T.c.tto_stopped_at.is_not(None), _T.c.ttr_target_s == target)
        parts.append(sa.and_(_T.c.sla_calendar == kind, clock_cond, _T.c.due_at <= cut))
    return sa.or_(*parts)


def running_clock_kinds(s: Session) -> list[tuple[str, str, int]]:
    """Distinct (calendar kind, running clock, target seconds) among working tickets."""
    q = (
        sa.select(_T.c.sla_calendar, _running_kind().label("which"), _running_target().label("target"))
        .where(_T.c.status.in_(WORKING_STATUS_VALUES))
        .distinct()
    )
    return [(k, w, int(t)) for k, w, t in s.execute(q).all()]


def sla_cuts(s: Session, calendars: Mapping[str, BusinessCalendar], now: datetime, risk: float | None) -> SlaCuts:
    """The cuts at `now`; the risk cuts (one query for the targets in use) only
    when `risk` is given."""
    overdue = {kind: overdue_cut(cal, now) for kind, cal in calendars.items()}
    if risk is None:
        return SlaCuts(overdue, {})
    risky = {
        (kind, which, target): risk_cut(calendars[kind], now, timedelta(seconds=target), risk)
        for kind, which, target in running_clock_kinds(s)
        if kind in calendars
    }
    return SlaCuts(overdue, risky)


def board_counts(s: Session, cuts: SlaCuts) -> dict[BoardGroup, int]:
    overdue, risky = overdue_condition(cuts), _at_risk(cuts)
    group = sa.case(
        (_T.c.status == _ESPERA, BoardGroup.EN_PAUSA.value),
        (overdue, BoardGroup.VENCIDO.value),
        (risky, BoardGroup.EN_RIESGO.value),
        else_=BoardGroup.EN_TIEMPO.value,
    )
    inner = sa.select(group.label("g")).where(_T.c.status.in_(OPEN_STATUS_VALUES)).subquery()
    rows = s.execute(sa.select(inner.c.g, sa.func.count()).group_by(inner.c.g)).all()
    counts = {g: 0 for g in BoardGroup}
    counts.update({BoardGroup(g): int(n) for g, n in rows})
    return counts


def _group_filter(group: BoardGroup | None, cuts: SlaCuts) -> tuple[tuple[str, ...], list[sa.ColumnElement[bool]]]:
    """Statuses to read and conditions for one board group.

    Besides the exact condition, each group gets a plain range on due_at (the
    earliest or latest cut) so the index walk starts where the group starts
    instead of filtering its way past, say, every overdue ticket.
    """
    if group is None:
        return OPEN_STATUS_VALUES, []
    if group is BoardGroup.EN_PAUSA:
        return (_ESPERA,), []
    overdue, risky = overdue_condition(cuts), _at_risk(cuts)
    first_cut = min(cuts.overdue.values())
    if group is BoardGroup.VENCIDO:
        return WORKING_STATUS_VALUES, [_T.c.due_at < max(cuts.overdue.values()), overdue]
    not_overdue = [_T.c.due_at >= first_cut, sa.not_(overdue)]
    if group is BoardGroup.EN_RIESGO:
        if not cuts.risk:
            return WORKING_STATUS_VALUES, [sa.false()]
        return WORKING_STATUS_VALUES, [*not_overdue, _T.c.due_at <= max(cuts.risk.values()), risky]
    lower = [_T.c.due_at > min(cuts.risk.values())] if cuts.risk else []
    return WORKING_STATUS_VALUES, [*not_overdue, *lower, sa.not_(risky)]


_ROW_COLUMNS = (
    "id",
    "code",
    "version",
    "subject",
    "priority",
    "status",
    "level",
    "agent_id",
    "group_id",
    "service_id",
    "due_at",
    "sla_calendar",
)
_COLUMNS = (*_ROW_COLUMNS, *CLOCK_COLUMNS)


# Within each priority the groups an agent must act on show the newest first: the
# ticket that crossed into "vencido" (or "en riesgo") a minute ago above those that
# crossed weeks ago, i.e. the latest due time first. The others keep the due order.
_NEWEST_FIRST = frozenset({BoardGroup.VENCIDO, BoardGroup.EN_RIESGO})


def _keyset(cursor: PageCursor, forward: bool, inclusive: bool) -> sa.ColumnElement[bool]:
    """Rows after (forward) or before the cursor in ascending (due_at, id) order."""
    v, i = cursor.value, cursor.id
    if forward:
        return sa.and_(_T.c.due_at >= v, sa.or_(_T.c.due_at > v, _T.c.id >= i if inclusive else _T.c.id > i))
    return sa.and_(_T.c.due_at <= v, sa.or_(_T.c.due_at < v, _T.c.id <= i if inclusive else _T.c.id < i))


def _select_board(
    s: Session,
    statuses: Sequence[str],
    conds: list[sa.ColumnElement[bool]],
    cursor: PageCursor | None,
    forward: bool,
    inclusive: bool,
    limit: int,
    newest_first: bool,
) -> list[Any]:
    """Up to `limit` rows from the cursor in (priority rank, due_at, id) order, due_at
    and id descending when `newest_first`. The rank is constant within a (status,
    priority) pair: each pair is one index-ordered read of ix_ticket_status_priority_due
    (trimmed by the cursor on (due_at, id), whole, or skipped by which side of the
    cursor's rank it lies), and the pieces are merged, so the open set is never
    sorted as a whole. A cursor's value is (priority rank, due_at)."""
    due_ascending = forward != newest_first
    columns = [_T.c[name] for name in _COLUMNS]

    def keys(*cols: sa.ColumnElement[Any]) -> list[sa.UnaryExpression[Any]]:
        return [c.asc() if due_ascending else c.desc() for c in cols]

    parts = []
    for st in statuses:
        for priority, rank in PRIORITY_RANK.items():
            where = [_T.c.status == st, _T.c.priority == priority, *conds]
            if cursor is not None:
                cursor_rank, due = cursor.value
                if rank == cursor_rank:
                    where.append(_keyset(PageCursor(due, cursor.id), due_ascending, inclusive))
                elif (rank > cursor_rank) != forward:
                    continue  # this priority lies wholly behind the cursor
            stmt = sa.select(*columns, sa.literal(rank, sa.Integer).label("rank")).where(*where)
            parts.append(stmt.order_by(*keys(_T.c.due_at, _T.c.id)).limit(limit).subquery())
    if not parts:
        return []
    union = sa.union_all(*(sa.select(p) for p in parts)).subquery("board_page")
    rank_key = union.c.rank.asc() if forward else union.c.rank.desc()
    stmt = sa.select(union).order_by(rank_key, *keys(union.c.due_at, union.c.id)).limit(limit)
    return list(s.execute(stmt).all())


def board_page(
    s: Session,
    group: BoardGroup | None,
    req: PageRequest,
    cuts: SlaCuts,
    calendars: Mapping[str, BusinessCalendar],
    now: datetime,
    risk: float,
) -> tuple[list[SlaBoardRow], bool, bool]:
    """(rows in the board's order, has a page before, has a page after): by priority,
    then the newest crossing first in "vencido" and "en riesgo", the due order elsewhere."""
    statuses, conds = _group_filter(group, cuts)
    n = req.size

    newest_first = group in _NEWEST_FIRST

    def select(cursor: PageCursor | None, forward: bool, inclusive: bool, limit: int) -> list[Any]:
        return _select_board(s, statuses, conds, cursor, forward, inclusive, limit, newest_first)

    d = req.direction
    if d is PageDirection.FIRST:
        rows = select(None, True, False, n + 1)
        raw, before, after = rows[:n], False, len(rows) > n
    elif d is PageDirection.LAST:
        rows = select(None, False, False, n + 1)
        raw, before, after = rows[:n][::-1], len(rows) > n, False
    elif d is PageDirection.AFTER:
        rows = select(req.cursor, True, False, n + 1)
        raw, before, after = rows[:n], True, len(rows) > n
    elif d is PageDirection.BEFORE:
        rows = select(req.cursor, False, False, n + 1)
        if len(rows) <= n:
            return board_page(s, group, PageRequest(PageDirection.FIRST, size=n), cuts, calendars, now, risk)
        raw, before, after = rows[:n][::-1], True, True
    else:  # FROM: refresh in place from the cursor row
        rows = select(req.cursor, True, True, n + 1)
        above = select(req.cursor, False, False, 1)
        raw, before, after = rows[:n], bool(above), len(rows) > n
    return _board_rows(s, raw, calendars, now, risk), before, after


def _board_rows(
    s: Session, rows: Sequence[Any], calendars: Mapping[str, BusinessCalendar], now: datetime, risk: float
) -> list[SlaBoardRow]:
    services = values_by_id(s, CatalogService, (r.service_id for r in rows), "code", "name")
    agents = names_by_id(s, Agent, (r.agent_id for r in rows), "full_name")
    groups = names_by_id(s, SupportGroup, (r.group_id for r in rows), "name")
    out = []
    for r in rows:
        kind = "tto" if r.tto_stopped_at is None else "ttr"
        clock = clock_of(r, kind)
        cal = calendars[r.sla_calendar]
        state = clock.state(cal, now, risk)
        code, name = services.get(r.service_id, ("", ""))
        out.append(
            SlaBoardRow(
                id=r.id,
                code=r.code,
                version=r.version,
                subject=r.subject,
                priority=r.priority,
                status=r.status,
                level=r.level,
                agent_id=r.agent_id,
                agent_name=agents.get(r.agent_id, ""),
                group_name=groups.get(r.group_id, ""),
                service_code=code,
                service_name=name,
                due_at=r.due_at,
                clock_kind=kind,
                state=state,
                remaining=clock.remaining(cal, now),
                board_group=board_group(r.status, state),
                cursor=PageCursor((r.rank, r.due_at), r.id),
            )
        )
    return out
