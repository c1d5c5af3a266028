"""Aggregations for the supervisor's screens and reports, in SQL.

Every figure here is an aggregate over an index range (a month of created_at,
resolved_at or first_response_at, the open statuses), never a Python loop over
tickets. Months and age buckets are bounded by UTC instants computed in the
domain from Bogotá dates, so the same SQL runs on SQLite and PostgreSQL and the
range predicates stay sargable. Where rows are grouped by a computed value, the
GROUP BY is on a subquery's column: PostgreSQL does not recognise two copies of
an expression with bound parameters as the same one.

The SLA board needs business time, which SQL cannot compute; the domain turns
"vencido" and "en riesgo" into comparisons of the stored due_at with instants
computed once per calendar (and per target for the risk threshold), so the
groups are counted in SQL and agree with `Clock.state` (see
`mesa_tui.domain.indicators.overdue_cut` / `risk_cut`). The stored due_at is
the one the services computed at the ticket's last change: a closure added
later moves it only when the admin service recomputes the open tickets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from mesa_tui.domain.board import BoardGroup, SlaBoardRow, board_group, overdue_cut, risk_cut
from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.overview import OPEN_STATUS_VALUES, WORKING_STATUS_VALUES
from mesa_tui.domain.queue import PageCursor, PageDirection, PageRequest
from mesa_tui.domain.vocab import Nature, SolutionMode, Status
from mesa_tui.store.lookups import names_by_id, values_by_id
from mesa_tui.store.models import Agent, CatalogService, ServiceCategory, Setting, SupportGroup, Survey, Ticket
from mesa_tui.store.tickets_repo import clock_of

_T = Ticket.__table__
_SV = Survey.__table__
_SOLVED = (Status.RESUELTO.value, Status.CERRADO.value)
_ANULADO = Status.ANULADO.value
_ESPERA = Status.EN_ESPERA.value


def _flag(cond: sa.ColumnElement) -> sa.ColumnElement:
    return sa.case((cond, 1), else_=0)


def _per_range(
    s: Session,
    col: sa.ColumnElement,
    bounds: Sequence[datetime],
    where: Sequence[sa.ColumnElement],
    sums: Sequence[sa.ColumnElement],
) -> list[tuple[int, ...]]:
    """(count, sum of each flag in sums) of the rows with col in each
    [bounds[i], bounds[i + 1]) range.

    One aggregate per range, glued with UNION ALL: each is a plain index range
    scan, where a GROUP BY over a CASE would sort the whole year's rows.
    """
    parts = [
        sa.select(
            sa.literal(i).label("i"),
            sa.func.count().label("n"),
            *(sa.func.coalesce(sa.func.sum(flag), 0).label(f"s{k}") for k, flag in enumerate(sums)),
        ).where(col >= lo, col < hi, *where)
        for i, (lo, hi) in enumerate(zip(bounds, bounds[1:]))
    ]
    out = [(0,) * (len(sums) + 1)] * (len(bounds) - 1)
    for row in s.execute(sa.union_all(*parts)).all():
        out[row[0]] = tuple(int(v) for v in row[1:])
    return out


# --- indicators -----------------------------------------------------------------


def indicator_counts(s: Session, bounds: Sequence[datetime]) -> dict[str, list[tuple[int, int]]]:
    """Monthly (numerator, denominator) per indicator key for the months that
    `bounds` delimits (13 instants: see `month_bounds`)."""
    rec = _per_range(
        s,
        _T.c.created_at,
        bounds,
        [_T.c.status != _ANULADO],
        [_flag(_T.c.nature == Nature.SOFTWARE.value), _flag(_T.c.nature == Nature.HARDWARE.value)],
    )
    res = _per_range(
        s,
        _T.c.resolved_at,
        bounds,
        [_T.c.status.in_(_SOLVED)],
        [
            _flag(_T.c.nature == Nature.SOFTWARE.value),
            _flag(_T.c.nature == Nature.HARDWARE.value),
            _flag(_T.c.solution_mode == SolutionMode.REMOTO.value),
            _flag(_T.c.ttr_met.is_(True)),
        ],
    )
    ans = _per_range(s, _T.c.first_response_at, bounds, [_T.c.status != _ANULADO], [_flag(_T.c.tto_met.is_(True))])
    srv = _per_range(s, _SV.c.at, bounds, [], [_flag(_SV.c.score >= 4)])
    return {
        "eficiencia": [(r[0], c[0]) for r, c in zip(res, rec)],
        "software": [(r[1], c[1]) for r, c in zip(res, rec)],
        "hardware": [(r[2], c[2]) for r, c in zip(res, rec)],
        "remoto": [(r[3], r[0]) for r in res],
        "satisfaccion": [(v[1], v[0]) for v in srv],
        "ans_resolucion": [(r[4], r[0]) for r in res],
        "ans_respuesta": [(a[1], a[0]) for a in ans],
    }


# --- settings ---------------------------------------------------------------------


def settings_with_prefix(s: Session, prefix: str) -> dict[str, str]:
    q = sa.select(Setting.key, Setting.value).where(Setting.key.startswith(prefix, autoescape=True))
    rows = s.execute(q).all()
    return {k: v for k, v in rows}


# --- SLA cuts -----------------------------------------------------------------------


@dataclass(frozen=True)
class SlaCuts:
    """The instants that decide a running clock's SLA state at one moment."""

    overdue: Mapping[str, datetime]  # calendar kind -> overdue cut
    risk: Mapping[tuple[str, str, int], datetime]  # (calendar kind, clock, target seconds) -> risk cut


