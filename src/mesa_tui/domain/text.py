"""Text as people search and read it: accent folding and es-CO thousands."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so «informatica» finds «Informática»."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def thousands(n: int) -> str:
    """es-CO thousands: 1.234.567."""
    return f"{n:,}".replace(",", ".")
