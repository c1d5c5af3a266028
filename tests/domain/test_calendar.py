from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.schedules import calendar_for

BOG = ZoneInfo("America/Bogota")
NY = ZoneInfo("America/New_York")
UTC = UTC
H = timedelta(hours=1)
M = timedelta(minutes=1)
US = timedelta(microseconds=1)

OFFICE = BusinessCalendar.office()


def bog(y, mo, d, h=0, mi=0, s=0, us=0):
    return datetime(y, mo, d, h, mi, s, us, tzinfo=BOG)


def utc(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# -- edges of the office calendar ------------------------------------------------


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (bog(2026, 3, 2, 7, 59), False),  # Monday before opening
        (bog(2026, 3, 2, 8), True),
        (bog(2026, 3, 2, 17, 59, 59, 999_999), True),
        (bog(2026, 3, 2, 18), False),
        (bog(2026, 3, 6, 16, 59), True),  # Friday
        (bog(2026, 3, 6, 17), False),
        (bog(2026, 3, 6, 17, 30), False),
        (bog(2026, 3, 7, 10), False),  # Saturday
        (bog(2026, 3, 8, 10), False),  # Sunday
        (bog(2026, 4, 2, 10), False),  # Jueves Santo
        (bog(2026, 4, 3, 10), False),  # Viernes Santo
        (bog(2026, 1, 6, 10), True),  # Reyes falls on a Tuesday and moves...
        (bog(2026, 1, 12, 10), False),  # ...to Monday the 12th
        (bog(2026, 3, 19, 10), True),  # San José: Thursday the 19th moves...
        (bog(2026, 3, 23, 10), False),  # ...to Monday the 23rd
        (bog(2026, 7, 13, 10), False),  # Virgen de Chiquinquirá, new in 2026
        (bog(2026, 5, 1, 10), False),  # Friday holidays
        (bog(2026, 8, 7, 10), False),
        (bog(2026, 12, 25, 10), False),
        (bog(2026, 12, 31, 10), True),
        (bog(2027, 1, 1, 10), False),
        (utc(2026, 3, 2, 13), True),  # 08:00 in Bogota
        (utc(2026, 3, 2, 12, 59), False),
        (utc(2026, 3, 6, 21, 59), True),  # Friday 16:59 in Bogota
        (utc(2026, 3, 6, 22), False),  # Friday 17:00 in Bogota
        (utc(2026, 3, 3, 1), False),  # Tuesday in UTC, Monday 20:00 in Bogota
    ],
)
def test_is_open(at, is_open):
    assert OFFICE.is_open(at) is is_open


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (bog(2026, 3, 2, 7), bog(2026, 3, 2, 9), 1 * H),
        (bog(2026, 3, 2, 8), bog(2026, 3, 2, 18), 10 * H),
        (bog(2026, 3, 6, 8), bog(2026, 3, 6, 18), 9 * H),  # Friday closes at 17
        (bog(2026, 3, 6, 16), bog(2026, 3, 9, 9), 2 * H),  # over a weekend
        (bog(2026, 3, 6, 17), bog(2026, 3, 6, 17, 30), timedelta(0)),
        (bog(2026, 3, 5, 18), bog(2026, 3, 6, 8), timedelta(0)),
        (bog(2026, 3, 2), bog(2026, 3, 9), 49 * H),  # a plain week
        (bog(2026, 4, 1, 8), bog(2026, 4, 6, 8), 10 * H),  # Holy week: Thu and Fri closed
        (bog(2026, 12, 21), bog(2026, 12, 28), 40 * H),  # Friday holiday removes 9 h, not 10
        (bog(2026, 12, 24, 18), bog(2026, 12, 28, 8), timedelta(0)),
        (bog(2026, 7, 13), bog(2026, 7, 20), 39 * H),  # Monday holiday
        (bog(2025, 12, 31, 17), bog(2026, 1, 2, 9), 2 * H),  # 1 Jan 2026 is a Thursday
        (bog(2026, 12, 31, 17), bog(2027, 1, 4, 9), 2 * H),  # 1 Jan 2027 is a Friday
        (bog(2026, 3, 2, 17, 59, 59, 999_999), bog(2026, 3, 3, 8, 0, 0, 1), 2 * US),
        (utc(2026, 3, 2, 13), utc(2026, 3, 2, 23), 10 * H),  # UTC in, 08-18 in Bogota
        (utc(2026, 3, 2, 13), bog(2026, 3, 2, 10), 2 * H),  # mixed zones
        (bog(2026, 3, 2, 10), bog(2026, 3, 2, 10), timedelta(0)),
    ],
)
def test_between(start, end, expected):
    assert OFFICE.between(start, end) == expected
    assert OFFICE.between(end, start) == -expected


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (bog(2026, 3, 2, 8), 10 * H, bog(2026, 3, 2, 18)),  # lands on closing: 18:00, not next 08:00
        (bog(2026, 3, 5, 8), 10 * H, bog(2026, 3, 5, 18)),  # Thursday 18:00, not Friday 08:00
        (bog(2026, 3, 6, 8), 9 * H, bog(2026, 3, 6, 17)),
        (bog(2026, 3, 6, 16), 2 * H, bog(2026, 3, 9, 9)),
        (bog(2026, 3, 2, 7, 59), 1 * H, bog(2026, 3, 2, 9)),  # starts counting at the opening
        (bog(2026, 3, 7, 10), timedelta(0), bog(2026, 3, 7, 10)),  # zero on a closed instant: start
        (bog(2026, 3, 7, 10), US, bog(2026, 3, 9, 8, 0, 0, 1)),
        (bog(2026, 3, 2, 8, 0, 0, 1), 10 * H - US, bog(2026, 3, 2, 18)),
        (bog(2026, 4, 1, 10), 16 * H, bog(2026, 4, 6, 16)),  # over Holy Thursday and Good Friday
        (bog(2026, 12, 24, 12), 6 * H, bog(2026, 12, 24, 18)),
        (bog(2026, 12, 24, 12), 7 * H, bog(2026, 12, 28, 9)),  # Christmas Friday
        (bog(2026, 7, 10, 16), 2 * H, bog(2026, 7, 14, 9)),  # Friday, then Monday 13 July closed
        (bog(2026, 1, 9, 16), 2 * H, bog(2026, 1, 13, 9)),  # Reyes on Monday 12 Jan
        (bog(2026, 3, 20, 16), 2 * H, bog(2026, 3, 24, 9)),  # San José on Monday 23 Mar
        (bog(2026, 12, 31, 17), 2 * H, bog(2027, 1, 4, 9)),
        (utc(2026, 3, 2, 12), 1 * H, bog(2026, 3, 2, 9)),  # UTC in, Bogota out
        # Negative amounts: the latest instant with that much business time before start.
        (bog(2026, 3, 9, 9), -1 * H, bog(2026, 3, 9, 8)),
        (bog(2026, 3, 9, 9), -2 * H, bog(2026, 3, 6, 16)),
        (bog(2026, 3, 9, 8), -9 * H, bog(2026, 3, 6, 8)),
        (bog(2026, 4, 6, 8), -1 * H, bog(2026, 4, 1, 17)),
        (bog(2027, 1, 4, 9), -2 * H, bog(2026, 12, 31, 17)),
        (bog(2026, 3, 7, 10), -US, bog(2026, 3, 6, 16, 59, 59, 999_999)),
    ],
)
def test_add(start, amount, expected):
    got = OFFICE.add(start, amount)
    assert got == expected
    assert got.tzinfo is BOG
    assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (bog(2026, 3, 2, 10), bog(2026, 3, 2, 10)),
        (bog(2026, 3, 7, 10), bog(2026, 3, 9, 8)),
        (bog(2026, 3, 5, 18), bog(2026, 3, 6, 8)),
        (bog(2026, 4, 1, 18), bog(2026, 4, 6, 8)),
        (bog(2026, 12, 31, 18), bog(2027, 1, 4, 8)),
        (utc(2026, 3, 2, 15), bog(2026, 3, 2, 10)),
    ],
)
def test_next_open(at, expected):
    got = OFFICE.next_open(at)
    assert got == expected
    assert got.tzinfo is BOG


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (bog(2026, 3, 31, 10), 3, date(2026, 4, 7)),  # skips Holy Thursday and Good Friday
        (bog(2026, 3, 6, 10), 1, date(2026, 3, 9)),
        (bog(2026, 3, 7, 10), 1, date(2026, 3, 9)),
        (bog(2026, 12, 30, 10), 2, date(2027, 1, 4)),
        (bog(2026, 3, 31, 10), 0, date(2026, 3, 31)),
        (bog(2026, 4, 6, 10), -1, date(2026, 4, 1)),
        (utc(2026, 3, 6, 2), 1, date(2026, 3, 6)),  # Thursday 21:00 in Bogota, Friday in UTC
        (bog(2026, 6, 1, 10), 15, date(2026, 6, 24)),  # Ley 1755: skips 8 and 15 June
    ],
)
def test_add_business_days(start, days, expected):
    assert OFFICE.add_business_days(start, days) == expected


