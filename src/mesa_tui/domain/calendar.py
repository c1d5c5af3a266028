"""Business-hours calendar: how much open time lies between two instants, and the reverse.

The calendar keeps, for a contiguous range of local years built on demand, the open
segments as sorted positions plus the business time accumulated before each one. A
query is then one or two bisections whatever the span; the tables grow a year at a
time when an instant falls outside them.

Positions are ``timedelta`` offsets from a frame origin. A ``timedelta`` is an exact
integer count of microseconds, and staying in it avoids converting to ``int`` and back
on every call (each conversion costs as much as the whole lookup). When the zone keeps
one UTC offset over every covered year, the origin is a wall-clock datetime in the zone
and an input in that zone converts with a plain same-zone subtraction; otherwise the
origin is the UTC epoch and every conversion goes through the zone's rules.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# Where the help desk works: business hours, local days and months are Bogotá's.
BOGOTA = ZoneInfo("America/Bogota")

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_MIDNIGHT = time(0)
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ORD_1970 = date(1970, 1, 1).toordinal()
# Tables stop one year short of datetime's limits so that every position stays representable.
_MIN_YEAR, _MAX_YEAR = 2, 9997
# Stands in for the zone in the UTC frame, so the same-zone input shortcut never matches there.
_NO_ZONE = object()

Schedule = Mapping[int, Sequence[tuple[time, time]]]
# The help desk's own hours: Mon-Thu 08-18, Fri 08-17.
OFFICE_HOURS: Schedule = {
    **{weekday: ((time(8), time(18)),) for weekday in range(4)},
    4: ((time(8), time(17)),),
}
# One local year: open segments as (day ordinal, start, end), business-day ordinals, and
# the UTC offsets seen at every midnight and segment edge.
_YearRows = tuple[list[tuple[int, timedelta, timedelta]], list[int], set[timedelta | None]]
# The calendar's tables (see BusinessCalendar.__init__): zone or marker, origin, UTC offset
# of the frame, output zone or None, S, E, D, C, CE, lo, hi, business-day ordinals, and
# (first year, last year) or None.
_Tables = tuple[
    object,
    datetime,
    timedelta,
    ZoneInfo | None,
    list[timedelta],
    list[timedelta],
    list[timedelta],
    list[timedelta],
    list[timedelta],
    timedelta,
    timedelta,
    list[int],
    tuple[int, int] | None,
]


@lru_cache(maxsize=8)
def _holiday_language(country: str) -> str | None:
    import holidays  # ~150 ms on first use: keep it off the start-up path

    langs = holidays.country_holidays(country).supported_languages
    return "es" if "es" in langs else None


@lru_cache(maxsize=1024)
def _country_holidays(country: str, year: int) -> tuple[tuple[date, str], ...]:
    import holidays

    table = holidays.country_holidays(country, years=year, language=_holiday_language(country))
    return tuple(sorted((d, name) for d, name in table.items() if d.year == year))


def _time_of_day(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _normalize(schedule: Schedule) -> tuple[tuple[tuple[timedelta, timedelta], ...], ...]:
    days: list[list[tuple[timedelta, timedelta]]] = [[] for _ in range(7)]
    for weekday, segments in schedule.items():
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(f"schedule weekday must be an int 0..6 (0=Monday), got {weekday!r}")
        out = days[weekday]
        for start_t, end_t in segments:
            if start_t.tzinfo is not None or end_t.tzinfo is not None:
                raise ValueError(f"schedule times must be wall-clock times without tzinfo (weekday {weekday})")
            start = _time_of_day(start_t)
            end = _DAY if end_t == _MIDNIGHT else _time_of_day(end_t)  # 00:00 as an end means 24:00
            if start >= end:
                raise ValueError(f"schedule segment {start_t}-{end_t} on weekday {weekday} is empty or reversed")
            if out and start < out[-1][1]:
                raise ValueError(f"schedule segments on weekday {weekday} must be sorted and must not overlap")
            if out and start == out[-1][1]:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
    if not any(days):
        raise ValueError("schedule has no open time")
    return tuple(tuple(d) for d in days)


class BusinessCalendar:
    """Open hours per weekday in a time zone, minus a country's public holidays and extra closures."""

    __slots__ = ("_closures", "_country", "_lock", "_segments", "_spec", "_t", "_years", "_zone")

    def __init__(
        self,
        schedule: Schedule,
        tz: str = BOGOTA.key,
        holiday_country: str | None = "CO",
        closures: Iterable[date] = (),
    ) -> None:
        self._segments = _normalize(schedule)
        self._spec = {wd: tuple(segs) for wd, segs in schedule.items()}
        self._zone = ZoneInfo(tz)
        self._country = holiday_country
        closed = frozenset(closures)
        for d in closed:
            if not isinstance(d, date) or isinstance(d, datetime):
                raise ValueError(f"closures must be dates, got {d!r}")
        self._closures = closed
        # (zone or marker, origin, UTC offset of the frame, output zone or None, S, E, D, C, CE,
        #  lo, hi, business-day ordinals, (first year, last year) or None). One tuple, swapped
        #  whole, so a reader never sees half-rebuilt tables.
        self._t: _Tables = (_NO_ZONE, _UTC_EPOCH, _ZERO, self._zone, [], [], [], [], [], _ZERO, _ZERO, [], None)
        self._lock = threading.Lock()
        self._years: dict[int, _YearRows] = {}  # per-year rows, kept across rebuilds of the tables

    # -- constructors ---------------------------------------------------------------

    @classmethod
    def office(cls) -> BusinessCalendar:
        """Help-desk hours (OFFICE_HOURS), America/Bogota, Colombian holidays."""
        return cls(OFFICE_HOURS)

    @classmethod
    def always_open(cls) -> BusinessCalendar:
        return cls({wd: [(_MIDNIGHT, _MIDNIGHT)] for wd in range(7)}, holiday_country=None)

    def with_closures(self, dates: Iterable[date]) -> BusinessCalendar:
        return BusinessCalendar(self._spec, self._zone.key, self._country, self._closures | frozenset(dates))

    # -- description ----------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return self._zone

    @property
    def closures(self) -> frozenset[date]:
        return self._closures

    @property
    def holiday_country(self) -> str | None:
        return self._country

    def holidays_in(self, year: int) -> list[tuple[date, str]]:
        """Public holidays the calendar observes in `year` (closures not included)."""
        return list(_country_holidays(self._country, year)) if self._country else []

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar(tz={self._zone.key!r}, holiday_country={self._country!r}, "
            f"closures={len(self._closures)})"
        )

    # -- hot paths: inline lookups, everything else in the _slow helpers -----------

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time inside [start, end); negative when end < start."""
        zone, origin, k, _, S, E, D, _, _, lo, hi, _, _ = self._t
        try:
            a = start - origin if start.tzinfo is zone else start - _UTC_EPOCH + k
            b = end - origin if end.tzinfo is zone else end - _UTC_EPOCH + k
        except TypeError:
            raise ValueError("between() needs timezone-aware datetimes") from None
        if lo <= a < hi and lo <= b < hi:
            i = bisect_right(S, a) - 1
            e = E[i]
            j = bisect_right(S, b) - 1
            f = E[j]
            return (D[j] + (b if b < f else f)) - (D[i] + (a if a < e else e))
        return self._between_slow(start, end)

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """Earliest t >= start with between(start, t) == amount (latest t <= start for amount < 0)."""
        zone, origin, k, out_zone, S, E, D, C, CE, lo, hi, _, _ = self._t
        try:
            p = start - origin if start.tzinfo is zone else start - _UTC_EPOCH + k
        except TypeError:
            raise ValueError("add() needs a timezone-aware datetime") from None
        if lo <= p < hi:
            i = bisect_right(S, p) - 1
            e = E[i]
            target = D[i] + (p if p < e else e) + amount
            if amount > _ZERO:
                j = bisect_left(CE, target)
                if j < len(CE):
                    r = origin + (target - D[j])
                    return r if out_zone is None else r.astimezone(out_zone)
            elif amount < _ZERO:
                j = bisect_right(C, target) - 1
                if j >= 0:
                    r = origin + (target - D[j])
                    return r if out_zone is None else r.astimezone(out_zone)
            else:
                return start.astimezone(self._zone)
        return self._add_slow(start, amount)

    def is_open(self, at: datetime) -> bool:
        zone, origin, k, _, S, E, _, _, _, lo, hi, _, _ = self._t
        try:
            p = at - origin if at.tzinfo is zone else at - _UTC_EPOCH + k
        except TypeError:
            raise ValueError("is_open() needs a timezone-aware datetime") from None
        if not lo <= p < hi:
            t, (p,) = self._snapshot(at)
            S, E = t[4], t[5]
        return p < E[bisect_right(S, p) - 1]

    def next_open(self, at: datetime) -> datetime:
        """The instant business time starts counting from `at`: `at` itself when open."""
        while True:
            t, (p,) = self._snapshot(at)
            S, E = t[4], t[5]
            i = bisect_right(S, p) - 1
            if p < E[i]:
                return at.astimezone(self._zone)
            if i + 1 < len(S):
                return self._out(t, S[i + 1])
            self._grow(t, forward=True)

    def add_business_days(self, start: datetime, days: int) -> date:
        """Date of the `days`-th business day after start's local date (before it when negative)."""
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("add_business_days() needs a timezone-aware datetime")
        day = start.astimezone(self._zone).date()
        if days == 0:
            return day
        o = day.toordinal()
        self._ensure(day.year, day.year)
        while True:
            t = self._t
            bd = t[11]
            j = bisect_right(bd, o) + days - 1 if days > 0 else bisect_left(bd, o) + days
            if 0 <= j < len(bd):
                return date.fromordinal(bd[j])
            self._grow(t, forward=days > 0)

    # -- slow paths -----------------------------------------------------------------

    def _between_slow(self, start: datetime, end: datetime) -> timedelta:
        t, (a, b) = self._snapshot(start, end)
        return self._value(t, b) - self._value(t, a)

    def _add_slow(self, start: datetime, amount: timedelta) -> datetime:
        while True:
            t, (p,) = self._snapshot(start)
            D, C, CE = t[6], t[7], t[8]
            target = self._value(t, p) + amount
            if amount > _ZERO:
                j = bisect_left(CE, target)
                if j == len(CE):
                    self._grow(t, forward=True, short_by=target - CE[-1])
                    continue
            elif amount < _ZERO:
                j = bisect_right(C, target) - 1
                if j < 0:
                    self._grow(t, forward=False, short_by=C[0] - target)
                    continue
            else:
                return start.astimezone(self._zone)
            return self._out(t, target - D[j])

    @staticmethod
    def _value(t: _Tables, p: timedelta) -> timedelta:
        S, E, D = t[4], t[5], t[6]
        i = bisect_right(S, p) - 1
        return D[i] + min(p, E[i])

    @staticmethod
    def _out(t: _Tables, p: timedelta) -> datetime:
        r = t[1] + p
        return r if t[3] is None else r.astimezone(t[3])

    def _snapshot(self, *instants: datetime) -> tuple[_Tables, list[timedelta]]:
        """Tables covering every instant, and the instants' positions in them."""
        for at in instants:
            if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
                raise ValueError(f"expected a timezone-aware datetime, got {at!r}")
        while True:
            t = self._t
            zone, origin, k, lo, hi = t[0], t[1], t[2], t[9], t[10]
            ps = [at - origin if at.tzinfo is zone else at - _UTC_EPOCH + k for at in instants]
            if all(lo <= p < hi for p in ps):
                return t, ps
            years = [at.astimezone(self._zone).year for at in instants]
            first, last = min(years), max(years)
            if t[12] is not None and first >= t[12][0] and last <= t[12][1]:
                # Covered years but before the first opening: reach further back.
                self._grow(t, forward=False)
            else:
                self._ensure(first - 1, last + 1)

    def _grow(self, t: _Tables, forward: bool, short_by: timedelta = _ZERO) -> None:
        years = t[12]
        if years is None:
            raise RuntimeError("tables must be built before growing them")
        span = years[1] - years[0] + 1
        covered = t[8][-1] - t[7][0] if t[8] else _ZERO
        step = 1
        if short_by > _ZERO and covered > _ZERO:
            step = max(1, int(short_by / covered * span) + 1)  # jump close to the answer in one rebuild
        if forward:
            self._ensure(years[0], years[1] + step)
        else:
            self._ensure(years[0] - step, years[1])

    def _ensure(self, first: int, last: int) -> None:
        with self._lock:
            current = self._t[12]
            if current is not None:
                first, last = min(first, current[0]), max(last, current[1])
                if (first, last) == current:
                    return
            if first < _MIN_YEAR or last > _MAX_YEAR:
                raise ValueError(f"business time is only computed for years {_MIN_YEAR}..{_MAX_YEAR}")
            self._t = self._build(max(first, _MIN_YEAR), min(last, _MAX_YEAR))

    def _build(self, first: int, last: int) -> _Tables:
        zone = self._zone
        rows: list[tuple[int, timedelta, timedelta]] = []
        business_days: list[int] = []
        offsets: set[timedelta | None] = set()
        for year in range(first, last + 1):
            cached = self._years.get(year)
            if cached is None:
                cached = self._years[year] = self._year(year)
            r, bd, offs = cached
            rows.extend(r)
            business_days.extend(bd)
            offsets |= offs

        marker: object
        out_zone: ZoneInfo | None
        if len(offsets) == 1:
            off = next(iter(offsets))
            origin = datetime(1970, 1, 1, tzinfo=zone)
            # An aware datetime always has an offset; `or` only satisfies the type.
            marker, k, out_zone = zone, off or _ZERO, None
            hi = timedelta(days=date(last + 1, 1, 1).toordinal() - _ORD_1970)
            positions = [(base + s, base + e) for o, s, e in rows for base in (timedelta(days=o - _ORD_1970),)]
        else:
            origin, marker, k, out_zone = _UTC_EPOCH, _NO_ZONE, _ZERO, zone
            hi = datetime(last + 1, 1, 1, tzinfo=zone) - origin
            positions = []
            for o, s, e in rows:
                midnight = datetime.combine(date.fromordinal(o), _MIDNIGHT, tzinfo=zone)
                positions.append((midnight + s - origin, midnight + e - origin))

        S: list[timedelta] = []
        E: list[timedelta] = []
        for s, e in positions:
            if E and s <= E[-1]:
                # Touching segments merge; a wall time skipped by a DST jump can map past the
                # next one, so clamp rather than let segments overlap.
                if e > E[-1]:
                    E[-1] = e
                continue
            if s < e:
                S.append(s)
                E.append(e)
        D: list[timedelta] = []
        C: list[timedelta] = []
        CE: list[timedelta] = []
        acc = _ZERO
        for s, e in zip(S, E, strict=True):
            C.append(acc)
            D.append(acc - s)
            acc += e - s
            CE.append(acc)
        lo = S[0] if S else hi
        return (marker, origin, k, out_zone, S, E, D, C, CE, lo, hi, business_days, (first, last))

    def _year(self, year: int) -> _YearRows:
        """Open segments of one local year as (day ordinal, start, end), its business days, and
        the UTC offsets seen at every midnight and segment edge."""
        zone = self._zone
        closed = {d.toordinal() for d in self._closures if d.year == year}
        if self._country:
            closed.update(d.toordinal() for d, _ in _country_holidays(self._country, year))
        rows: list[tuple[int, timedelta, timedelta]] = []
        business_days: list[int] = []
        offsets: set[timedelta | None] = set()
        first = date(year, 1, 1)
        weekday = first.weekday()
        for o in range(first.toordinal(), date(year + 1, 1, 1).toordinal()):
            midnight = datetime.combine(date.fromordinal(o), _MIDNIGHT, tzinfo=zone)
            offsets.add(midnight.utcoffset())
            segments = self._segments[weekday]
            if segments and o not in closed:
                business_days.append(o)
                for s, e in segments:
                    rows.append((o, s, e))
                    offsets.add((midnight + s).utcoffset())
                    offsets.add((midnight + e).utcoffset())
            weekday = weekday + 1 if weekday < 6 else 0
        return rows, business_days, offsets


__all__ = ["BOGOTA", "OFFICE_HOURS", "BusinessCalendar", "Schedule"]
