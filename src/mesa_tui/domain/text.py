"""Text as people search and read it: accent folding, es-CO thousands, and text
that a spreadsheet must show as typed."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so «informatica» finds «Informática»."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def thousands(n: int) -> str:
    """es-CO thousands: 1.234.567."""
    return f"{n:,}".replace(",", ".")


# What makes Excel or LibreOffice read a cell as a formula (OWASP, "CSV Injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would evaluate `text` typed into a cell."""
    return text.startswith(FORMULA_LEADS)


def spreadsheet_text(text: str) -> str:
    """`text` for a CSV cell: one that would start a formula gets a leading
    apostrophe, so the spreadsheet shows it as text (OWASP's rule)."""
    return "'" + text if looks_like_formula(text) else text


# C0 and C1 control characters but tab and newline: what a terminal would act on.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text that people or mail supplied, as it may reach a terminal: escape
    sequences and other control characters shown as «?», so a ticket can't
    move the cursor, retitle the window or hide lines (tab and newline stay)."""
    return _CONTROL.sub("?", text)