def test_holidays_in_lists_the_package_holidays_in_spanish():
    listed = dict(OFFICE.holidays_in(2026))
    assert listed == dict(holidays.country_holidays("CO", years=2026, language="es"))
    assert listed[date(2026, 4, 2)] == "Jueves Santo"
    assert "Chiquinquirá" in listed[date(2026, 7, 13)]
    assert list(listed) == sorted(listed)
    assert BusinessCalendar.always_open().holidays_in(2026) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.between(datetime(2026, 3, 2, 8), bog(2026, 3, 2, 9)),
        lambda c: c.between(bog(2026, 3, 2, 8), datetime(2026, 3, 2, 9)),
        lambda c: c.add(datetime(2026, 3, 2, 8), H),
        lambda c: c.is_open(datetime(2026, 3, 2, 8)),
        lambda c: c.next_open(datetime(2026, 3, 2, 8)),
        lambda c: c.add_business_days(datetime(2026, 3, 2, 8), 1),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="aware"):
        call(OFFICE)


# -- other schedules, zones and closures -------------------------------------------


LUNCH = BusinessCalendar({wd: [(time(8), time(12)), (time(13), time(17))] for wd in range(5)}, holiday_country=None)


def test_lunch_break_schedule():
    assert LUNCH.between(bog(2026, 3, 2, 11), bog(2026, 3, 2, 14)) == 2 * H
    assert LUNCH.add(bog(2026, 3, 2, 11), H) == bog(2026, 3, 2, 12)  # closes for lunch at 12
    assert LUNCH.add(bog(2026, 3, 2, 11), H + US) == bog(2026, 3, 2, 13, 0, 0, 1)
    assert LUNCH.add(bog(2026, 3, 2, 13, 30), -H) == bog(2026, 3, 2, 11, 30)
    assert not LUNCH.is_open(bog(2026, 3, 2, 12, 30))
    assert LUNCH.next_open(bog(2026, 3, 2, 12, 30)) == bog(2026, 3, 2, 13)
    # No holiday country: Holy Thursday is an ordinary day.
    assert LUNCH.is_open(bog(2026, 4, 2, 10))


