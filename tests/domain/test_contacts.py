"""A requester's contact as typed: e-mails, phones, and phone extensions (the way a
public entity's staff are reached), written the desk's one way; garbage refused."""

from __future__ import annotations

import pytest

from mesa_tui.domain.contacts import contact_problem, contact_text, normalized_contact, split_phone


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("6056411370 ext 1234", "6056411370 ext. 1234"),
        ("6056411370 ext. 1234", "6056411370 ext. 1234"),
        ("6056411370 EXT 1234", "6056411370 ext. 1234"),
        ("6056411370, ext: 1234", "6056411370 ext. 1234"),
        ("6056411370 extensión 1234", "6056411370 ext. 1234"),
        ("6056411370 extension 1234", "6056411370 ext. 1234"),
        ("6056411370x1234", "6056411370 ext. 1234"),
        ("605 641 1370  ext 1234", "605 641 1370 ext. 1234"),
        ("+57 605 641-1370 ext 12", "+57 605 641-1370 ext. 12"),
        ("ext 1234", "ext. 1234"),
        ("Ext.1234", "ext. 1234"),
        ("extensión 7", "ext. 7"),
        ("  6056411370  ", "6056411370"),
        ("300 123 4567", "300 123 4567"),
        ("mperez@cartagena.gov.co", "mperez@cartagena.gov.co"),
    ],
)
def test_accepted_contacts_are_kept_in_one_form(typed, kept):
    assert contact_problem(typed) is None
    assert normalized_contact(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "ext",  # an extension without its number
        "ext abc",
        "ext 12a",
        "6056411370 ext",
        "123 ext 12",  # too short a phone before the extension
        "6056411370 ext 12345678901",  # an extension of 11 digits
        "6056411370 ext 1234 ext 5",
        "hola",
        "x",
        "1234",  # a bare number is not an extension: say "ext"
        "llamar a la ext 1234",
        "6056411370 ext -1234",
        "mperez@",
    ],
)
def test_garbage_is_refused_with_one_spanish_message(typed):
    problem = contact_problem(typed)
    assert problem is not None and problem.endswith(".")
    if "@" not in typed:
        assert "ext. 1234" in problem  # the message shows how to write an extension


def test_an_empty_contact_asks_for_one():
    assert contact_problem("  ") == "Indique el correo o el teléfono del solicitante."


def test_a_phone_splits_into_number_and_extension():
    assert split_phone("6056411370 ext 1234") == ("6056411370", "1234")
    assert split_phone("ext 1234") == ("", "1234")
    assert split_phone("6056411370") == ("6056411370", "")
    assert split_phone("hola") is None
    assert (contact_text("6056411370", "1234"), contact_text("", "1234"), contact_text("", "")) == (
        "6056411370 ext. 1234",
        "ext. 1234",
        "",
    )
