"""Indicator values and tables, ageing cutoffs and the SLA board's cuts.

Expected values are worked out by hand in each test; the cut functions are
checked against `Clock.state` and a brute-force business-day count.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesa_tui.domain.board import BoardGroup, board_group, overdue_cut, risk_cut
from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.indicators import (
    INDICATORS,
    NO_CASES,
    Family,
    Frequency,
    IndicatorValue,
    build_row,
    build_table,
    format_percent,
    format_target,
    indicator,
    month_bounds,
    parse_target,
    round_half_up,
)
from mesa_tui.domain.overview import AGEING_BUCKETS, age_cutoff, ageing_cutoffs
from mesa_tui.domain.sla import Clock, ClockState

BOGOTA = ZoneInfo("America/Bogota")
UTC = UTC
OFFICE = BusinessCalendar.office()
ALWAYS = BusinessCalendar.always_open()
CLOSED_DAY = date(2026, 3, 18)  # a Wednesday the entity closed
OFFICE_CLOSED = OFFICE.with_closures([CLOSED_DAY])
CO_HOLIDAYS = holidays.country_holidays("CO", years=range(2025, 2028))


def bogota(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BOGOTA).astimezone(UTC)


def sin(n=12):
    return [(0, 0)] * n


# --- IndicatorValue -----------------------------------------------------------------


@pytest.mark.parametrize(
    "num, den, percent, label",
    [
        (3, 4, 75.0, "75,0%"),
        (128, 100, 128.0, "128,0%"),  # backlog cleared: above 100 %
        (1, 3, 100 / 3, "33,3%"),
        (2, 3, 200 / 3, "66,7%"),
        (0, 5, 0.0, "0,0%"),
        (0, 0, None, "sin casos"),
        (4, 0, None, "sin casos"),  # solved backlog in a month with no new cases
    ],
)
def test_value_percent_and_label(num, den, percent, label):
    v = IndicatorValue(num, den)
    assert v.percent == (pytest.approx(percent) if percent is not None else None)
    assert v.label() == label
    assert v.has_cases is (den > 0)
    assert v.ratio == (None if den == 0 else num / den)


def test_value_meets_target_exactly_without_float_error():
    target = Fraction(95)
    assert IndicatorValue(95, 100).meets(target) is True
    assert IndicatorValue(94, 100).meets(target) is False
    assert IndicatorValue(19, 20).meets(target) is True  # 95 % exactly
    assert IndicatorValue(0, 0).meets(target) is None
    assert IndicatorValue(1, 3).meets(Fraction(100, 3)) is True


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        IndicatorValue(-1, 3)


# --- rows and tables ------------------------------------------------------------------


def test_monthly_row_with_a_month_above_100_and_months_without_cases():
    # Hardware: Jan 5/5, Feb no cases at all, Mar 6 solved of 4 received (backlog),
    # Apr 1/2, the rest nothing.
    counts = [(5, 5), (0, 0), (6, 4), (1, 2), *sin(8)]
    row = build_row(indicator("hardware"), counts, Fraction(60))
    assert [v.label() for v in row.months[:4]] == ["100,0%", NO_CASES, "150,0%", "50,0%"]
    assert all(v.label() == NO_CASES for v in row.months[4:])
    # Promedio, the seed's way: twelve months, those without cases as 0 %: 300 / 12 = 25.
    assert row.average == 25
    assert row.average_label == "25%"
    assert row.met is False and row.met_label == "No"
    assert row.month_met[:4] == (True, None, True, False)
    # Semesters pool the counts: (5 + 6 + 1) / (5 + 4 + 2) = 12/11; so does the year to date.
    assert row.semesters[0] == IndicatorValue(12, 11)
    assert row.semesters[1] == IndicatorValue(0, 0)
    assert row.totals == IndicatorValue(12, 11) == row.year_to_date


def test_the_current_year_averages_the_months_begun_so_far():
    # Software in a year seen on 2 April: Jan 0/3, Feb none, Mar 3/3, Apr 1/1 (en curso).
    counts = [(0, 3), (0, 0), (3, 3), (1, 1), *sin(8)]
    row = build_row(indicator("software"), counts, Fraction(95), through=4, current_month=4)
    assert row.average == 50  # (0 + 0 + 100 + 100) / 4
    assert row.year_to_date == IndicatorValue(4, 7)
    assert row.met is False and row.current_month == 4


def test_rounding_is_half_up_like_the_spreadsheet():
    assert [round_half_up(Fraction(n, 2)) for n in (79, 181, 183, 0, 1)] == [40, 91, 92, 0, 1]
    # (100 + 97) / 2 = 98.5: Python's round() gives 98, the spreadsheet 99.
    row = build_row(indicator("software"), [(100, 100), (97, 100), *sin(10)], Fraction(95), through=2)
    assert row.average == 99


def test_a_year_without_cases_is_sin_casos_not_an_error():
    row = build_row(indicator("remoto"), sin(), Fraction(40))
    assert row.average is None and row.met is None
    assert row.average_label == NO_CASES and row.met_label == NO_CASES


def test_semestral_indicator_averages_its_semesters():
    # Satisfaction: Jan 2 good of 3, Feb 0 of 1, Jul 1 of 1.
    counts = [(2, 3), (0, 1), *sin(4), (1, 1), *sin(5)]
    d = indicator("satisfaccion")
    assert d.frequency is Frequency.SEMESTRAL
    row = build_row(d, counts, Fraction(95))
    assert row.semesters == (IndicatorValue(2, 4), IndicatorValue(1, 1))
    assert [v.label() for v in row.semesters] == ["50,0%", "100,0%"]
    assert row.average == 75  # (50 + 100) / 2, not the mean of the three months
    assert row.met is False
    assert row.months[0].label() == "66,7%"
    # In May only the first semester has begun: its 50 % is the promedio.
    assert build_row(d, counts[:5] + sin(7), Fraction(95), through=5).average == 50


def test_seed_promedio_is_reproduced_from_the_seeds_own_rows():
    """Seed 004's PROMEDIO column: the mean of Mes1..Mes12, a 0 % month included,
    rounded half up. Each monthly value is fed as value/100."""
    seed = {
        "eficiencia": ([100, 100, 128, 0, 100, 100, 100, 99, 100, 98, 89, 80], 91),  # 1094 / 12
        "hardware": ([100, 102, 100, 100, 100, 100, 100, 100, 100, 92, 75, 50], 93),
        "remoto": ([13, 7, 8, 2, 15, 29, 40, 55, 46, 27, 0, 35], 23),  # 277 / 12
    }
    for key, (values, promedio) in seed.items():
        row = build_row(indicator(key), [(v, 100) for v in values], Fraction(50))
        assert row.average == promedio, key
    # Satisfaction is semestral: 0 % and 79 % give the seed's 40 % ((0 + 79) / 2 = 39.5, half up).
    sat = build_row(indicator("satisfaccion"), [(0, 100), *sin(5), (79, 100), *sin(5)], Fraction(95))
    assert sat.average == 40


def test_the_table_knows_the_month_in_progress():
    counts = {d.key: sin() for d in INDICATORS}
    now = build_table(2026, counts, {}, today=date(2026, 12, 2))
    assert now.current_month == 12
    assert now.month_labels()[-2:] == ("Nov", "Dic*")
    assert now.month_labels(long=True)[-1] == "Dic (en curso)"
    assert build_table(2025, counts, {}, today=date(2026, 12, 2)).month_labels()[0] == "Ene"
    assert build_table(2025, counts, {}, today=date(2026, 12, 2)).current_month is None
    future = build_table(2027, {**counts, "eficiencia": [(1, 1), *sin(11)]}, {}, today=date(2026, 12, 2))
    assert future.row("eficiencia").average is None  # no month of 2027 has begun


def test_table_has_every_indicator_in_order_with_targets_and_defaults():
    counts = {d.key: sin() for d in INDICATORS}
    counts["eficiencia"] = [(3, 4), *sin(11)]
    table = build_table(2026, counts, {"meta.eficiencia": Fraction(70), "meta.hardware": Fraction(55)})
    assert [r.definition.key for r in table.rows] == [
        "eficiencia",
        "software",
        "hardware",
        "remoto",
        "satisfaccion",
        "ans_resolucion",
        "ans_respuesta",
    ]
    assert table.row("eficiencia").target == 70 and table.row("eficiencia").met is False  # 75 / 12 -> 6
    assert table.row("hardware").target == 55
    assert table.row("software").target == 95  # not given: the seed's default
    assert table.row("ans_respuesta").target == 90
    assert [r.definition.key for r in table.family(Family.SOPORTE)] == ["software", "hardware", "remoto"]
    assert [r.definition.key for r in table.family(Family.ANS)] == ["ans_resolucion", "ans_respuesta"]


def test_rows_need_twelve_months():
    with pytest.raises(ValueError, match="12"):
        build_row(indicator("eficiencia"), sin(11), Fraction(95))


def test_every_indicator_names_its_formula_numerator_and_denominator():
    for d in INDICATORS:
        assert "/" in d.formula and d.numerator and d.denominator
        assert d.target_key.startswith("meta.")
    with pytest.raises(ValueError):
        indicator("disponibilidad")


# --- targets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("95", Fraction(95)),
        ("92,5", Fraction(185, 2)),
        ("92.5 %", Fraction(185, 2)),
        (" 40% ", Fraction(40)),
        ("0", Fraction(0)),
        ("100", Fraction(100)),
    ],
)
def test_parse_target(text, value):
    assert parse_target(text) == value


@pytest.mark.parametrize("text", ["", "noventa", "101", "-5", "9 5", "nan"])
def test_parse_target_refuses_with_a_spanish_message(text):
    with pytest.raises(ValueError, match="meta"):
        parse_target(text)


def test_format_target_round_trips():
    assert format_target(Fraction(95)) == "95"
    assert format_target(Fraction(185, 2)) == "92.5"
    assert parse_target(format_target(Fraction(185, 2))) == Fraction(185, 2)
    assert format_percent(Fraction(185, 2), 0) == "92%"  # display rounding only


# --- months in Bogotá -----------------------------------------------------------------


def test_month_bounds_are_bogota_midnights_in_utc():
    b = month_bounds(2026)
    assert len(b) == 13
    assert b[0] == datetime(2026, 1, 1, 5, tzinfo=UTC)
    assert b[1] == datetime(2026, 2, 1, 5, tzinfo=UTC)
    assert b[11] == datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert b[12] == datetime(2027, 1, 1, 5, tzinfo=UTC)
    # 31 January 23:30 in Bogotá is already February in UTC, and still January here.
    late = bogota(2026, 1, 31, 23, 30)
    assert late.month == 2 and b[0] <= late < b[1]


# --- ageing in business days ------------------------------------------------------------


def brute_age(created: datetime, now: datetime, closures=frozenset()) -> int:
    """Business days after the creation day up to and including today."""
    d = created.astimezone(BOGOTA).date() + timedelta(days=1)
    today = now.astimezone(BOGOTA).date()
    n = 0
    while d <= today:
        if d.weekday() < 5 and d not in CO_HOLIDAYS and d not in closures:
            n += 1
        d += timedelta(days=1)
    return n


@pytest.mark.parametrize(
    "created, now, age",
    [
        (bogota(2026, 11, 18, 8), bogota(2026, 11, 18, 17), 0),  # today
        (bogota(2026, 11, 17, 23, 59), bogota(2026, 11, 18, 0, 1), 1),  # yesterday, two minutes ago
        (bogota(2026, 11, 13, 9), bogota(2026, 11, 17, 9), 1),  # Friday -> Tuesday over the 16 Nov holiday
        (bogota(2026, 11, 14, 9), bogota(2026, 11, 18, 9), 2),  # Saturday -> Wednesday
        (bogota(2026, 11, 13, 9), bogota(2026, 11, 15, 9), 0),  # Friday -> Sunday
        (bogota(2026, 11, 10, 9), bogota(2026, 11, 18, 9), 5),
    ],
)
def test_business_age_examples(created, now, age):
    assert brute_age(created, now) == age
    for k in range(1, 8):
        assert (created < age_cutoff(OFFICE, now, k)) is (age >= k), k


instants = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31), timezones=st.just(BOGOTA))


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants, closed=st.booleans())
def test_age_cutoffs_agree_with_counting_business_days(a, b, closed):
    created, now = min(a, b), max(a, b)
    cal = OFFICE_CLOSED if closed else OFFICE
    age = brute_age(created, now, frozenset([CLOSED_DAY]) if closed else frozenset())
    cutoffs = ageing_cutoffs(cal, now)
    assert len(cutoffs) == len(AGEING_BUCKETS) - 1
    for bucket, cut in zip(AGEING_BUCKETS[1:], cutoffs, strict=True):
        assert (created < cut) is (age >= bucket.min_days)


def test_ageing_buckets_are_contiguous():
    for lower, upper in itertools.pairwise(AGEING_BUCKETS):
        assert upper.min_days == lower.max_days + 1
    assert AGEING_BUCKETS[0].min_days == 0 and AGEING_BUCKETS[-1].max_days is None


# --- SLA board cuts --------------------------------------------------------------------


def sql_group(clock: Clock, cal: BusinessCalendar, now: datetime, risk: float) -> str:
    """What the store's comparisons on the stored due time decide."""
    due = clock.due(cal)
    if due < overdue_cut(cal, now):
        return "vencido"
    if due <= risk_cut(cal, now, clock.target, risk):
        return "en riesgo"
    return "en tiempo"


