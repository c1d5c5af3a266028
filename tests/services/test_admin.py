"""The administrator's use cases against a real database: catalog, SLA policies and the
recompute of open tickets, priority matrix, agents and groups, calendar, settings.

Expected due times are worked out by hand from the office hours (Mon-Thu 08-18, Fri
08-17, Bogotá) and written as literal datetimes, so the tests don't check the
calendar against itself. The week of 16-27 November 2026 has one holiday, Monday 16.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from mesa_tui.domain.catalog import CatalogEntry
from mesa_tui.domain.dates import format_day
from mesa_tui.domain.policies import PolicyScope
from mesa_tui.domain.settings import setting_label
from mesa_tui.domain.targets import OFFICE_DAY_MINUTES, TargetUnit, format_target, natural_unit, to_minutes
from mesa_tui.domain.vocab import SEED_CATEGORIES
from mesa_tui.services.admin import RECOMPUTE_ACTION
from mesa_tui.services.desk import NewTicket
from mesa_tui.services.errors import NotFound, PermissionDenied, UnknownLogin, ValidationError
from mesa_tui.store.models import (
    Agent,
    AgentCredential,
    CalendarClosure,
    CatalogService,
    PriorityRule,
    ServiceCategory,
    Setting,
    SlaPolicy,
    SupportGroup,
    Ticket,
    TicketEvent,
)
from tests.support import actor_of, system_of

BOG = ZoneInfo("America/Bogota")


def bog(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BOG)


TABLES = (
    AgentCredential,
    CatalogService,
    ServiceCategory,
    SlaPolicy,
    PriorityRule,
    Agent,
    SupportGroup,
    CalendarClosure,
    Setting,
    Ticket,
    TicketEvent,
)


def everything(db) -> dict[str, list]:
    """Every row of every table the admin touches, to show that a refusal wrote nothing."""
    with db.read() as s:
        return {m.__tablename__: sorted(repr(r.model_dump()) for r in s.exec(select(m)).all()) for m in TABLES}


def _events(db, *where) -> list[SimpleNamespace]:
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(*where).order_by(TicketEvent.id)).all()
        return [SimpleNamespace(**r.model_dump()) for r in rows]


def entity_events(db, entity: str, key: str) -> list[SimpleNamespace]:
    return _events(db, TicketEvent.entity == entity, TicketEvent.entity_key == key)


def recompute_events(db, ticket_id: int) -> list[SimpleNamespace]:
    return _events(db, TicketEvent.ticket_id == ticket_id, TicketEvent.action == RECOMPUTE_ACTION)


def iso(at: datetime) -> str:
    return at.astimezone(ZoneInfo("UTC")).isoformat()


@pytest.fixture
def log(desk):
    def make(service="SER-001", impact=2, urgency=2, type="requerimiento", **kw):
        new = NewTicket(
            requester_name="Ana Julio",
            requester_dependency="Secretaría de Hacienda",
            requester_contact="ana.julio@cartagena.gov.co",
            channel="correo",
            service_code=service,
            type=type,
            subject="Sin acceso a la red",
            impact=impact,
            urgency=urgency,
            **kw,
        )
        return desk.log(actor_of(desk, "jperez"), new)

    return make


def entry(code="SER-035", **kw) -> CatalogEntry:
    values = dict(
        code=code,
        name="Firma electrónica",
        description="Emisión y renovación de certificados de firma electrónica.",
        category="SEGURIDAD",
        users="Funcionarios",
        hours="Lunes a viernes de 8:00 a 17:00",
        channels="Mesa de servicio, correo",
        ans_text="2 días hábiles",
        active=True,
    )
    values.update(kw)
    return CatalogEntry(**values)


# --- units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "calendar", "text"),
    [
        (30, "office", "30 min"),
        (90, "office", "1 h 30 min"),
        (240, "office", "4 h"),
        (588, "office", "1 día hábil"),
        (2 * 588, "office", "2 días hábiles"),
        (5 * 588, "office", "5 días hábiles"),  # 49 h: exactly one office week
        (600, "office", "10 h"),
        (1440, "24x7", "1 día"),
        (2880, "24x7", "2 días"),
        (1440, "office", "24 h"),
    ],
)
def test_targets_show_in_their_most_natural_unit(minutes, calendar, text):
    assert format_target(minutes, calendar) == text
    amount, unit = natural_unit(minutes, calendar)
    assert to_minutes(amount, unit, calendar) == minutes


def test_a_business_day_is_a_fifth_of_the_office_week():
    assert OFFICE_DAY_MINUTES == (4 * 10 + 9) * 60 // 5
    assert to_minutes(3, TargetUnit.DAYS, "office") == 3 * 588
    assert to_minutes(3, TargetUnit.DAYS, "24x7") == 3 * 1440


def test_labels_for_the_screens_are_spanish():
    assert format_day(date(2026, 11, 19)) == "jueves 19 de noviembre de 2026"
    assert setting_label("risk_threshold") == "Umbral de riesgo del ANS"
    assert setting_label("meta.ans_resolucion") == "Meta: ans resolucion (%)"


# --- catalog ---------------------------------------------------------------------------


def test_create_service_adds_the_entry_with_an_audit_event(db, admin, boss):
    created = admin.create_service(boss, entry(code=" ser-035 ", name="  Firma electrónica "))
    assert created == entry()
    assert entry() in admin.services(system_of(admin))
    (ev,) = entity_events(db, "service", "SER-035")
    assert ev.action == "crear" and ev.actor_id == boss.id
    assert json.loads(ev.changes)["name"] == [None, "Firma electrónica"]


def test_update_service_edits_every_field_and_may_change_the_code(db, desk, admin, boss, log):
    ticket = log(service="SER-001")
    edited = entry(code="SER-040", name="Internet", category="CONECTIVIDAD", active=True)
    assert admin.update_service(boss, "SER-001", edited) == edited
    services = {e.code: e for e in admin.services(system_of(admin))}
    assert "SER-001" not in services and services["SER-040"] == edited
    # The ticket points at the same entry under its new code.
    assert desk.get(system_of(desk), ticket.id).service_code == "SER-040"
    (ev,) = entity_events(db, "service", "SER-040")
    changes = json.loads(ev.changes)
    assert ev.action == "modificar"
    assert changes["code"] == ["SER-001", "SER-040"]
    assert set(changes) == {"code", "name", "description", "users", "hours", "channels", "ans_text"}


def test_saving_an_unchanged_service_writes_nothing(db, admin, boss):
    current = next(e for e in admin.services(system_of(admin)) if e.code == "SER-002")
    before = everything(db)
    admin.update_service(boss, "SER-002", current)
    assert everything(db) == before


def test_a_deactivated_service_cannot_be_chosen_but_still_shows_on_old_tickets(db, desk, admin, boss, log):
    ticket = log(service="SER-003")
    result = admin.set_service_active(boss, "SER-003", False)
    assert result.active is False
    with pytest.raises(ValidationError) as err:
        log(service="SER-003")
    assert err.value.field == "service"
    assert desk.get(system_of(desk), ticket.id).service_code == "SER-003"
    ev = entity_events(db, "service", "SER-003")[-1]  # after the import's "crear"
    assert ev.action == "desactivar" and json.loads(ev.changes) == {"active": [True, False]}
    assert admin.set_service_active(boss, "SER-003", True).active is True
    assert log(service="SER-003").service_code == "SER-003"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"code": "SER-35"}, "code"),
        ({"code": "SFR-035"}, "code"),
        ({"code": "SER-002"}, "code"),  # already taken
        ({"name": "   "}, "name"),
        ({"category": "TELETRANSPORTE"}, "category"),
        ({"category": ""}, "category"),
        ({"hours": "8:00\t17:00"}, "hours"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_catalog_input_is_refused_at_the_field_and_nothing_is_saved(db, admin, boss, kw, field):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.create_service(boss, entry(**kw))
    assert err.value.field == field
    assert err.value.message[0].isupper()
    with pytest.raises(ValidationError) as err:
        admin.update_service(boss, "SER-001", entry(**kw))
    assert err.value.field == field
    assert everything(db) == before


def test_editing_an_unknown_service_is_not_found(admin, boss):
    with pytest.raises(NotFound):
        admin.update_service(boss, "SER-028", entry(code="SER-028"))
    with pytest.raises(NotFound):
        admin.set_service_active(boss, "SER-999", False)


def test_categories_start_with_the_seed_and_can_be_added_and_renamed(db, admin, boss):
    assert sorted(c.name for c in admin.categories(system_of(admin))) == sorted(SEED_CATEGORIES)
    assert sum(c.services for c in admin.categories(system_of(admin))) == len(admin.services(system_of(admin)))
    added = admin.add_category(boss, " GESTIÓN DOCUMENTAL ")
    assert added.name == "GESTIÓN DOCUMENTAL" and added.services == 0
    renamed = admin.rename_category(boss, "GESTIÓN DOCUMENTAL", "ARCHIVO Y GESTIÓN DOCUMENTAL")
    assert renamed.id == added.id
    assert "ARCHIVO Y GESTIÓN DOCUMENTAL" in {c.name for c in admin.categories(system_of(admin))}
    # A renamed category keeps its services: they refer to it by id.
    seguridad = next(c for c in admin.categories(system_of(admin)) if c.name == "SEGURIDAD")
    admin.rename_category(boss, "SEGURIDAD", "SEGURIDAD DIGITAL")
    assert next(c for c in admin.categories(system_of(admin)) if c.id == seguridad.id).services == seguridad.services
    assert [e.action for e in entity_events(db, "category", str(added.id))] == ["crear", "modificar"]


@pytest.mark.parametrize(
    ("name", "field"),
    [("", "name"), ("conectividad", "name"), ("SER-040", "name"), ("x" * 81, "name"), ("A\tB", "name")],
)
def test_bad_category_names_are_refused(db, admin, boss, name, field):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.add_category(boss, name)
    assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        admin.rename_category(boss, "SEGURIDAD", name)
    assert err.value.field == field
    assert everything(db) == before


def test_catalog_import_and_export_go_through_the_admin(db, admin, boss):
    text = admin.export_catalog(system_of(admin))
    old_name = next(e.name for e in admin.services(system_of(admin)) if e.code == "SER-002")
    changed = text.replace(f"SER-002\t{old_name}\t", "SER-002\tVPN institucional\t", 1)
    preview = {row.code: row for row in admin.preview_import(system_of(admin), changed)}
    assert preview["SER-002"].status == "modificado" and preview["SER-002"].fields == ("name",)
    assert admin.import_catalog(boss, changed).updated == 1
    assert next(e.name for e in admin.services(system_of(admin)) if e.code == "SER-002") == "VPN institucional"


# --- SLA policies: the exact due-time tests ---------------------------------------------


def test_changing_a_policy_moves_the_due_time_by_exactly_the_new_target(db, desk, admin, boss, log, now):
    jperez = actor_of(desk, "jperez")
    ticket = log(impact=2, urgency=2)  # media: 2 h / 16 h, office calendar
    assert ticket.priority == "media"
    # Wed 09:00 + 16 h: Wed 09-18 (9 h) + Thu 08-15 (7 h).
    assert ticket.ttr_due_at == bog(11, 19, 15)
    now.set(bog(11, 18, 9, 30))
    desk.take(jperez, ticket.id)  # first response: TTO stops
    now.set(bog(11, 18, 15))
    desk.wait(jperez, ticket.id, "Esperando al usuario")  # 6 h of TTR consumed
    now.set(bog(11, 19, 10))
    resumed = desk.resume(jperez, ticket.id)  # paused Wed 15-18 and Thu 08-10
    # 10 h left from Thu 10:00: Thu 10-18 (8 h) + Fri 08-10 (2 h).
    assert resumed.ttr_due_at == bog(11, 20, 10)
    now.set(bog(11, 19, 12))  # 8 h consumed: 6 h Wednesday + 2 h this morning

    result = admin.save_policy(boss, None, "media", 120, 20 * 60, "office")

    assert result.tickets_updated == 1
    after = desk.get(system_of(desk), ticket.id)
    # 20 h - 8 h = 12 h from Thu 12:00: Thu 12-18 (6 h) + Fri 08-14 (6 h).
    assert after.ttr_due_at == bog(11, 20, 14)
    assert after.due_at == after.ttr_due_at
    assert after.tto_due_at == resumed.tto_due_at  # a stopped clock keeps its target
    assert after.ttr.consumed == timedelta(hours=8)  # elapsed time kept...
    assert after.ttr.paused_total == resumed.ttr.paused_total == timedelta(hours=5)  # ...and paused time
    assert after.version == resumed.version + 1
    (ev,) = recompute_events(db, ticket.id)
    changes = json.loads(ev.changes)
    assert changes["ttr_due_at"] == [iso(bog(11, 20, 10)), iso(bog(11, 20, 14))]
    assert changes["version"] == [resumed.version, after.version]
    # The recompute is the desk's own work; the policy change that caused it is the admin's.
    assert ev.actor_id == system_of(db).id and ev.entity_key == ticket.code
    (policy_ev,) = entity_events(db, "policy", "default:media")
    assert policy_ev.actor_id == boss.id
    assert json.loads(policy_ev.changes) == {"ttr_minutes": [960, 1200]}


def test_a_policy_moving_to_24x7_counts_the_rest_in_wall_clock_time(desk, admin, boss, log, now):
    ticket = log(impact=2, urgency=2, type="incidente")  # a 24x7 policy covers incidents
    now.set(bog(11, 18, 9, 30))
    desk.take(actor_of(desk, "jperez"), ticket.id)
    now.set(bog(11, 19, 10))  # 11 h consumed: Wed 9 h + Thu 2 h
    admin.save_policy(boss, None, "media", 120, 16 * 60, "24x7")
    after = desk.get(system_of(desk), ticket.id)
    assert after.sla_calendar == "24x7"
    # 5 h left, now round the clock.
    assert after.ttr_due_at == bog(11, 19, 15)


def test_a_paused_ticket_gets_the_new_target_from_where_it_paused(desk, admin, boss, log, now):
    ticket = log(impact=2, urgency=2)
    now.set(bog(11, 18, 9, 30))
    desk.take(actor_of(desk, "jperez"), ticket.id)
    now.set(bog(11, 18, 11))
    desk.wait(actor_of(desk, "jperez"), ticket.id, "Esperando repuesto")  # 2 h consumed
    now.set(bog(11, 19, 9))
    admin.save_policy(boss, None, "media", 120, 4 * 60, "office")
    after = desk.get(system_of(desk), ticket.id)
    assert after.status == "en_espera"
    # Due as if resumed where it paused: 2 h left from Wed 11:00.
    assert after.ttr_due_at == bog(11, 18, 13)
    now.set(bog(11, 19, 10))
    # Resumed Thu 10:00 with 2 h left.
    assert desk.resume(actor_of(desk, "jperez"), ticket.id).ttr_due_at == bog(11, 19, 12)


def test_the_most_specific_policy_governs_and_only_its_tickets_move(db, desk, admin, boss, log):
    internet = log(service="SER-001")  # CONECTIVIDAD
    vpn = log(service="SER-002")  # CONECTIVIDAD
    other = log(service="SER-007")  # SEGURIDAD
    high = log(service="SER-001", impact=1, urgency=2)  # alta: another priority
    assert {internet.ttr_due_at, vpn.ttr_due_at, other.ttr_due_at} == {bog(11, 19, 15)}

    # A category policy: 8 h from Wed 09:00 ends Wed 17:00.
    assert admin.save_policy(boss, "CONECTIVIDAD", "media", 60, 8 * 60, "office").tickets_updated == 2
    assert (
        desk.get(system_of(desk), internet.id).ttr_due_at
        == desk.get(system_of(desk), vpn.id).ttr_due_at
        == bog(11, 18, 17)
    )
    assert desk.get(system_of(desk), other.id).ttr_due_at == bog(11, 19, 15)
    assert desk.get(system_of(desk), high.id).ttr_due_at == high.ttr_due_at

    # A service policy beats the category's: 4 h ends Wed 13:00.
    assert admin.save_policy(boss, "SER-001", "media", 60, 4 * 60, "office").tickets_updated == 1
    assert desk.get(system_of(desk), internet.id).ttr_due_at == bog(11, 18, 13)

    # The category's policy no longer governs SER-001, nor does the default.
    assert admin.save_policy(boss, "CONECTIVIDAD", "media", 60, 6 * 60, "office").tickets_updated == 1
    assert desk.get(system_of(desk), vpn.id).ttr_due_at == bog(11, 18, 15)
    assert admin.save_policy(boss, None, "media", 60, 2 * 60, "office").tickets_updated == 1
    assert desk.get(system_of(desk), other.id).ttr_due_at == bog(11, 18, 11)
    assert desk.get(system_of(desk), internet.id).ttr_due_at == bog(11, 18, 13)

    # Deleting the service's policy hands SER-001 back to its category's (6 h: 15:00).
    assert admin.delete_policy(boss, "SER-001", "media").tickets_updated == 1
    assert desk.get(system_of(desk), internet.id).ttr_due_at == bog(11, 18, 15)
    # Deleting the category's hands both to the default (2 h: 11:00).
    assert admin.delete_policy(boss, "CONECTIVIDAD", "media").tickets_updated == 2
    assert (
        desk.get(system_of(desk), internet.id).ttr_due_at
        == desk.get(system_of(desk), vpn.id).ttr_due_at
        == bog(11, 18, 11)
    )

    scopes = [(p.scope, p.scope_key, p.priority) for p in admin.policies(system_of(admin))]
    assert scopes[:4] == [(PolicyScope.DEFAULT, None, p) for p in ("crítica", "alta", "media", "baja")]
    assert len(scopes) == 4


def test_resolved_and_cancelled_tickets_keep_their_due_times(db, desk, admin, boss, log, now):
    resolved = log()
    now.set(bog(11, 18, 10))
    resolved = desk.resolve(actor_of(desk, "jperez"), resolved.id, "Se reinició el enrutador.", "remoto")
    cancelled = desk.cancel(actor_of(desk, "supervisor"), log().id, "Duplicado")
    open_one = log()
    result = admin.save_policy(boss, None, "media", 60, 8 * 60, "office")
    assert result.tickets_updated == 1
    assert desk.get(system_of(desk), resolved.id) == resolved
    assert desk.get(system_of(desk), cancelled.id) == cancelled
    assert desk.get(system_of(desk), open_one.id).version == open_one.version + 1


def test_critical_incidents_stay_on_24x7_whatever_the_policy_says(desk, admin, boss, log):
    outage = log(impact=1, urgency=1, type="incidente")
    assert outage.priority == "crítica" and outage.sla_calendar == "24x7"
    admin.save_policy(boss, None, "crítica", 60, 8 * 60, "office")
    after = desk.get(system_of(desk), outage.id)
    assert after.sla_calendar == "24x7"
    assert after.ttr_due_at == bog(11, 18, 17)  # 8 h round the clock from 09:00


def test_saving_the_same_policy_changes_nothing(db, admin, boss, log):
    log()
    before = everything(db)
    assert admin.save_policy(boss, None, "media", 120, 960, "office").tickets_updated == 0
    assert everything(db) == before


def test_a_service_changing_category_takes_its_new_category_policy(desk, admin, boss, log):
    admin.save_policy(boss, "SEGURIDAD", "media", 60, 4 * 60, "office")
    ticket = log(service="SER-001")
    assert ticket.ttr_due_at == bog(11, 19, 15)  # default: CONECTIVIDAD has no policy
    current = next(e for e in admin.services(system_of(admin)) if e.code == "SER-001")
    admin.update_service(boss, "SER-001", replace(current, category="SEGURIDAD"))
    assert desk.get(system_of(desk), ticket.id).ttr_due_at == bog(11, 18, 13)


def test_an_import_moving_a_service_to_another_category_retargets_its_tickets(desk, admin, boss, log):
    admin.save_policy(boss, "SEGURIDAD", "media", 60, 4 * 60, "office")
    ticket = log(service="SER-001")
    assert ticket.ttr_due_at == bog(11, 19, 15)  # default: CONECTIVIDAD has no policy
    text = admin.export_catalog(system_of(admin))
    moved = "\n".join(
        line.replace("\tCONECTIVIDAD\t", "\tSEGURIDAD\t") if line.startswith("SER-001\t") else line
        for line in text.split("\n")
    )
    assert moved != text
    result = admin.import_catalog(boss, moved)
    assert (result.created, result.updated) == (0, 1)
    after = desk.get(system_of(desk), ticket.id)
    assert after.ttr_due_at == bog(11, 18, 13)  # SEGURIDAD's 4 h from Wed 09:00
    assert after.version == ticket.version + 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((None, "media", 0, 960, "office"), "tto_minutes"),
        ((None, "media", -30, 960, "office"), "tto_minutes"),
        ((None, "media", 120, 0, "office"), "ttr_minutes"),
        ((None, "media", 120, -1, "office"), "ttr_minutes"),
        ((None, "media", 120, 60, "office"), "ttr_minutes"),  # resolution shorter than first response
        ((None, "media", "120", 960, "office"), "tto_minutes"),
        ((None, "media", 120, 10**9, "office"), "ttr_minutes"),
        ((None, "urgente", 120, 960, "office"), "priority"),
        ((None, "media", 120, 960, "lunes-a-viernes"), "calendar"),
        (("SER-999", "media", 120, 960, "office"), "scope"),
        (("TELETRANSPORTE", "media", 120, 960, "office"), "scope"),
    ],
)
def test_bad_policies_are_refused_at_the_field_and_nothing_is_saved(db, admin, boss, log, args, field):
    log()
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.save_policy(boss, *args)
    assert err.value.field == field
    assert everything(db) == before


def test_default_policies_cannot_be_deleted(db, admin, boss):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.delete_policy(boss, None, "media")
    assert err.value.field == "scope"
    with pytest.raises(NotFound):
        admin.delete_policy(boss, "SER-001", "media")
    assert everything(db) == before


# --- priority matrix ----------------------------------------------------------------------


def test_the_matrix_applies_to_new_classifications_only(db, admin, boss, log):
    before = log(impact=2, urgency=2)
    assert admin.matrix(system_of(admin))[(2, 2)] == "media"
    admin.set_priority(boss, 2, 2, "alta")
    assert admin.matrix(system_of(admin))[(2, 2)] == "alta"
    assert log(impact=2, urgency=2).priority == "alta"
    with db.read() as s:
        assert s.get(Ticket, before.id).priority == "media"
    (ev,) = entity_events(db, "priority", "2x2")
    assert json.loads(ev.changes) == {"priority": ["media", "alta"]}


@pytest.mark.parametrize(
    ("args", "field"), [((0, 2, "alta"), "impact"), ((2, 4, "alta"), "urgency"), ((2, 2, "máxima"), "priority")]
)
def test_bad_matrix_cells_are_refused(db, admin, boss, args, field):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.set_priority(boss, *args)
    assert err.value.field == field
    assert everything(db) == before


# --- agents and groups ----------------------------------------------------------------------


def test_agents_are_created_edited_and_deactivated_not_deleted(db, desk, admin, boss, log):
    mesa = next(g for g in admin.groups(system_of(admin)) if g.name == "Mesa de ayuda")
    infra = next(g for g in admin.groups(system_of(admin)) if g.name == "Infraestructura y redes")
    new = admin.create_agent(boss, "kjulio", "Karen Julio Salas", "agent", 1, mesa.id)
    assert (new.login, new.group_name, new.active, new.open_tickets) == ("kjulio", "Mesa de ayuda", True, 0)
    ticket = log()
    desk.assign(actor_of(desk, "supervisor"), ticket.id, agent_login="kjulio")
    edited = admin.update_agent(boss, new.id, "kjulio2", "Karen Julio Salas", "supervisor", 2, infra.id)
    assert (edited.login, edited.role, edited.level, edited.group_name) == ("kjulio2", "supervisor", 2, infra.name)
    off = admin.set_agent_active(boss, new.id, False)
    assert off.active is False and off.open_tickets == 1
    assert new.id not in {a.id for a in admin.agents(system_of(admin))}
    assert new.id in {a.id for a in admin.agents(system_of(admin), include_inactive=True)}
    with pytest.raises(UnknownLogin):
        actor_of(desk, "kjulio2")
    assert desk.get(system_of(desk), ticket.id).agent_name == "Karen Julio Salas"
    actions = [e.action for e in entity_events(db, "agent", str(new.id))]
    assert actions == ["crear", "modificar", "desactivar"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"login": "jperez"}, "login"),  # taken
        ({"login": ""}, "login"),
        ({"login": "j pérez"}, "login"),
        ({"full_name": "  "}, "full_name"),
        ({"role": "root"}, "role"),
        ({"level": 4}, "level"),
        ({"group_id": 999}, "group_id"),
    ],
)
def test_bad_agents_are_refused_at_the_field(db, admin, boss, kw, field):
    args = {"login": "kjulio", "full_name": "Karen Julio", "role": "agent", "level": 1, "group_id": None}
    args.update(kw)
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.create_agent(boss, **args)
    assert err.value.field == field
    assert everything(db) == before


def test_the_last_admin_cannot_be_demoted_or_deactivated(db, admin, boss):
    supervisor = next(a for a in admin.agents(system_of(admin)) if a.login == "supervisor")
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.update_agent(boss, boss.id, boss.login, boss.full_name, "agent", 1, boss.group_id)
    assert err.value.field == "role"
    with pytest.raises(ValidationError) as err:
        admin.set_agent_active(boss, boss.id, False)
    assert err.value.field == "active"
    assert everything(db) == before
    # With a second admin the first may step down.
    admin.update_agent(boss, supervisor.id, "supervisor", supervisor.full_name, "admin", 1, supervisor.group_id)
    assert admin.update_agent(boss, boss.id, boss.login, boss.full_name, "agent", 1, boss.group_id).role == "agent"
    # ...and from then on the services refuse them.
    with pytest.raises(PermissionDenied):
        admin.add_category(boss, "OTRA")


def test_groups_are_created_edited_and_deactivated(db, desk, admin, boss):
    group = admin.create_group(boss, "Gobierno digital", 2)
    assert (group.level, group.active, group.agents) == (2, True, 0)
    assert admin.update_group(boss, group.id, "Gobierno digital y datos", 3).level == 3
    assert admin.set_group_active(boss, group.id, False).active is False
    assert group.id not in {g.id for g in admin.groups(system_of(admin), include_inactive=False)}
    assert group.id not in {g_id for g_id, _name, _lvl in desk.groups(system_of(desk))}
    actions = [e.action for e in entity_events(db, "group", str(group.id))]
    assert actions == ["crear", "modificar", "desactivar"]


def test_bad_groups_are_refused_and_level_one_always_has_a_group(db, admin, boss):
    mesa = next(g for g in admin.groups(system_of(admin)) if g.level == 1)
    before = everything(db)
    for args, field in (
        (("", 2), "name"),
        (("mesa de ayuda", 2), "name"),
        (("Nuevo", 0), "level"),
    ):
        with pytest.raises(ValidationError) as err:
            admin.create_group(boss, *args)
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        admin.set_group_active(boss, mesa.id, False)
    assert err.value.field == "active"
    with pytest.raises(ValidationError) as err:
        admin.update_group(boss, mesa.id, mesa.name, 2)
    assert err.value.field == "level"
    assert everything(db) == before


# --- calendar -----------------------------------------------------------------------------------


def test_holidays_are_the_calendars_view_of_the_year(admin):
    days = {h.day: h.name for h in admin.holidays(system_of(admin), 2026)}
    assert days[date(2026, 12, 25)] == "Navidad"
    assert date(2026, 11, 16) in days  # Independencia de Cartagena, moved to Monday
    assert len(days) == 19
    with pytest.raises(ValidationError) as err:
        admin.holidays(system_of(admin), 20260)
    assert err.value.field == "year"


def test_a_closure_moves_due_times_by_exactly_that_days_business_hours(db, desk, admin, boss, log):
    media = log(impact=2, urgency=2)  # 16 h: Wed 9 h + Thu 7 h -> Thu 15:00
    baja = log(impact=3, urgency=3)  # 40 h: Wed 9 + Thu 10 + Fri 9 + Mon 10 + Tue 2 -> Tue 24 10:00
    assert (media.ttr_due_at, baja.ttr_due_at) == (bog(11, 19, 15), bog(11, 24, 10))
    assert baja.tto_due_at == bog(11, 18, 13)
    open_days = desk.calendar(system_of(desk), "office")

    # Thursday closed: both due times move by Thursday's 10 business hours.
    assert admin.add_closure(boss, date(2026, 11, 19), "Día cívico decretado").tickets_updated == 2
    thu_media, thu_baja = desk.get(system_of(desk), media.id), desk.get(system_of(desk), baja.id)
    assert thu_media.ttr_due_at == bog(11, 20, 15)  # Wed 9 h + Fri 7 h
    assert thu_baja.ttr_due_at == bog(11, 25, 10)  # Wed 9 + Fri 9 + Mon 10 + Tue 10 + Wed 2
    assert open_days.between(media.ttr_due_at, thu_media.ttr_due_at) == timedelta(hours=10)
    assert open_days.between(baja.ttr_due_at, thu_baja.ttr_due_at) == timedelta(hours=10)
    assert thu_baja.tto_due_at == bog(11, 18, 13)  # due before Thursday: unchanged
    assert desk.calendar(system_of(desk), "office").add(thu_baja.ttr.anchor, thu_baja.ttr.target) == thu_baja.ttr_due_at

    # Friday closed too: 9 business hours more.
    assert admin.add_closure(boss, date(2026, 11, 20), "Inventario anual").tickets_updated == 2
    fri_media, fri_baja = desk.get(system_of(desk), media.id), desk.get(system_of(desk), baja.id)
    assert fri_media.ttr_due_at == bog(11, 23, 15)  # Wed 9 h + Mon 7 h
    assert fri_baja.ttr_due_at == bog(11, 26, 9)  # Wed 9 + Mon 10 + Tue 10 + Wed 10 + Thu 1
    assert open_days.between(thu_baja.ttr_due_at, fri_baja.ttr_due_at) == timedelta(hours=9)
    assert [c.day for c in admin.closures(system_of(admin))] == [date(2026, 11, 19), date(2026, 11, 20)]

    # Removing the closures brings the due times back.
    admin.remove_closure(boss, date(2026, 11, 20))
    assert desk.get(system_of(desk), baja.id).ttr_due_at == bog(11, 25, 10)
    admin.remove_closure(boss, date(2026, 11, 19))
    assert desk.get(system_of(desk), media.id).ttr_due_at == bog(11, 19, 15)
    assert desk.get(system_of(desk), baja.id).ttr_due_at == bog(11, 24, 10)
    assert admin.closures(system_of(admin)) == []
    assert [e.action for e in entity_events(db, "closure", "2026-11-19")] == ["crear", "eliminar"]
    (ev, *_rest) = recompute_events(db, media.id)
    assert json.loads(ev.changes)["ttr_due_at"] == [iso(bog(11, 19, 15)), iso(bog(11, 20, 15))]
    assert len(recompute_events(db, media.id)) == 4
    assert desk.get(system_of(desk), media.id).version == media.version + 4


def test_a_closure_moves_the_legal_due_date_of_a_pqrs(desk, admin, boss, log):
    pqrs = log(type="peticion", legal_days=15)
    # 15 business days after Wed 18 Nov, skipping Tue 8 Dec (holiday).
    assert pqrs.legal_due_on == date(2026, 12, 10)
    admin.add_closure(boss, date(2026, 11, 27), "Inventario anual")
    assert desk.get(system_of(desk), pqrs.id).legal_due_on == date(2026, 12, 11)
    admin.remove_closure(boss, date(2026, 11, 27))
    assert desk.get(system_of(desk), pqrs.id).legal_due_on == date(2026, 12, 10)


def test_a_past_closure_is_refused_once_tickets_counted_that_day(db, desk, admin, boss, log, now):
    ticket = log()
    now.set(bog(11, 20, 10))
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.add_closure(boss, date(2026, 11, 19), "Día cívico")
    assert err.value.field == "day"
    assert "ya pasó" in err.value.message
    assert everything(db) == before
    # A past day no ticket counted yet may still be recorded.
    assert admin.add_closure(boss, date(2026, 11, 10), "Cierre por traslado de sede").tickets_updated == 0
    assert desk.get(system_of(desk), ticket.id).version == ticket.version


def test_removing_a_past_closure_that_tickets_counted_is_refused(db, admin, boss, log, now):
    admin.add_closure(boss, date(2026, 11, 19), "Día cívico")
    log()
    now.set(bog(11, 20, 10))
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.remove_closure(boss, date(2026, 11, 19))
    assert err.value.field == "day"
    assert everything(db) == before


@pytest.mark.parametrize(
    ("day", "reason", "field"),
    [
        (date(2026, 11, 21), "Sábado", "day"),  # not a business day
        (date(2026, 12, 25), "Navidad", "day"),  # already a holiday
        (date(2026, 11, 19), "", "reason"),
        (date(2026, 11, 19), "x" * 201, "reason"),
        ("2026-11-19", "Texto", "day"),
        (datetime(2026, 11, 19, 8, tzinfo=BOG), "Fecha y hora", "day"),
    ],
)
def test_bad_closures_are_refused(db, admin, boss, day, reason, field):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.add_closure(boss, day, reason)
    assert err.value.field == field
    assert everything(db) == before


def test_a_day_cannot_be_closed_twice_nor_reopened_if_not_closed(db, admin, boss):
    admin.add_closure(boss, date(2026, 11, 19), "Día cívico")
    with pytest.raises(ValidationError) as err:
        admin.add_closure(boss, date(2026, 11, 19), "Otra vez")
    assert err.value.field == "day"
    with pytest.raises(NotFound):
        admin.remove_closure(boss, date(2026, 11, 20))


# --- settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("risk_threshold", "0,8", "0.8"),
        ("risk_threshold", 0.5, "0.5"),
        ("auto_close_business_days", "5", "5"),
        ("auto_close_business_days", 30, "30"),
        ("meta.satisfaccion", "97", "97"),
        ("meta.remoto", "42,5", "42.5"),
        ("meta.hardware", 0, "0"),
        ("privacy_notice_version", " 2026-1 ", "2026-1"),
    ],
)
def test_settings_are_stored_normalised_and_audited(db, admin, boss, key, value, stored):
    old = admin.settings(system_of(admin))[key]
    assert admin.set_setting(boss, key, value) == stored
    assert admin.settings(system_of(admin))[key] == stored
    (ev,) = entity_events(db, "setting", key)
    assert json.loads(ev.changes) == {"value": [old, stored]}


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("risk_threshold", "0", "risk_threshold"),
        ("risk_threshold", "1", "risk_threshold"),
        ("risk_threshold", "alto", "risk_threshold"),
        ("auto_close_business_days", "0", "auto_close_business_days"),
        ("auto_close_business_days", "31", "auto_close_business_days"),
        ("auto_close_business_days", "2,5", "auto_close_business_days"),
        ("meta.eficiencia", "101", "meta.eficiencia"),
        ("meta.eficiencia", "-1", "meta.eficiencia"),
        ("meta.inventada", "50", "key"),
        ("privacy_notice_version", "  ", "privacy_notice_version"),
    ],
)
def test_bad_settings_are_refused(db, admin, boss, key, value, field):
    before = everything(db)
    with pytest.raises(ValidationError) as err:
        admin.set_setting(boss, key, value)
    assert err.value.field == field
    assert everything(db) == before


# --- only administrators ------------------------------------------------------------------------

MUTATIONS = {
    "create_service": lambda a, who: a.create_service(who, entry()),
    "update_service": lambda a, who: a.update_service(who, "SER-001", entry(code="SER-001")),
    "set_service_active": lambda a, who: a.set_service_active(who, "SER-001", False),
    "add_category": lambda a, who: a.add_category(who, "NUEVA"),
    "rename_category": lambda a, who: a.rename_category(who, "SEGURIDAD", "NUEVA"),
    "import_catalog": lambda a, who: a.import_catalog(who, a.export_catalog(system_of(a))),
    "save_policy": lambda a, who: a.save_policy(who, None, "media", 60, 600, "office"),
    "delete_policy": lambda a, who: a.delete_policy(who, "SER-001", "media"),
    "set_priority": lambda a, who: a.set_priority(who, 1, 1, "alta"),
    "create_agent": lambda a, who: a.create_agent(who, "nuevo", "Nuevo Agente", "admin", 1, None),
    "update_agent": lambda a, who: a.update_agent(who, who.id, who.login, who.full_name, "admin", 1, None),
    "set_agent_active": lambda a, who: a.set_agent_active(who, 1, False),
    "create_group": lambda a, who: a.create_group(who, "Nuevo", 2),
    "update_group": lambda a, who: a.update_group(who, 2, "Nuevo", 2),
    "set_group_active": lambda a, who: a.set_group_active(who, 2, False),
    "add_closure": lambda a, who: a.add_closure(who, date(2026, 11, 19), "Día cívico"),
    "remove_closure": lambda a, who: a.remove_closure(who, date(2026, 11, 19)),
    "set_setting": lambda a, who: a.set_setting(who, "risk_threshold", "0.5"),
    "issue_enrolment_code": lambda a, who: a.issue_enrolment_code(who, "lmarrugo"),
}


@pytest.mark.parametrize("login", ["supervisor", "jperez"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_only_administrators_may_change_anything(db, desk, admin, login, name):
    before = everything(db)
    with pytest.raises(PermissionDenied) as err:
        MUTATIONS[name](admin, actor_of(desk, login))
    assert "administrador" in err.value.message
    assert everything(db) == before


@pytest.mark.parametrize("login", ["supervisor", "jperez"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_forged_admin_role_changes_nothing(db, desk, admin, login, name):
    """An ActorInfo built by the caller with role="admin": the role stored for the agent decides."""
    forged = replace(actor_of(desk, login), role="admin")
    before = everything(db)
    with pytest.raises(PermissionDenied) as err:
        MUTATIONS[name](admin, forged)
    assert "administrador" in err.value.message
    assert everything(db) == before


def test_a_stale_admin_session_is_refused_inside_the_transaction(db, admin, boss):
    # The role changed in the database after the actor was read (e.g. by another admin).
    db.write(lambda s: s.get(Agent, boss.id).sqlmodel_update({"role": "agent"}))
    before = everything(db)
    with pytest.raises(PermissionDenied):
        admin.save_policy(boss, None, "media", 60, 600, "office")
    assert everything(db) == before
