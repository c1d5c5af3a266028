from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mesa_tui.domain.calendar import BusinessCalendar
from mesa_tui.domain.sla import Clock, ClockState, SlaTargets, default_targets, format_remaining
from mesa_tui.domain.vocab import Priority

BOG = ZoneInfo("America/Bogota")
H = timedelta(hours=1)
MIN = timedelta(minutes=1)
US = timedelta(microseconds=1)
ZERO = timedelta(0)

OFFICE = BusinessCalendar.office()
ROUND = BusinessCalendar.always_open()


def bog(y, mo, d, h=0, mi=0, s=0, us=0):
    return datetime(y, mo, d, h, mi, s, us, tzinfo=BOG)


MON_8 = bog(2026, 3, 2, 8)  # an ordinary Monday


def test_clock_starts_at_creation():
    clock = Clock.start(MON_8, 4 * H)
    assert (clock.anchor, clock.consumed, clock.paused_total) == (MON_8, ZERO, ZERO)
    assert clock.running and not clock.paused and not clock.stopped
    assert clock.elapsed(OFFICE, bog(2026, 3, 2, 9, 30)) == 90 * MIN
    assert clock.due(OFFICE) == bog(2026, 3, 2, 12)
    assert clock.met(OFFICE) is None


def test_ticket_created_out_of_hours_starts_counting_at_next_opening():
    clock = Clock.start(bog(2026, 3, 7, 10), 2 * H)  # Saturday
    assert clock.elapsed(OFFICE, bog(2026, 3, 8, 23)) == ZERO
    assert clock.state(OFFICE, bog(2026, 3, 8, 23)) is ClockState.EN_TIEMPO
    assert clock.elapsed(OFFICE, bog(2026, 3, 9, 8, 30)) == 30 * MIN
    assert clock.due(OFFICE) == bog(2026, 3, 9, 10)


def test_pause_and_resume_move_the_due_time_by_the_paused_business_time():
    clock = Clock.start(MON_8, 8 * H)
    due_before = clock.due(OFFICE)
    assert due_before == bog(2026, 3, 2, 16)

    paused = clock.pause(OFFICE, bog(2026, 3, 2, 10))
    assert paused.paused and not paused.running
    assert paused.consumed == 2 * H
    assert paused.due(OFFICE) == due_before  # as if resumed right away
    assert paused.elapsed(OFFICE, bog(2026, 3, 3, 12)) == 2 * H  # frozen while paused

    resumed = paused.resume(OFFICE, bog(2026, 3, 3, 9))
    paused_business = OFFICE.between(bog(2026, 3, 2, 10), bog(2026, 3, 3, 9))
    assert paused_business == 9 * H
    assert resumed.paused_total == paused_business
    assert resumed.due(OFFICE) == OFFICE.add(due_before, paused_business) == bog(2026, 3, 3, 15)
    assert resumed.elapsed(OFFICE, bog(2026, 3, 3, 10)) == 3 * H


def test_paused_clock_is_en_pausa_never_vencido():
    clock = Clock.start(MON_8, H).pause(OFFICE, bog(2026, 3, 2, 11))  # 3 h consumed of 1 h
    for now in (bog(2026, 3, 2, 11), bog(2026, 3, 20, 12)):
        assert clock.state(OFFICE, now) is ClockState.EN_PAUSA
    assert clock.remaining(OFFICE, bog(2026, 3, 20, 12)) == -2 * H
    resumed = clock.resume(OFFICE, bog(2026, 3, 3, 8))
    assert resumed.state(OFFICE, bog(2026, 3, 3, 8)) is ClockState.VENCIDO


@pytest.mark.parametrize(
    ("stop_at", "state", "met"),
    [
        (bog(2026, 3, 2, 11), ClockState.CUMPLIDO, True),
        (bog(2026, 3, 2, 12), ClockState.CUMPLIDO, True),  # exactly on target still meets it
        (bog(2026, 3, 2, 12, 0, 0, 1), ClockState.INCUMPLIDO, False),
        (bog(2026, 3, 3, 9), ClockState.INCUMPLIDO, False),
    ],
)
def test_stop_decides_cumplido_or_incumplido(stop_at, state, met):
    clock = Clock.start(MON_8, 4 * H).stop(OFFICE, stop_at)
    assert clock.stopped and not clock.running
    assert clock.stopped_at == stop_at
    assert clock.met(OFFICE) is met
    assert clock.state(OFFICE, bog(2026, 4, 1, 9)) is state
    assert clock.elapsed(OFFICE, bog(2026, 4, 1, 9)) == clock.consumed  # frozen once stopped


