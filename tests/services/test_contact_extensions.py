"""Logging a ticket whose requester is reached by a phone extension: accepted, kept in
the desk's one form on the ticket and split into phone and extension in the directory;
garbage still refused with nothing logged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mesa_tui.services.errors import ValidationError
from mesa_tui.services.requesters import Requesters
from tests.support import actor_of, new_ticket


def _tickets(db) -> int:
    with db.read() as s:
        return s.execute(sa.text("SELECT count(*) FROM ticket")).scalar_one()


def test_a_phone_with_its_extension_is_logged(desk, db, now):
    jperez = actor_of(desk, "jperez")
    info = desk.log(jperez, new_ticket(requester_name="Rosa Julio Páez", requester_contact="6056411370 ext 1234"))
    assert info.requester_contact == "6056411370 ext. 1234"
    person = Requesters(db, now=now).get(jperez, info.requester_id)
    assert (person.phone, person.extension, person.contact) == ("6056411370", "1234", "6056411370 ext. 1234")
    # Picked from the directory later, the contact comes back the same.
    again = desk.log(jperez, new_ticket(requester_id=person.id))
    assert again.requester_contact == "6056411370 ext. 1234"


def test_an_extension_alone_is_logged(desk, db, now):
    jperez = actor_of(desk, "jperez")
    info = desk.log(jperez, new_ticket(requester_name="Luis Mora Díaz", requester_contact="Ext. 2045"))
    assert info.requester_contact == "ext. 2045"
    person = Requesters(db, now=now).get(jperez, info.requester_id)
    assert (person.phone, person.extension, person.contact) == ("", "2045", "ext. 2045")


@pytest.mark.parametrize("typed", ["ext", "ext abc", "123 ext 12", "hola", "6056411370 ext 12345678901"])
def test_garbage_is_still_refused_and_nothing_logged(desk, db, typed):
    with pytest.raises(ValidationError) as refused:
        desk.log(actor_of(desk, "jperez"), new_ticket(requester_contact=typed))
    assert refused.value.field == "requester_contact"
    assert "ext. 1234" in refused.value.message
    assert _tickets(db) == 0
