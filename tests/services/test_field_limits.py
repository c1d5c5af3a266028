"""Every text a person types has a limit (domain/limits.py): above it the use
case refuses, naming the field and the limit, and writes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mesa_tui.domain import limits
from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.services.admin import Admin
from mesa_tui.services.errors import NotFound, ValidationError
from tests.support import actor_of, new_ticket, system_of


def over(limit: int) -> str:
    return "a" * (limit + 1)


@pytest.fixture
def admin(db, now) -> Admin:
    return Admin(db, now=now)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", lambda: over(limits.SUBJECT), "El asunto admite hasta 200 caracteres (tiene 201)."),
        (
            "requester_name",
            lambda: over(limits.REQUESTER_NAME),
            "El nombre del solicitante admite hasta 120 caracteres (tiene 121).",
        ),
        (
            "requester_dependency",
            lambda: over(limits.REQUESTER_DEPENDENCY),
            "La dependencia admite hasta 120 caracteres (tiene 121).",
        ),
        (
            "requester_contact",
            lambda: over(limits.REQUESTER_CONTACT - 11) + "@ent.gov.co",
            "El correo o teléfono admite hasta 120 caracteres (tiene 121).",
        ),
        (
            "description",
            lambda: "x" * 20_000_000,  # a 20 MB paste
            "La descripción admite hasta 20.000 caracteres (tiene 20.000.000).",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_a_ticket_with_a_text_over_its_limit_is_refused(desk, field, value, message):
    with pytest.raises(ValidationError) as err:
        desk.log(actor_of(desk, "jperez"), new_ticket(**{field: value()}))
    assert (err.value.field, err.value.message) == (field, message)
    with pytest.raises(NotFound):
        desk.get(system_of(desk), 1)  # nothing was logged


def test_a_ticket_at_its_limits_is_logged(desk):
    info = desk.log(
        actor_of(desk, "jperez"),
        new_ticket(subject="s" * limits.SUBJECT, description="d" * limits.DESCRIPTION, requester_name="n" * 120),
    )
    assert (len(info.subject), len(info.description), len(info.requester_name)) == (200, 20_000, 120)


def test_what_agents_write_on_a_ticket_has_its_limits(desk, log):
    jperez = actor_of(desk, "jperez")
    ticket = log(by="supervisor")
    desk.take(jperez, ticket.id)
    refusals = {
        "comment": lambda: desk.comment(jperez, ticket.id, over(limits.COMMENT)),
        "wait": lambda: desk.wait(jperez, ticket.id, over(limits.WAIT_REASON)),
        "escalate": lambda: desk.escalate(jperez, ticket.id, over(limits.REASON)),
        "assign": lambda: desk.assign(jperez, ticket.id, agent_login="jperez", note=over(limits.REASON)),
        "resolve": lambda: desk.resolve(jperez, ticket.id, over(limits.SOLUTION), "remoto"),
        "cancel": lambda: desk.cancel(actor_of(desk, "supervisor"), ticket.id, over(limits.REASON)),
    }
    messages = {}
    for name, attempt in refusals.items():
        with pytest.raises(ValidationError) as err:
            attempt()
        messages[name] = (err.value.field, err.value.message)
    assert messages == {
        "comment": ("body", "El comentario admite hasta 20.000 caracteres (tiene 20.001)."),
        "wait": ("reason", "El motivo de la espera admite hasta 200 caracteres (tiene 201)."),
        "escalate": ("reason", "El motivo del escalamiento admite hasta 2.000 caracteres (tiene 2.001)."),
        "assign": ("note", "La nota admite hasta 2.000 caracteres (tiene 2.001)."),
        "resolve": ("solution", "La solución admite hasta 20.000 caracteres (tiene 20.001)."),
        "cancel": ("reason", "El motivo de la anulación admite hasta 2.000 caracteres (tiene 2.001)."),
    }
    assert desk.get(system_of(desk), ticket.id).version == 2  # logged, taken: nothing else was written

    desk.wait(jperez, ticket.id, "Esperando al usuario")
    with pytest.raises(ValidationError) as err:
        desk.resume(jperez, ticket.id, note=over(limits.REASON))
    assert (err.value.field, err.value.message) == ("note", "La nota admite hasta 2.000 caracteres (tiene 2.001).")
    desk.resume(jperez, ticket.id)
    desk.resolve(jperez, ticket.id, "s" * limits.SOLUTION, "remoto")
    for attempt in (
        lambda: desk.reopen(jperez, ticket.id, over(limits.REASON)),
        lambda: desk.close(jperez, ticket.id, note=over(limits.REASON)),
    ):
        with pytest.raises(ValidationError, match=r"admite hasta 2\.000 caracteres"):
            attempt()
    assert desk.get(system_of(desk), ticket.id).status == "resuelto"


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("name", 200, "Nombre supera los 200 caracteres (201)."),
        ("description", 2_000, "Descripción supera los 2.000 caracteres (2.001)."),
        ("users", 200, "Usuarios supera los 200 caracteres (201)."),
        ("hours", 120, "Horario supera los 120 caracteres (121)."),
        ("channels", 300, "Canales supera los 300 caracteres (301)."),
        ("ans_text", 2_000, "ANS supera los 2.000 caracteres (2.001)."),
    ],
)
def test_catalog_texts_have_their_limits(desk, admin, field, limit, message):
    entry = CatalogEntry("SER-900", "Nuevo", "", "SOFTWARE Y APLICACIONES", "", "", "", "")
    with pytest.raises(ValidationError) as err:
        admin.create_service(actor_of(desk, "admin"), replace(entry, **{field: over(limit)}))
    assert (err.value.field, err.value.message) == (field, message)
    assert "SER-900" not in [e.code for e in admin.services(system_of(admin))]
    admin.create_service(actor_of(desk, "admin"), replace(entry, **{field: "a" * limit}))
    assert "SER-900" in [e.code for e in admin.services(system_of(admin))]