def test_stopping_a_paused_clock():
    clock = Clock.start(MON_8, 4 * H).pause(OFFICE, bog(2026, 3, 2, 10)).stop(OFFICE, bog(2026, 3, 2, 15))
    assert clock.consumed == 2 * H
    assert clock.paused_total == 5 * H
    assert not clock.paused
    assert clock.met(OFFICE) is True


def test_reopen_does_not_charge_the_time_spent_resolved():
    stopped = Clock.start(MON_8, 8 * H).stop(OFFICE, bog(2026, 3, 2, 12))
    reopened = stopped.reopen(OFFICE, bog(2026, 3, 4, 8))
    assert reopened.running and not reopened.stopped
    assert reopened.consumed == 4 * H
    assert reopened.paused_total == 16 * H  # Monday 12-18 and Tuesday: shown, not charged
    assert reopened.elapsed(OFFICE, bog(2026, 3, 4, 10)) == 6 * H
    assert reopened.due(OFFICE) == bog(2026, 3, 4, 12)
    assert reopened.met(OFFICE) is None


@pytest.mark.parametrize(
    ("now", "risk", "state"),
    [
        (bog(2026, 3, 2, 15, 29), 0.75, ClockState.EN_TIEMPO),
        (bog(2026, 3, 2, 15, 30), 0.75, ClockState.EN_RIESGO),  # 7.5 h of 10 h
        (bog(2026, 3, 2, 12, 59), 0.5, ClockState.EN_TIEMPO),
        (bog(2026, 3, 2, 13), 0.5, ClockState.EN_RIESGO),
        (bog(2026, 3, 2, 18), 0.75, ClockState.EN_RIESGO),  # exactly on target: not yet overdue
        (bog(2026, 3, 3, 8, 0, 0, 1), 0.75, ClockState.VENCIDO),
        (bog(2026, 3, 2, 17), 1.0, ClockState.EN_TIEMPO),
    ],
)
def test_state_thresholds(now, risk, state):
    clock = Clock.start(MON_8, 10 * H)
    assert clock.state(OFFICE, now, risk) is state


def test_risk_must_be_a_fraction():
    with pytest.raises(ValueError, match="risk"):
        Clock.start(MON_8, H).state(OFFICE, MON_8, risk=75)


def test_remaining_is_negative_when_overdue():
    clock = Clock.start(MON_8, 2 * H)
    assert clock.remaining(OFFICE, bog(2026, 3, 2, 9)) == H
    assert clock.remaining(OFFICE, bog(2026, 3, 2, 11)) == -H
    assert clock.remaining(OFFICE, bog(2026, 3, 3, 9)) == -9 * H
    assert clock.state(OFFICE, bog(2026, 3, 2, 11)) is ClockState.VENCIDO


def test_retarget_keeps_elapsed_time():
    clock = Clock.start(MON_8, 16 * H).retarget(OFFICE, OFFICE, bog(2026, 3, 2, 12), 8 * H)
    assert (clock.target, clock.consumed, clock.anchor) == (8 * H, 4 * H, bog(2026, 3, 2, 12))
    assert clock.elapsed(OFFICE, bog(2026, 3, 2, 13)) == 5 * H
    assert clock.due(OFFICE) == bog(2026, 3, 2, 16)


def test_retarget_to_another_calendar():
    # A medium ticket turns critical on Friday afternoon: 3 office hours carry over to 24x7.
    clock = Clock.start(bog(2026, 3, 6, 13), 16 * H)
    critical = clock.retarget(OFFICE, ROUND, bog(2026, 3, 6, 16), 4 * H)
    assert critical.consumed == 3 * H
    assert critical.due(ROUND) == bog(2026, 3, 6, 17)
    assert critical.elapsed(ROUND, bog(2026, 3, 6, 20)) == 7 * H  # Friday evening counts now
    assert critical.state(ROUND, bog(2026, 3, 6, 20)) is ClockState.VENCIDO


def test_retarget_below_consumed_puts_due_in_the_past():
    clock = Clock.start(MON_8, 16 * H).retarget(OFFICE, OFFICE, bog(2026, 3, 3, 10), 4 * H)
    assert clock.consumed == 12 * H
    assert clock.due(OFFICE) == bog(2026, 3, 2, 12)  # 8 business hours before the new anchor
    assert clock.remaining(OFFICE, bog(2026, 3, 3, 10)) == -8 * H