def test_another_time_zone_and_country():
    cal = BusinessCalendar({wd: [(time(9), time(17))] for wd in range(5)}, tz="America/New_York", holiday_country="US")
    ny = lambda *a: datetime(*a, tzinfo=NY)  # noqa: E731
    # Clocks spring forward on Sunday 8 March 2026: nothing changes inside office hours.
    assert cal.between(ny(2026, 3, 6, 16), ny(2026, 3, 9, 10)) == 2 * H
    got = cal.add(ny(2026, 3, 6, 16), 2 * H)
    assert got == ny(2026, 3, 9, 10)
    assert got.tzinfo is NY
    assert got.utcoffset() == timedelta(hours=-4)
    assert cal.add(ny(2026, 3, 6, 12), H).utcoffset() == timedelta(hours=-5)
    # Independence Day is a Saturday in 2026; the package observes it on Friday 3 July.
    assert date(2026, 7, 3) in dict(cal.holidays_in(2026))
    assert not cal.is_open(ny(2026, 7, 3, 10))
    assert cal.between(utc(2026, 3, 9, 13), utc(2026, 3, 9, 21)) == 8 * H


def test_round_the_clock_in_a_zone_with_dst_counts_real_hours():
    cal = BusinessCalendar({wd: [(time(0), time(0))] for wd in range(7)}, tz="America/New_York", holiday_country=None)
    ny = lambda *a: datetime(*a, tzinfo=NY)  # noqa: E731
    assert cal.between(ny(2026, 3, 7), ny(2026, 3, 9)) == 47 * H
    assert cal.between(ny(2026, 10, 31), ny(2026, 11, 2)) == 49 * H
    assert cal.add(ny(2026, 3, 7), 48 * H) == ny(2026, 3, 9, 1)
    assert cal.add(ny(2026, 11, 2), -49 * H) == ny(2026, 10, 31)