def _running_target() -> sa.ColumnElement:
    return sa.case((_T.c.tto_stopped_at.is_(None), _T.c.tto_target_s), else_=_T.c.ttr_target_s)


def _running_kind() -> sa.ColumnElement:
    return sa.case((_T.c.tto_stopped_at.is_(None), "tto"), else_="ttr")


def _overdue(cuts: SlaCuts) -> sa.ColumnElement:
    """Working ticket whose running clock is "vencido" (status not checked here)."""
    return sa.or_(*(sa.and_(_T.c.sla_calendar == kind, _T.c.due_at < cut) for kind, cut in cuts.overdue.items()))


def _at_risk(cuts: SlaCuts) -> sa.ColumnElement:
    """Due within the risk window of its own calendar and target (overdue not excluded here)."""
    if not cuts.risk:
        return sa.false()
    parts = []
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


# --- queue overview ---------------------------------------------------------------


def open_cube(
    s: Session, age_cutoffs: Sequence[datetime], cuts: SlaCuts
) -> list[tuple[str, int, int | None, int, int, int, int]]:
    """Open tickets counted by (status, level, agent, service, age bucket):
    rows of (status, level, agent_id, service_id, bucket, tickets, overdue).

    One scan of the open statuses feeds the whole overview; the groups are few
    (statuses x levels x agents x services x buckets actually present).
    """
    # Oldest first: created before the last cutoff is the oldest bucket.
    whens = [(_T.c.created_at < cut, len(age_cutoffs) - i) for i, cut in enumerate(reversed(age_cutoffs))]
    bucket = sa.case(*whens, else_=0) if whens else sa.literal(0)
    inner = (
        sa.select(
            _T.c.status,
            _T.c.level,
            _T.c.agent_id,
            _T.c.service_id,
            bucket.label("bucket"),
            _flag(sa.and_(_T.c.status.in_(WORKING_STATUS_VALUES), _overdue(cuts))).label("overdue"),
        )
        .where(_T.c.status.in_(OPEN_STATUS_VALUES))
        .subquery()
    )
    keys = [inner.c.status, inner.c.level, inner.c.agent_id, inner.c.service_id, inner.c.bucket]
    q = sa.select(*keys, sa.func.count(), sa.func.coalesce(sa.func.sum(inner.c.overdue), 0)).group_by(*keys)
    return [(st, int(lv), ag, int(sv), int(b), int(n), int(o)) for st, lv, ag, sv, b, n, o in s.execute(q).all()]


def count_by_level(s: Session, status: str) -> dict[int, int]:
    q = sa.select(_T.c.level, sa.func.count()).where(_T.c.status == status).group_by(_T.c.level)
    return {int(lv): int(n) for lv, n in s.execute(q).all()}


def received_between(s: Session, start: datetime, end: datetime) -> int:
    q = sa.select(sa.func.count()).where(_T.c.created_at >= start, _T.c.created_at < end, _T.c.status != _ANULADO)
    return int(s.execute(q).scalar_one())


def resolved_between(s: Session, start: datetime, end: datetime) -> int:
    q = sa.select(sa.func.count()).where(_T.c.resolved_at >= start, _T.c.resolved_at < end, _T.c.status.in_(_SOLVED))
    return int(s.execute(q).scalar_one())


def agents_with_groups(s: Session) -> list[tuple[int, str, str, int, str, bool]]:
    """(id, full name, role, level, group name, active) of every agent."""
    q = sa.select(Agent.id, Agent.full_name, Agent.role, Agent.level, SupportGroup.name, Agent.active).outerjoin(
        SupportGroup, SupportGroup.id == Agent.group_id
    )
    return [(i, n, r, lv, g or "", a) for i, n, r, lv, g, a in s.execute(q).all()]


def services_with_categories(s: Session) -> dict[int, tuple[str, str, str]]:
    """service id -> (code, name, category name)."""
    q = sa.select(CatalogService.id, CatalogService.code, CatalogService.name, ServiceCategory.name).outerjoin(
        ServiceCategory, ServiceCategory.id == CatalogService.category_id
    )
    return {i: (c, n, cat or "") for i, c, n, cat in s.execute(q).all()}


# --- SLA board --------------------------------------------------------------------


def board_counts(s: Session, cuts: SlaCuts) -> dict[BoardGroup, int]:
    overdue, risky = _overdue(cuts), _at_risk(cuts)
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