def test_retarget_paused_or_stopped_clock_changes_only_the_target():
    paused = Clock.start(MON_8, 4 * H).pause(OFFICE, bog(2026, 3, 2, 11))
    again = paused.retarget(OFFICE, OFFICE, bog(2026, 3, 2, 15), 2 * H)
    assert again.paused and again.consumed == 3 * H and again.target == 2 * H
    stopped = Clock.start(MON_8, 4 * H).stop(OFFICE, bog(2026, 3, 2, 11))
    assert stopped.retarget(OFFICE, OFFICE, bog(2026, 3, 2, 15), 2 * H).met(OFFICE) is False


def test_round_the_clock_calendar():
    clock = Clock.start(bog(2026, 3, 7, 22), 4 * H)  # Saturday night
    assert clock.due(ROUND) == bog(2026, 3, 8, 2)
    assert clock.elapsed(ROUND, bog(2026, 3, 8, 1)) == 3 * H
    assert clock.state(ROUND, bog(2026, 3, 8, 1)) is ClockState.EN_RIESGO
    assert clock.state(ROUND, bog(2026, 4, 3, 3)) is ClockState.VENCIDO  # holidays don't stop it


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda c: c.resume(OFFICE, MON_8 + H), "not paused"),
        (lambda c: c.reopen(OFFICE, MON_8 + H), "not stopped"),
        (lambda c: c.pause(OFFICE, MON_8 + H).pause(OFFICE, MON_8 + 2 * H), "not running"),
        (lambda c: c.stop(OFFICE, MON_8 + H).stop(OFFICE, MON_8 + 2 * H), "already stopped"),
        (lambda c: c.pause(OFFICE, MON_8 - H), "before"),
        (lambda c: c.pause(OFFICE, MON_8 + 2 * H).resume(OFFICE, MON_8 + H), "before"),
        (lambda c: c.stop(OFFICE, MON_8 + 2 * H).reopen(OFFICE, MON_8 + H), "before"),
        (lambda c: c.retarget(OFFICE, OFFICE, MON_8, -H), "negative"),
    ],
)
def test_invalid_operations_raise(operation, message):
    with pytest.raises(ValueError, match=message):
        operation(Clock.start(MON_8, 4 * H))


def test_clock_is_immutable():
    clock = Clock.start(MON_8, H)
    with pytest.raises(dataclasses.FrozenInstanceError):
        clock.consumed = H  # type: ignore[misc]
    clock.pause(OFFICE, MON_8 + MIN)
    assert clock.running


def test_now_before_anchor_counts_nothing():
    assert Clock.start(MON_8, H).elapsed(OFFICE, MON_8 - H) == ZERO


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (2 * H + 5 * MIN, "2h 05m"),
        (-(H + 30 * MIN), "-1h 30m"),
        (45 * H + 10 * MIN, "45h 10m"),
        (-5 * MIN, "-0h 05m"),
        (ZERO, "0h 00m"),
        (timedelta(seconds=59), "0h 00m"),
        (timedelta(seconds=-30), "-0h 00m"),
        (99 * H + 59 * MIN + timedelta(seconds=59), "99h 59m"),
        (100 * H, "100h"),
        (-(124 * H + 50 * MIN), "-124h"),
        (-(2315 * H + 59 * MIN), "-2315h"),
    ],
)
def test_format_remaining(td, text):
    assert format_remaining(td) == text


@pytest.mark.parametrize(
    ("priority", "targets"),
    [
        ("crítica", SlaTargets(30 * MIN, 4 * H, "24x7")),
        ("alta", SlaTargets(H, 8 * H, "office")),
        ("media", SlaTargets(2 * H, 16 * H, "office")),
        ("baja", SlaTargets(4 * H, 40 * H, "office")),
        (Priority.CRITICA, SlaTargets(30 * MIN, 4 * H, "24x7")),
    ],
)
def test_default_targets(priority, targets):
    assert default_targets(priority) == targets


def test_unknown_priority():
    with pytest.raises(ValueError, match="urgente"):
        default_targets("urgente")


def test_clock_state_values_are_the_spanish_labels():
    assert [s.value for s in ClockState] == [
        "en tiempo",
        "en riesgo",
        "vencido",
        "en pausa",
        "cumplido",
        "incumplido",
    ]
