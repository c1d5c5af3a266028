"""`mesa ticket ...` for scripts: plain text, --json, and exit code 2 with a
Spanish message on refused input. Runs `mesa_tui.cli.main` in-process."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import func, select

from mesa_tui.store.models import Ticket, TicketEvent
from tests.support import actor_of, system_of

LOG = [
    "ticket", "log",
    "--requester", "Ana Díaz Julio",
    "--dependency", "Secretaría de Hacienda",
    "--contact", "adiaz@cartagena.gov.co",
    "--channel", "correo",
    "--service", "SER-004",
    "--type", "incidente",
    "--subject", "No abre Outlook",
    "--description", "Se cierra al abrir.",
]  # fmt: skip


def counts(db) -> tuple[int, int]:
    with db.read() as s:
        return (
            s.exec(select(func.count()).select_from(Ticket)).one(),
            s.exec(select(func.count()).select_from(TicketEvent).where(TicketEvent.ticket_id.is_not(None))).one(),
        )


def as_json(out: str) -> dict:
    return json.loads(out)


def test_log_prints_json(mesa):
    code, out, err = mesa(*LOG, "--json")
    assert (code, err) == (0, "")
    t = as_json(out)
    assert re.fullmatch(r"MDA-\d{4}-000001", t["code"])
    assert (t["status"], t["service_code"], t["type"], t["priority"], t["version"]) == (
        "nuevo", "SER-004", "incidente", "media", 1,
    )  # fmt: skip
    assert t["requester_name"] == "Ana Díaz Julio" and t["created_by_name"] == "Jorge Pérez Julio"
    assert t["ttr"]["stopped_at"] is None and t["ttr"]["target"] > 0


def test_log_prints_plain_text(mesa):
    code, out, _ = mesa(*LOG, "--impact", "3", "--urgency", "3")
    assert code == 0
    lines = out.splitlines()
    assert re.match(r"MDA-\d{4}-000001  \[nuevo\]  No abre Outlook$", lines[0])
    assert "Ana Díaz Julio · Secretaría de Hacienda · adiaz@cartagena.gov.co" in out
    assert "Prioridad: baja" in out
    assert any(line.strip().startswith("Respuesta:") for line in lines)
    assert any(line.strip().startswith("Solución:") for line in lines)


def test_a_pqrs_shows_its_legal_deadline(mesa):
    code, out, _ = mesa(*[a if a != "incidente" else "peticion" for a in LOG], "--legal-days", "10")
    assert code == 0 and "Plazo legal PQRS:" in out


def test_show_by_code_or_id_with_the_timeline(mesa):
    _code, out, _ = mesa(*LOG, "--json")
    t = as_json(out)
    _, by_id, _ = mesa("ticket", "show", str(t["id"]), "--json")
    _, by_code, _ = mesa("ticket", "show", t["code"].lower(), "--json")
    assert as_json(by_id) == as_json(by_code) == t
    mesa("ticket", "comment", t["code"], "--body", "Se llamó al usuario")
    code, out, _ = mesa("ticket", "show", t["code"])
    assert code == 0
    assert "registrar Canal: Correo electrónico" in out
    assert "nota interna (no sale de la mesa):\n      Se llamó al usuario" in out


def test_the_whole_lifecycle_from_the_command_line(mesa, db):
    t = as_json(mesa(*LOG, "--json")[1])
    ref = t["code"]

    def step(*args, as_login="jperez"):
        code, out, err = mesa("ticket", *args, "--json", as_login=as_login)
        assert (code, err) == (0, ""), err
        return as_json(out)

    taken = step("take", ref)
    assert (taken["status"], taken["agent_name"], taken["version"]) == ("en_proceso", "Jorge Pérez Julio", 2)
    assert taken["first_response_at"] is not None
    c = step("classify", ref, "--impact", "1", "--urgency", "2", "--nature", "software")
    assert (c["priority"], c["nature"]) == ("alta", "software")
    assert step("wait", ref, "--reason", "Esperando al usuario")["status"] == "en_espera"
    assert step("resume", ref, "--note", "Respondió")["status"] == "en_proceso"
    e = step("escalate", ref, "--reason", "Requiere nivel 2")
    assert (e["level"], e["group_name"], e["status"]) == (2, "Infraestructura y redes", "asignado")
    a = step("assign", ref, "--agent", "rcaraballo", as_login="supervisor")
    assert a["group_name"] == "Software y aplicaciones"
    r = step("resolve", ref, "--solution", "Se reinstaló Office", "--mode", "en_sitio", as_login="rcaraballo")
    assert (r["status"], r["solution_mode"]) == ("resuelto", "en_sitio")
    assert step("reopen", ref, "--reason", "Sigue fallando", as_login="rcaraballo")["status"] == "en_proceso"
    step("resolve", ref, "--solution", "Se cambió el perfil", "--mode", "remoto", as_login="rcaraballo")
    assert step("close", ref, "--note", "Confirmado", as_login="rcaraballo")["status"] == "cerrado"
    survey = step("survey", ref, "--score", "2", "--comment", "Demoró mucho", as_login="rcaraballo")  # the holder
    assert survey["status"] == "cerrado"
    assert step("comment", ref, "--body", "Cerrado con encuesta", "--public")["status"] == "cerrado"
    assert counts(db) == (1, 13)

    other = as_json(mesa(*LOG, "--json")[1])
    assert step("cancel", other["code"], "--reason", "Duplicado", as_login="supervisor")["status"] == "anulado"
    grp = step("assign", as_json(mesa(*LOG, "--json")[1])["code"], "--group", "4", as_login="supervisor")
    assert (grp["group_id"], grp["agent_id"]) == (4, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--impact", "7"], "El impacto debe ser 1, 2 o 3"),
        (["--service", "SER-999"], "El servicio «SER-999» no existe en el catálogo."),
        (["--contact", "sin-contacto"], "Escriba un correo válido, un teléfono de 7 a 12 dígitos o una extensión"),
        (["--subject", "  "], "El asunto es obligatorio."),
        (["--channel", "fax"], "El canal «fax» no es válido"),
    ],
)
def test_bad_input_exits_2_with_a_spanish_message_and_writes_nothing(mesa, db, args, message):
    before = counts(db)
    code, out, err = mesa(*LOG, *args, "--json")
    assert code == 2 and out == ""
    assert message in json.loads(err)["error"]  # asked for JSON: the error is JSON too
    code, out, err = mesa(*LOG, *args)
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and message in err
    assert counts(db) == before


@pytest.mark.parametrize(
    ("args", "as_login", "message"),
    [
        (["close", "{ref}"], "jperez", "No se puede cerrar un caso en estado «Nuevo»."),
        (["cancel", "{ref}", "--reason", "x"], "jperez", "Solo un supervisor puede anular casos."),
        (["resolve", "{ref}", "--solution", " ", "--mode", "remoto"], "jperez", "La solución es obligatoria."),
        (["survey", "{ref}", "--score", "9"], "jperez", "La calificación va de 1 a 5"),
        (["show", "MDA-2026-999999"], "jperez", "No existe el caso MDA-2026-999999."),
        (["take", "{ref}"], "fantasma", "«fantasma» no está registrado"),
    ],
)
def test_refused_actions_exit_2_and_change_nothing(mesa, db, args, as_login, message):
    ref = as_json(mesa(*LOG, "--json")[1])["code"]
    before = counts(db)
    code, out, err = mesa("ticket", *[a.format(ref=ref) for a in args], as_login=as_login)
    assert (code, out) == (2, "")
    assert err.startswith("Error: ") and message in err, err
    assert counts(db) == before


def test_only_an_admin_may_use_as(mesa, db):
    code, _, err = mesa(*LOG, as_login="supervisor", os_login="jperez")
    assert code == 2 and "Solo un administrador puede actuar como otro usuario (--as)." in err
    code, _, err = mesa(*LOG, as_login=None, os_login="intruso")
    assert code == 2 and "«intruso» no está registrado como agente" in err
    code, out, _ = mesa(*LOG, "--json", as_login=None, os_login="lmarrugo")
    assert code == 0 and as_json(out)["created_by_name"] == "Liliana Marrugo Díaz"
    assert counts(db)[0] == 1


def test_maintenance_closes_what_has_been_resolved_three_business_days(mesa, db):
    from datetime import timedelta

    from mesa_tui.services.clock import utcnow
    from mesa_tui.services.desk import Desk, NewTicket

    long_ago = utcnow() - timedelta(days=14)
    desk = Desk(db, now=lambda: long_ago)
    agent = actor_of(desk, "jperez")
    new = NewTicket("Ana Díaz", "Archivo General", "3001234567", "telefono", "SER-008", "incidente", "Impresora")
    old = desk.resolve(agent, desk.log(agent, new).id, "Se cambió el tóner.", "en_sitio")
    fresh = Desk(db)
    recent = fresh.resolve(agent, fresh.log(agent, new).id, "Se cambió el tóner.", "en_sitio")

    code, out, _ = mesa("maintenance", as_login=None)
    assert code == 0 and out.strip() == f"Cierre automático: 1 casos cerrados ({old.code})"
    assert (
        fresh.get(system_of(fresh), old.id).status == "cerrado"
        and fresh.get(system_of(fresh), recent.id).status == "resuelto"
    )
    code, out, _ = mesa("maintenance", as_login=None)
    assert out.strip() == "Cierre automático: 0 casos cerrados"


def test_list_open_tickets(mesa):
    first = as_json(mesa(*LOG, "--json")[1])
    second = as_json(mesa(*LOG, "--subject", "Sin internet en la sede", "--json")[1])
    mesa("ticket", "take", first["code"])
    code, out, _ = mesa("ticket", "list", "--view", "open", "--json")
    assert code == 0
    assert {r["code"] for r in as_json(out)} == {first["code"], second["code"]}
    code, out, _ = mesa("ticket", "list", "--view", "mine", "--json")
    assert [r["code"] for r in as_json(out)] == [first["code"]]
    code, out, _ = mesa("ticket", "list", "--view", "open", "--text", "internet", "--limit", "5")
    assert code == 0
    (line,) = out.splitlines()
    assert line.startswith(second["code"]) and "nuevo" in line and "Sin internet en la sede" in line


def test_a_contact_with_a_phone_extension_is_logged(mesa):
    args = [a if a != "adiaz@cartagena.gov.co" else "6056411370 ext 1234" for a in LOG]
    code, out, err = mesa(*args, "--json")
    assert (code, err) == (0, "")
    assert as_json(out)["requester_contact"] == "6056411370 ext. 1234"
    code, _out, err = mesa(*[a if a != "adiaz@cartagena.gov.co" else "ext 12a" for a in LOG])
    assert code == 2 and "ext. 1234" in err


def test_show_prints_every_solution_given_with_who_gave_it(mesa):
    ref = as_json(mesa(*LOG, "--json")[1])["code"]
    mesa("ticket", "take", ref)
    mesa("ticket", "resolve", ref, "--solution", "Se reinstaló Office\npaso 2: reiniciar", "--mode", "en_sitio")
    mesa("ticket", "reopen", ref, "--reason", "Sigue fallando")
    mesa("ticket", "resolve", ref, "--solution", "Se cambió el perfil", "--mode", "remoto")
    code, out, _ = mesa("ticket", "show", ref)
    assert code == 0
    by = "Rafael Puello Navarro (como Jorge Pérez Julio)"  # the administrator acting with --as
    first = out.index(f"{by}: resolver\n    Solución (en_sitio):\n      Se reinstaló Office\n      paso 2: reiniciar")
    reopened = out.index(f"{by}: reabrir Sigue fallando")
    second = out.index(f"{by}: resolver\n    Solución (remoto):\n      Se cambió el perfil")
    assert second < reopened < first  # newest first
