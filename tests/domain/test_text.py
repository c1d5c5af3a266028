"""Text a spreadsheet must show as typed (OWASP's CSV injection rule)."""

from __future__ import annotations

import pytest

from mesa_tui.domain.text import looks_like_formula, spreadsheet_text


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("", ""),
        ("María = jefe", "María = jefe"),
        ("'ya citado", "'ya citado"),
        (" =1+1", " =1+1"),
    ],
)
def test_spreadsheet_text(text, cell):
    assert spreadsheet_text(text) == cell
    assert looks_like_formula(text) == (cell != text)
