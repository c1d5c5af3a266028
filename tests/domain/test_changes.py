"""Which told changes concern an open ticket, and how long ago reads."""

from __future__ import annotations

import pytest

from mesa_tui.domain.changes import ANY_TICKET, TicketChange, ago, touches


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ((TicketChange(7, 4),), True),  # its version moved
        ((TicketChange(7, 3),), False),  # the version on view (a comment, or this session's own change)
        ((TicketChange(8, 9),), False),  # another ticket
        ((TicketChange(8, 9), TicketChange(7, 5)), True),
        ((ANY_TICKET,), True),  # many at once: may be this one
        ((), False),
    ],
)
def test_touches_an_open_ticket_at_version_3(changes, expected):
    assert touches(changes, 7, 3) is expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-2, "hace 0 s"),
        (0, "hace 0 s"),
        (59.9, "hace 59 s"),
        (60, "hace 1 min"),
        (3599, "hace 59 min"),
        (7200, "hace 2 h"),
    ],
)
def test_ago(seconds, text):
    assert ago(seconds) == text