def test_bogota_daylight_saving_of_1992_uses_the_zone_rules():
    cal = BusinessCalendar.office()
    # Bogota moved to -04:00 on 3 May 1992; a fresh calendar covering it must leave the fixed-offset path.
    got = cal.add(bog(1992, 6, 2, 8), 10 * H)
    assert got == bog(1992, 6, 2, 18)
    assert got.utcoffset() == timedelta(hours=-4)
    assert cal.between(bog(1992, 5, 1, 17), bog(1992, 5, 4, 9)) == H  # 1 May is a holiday
    cal24 = BusinessCalendar.always_open()
    assert cal24.between(bog(1992, 5, 2), bog(1992, 5, 4)) == 47 * H
    # After that, present-day answers are unchanged.
    assert cal.add(bog(2026, 4, 1, 10), 16 * H) == bog(2026, 4, 6, 16)
    assert cal.add(bog(2026, 4, 1, 10), 16 * H).utcoffset() == timedelta(hours=-5)
    assert cal.between(bog(2026, 12, 21), bog(2026, 12, 28)) == 40 * H


def test_closures_add_closed_days_on_top():
    closed = OFFICE.with_closures([date(2026, 3, 4)])
    assert not closed.is_open(bog(2026, 3, 4, 10))
    assert OFFICE.is_open(bog(2026, 3, 4, 10))  # the original is untouched
    assert closed.between(bog(2026, 3, 3, 18), bog(2026, 3, 5, 8)) == timedelta(0)
    assert closed.add(bog(2026, 3, 3, 17), 2 * H) == bog(2026, 3, 5, 9)
    assert closed.add_business_days(bog(2026, 3, 3, 10), 1) == date(2026, 3, 5)
    assert not closed.with_closures([date(2026, 3, 5)]).is_open(bog(2026, 3, 4, 10))  # closures accumulate


def test_calendar_for_shares_calendars():
    assert calendar_for("office") is calendar_for("office")
    assert calendar_for("24x7") is calendar_for("24x7")
    assert calendar_for("office", [date(2026, 3, 4)]) is calendar_for("office", {date(2026, 3, 4)})
    assert not calendar_for("office", [date(2026, 3, 4)]).is_open(bog(2026, 3, 4, 10))
    # The round-the-clock calendar never closes, whatever the office closures.
    assert calendar_for("24x7", [date(2026, 3, 4)]).is_open(bog(2026, 3, 4, 3))
    with pytest.raises(ValueError, match="kind"):
        calendar_for("weekdays")


def test_always_open():
    cal = BusinessCalendar.always_open()
    assert cal.between(bog(2026, 4, 2), bog(2026, 4, 4)) == 48 * H
    assert cal.add(bog(2026, 12, 31, 22), 4 * H) == bog(2027, 1, 1, 2)
    assert cal.add(bog(2026, 1, 1), timedelta(days=400)) == bog(2027, 2, 5)


