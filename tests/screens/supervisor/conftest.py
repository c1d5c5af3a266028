"""Fixtures for the supervisor screens: pinned SLA targets, the open work of the
board and a year of indicators."""

from __future__ import annotations

import pytest

from tests.screens.supervisor.support import TARGETS, bogota
from tests.support import actor_of, pin_sla_targets, system_of


@pytest.fixture
def pinned_targets(db):
    pin_sla_targets(db, TARGETS)


@pytest.fixture
def board_tickets(desk, now, log, pinned_targets):
    """Open work at Wednesday 18 Nov 2026 09:00 (media: 1 h first response, 8 h solution),
    one or two tickets per group of the board, by code:

    1 F  Tue 11:00, assigned to jperez 11:05, not answered   due Tue 12:00   vencido
    2 C  Tue 10:00, taken by jperez 10:10: 9 of 8 h            due Tue 18:00   vencido
    3 D  Tue 15:00 baja, taken by lmarrugo, on hold           paused          en pausa
    4 B  Wed 08:10, 50 of 60 min                              due 09:10       en riesgo
    5 A  Wed 08:30, 30 of 60 min                              due 09:30       en tiempo
    6 E  Wed 08:45 alta, SER-016, 15 of 60 min                due 09:45       en tiempo
    """
    sup, jperez, lmarrugo = actor_of(desk, "supervisor"), actor_of(desk, "jperez"), actor_of(desk, "lmarrugo")
    start = now()
    t = {}
    now.set(bogota(2026, 11, 17, 10))
    t["C"] = log(by="supervisor", subject="Equipo muy lento al iniciar")
    now.set(bogota(2026, 11, 17, 10, 10))
    desk.take(jperez, t["C"].id)
    now.set(bogota(2026, 11, 17, 11))
    t["F"] = log(
        by="supervisor", subject="No abre Outlook", service_code="SER-009", requester_name="Luis Torres Ortega"
    )
    now.set(bogota(2026, 11, 17, 11, 5))
    desk.assign(sup, t["F"].id, agent_login="jperez")
    now.set(bogota(2026, 11, 17, 15))
    t["D"] = log(by="supervisor", subject="Impresora atasca hojas", service_code="SER-026", impact=3, urgency=3)
    now.set(bogota(2026, 11, 17, 15, 10))
    desk.take(lmarrugo, t["D"].id)
    desk.wait(lmarrugo, t["D"].id, "Esperando repuesto del proveedor")
    now.set(bogota(2026, 11, 18, 8, 10))
    t["B"] = log(
        by="supervisor", subject="Crear usuario para contratista nuevo", service_code="SER-003", type="requerimiento"
    )
    now.set(bogota(2026, 11, 18, 8, 30))
    t["A"] = log(by="supervisor", subject="Sin conexión a internet en la sede", service_code="SER-016")
    now.set(bogota(2026, 11, 18, 8, 45))
    t["E"] = log(by="supervisor", subject="Caída del canal de la sede", service_code="SER-016", impact=2, urgency=1)
    now.set(start)
    return {k: desk.get(system_of(desk), v.id) for k, v in t.items()}


@pytest.fixture
def kpi_tickets(desk, now, log, pinned_targets):
    """2026 (media priority: first response 1 business hour, solution 8):
    Jan  A software: Wed 14 09:00, taken 09:10, solved 10:00 remotely, closed 11:00, survey 5
         B hardware: Wed 14 09:00, taken 09:20, solved 11:00 on site
    Feb  C software: Wed 18 09:00, still open
    2025, Oct  D hardware: Wed 15 09:00, taken 09:05, solved 10:00 remotely
    """
    sup, jperez = actor_of(desk, "supervisor"), actor_of(desk, "jperez")
    start = now()

    def logged(when, nature, **kw):
        now.set(when)
        t = log(by="supervisor", **kw)
        return desk.classify(sup, t.id, impact=2, urgency=2, nature=nature).id

    def at(when):
        now.set(when)

    a = logged(bogota(2026, 1, 14, 9), "software")
    b = logged(bogota(2026, 1, 14, 9), "hardware", service_code="SER-008", subject="Impresora atasca hojas")
    at(bogota(2026, 1, 14, 9, 10))
    desk.take(jperez, a)
    at(bogota(2026, 1, 14, 9, 20))
    desk.take(jperez, b)
    at(bogota(2026, 1, 14, 10))
    desk.resolve(jperez, a, "Se reinstaló el cliente de correo.", "remoto")
    at(bogota(2026, 1, 14, 11))
    desk.resolve(jperez, b, "Se cambió el rodillo.", "en_sitio")
    desk.close(sup, a, "El usuario confirmó")
    desk.survey(sup, a, 5)
    logged(bogota(2026, 2, 18, 9), "software")
    d = logged(bogota(2025, 10, 15, 9), "hardware", service_code="SER-008")
    at(bogota(2025, 10, 15, 9, 5))
    desk.take(jperez, d)
    at(bogota(2025, 10, 15, 10))
    desk.resolve(jperez, d, "Se cambió la fuente.", "remoto")
    now.set(start)