def running(anchor: datetime, target: timedelta, consumed: timedelta = timedelta(0)) -> Clock:
    return Clock(
        target=target, consumed=consumed, anchor=anchor, paused_at=None, stopped_at=None, paused_total=timedelta(0)
    )


H = timedelta(hours=1)


@pytest.mark.parametrize(
    "anchor, target, now, state",
    [
        # 8 business hours from Tuesday 10:00 run out at Tuesday 18:00 sharp.
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 17, 17, 59), ClockState.EN_RIESGO),
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 17, 18), ClockState.EN_RIESGO),
        # After hours nothing more is consumed: still not overdue until Wednesday 08:00...
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 17, 23), ClockState.EN_RIESGO),
        (bogota(2026, 11, 18, 8), 1 * H, bogota(2026, 11, 18, 8), ClockState.EN_TIEMPO),
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 18, 8), ClockState.EN_RIESGO),
        # ...and overdue a microsecond of business time later.
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 18, 8) + timedelta(microseconds=1), ClockState.VENCIDO),
        # The risk edge: 6 of 8 hours consumed is 75 %.
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 17, 15, 59), ClockState.EN_TIEMPO),
        (bogota(2026, 11, 17, 10), 8 * H, bogota(2026, 11, 17, 16), ClockState.EN_RIESGO),
        # 24x7 critical clock.
        (bogota(2026, 11, 17, 23), 4 * H, bogota(2026, 11, 18, 3), ClockState.EN_RIESGO),
        (bogota(2026, 11, 17, 23), 4 * H, bogota(2026, 11, 18, 3, 1), ClockState.VENCIDO),
    ],
)
def test_cut_edges(anchor, target, now, state):
    cal = ALWAYS if target == 4 * H else OFFICE
    clock = running(anchor, target)
    assert clock.state(cal, now, 0.75) is state
    assert sql_group(clock, cal, now, 0.75) == state.value