def _group_filter(group: BoardGroup | None, cuts: SlaCuts) -> tuple[tuple[str, ...], list[sa.ColumnElement]]:
    """Statuses to read and conditions for one board group.

    Besides the exact condition, each group gets a plain range on due_at (the
    earliest or latest cut) so the index walk starts where the group starts
    instead of filtering its way past, say, every overdue ticket.
    """
    if group is None:
        return OPEN_STATUS_VALUES, []
    if group is BoardGroup.EN_PAUSA:
        return (_ESPERA,), []
    overdue, risky = _overdue(cuts), _at_risk(cuts)
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
_CLOCK_FIELDS = ("target_s", "consumed_us", "anchor_at", "paused_at", "stopped_at", "paused_us")
_COLUMNS = _ROW_COLUMNS + tuple(f"{w}_{f}" for w in ("tto", "ttr") for f in _CLOCK_FIELDS)


def _keyset(cursor: PageCursor, forward: bool, inclusive: bool) -> sa.ColumnElement:
    v, i = cursor.value, cursor.id
    if forward:
        return sa.and_(_T.c.due_at >= v, sa.or_(_T.c.due_at > v, _T.c.id >= i if inclusive else _T.c.id > i))
    return sa.and_(_T.c.due_at <= v, sa.or_(_T.c.due_at < v, _T.c.id <= i if inclusive else _T.c.id < i))


def _select_board(
    s: Session,
    statuses: Sequence[str],
    conds: list[sa.ColumnElement],
    cursor: PageCursor | None,
    forward: bool,
    inclusive: bool,
    limit: int,
) -> list[Any]:
    """Up to `limit` rows in (due_at, id) order from the cursor. One index-ordered
    read per status, merged, so the open set is never sorted as a whole."""
    where = list(conds)
    if cursor is not None:
        where.append(_keyset(cursor, forward, inclusive))
    columns = [_T.c[name] for name in _COLUMNS]

    def ordered(stmt, due, ident):
        return stmt.order_by(due.asc(), ident.asc()) if forward else stmt.order_by(due.desc(), ident.desc())

    if len(statuses) == 1:
        stmt = ordered(sa.select(*columns).where(_T.c.status == statuses[0], *where), _T.c.due_at, _T.c.id)
        return list(s.execute(stmt.limit(limit)).all())
    parts = [
        ordered(sa.select(*columns).where(_T.c.status == st, *where), _T.c.due_at, _T.c.id).limit(limit).subquery()
        for st in statuses
    ]
    union = sa.union_all(*(sa.select(p) for p in parts)).subquery("board_page")
    stmt = ordered(sa.select(union), union.c.due_at, union.c.id).limit(limit)
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
    """(rows in due order, has a page before, has a page after)."""
    statuses, conds = _group_filter(group, cuts)
    n = req.size

    def select(cursor, forward, inclusive, limit):
        return _select_board(s, statuses, conds, cursor, forward, inclusive, limit)

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
                cursor=PageCursor(r.due_at, r.id),
            )
        )
    return out


# --- ticket export ----------------------------------------------------------------

_EXPORT_COLUMNS = (
    "id",
    "code",
    "created_at",
    "type",
    "channel",
    "requester_name",
    "requester_dependency",
    "service_id",
    "nature",
    "subject",
    "priority",
    "status",
    "level",
    "group_id",
    "agent_id",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "solution_mode",
    "sla_calendar",
    "tto_due_at",
    "tto_met",
    "ttr_due_at",
    "ttr_met",
) + tuple(f"{w}_{f}" for w in ("tto", "ttr") for f in _CLOCK_FIELDS)


def tickets_created_between(s: Session, start: datetime, end: datetime, chunk: int = 2000) -> Iterator[Any]:
    """Tickets created in [start, end) in (created_at, id) order, with their survey
    score, read a chunk at a time on the (created_at, id) index."""
    columns = [_T.c[name] for name in dict.fromkeys(_EXPORT_COLUMNS)]
    cursor: tuple[datetime, int] | None = None
    while True:
        q = (
            sa.select(*columns, _SV.c.score.label("survey_score"))
            .outerjoin(_SV, _SV.c.ticket_id == _T.c.id)
            .where(_T.c.created_at >= start, _T.c.created_at < end)
        )
        if cursor is not None:
            at, ident = cursor
            q = q.where(_T.c.created_at >= at, sa.or_(_T.c.created_at > at, _T.c.id > ident))
        rows = s.execute(q.order_by(_T.c.created_at, _T.c.id).limit(chunk)).all()
        yield from rows
        if len(rows) < chunk:
            return
        cursor = (rows[-1].created_at, rows[-1].id)


def agent_names(s: Session) -> dict[int, str]:
    return names_by_id(s, Agent, None, "full_name")


def group_names(s: Session) -> dict[int, str]:
    return names_by_id(s, SupportGroup, None, "name")
