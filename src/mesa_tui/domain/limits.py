"""How long each text people type may be: one table that the services refuse by
and the screens' fields stop at.

Short texts are as long as their database columns (PostgreSQL enforces them).
Long ones (a description, a solution, a comment) have room for a detailed
account, and a whole file pasted by mistake is refused instead of stored.
"""

from __future__ import annotations

from mesa_tui.domain.text import thousands

# A ticket and its requester.
SUBJECT = 200
REQUESTER_NAME = 120
REQUESTER_DEPENDENCY = 120
REQUESTER_CONTACT = 120
DESCRIPTION = 20_000

# What agents write on a ticket.
SOLUTION = 20_000
COMMENT = 20_000
REASON = 2_000  # of an escalation, a reopening, a cancellation; the note of an assignment, a resumption, a closing
WAIT_REASON = 200  # kept on the ticket while it waits

# The desk's reference data.
LOGIN = 60
AGENT_NAME = 120
GROUP_NAME = 80
CATEGORY_NAME = 80
CLOSURE_REASON = 200
SETTING_VALUE = 200
CATALOG = {
    "code": 7,
    "name": 200,
    "description": 2_000,
    "users": 200,
    "hours": 120,
    "channels": 300,
    "ans_text": 2_000,
}

# What a search box keeps: a search is a few words.
SEARCH = 200


def too_long(value: str, label: str, limit: int) -> str | None:
    """Why `value` (without surrounding spaces) is too long for the field `label`
    names ("El asunto"), or None when it fits."""
    length = len(value.strip())
    if length > limit:
        return f"{label} admite hasta {thousands(limit)} caracteres (tiene {thousands(length)})."
    return None
