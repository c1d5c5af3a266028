"""Business-time calendar vs businesstimedelta over the same random inputs.

Run: PYTHONPATH=src .venv/bin/python bench/sla_bench.py [N] [N_BTD]

Both sides get the office hours (Mon-Thu 08-18, Fri 08-17, America/Bogota, Colombian
holidays from the `holidays` package, no lunch break). businesstimedelta walks its rules
period by period, so it runs on a prefix of the inputs; the ratio compares per-operation
means. Results of both are compared on that prefix. Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import businesstimedelta as btd
import holidays
import pytz

from mesa_tui.domain.calendar import BusinessCalendar

ZONE = ZoneInfo("America/Bogota")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
N_BTD = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
SIXTEEN_HOURS = timedelta(hours=16)


def btd_rules() -> btd.Rules:
    tz = pytz.timezone("America/Bogota")
    return btd.Rules(
        [
            btd.WorkDayRule(start_time=time(8), end_time=time(18), working_days=[0, 1, 2, 3], tz=tz),
            btd.WorkDayRule(start_time=time(8), end_time=time(17), working_days=[4], tz=tz),
            btd.HolidayRule(holidays.country_holidays("CO", years=range(2024, 2030)), tz=tz),
        ]
    )


def random_instants(rng: random.Random, n: int) -> list[datetime]:
    base = datetime(2025, 1, 1, tzinfo=ZONE)
    span_us = 2 * 365 * 86_400 * 10**6
    return [base + timedelta(microseconds=rng.randrange(span_us)) for _ in range(n)]


def timed(fn, items, repeat: int = 1) -> float:
    """Mean microseconds per call (best of `repeat` passes), loop overhead included."""
    best = float("inf")
    for _ in range(repeat):
        t0 = clock.perf_counter()
        for item in items:
            fn(*item)
        best = min(best, clock.perf_counter() - t0)
    return best / len(items) * 1e6


def eq(ours, theirs) -> bool:
    return ours == theirs


def same(ours: timedelta, theirs: timedelta) -> bool:
    # businesstimedelta's difference() drops microseconds.
    return ours - timedelta(microseconds=ours.microseconds) == theirs


def main() -> None:
    rng = random.Random(20260401)
    cal = BusinessCalendar.office()
    rules = btd_rules()
    add_unit = btd.BusinessTimeDelta(rules, hours=16)

    starts = random_instants(rng, N)
    ends_60 = [s + timedelta(microseconds=rng.randrange(60 * 86_400 * 10**6)) for s in starts]
    ends_1 = [s + timedelta(microseconds=rng.randrange(86_400 * 10**6)) for s in starts]
    ends_700 = [s + timedelta(days=700) - timedelta(microseconds=rng.randrange(86_400 * 10**6)) for s in starts]

    # Build the year tables outside the timed loops, as a long-running app would have them.
    cal.between(datetime(2024, 1, 1, tzinfo=ZONE), datetime(2029, 1, 1, tzinfo=ZONE))
    b = cal.between
    a = cal.add

    rows = []

    def run(label, ours_fn, items, theirs_fn=None, n_theirs=0, agree=None):
        ours = timed(ours_fn, items, repeat=3)
        if theirs_fn is None:
            rows.append((label, ours, None, None, ""))
            return
        sample = items[:n_theirs]
        t0 = clock.perf_counter()
        results = [theirs_fn(*item) for item in sample]
        theirs = (clock.perf_counter() - t0) / len(sample) * 1e6
        differ = sum(not agree(ours_fn(*item), r) for item, r in zip(sample, results, strict=True))
        rows.append((label, ours, theirs, theirs / ours, f"{differ} of {len(sample):,} differ"))

    run("add(start, 16h)", a, [(s, SIXTEEN_HOURS) for s in starts], lambda s, _: s + add_unit, N_BTD, eq)
    run("add(start, -16h)", a, [(s, -SIXTEEN_HOURS) for s in starts])
    n_700 = max(1, N_BTD // 20)
    for label, ends, n in (
        ("between, spans <= 60 d", ends_60, N_BTD),
        ("between, spans <= 1 d", ends_1, N_BTD),
        ("between, spans ~700 d", ends_700, n_700),
    ):
        run(label, b, list(zip(starts, ends, strict=True)), lambda x, y: rules.difference(x, y).timedelta, n, same)
    run("is_open(at)", cal.is_open, [(s,) for s in starts])
    utc_starts = [s.astimezone(UTC) for s in starts]
    run("add(start, 16h), UTC in", a, [(s, SIXTEEN_HOURS) for s in utc_starts])
    run("between <= 60 d, UTC in", b, [(s.astimezone(UTC), e) for s, e in zip(starts, ends_60, strict=True)])

    print(f"office calendar, {N:,} random inputs (2025-2026, microsecond instants, America/Bogota)")
    print(f"businesstimedelta on the first {N_BTD:,} of them ({n_700:,} for ~700-day spans), one pass;")
    print("ours: best of 3 passes; loop overhead included; 'differ' compares whole seconds for between")
    print(f"{'operation':26s} {'ours µs':>9s} {'btd µs':>11s} {'ratio':>9s}  results")
    for label, ours, theirs, ratio, agree in rows:
        t = f"{theirs:11.1f}" if theirs is not None else f"{'-':>11s}"
        r = f"{ratio:8.0f}x" if ratio is not None else f"{'-':>9s}"
        print(f"{label:26s} {ours:9.2f} {t} {r}  {agree}")


if __name__ == "__main__":
    main()
