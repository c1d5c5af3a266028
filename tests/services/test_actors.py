"""Every use case names its actor, and reads it again from the database: no service
accepts a missing actor, a forged role changes nothing, and a deactivated agent's next
call ends their session."""

from __future__ import annotations

import inspect
from dataclasses import replace

import pytest
from sqlmodel import func, select

from mesa_tui.services import catalog
from mesa_tui.services.admin import Admin
from mesa_tui.services.desk import Desk
from mesa_tui.services.errors import PermissionDenied, SessionEnded
from mesa_tui.services.live import LiveUpdates
from mesa_tui.services.queue import QueueService
from mesa_tui.services.reports import Reports
from mesa_tui.services.requesters import Requesters
from mesa_tui.services.sessions import Sessions
from mesa_tui.services.ssh_keys import SshKeys
from mesa_tui.store.models import Agent, TicketEvent
from tests.support import actor_of

SERVICES = (Desk, Admin, Reports, QueueService, SshKeys, Sessions, LiveUpdates, Requesters)
# Functions of the catalog service that are no use case: they take no database.
CATALOG_HELPERS = {
    "import_in": "runs inside the transaction of an admin use case, with the actor it re-read",
    "read_catalog_file": "reads a file, touches no database",
    "write_catalog_file": "writes a file, touches no database",
}


def public_methods():
    for cls in SERVICES:
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                yield pytest.param(cls, name, fn, id=f"{cls.__name__}.{name}")


def catalog_functions():
    for name, fn in inspect.getmembers(catalog, inspect.isfunction):
        if fn.__module__ == catalog.__name__ and not name.startswith("_"):
            yield name, fn


def event_count(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(TicketEvent)).one()


class Anything:
    """What every other argument is: the missing actor must be refused before any of them is looked at."""


def call_without_actor(target, fn):
    signature = inspect.signature(fn)
    params = [p for p in signature.parameters.values() if p.name not in ("self", "db")]
    assert params and params[0].name == "actor", f"{fn.__qualname__}: the actor comes first"
    assert params[0].annotation == "ActorInfo", f"{fn.__qualname__}: the actor is an ActorInfo, never optional"
    assert params[0].default is inspect.Parameter.empty, f"{fn.__qualname__}: the actor has no default"
    args, kwargs = [], {}
    for p in params[1:]:
        if p.default is not inspect.Parameter.empty:
            continue
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[p.name] = Anything()
        else:
            args.append(Anything())
    return fn(target, None, *args, **kwargs)


@pytest.mark.parametrize(("cls", "name", "fn"), list(public_methods()))
def test_no_service_method_accepts_a_missing_actor(db, now, cls, name, fn):
    service = cls(db, now=now)
    before = event_count(db)
    with pytest.raises(PermissionDenied):
        call_without_actor(service, fn)
    assert event_count(db) == before


def test_no_catalog_function_accepts_a_missing_actor(db):
    checked = []
    for name, fn in catalog_functions():
        if name in CATALOG_HELPERS:
            continue
        with pytest.raises(PermissionDenied):
            call_without_actor(db, fn)
        checked.append(name)
    assert sorted(checked) == ["export_catalog", "import_catalog", "preview_import"]
    assert {name for name, _ in catalog_functions()} - set(checked) == set(CATALOG_HELPERS)


def test_every_service_has_use_cases_to_check():
    names = {p.id for p in public_methods()}
    assert {
        "Desk.take",
        "Desk.get",
        "Admin.save_policy",
        "Admin.agents",
        "Reports.overview",
        "QueueService.page",
        "LiveUpdates.watch",
        "Desk.last_change",
    } <= names


def deactivate(db, login: str) -> None:
    db.write(lambda s: s.exec(select(Agent).where(Agent.login == login)).one().sqlmodel_update({"active": False}))


def test_a_deactivated_agent_is_refused_at_the_next_read_or_action(db, desk, log):
    from mesa_tui.domain.queue import PageRequest, QueueQuery

    ticket = log()
    jperez = actor_of(desk, "jperez")
    deactivate(db, "jperez")
    for call in (
        lambda: desk.get(jperez, ticket.id),
        lambda: desk.take(jperez, ticket.id),
        lambda: QueueService(db).page(jperez, QueueQuery(), PageRequest()),
        lambda: Admin(db).services(jperez),
        lambda: desk.last_change(jperez, ticket.id),
        lambda: LiveUpdates(db).watch(jperez, print),
    ):
        with pytest.raises(SessionEnded, match="Su usuario fue desactivado"):
            call()


def test_a_forged_role_changes_nothing(db, desk, log):
    """The role inside the caller's ActorInfo is never trusted: the database's is."""
    ticket = log()
    forged = replace(actor_of(desk, "jperez"), role="supervisor")
    with pytest.raises(PermissionDenied, match="supervisor"):
        desk.cancel(forged, ticket.id, "Duplicado")
    with pytest.raises(PermissionDenied, match="supervisores"):
        Reports(db).overview(replace(actor_of(desk, "jperez"), role="admin"))
    # ...and a real supervisor whose ActorInfo says "agent" keeps their rights.
    humble = replace(actor_of(desk, "supervisor"), role="agent")
    assert desk.cancel(humble, ticket.id, "Duplicado").status == "anulado"
