"""Aggregations for the supervisor's overview and indicators, and the ticket export's read, in SQL.

Every figure here is an aggregate over an index range (a month of created_at,
resolved_at or first_response_at, the open statuses), never a Python loop over
tickets. Months and age buckets are bounded by UTC instants computed in the
domain from Bogotá dates, so the same SQL runs on SQLite and PostgreSQL and the
range predicates stay sargable. Where rows are grouped by a computed value, the
GROUP BY is on a subquery's column: PostgreSQL does not recognise two copies of
an expression with bound parameters as the same one.

The SLA board's cuts and pages are in board_repo."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import pairwise

import sqlalchemy as sa
from sqlmodel import Session

from mesa_tui.domain.overview import OPEN_STATUS_VALUES, WORKING_STATUS_VALUES
from mesa_tui.domain.tickets import ExportedTicket
from mesa_tui.domain.vocab import Nature, SolutionMode, Status
from mesa_tui.store.board_repo import SlaCuts, overdue_condition
from mesa_tui.store.lookups import names_by_id
from mesa_tui.store.models import (
    Agent,
    CatalogService,
    ServiceCategory,
    Setting,
    SupportGroup,
    Survey,
    Ticket,
    table_of,
)
from mesa_tui.store.ticket_rows import CLOCK_COLUMNS, ColumnValues, clock_from

_T = table_of(Ticket)
_SV = table_of(Survey)
_AGENTS = table_of(Agent)
_GROUPS = table_of(SupportGroup)
_SERVICES = table_of(CatalogService)
_CATEGORIES = table_of(ServiceCategory)
_SETTINGS = table_of(Setting)
_SOLVED = (Status.RESUELTO.value, Status.CERRADO.value)
_ANULADO = Status.ANULADO.value
_ESPERA = Status.EN_ESPERA.value


def _flag(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.case((cond, 1), else_=0)


def _per_range(
    s: Session,
    col: sa.ColumnElement[datetime],
    bounds: Sequence[datetime],
    where: Sequence[sa.ColumnElement[bool]],
    sums: Sequence[sa.ColumnElement[int]],
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
        for i, (lo, hi) in enumerate(pairwise(bounds))
    ]
    out: list[tuple[int, ...]] = [(0,) * (len(sums) + 1)] * (len(bounds) - 1)
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
        "eficiencia": [(r[0], c[0]) for r, c in zip(res, rec, strict=True)],
        "software": [(r[1], c[1]) for r, c in zip(res, rec, strict=True)],
        "hardware": [(r[2], c[2]) for r, c in zip(res, rec, strict=True)],
        "remoto": [(r[3], r[0]) for r in res],
        "satisfaccion": [(v[1], v[0]) for v in srv],
        "ans_resolucion": [(r[4], r[0]) for r in res],
        "ans_respuesta": [(a[1], a[0]) for a in ans],
    }


# --- settings ---------------------------------------------------------------------


def settings_with_prefix(s: Session, prefix: str) -> dict[str, str]:
    q = sa.select(_SETTINGS.c.key, _SETTINGS.c.value).where(_SETTINGS.c.key.startswith(prefix, autoescape=True))
    rows = s.execute(q).all()
    return {k: v for k, v in rows}


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
            _flag(sa.and_(_T.c.status.in_(WORKING_STATUS_VALUES), overdue_condition(cuts))).label("overdue"),
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
    a = _AGENTS.c
    q = sa.select(a.id, a.full_name, a.role, a.level, _GROUPS.c.name, a.active).outerjoin(
        _GROUPS, _GROUPS.c.id == a.group_id
    )
    return [(i, n, r, lv, g or "", a) for i, n, r, lv, g, a in s.execute(q).all()]


def services_with_categories(s: Session) -> dict[int, tuple[str, str, str]]:
    """service id -> (code, name, category name)."""
    sv = _SERVICES.c
    q = sa.select(sv.id, sv.code, sv.name, _CATEGORIES.c.name).outerjoin(
        _CATEGORIES, _CATEGORIES.c.id == sv.category_id
    )
    return {i: (c, n, cat or "") for i, c, n, cat in s.execute(q).all()}


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
    *CLOCK_COLUMNS,
)


def tickets_created_between(s: Session, start: datetime, end: datetime, chunk: int = 2000) -> Iterator[ExportedTicket]:
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
        yield from (_exported(r._mapping) for r in rows)
        if len(rows) < chunk:
            return
        cursor = (rows[-1].created_at, rows[-1].id)


def agent_names(s: Session) -> dict[int, str]:
    return names_by_id(s, Agent, None, "full_name")


def group_names(s: Session) -> dict[int, str]:
    return names_by_id(s, SupportGroup, None, "name")


def _exported(m: ColumnValues) -> ExportedTicket:
    return ExportedTicket(
        code=m["code"],
        created_at=m["created_at"],
        type=m["type"],
        channel=m["channel"],
        requester_name=m["requester_name"],
        requester_dependency=m["requester_dependency"],
        service_id=m["service_id"],
        nature=m["nature"],
        subject=m["subject"],
        priority=m["priority"],
        status=m["status"],
        level=m["level"],
        group_id=m["group_id"],
        agent_id=m["agent_id"],
        first_response_at=m["first_response_at"],
        resolved_at=m["resolved_at"],
        closed_at=m["closed_at"],
        solution_mode=m["solution_mode"],
        sla_calendar=m["sla_calendar"],
        tto=clock_from(m, "tto"),
        ttr=clock_from(m, "ttr"),
        tto_due_at=m["tto_due_at"],
        tto_met=m["tto_met"],
        ttr_due_at=m["ttr_due_at"],
        ttr_met=m["ttr_met"],
        survey_score=m["survey_score"],
    )
