"""Text as people type and read it in Spanish: accent-free matching and number grouping."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Without accents and case, so «informatica» finds «Informática»."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def thousands(n: int) -> str:
    """es-CO grouping: 1.234.567."""
    return f"{n:,}".replace(",", ".")