edge_times = st.sampled_from([time(0), time(7, 59), time(8), time(12, 30), time(17), time(17, 59), time(18), time(23)])


def _moment(draw, day: date) -> datetime:
    if draw(st.booleans()):
        t = draw(edge_times)
    else:
        t = time(draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59)))
    return datetime.combine(day, t, tzinfo=BOGOTA).astimezone(UTC)


@st.composite
def anchor_and_now(draw):
    """A clock start and a later moment a few days on (often on an opening or closing edge)."""
    day = draw(st.dates(min_value=date(2026, 3, 10), max_value=date(2026, 4, 20)))
    anchor = _moment(draw, day)
    now = _moment(draw, day + timedelta(days=draw(st.integers(0, 6))))
    return anchor, max(anchor, now)


@settings(max_examples=800, deadline=None)
@given(
    moments=anchor_and_now(),
    target_min=st.sampled_from([30, 60, 120, 240, 480, 960, 2400]),
    used=st.floats(0, 1.5),
    risk=st.sampled_from([0.0, 0.5, 0.75, 0.9, 1.0]),
    which=st.sampled_from(["office", "closed", "24x7"]),
)
def test_cuts_agree_with_clock_state(moments, target_min, used, risk, which):
    """The store's SQL comparisons give exactly the state the domain computes."""
    anchor, now = moments
    cal = {"office": OFFICE, "closed": OFFICE_CLOSED, "24x7": ALWAYS}[which]
    target = timedelta(minutes=target_min)
    clock = running(anchor, target, consumed=target * used)
    state = clock.state(cal, now, risk)
    assert state in (ClockState.EN_TIEMPO, ClockState.EN_RIESGO, ClockState.VENCIDO)
    assert sql_group(clock, cal, now, risk) == state.value


@pytest.mark.parametrize(
    "status, state, group",
    [
        ("en_espera", ClockState.EN_PAUSA, BoardGroup.EN_PAUSA),
        ("en_espera", ClockState.VENCIDO, BoardGroup.EN_PAUSA),
        ("en_proceso", ClockState.VENCIDO, BoardGroup.VENCIDO),
        ("asignado", ClockState.EN_RIESGO, BoardGroup.EN_RIESGO),
        ("nuevo", ClockState.EN_TIEMPO, BoardGroup.EN_TIEMPO),
    ],
)
def test_board_group(status, state, group):
    assert board_group(status, state) is group
    assert group.label in ("Vencidos", "En riesgo", "En pausa", "En tiempo")