def test_any_year_and_long_spans():
    a, b, c = bog(2026, 3, 2, 10), bog(2090, 7, 4, 11), bog(2126, 3, 4, 12)  # Mon, Tue, Wed
    assert OFFICE.is_open(c)
    assert OFFICE.between(a, c) == OFFICE.between(a, b) + OFFICE.between(b, c)
    assert OFFICE.add(a, OFFICE.between(a, c)) == c
    assert OFFICE.add(c, -OFFICE.between(a, c)) == a


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ({7: [(time(8), time(9))]}, "weekday"),
        ({0: [(time(9), time(8))]}, "empty or reversed"),
        ({0: [(time(8), time(12)), (time(11), time(13))]}, "overlap"),
        ({0: []}, "no open time"),
        ({0: [(time(8, tzinfo=UTC), time(9))]}, "tzinfo"),
    ],
)
def test_invalid_schedules(schedule, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(schedule)


def test_closures_must_be_dates():
    with pytest.raises(ValueError, match="dates"):
        BusinessCalendar.office().with_closures([datetime(2026, 3, 4, tzinfo=BOG)])


# -- property tests against a minute-by-minute reference ----------------------------

WINDOW_START = date(2025, 11, 1)
WINDOW_DAYS = 480  # to the end of February 2027: year ends, Holy Week, 13 July, Christmas
MINUTE_US = 60_000_000
MARGIN = 20 * 1440  # minutes kept clear of the window's edges


class MinuteReference:
    """Open/closed for each wall-clock minute of the window, decided independently of the
    calendar module, and prefix sums over it."""

    def __init__(self, segments_by_weekday, closed_days):
        self.open = bytearray()
        for n in range(WINDOW_DAYS):
            day = WINDOW_START + timedelta(days=n)
            segments = () if day in closed_days else segments_by_weekday.get(day.weekday(), ())
            for minute in range(1440):
                self.open.append(any(s <= minute < e for s, e in segments))
        self.prefix = [0, *accumulate(self.open)]
        self.origin = datetime.combine(WINDOW_START, time(0))

    def wall_us(self, at):
        return (at.astimezone(BOG).replace(tzinfo=None) - self.origin) // US

    def value(self, w):
        """Business microseconds in [window start, w)."""
        m, r = divmod(w, MINUTE_US)
        return self.prefix[m] * MINUTE_US + (r if self.open[m] else 0)

    def between(self, a, b):
        return timedelta(microseconds=self.value(self.wall_us(b)) - self.value(self.wall_us(a)))

    def add_minutes(self, start_minute, minutes):
        """Walk minute by minute; returns the answer's minute index in the window."""
        m, left = start_minute, abs(minutes)
        if minutes > 0:
            while True:
                left -= self.open[m]
                m += 1
                if left == 0:
                    return m
        while left:
            m -= 1
            left -= self.open[m]
        return m

    def at(self, minute):
        return (self.origin + minute * M).replace(tzinfo=BOG)


def _co_holidays():
    return set(holidays.country_holidays("CO", years=range(2025, 2028)))


REFERENCES = {
    "office": (
        OFFICE,
        MinuteReference(
            {0: [(480, 1080)], 1: [(480, 1080)], 2: [(480, 1080)], 3: [(480, 1080)], 4: [(480, 1020)]}, _co_holidays()
        ),
    ),
    "lunch+closures": (
        BusinessCalendar(
            {wd: [(time(7, 30), time(12)), (time(13, 15), time(17, 45))] for wd in range(6)},
            closures=[date(2026, 3, 4), date(2026, 12, 31)],
        ),
        MinuteReference(
            {wd: [(450, 720), (795, 1065)] for wd in range(6)}, _co_holidays() | {date(2026, 3, 4), date(2026, 12, 31)}
        ),
    ),
}

minutes_in_window = st.integers(MARGIN, WINDOW_DAYS * 1440 - MARGIN)
span_minutes = st.integers(-10 * 1440, 10 * 1440)
sub_minute = st.integers(0, MINUTE_US - 1)


@pytest.mark.parametrize("name", REFERENCES)
@settings(max_examples=300, deadline=None)
@given(minute=minutes_in_window, span=span_minutes, us_a=sub_minute, us_b=sub_minute, as_utc=st.booleans())
def test_between_matches_reference(name, minute, span, us_a, us_b, as_utc):
    cal, ref = REFERENCES[name]
    a = ref.at(minute) + timedelta(microseconds=us_a)
    b = ref.at(minute + span) + timedelta(microseconds=us_b)
    if as_utc:
        a, b = a.astimezone(UTC), b.astimezone(UTC)
    assert cal.between(a, b) == ref.between(a, b)
    assert cal.between(b, a) == -cal.between(a, b)


@pytest.mark.parametrize("name", REFERENCES)
@settings(max_examples=300, deadline=None)
@given(minute=minutes_in_window, amount=st.integers(-3000, 3000), span=span_minutes, exact=st.booleans())
def test_add_matches_reference(name, minute, amount, span, exact):
    cal, ref = REFERENCES[name]
    if exact:  # amounts that end exactly at a closing time, where "earliest" matters
        amount = ref.prefix[minute + span] - ref.prefix[minute]
    start = ref.at(minute)
    expected = ref.at(ref.add_minutes(minute, amount)) if amount else start
    assert cal.add(start, amount * M) == expected


@pytest.mark.parametrize("name", REFERENCES)
@settings(max_examples=300, deadline=None)
@given(
    minute=minutes_in_window,
    us=sub_minute,
    amount_us=st.integers(-50 * 3600 * 10**6, 50 * 3600 * 10**6),
    span=span_minutes,
)
def test_add_inverts_between(name, minute, us, amount_us, span):
    cal, ref = REFERENCES[name]
    start = ref.at(minute) + timedelta(microseconds=us)
    amount = timedelta(microseconds=amount_us)
    got = cal.add(start, amount)
    assert cal.between(start, got) == amount == ref.between(start, got)
    # Earliest (latest for negative amounts): one microsecond closer to start falls short.
    if amount > timedelta(0):
        assert got > start
        assert cal.between(start, got - US) == amount - US
    elif amount < timedelta(0):
        assert got < start
        assert cal.between(got + US, start) == -amount - US
    else:
        assert got == start
    t = start + span * M
    back = cal.add(start, cal.between(start, t))
    assert (back <= t) if t >= start else (back >= t)
    assert cal.between(start, back) == cal.between(start, t)
