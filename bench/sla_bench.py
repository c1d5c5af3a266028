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
from datetime import datetime, time, timedelta
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


def timed(fn, items) -> float:
    """Mean microseconds per call, loop overhead included."""
    t0 = clock.perf_counter()
    for item in items:
        fn(*item)
    return (clock.perf_counter() - t0) / len(items) * 1e6


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

    def compare(label, ours_fn, ours_items, theirs_fn, theirs_items, agree):
        ours = timed(ours_fn, ours_items)
        if theirs_fn is None:
            rows.append((label, ours, None, None, ""))
            return
        theirs = timed(theirs_fn, theirs_items)
        rows.append((label, ours, theirs, theirs / ours, agree))

    add_items = [(s, SIXTEEN_HOURS) for s in starts]
    add_btd = [(s,) for s in starts[:N_BTD]]
    mismatches = sum(a(s, SIXTEEN_HOURS) != s + add_unit for (s,) in add_btd)
    compare("add(start, 16h)", a, add_items, lambda s: s + add_unit, add_btd, f"{mismatches} differ")

    neg_items = [(s, -SIXTEEN_HOURS) for s in starts]
    compare("add(start, -16h)", a, neg_items, None, None, "")

    for label, ends in (("between, spans <= 60 d", ends_60), ("between, spans <= 1 d", ends_1)):
        items = list(zip(starts, ends))
        theirs = items[:N_BTD]
        mismatches = sum(b(x, y) != rules.difference(x, y).timedelta for x, y in theirs)
        compare(label, b, items, lambda x, y: rules.difference(x, y), theirs, f"{mismatches} differ")

    n_700 = max(1, N_BTD // 20)
    items = list(zip(starts, ends_700))
    theirs = items[:n_700]
    mismatches = sum(b(x, y) != rules.difference(x, y).timedelta for x, y in theirs)
    compare("between, spans ~700 d", b, items, lambda x, y: rules.difference(x, y), theirs, f"{mismatches} differ")

    compare("is_open(at)", cal.is_open, [(s,) for s in starts], None, None, "")

    print(f"office calendar, {N:,} random inputs (2025-2026, microsecond instants, America/Bogota)")
    print(f"businesstimedelta on the first {N_BTD:,} of them ({n_700:,} for ~700-day spans)")
    print(f"{'operation':26s} {'ours µs':>9s} {'btd µs':>11s} {'ratio':>9s}  results")
    for label, ours, theirs, ratio, agree in rows:
        t = f"{theirs:11.1f}" if theirs is not None else f"{'-':>11s}"
        r = f"{ratio:8.0f}x" if ratio is not None else f"{'-':>9s}"
        print(f"{label:26s} {ours:9.2f} {t} {r}  {agree}")


if __name__ == "__main__":
    main()
