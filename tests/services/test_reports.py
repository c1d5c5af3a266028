"""Supervisor reads and report exports against a real database (or PostgreSQL).

Tickets are worked through the real Desk use cases with the clock moved by
hand; every expected figure is counted by hand in the comments next to it.
"""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlmodel import select

from mesa_tui.domain.board import BoardGroup
from mesa_tui.domain.indicators import MONTH_NAMES, NO_CASES, IndicatorValue
from mesa_tui.domain.queue import PRIORITY_RANK, PageDirection, PageRequest
from mesa_tui.domain.sla import ClockState
from mesa_tui.services.desk import NewTicket
from mesa_tui.services.errors import PermissionDenied, ValidationError
from mesa_tui.store.models import Setting, Ticket, TicketEvent
from tests.support import actor_of, pin_sla_targets

BOGOTA = ZoneInfo("America/Bogota")
UTC = UTC
H = timedelta(hours=1)

# Pinned SLA targets in minutes (tto, ttr), office calendar.
TARGETS = {"crítica": (30, 240), "alta": (60, 480), "media": (60, 480), "baja": (240, 2400)}


def bogota(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BOGOTA).astimezone(UTC)


@pytest.fixture
def targets(db):
    pin_sla_targets(db, TARGETS)


class Work:
    """Drives tickets through the use cases at given Bogotá times."""

    def __init__(self, desk, now):
        self.desk, self.now = desk, now
        self.sup = actor_of(desk, "supervisor")

    def at(self, when: datetime) -> None:
        self.now.set(when)

    def log(self, when, nature=None, service="SER-004", impact=2, urgency=2, subject="No abre Outlook"):
        self.at(when)
        t = self.desk.log(
            self.sup,
            NewTicket(
                requester_name="María Gómez Torres",
                requester_dependency="Secretaría de Hacienda",
                requester_contact="mgomez@cartagena.gov.co",
                channel="correo",
                service_code=service,
                type="incidente",
                subject=subject,
                impact=impact,
                urgency=urgency,
            ),
        )
        if nature:
            t = self.desk.classify(self.sup, t.id, impact=impact, urgency=urgency, nature=nature)
        return t.id

    def take(self, ticket_id, when, login="jperez"):
        self.at(when)
        self.desk.take(actor_of(self.desk, login), ticket_id)

    def resolve(self, ticket_id, when, mode, login="jperez"):
        self.at(when)
        self.desk.resolve(actor_of(self.desk, login), ticket_id, "Se atendió la solicitud.", mode)

    def close(self, ticket_id, when, score=None, comment=""):
        self.at(when)
        self.desk.close(self.sup, ticket_id, "El usuario confirmó")
        if score is not None:
            self.desk.survey(self.sup, ticket_id, score, comment)

    def done(self, ticket_id, taken, resolved, mode, closed=None, score=None, comment=""):
        self.take(ticket_id, taken)
        self.resolve(ticket_id, resolved, mode)
        if closed:
            self.close(ticket_id, closed, score, comment)


@pytest.fixture
def work(desk, now, targets):
    return Work(desk, now)


# --- the hand-built year ---------------------------------------------------------------


@pytest.fixture
def year_2026(work):
    """Tickets of 2026 (media priority: first response 1 business hour, solution 8).

    Jan  A software: 09:00 logged, 09:10 taken, 10:00 solved remotely, closed, survey 5
         B hardware: 09:00, 09:20, 11:00 on site, closed, survey 4
         C red:      Fri 30 16:00, 16:30, solved Sat 31 21:00 Bogotá (1 Feb UTC), remote,
                     closed 21:30, survey 2 (still January in Bogotá)
         D software: Thu 15 09:00, first response Fri 16 09:00 (9 business h: TTO missed),
                     solved 18 March, remote (TTR missed)
    Feb  E software: 18 Feb 09:00, 09:05, solved 15:00 on site (6 h: met), closed, survey 3
         F hardware: logged and cancelled: counts nowhere
         H accesos:  18 Feb 11:00, 11:05, solved 12:00 remote, reopened 14:00,
                     solved again 18 March on site (TTR missed): counts in March only
         K otro:     Sat 28 Feb 23:30 Bogotá (1 March UTC): received in February, still open
    Mar  G hardware: 18 Mar 09:00, 09:10, solved 09:40 on site
    Jul  J hardware: 15 Jul 09:00, 09:10, solved 10:00 on site, closed, survey 5
    Dec  Y hardware: 31 Dec 23:30 Bogotá (2027 in UTC): received in December, open
    and Z, logged 31 Dec 2025 23:00 Bogotá (1 Jan 2026 UTC): December 2025, not January.
    """
    w = work
    a = w.log(bogota(2026, 1, 14, 9), "software")
    w.take(a, bogota(2026, 1, 14, 9, 10))
    w.resolve(a, bogota(2026, 1, 14, 10), "remoto")
    w.close(a, bogota(2026, 1, 14, 11), 5)
    b = w.log(bogota(2026, 1, 14, 9), "hardware", service="SER-008", subject="Impresora atasca hojas")
    w.done(b, bogota(2026, 1, 14, 9, 20), bogota(2026, 1, 14, 11), "en_sitio", bogota(2026, 1, 14, 11, 30), 4)
    c = w.log(bogota(2026, 1, 30, 16), "red", service="SER-001", subject="Sin conexión")
    w.done(
        c,
        bogota(2026, 1, 30, 16, 30),
        bogota(2026, 1, 31, 21),
        "remoto",
        bogota(2026, 1, 31, 21, 30),
        2,
        "Tardaron en responder",
    )
    d = w.log(bogota(2026, 1, 15, 9), "software")
    w.take(d, bogota(2026, 1, 16, 9))
    w.resolve(d, bogota(2026, 3, 18, 10), "remoto")

    e = w.log(bogota(2026, 2, 18, 9), "software")
    w.done(e, bogota(2026, 2, 18, 9, 5), bogota(2026, 2, 18, 15), "en_sitio", bogota(2026, 2, 18, 16), 3)
    f = w.log(bogota(2026, 2, 18, 10), "hardware")
    w.at(bogota(2026, 2, 18, 10, 30))
    w.desk.cancel(w.sup, f, "Caso duplicado")
    h = w.log(bogota(2026, 2, 18, 11), "accesos")
    w.take(h, bogota(2026, 2, 18, 11, 5))
    w.resolve(h, bogota(2026, 2, 18, 12), "remoto")
    w.at(bogota(2026, 2, 18, 14))
    w.desk.reopen(actor_of(w.desk, "jperez"), h, "El usuario sigue sin acceso")
    w.resolve(h, bogota(2026, 3, 18, 11), "en_sitio")
    w.log(bogota(2026, 2, 28, 23, 30), None)  # K

    g = w.log(bogota(2026, 3, 18, 9), "hardware", service="SER-008")
    w.done(g, bogota(2026, 3, 18, 9, 10), bogota(2026, 3, 18, 9, 40), "en_sitio")

    j = w.log(bogota(2026, 7, 15, 9), "hardware", service="SER-008")
    w.done(j, bogota(2026, 7, 15, 9, 10), bogota(2026, 7, 15, 10), "en_sitio", bogota(2026, 7, 15, 11), 5)

    w.log(bogota(2026, 12, 31, 23, 30), "hardware")  # Y
    w.log(bogota(2025, 12, 31, 23), None)  # Z
    w.at(bogota(2027, 1, 10, 9))
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "H": h, "G": g, "J": j}


def labels(row):
    return [v.label() for v in row.months]


S = NO_CASES


def test_indicators_of_the_hand_built_year(reports, sup, year_2026):
    t = reports.indicators(sup, 2026)

    # Received: Jan A B C D = 4 (software A D, hardware B); Feb E H K = 3 (F cancelled);
    # Mar G = 1; Jul J = 1; Dec Y = 1. Resolved: Jan A B C = 3; Feb E = 1 (H reopened);
    # Mar D G H = 3; Jul J = 1.
    ef = t.row("eficiencia")
    assert [(v.numerator, v.denominator) for v in ef.months] == [
        (3, 4),
        (1, 3),
        (3, 1),
        (0, 0),
        (0, 0),
        (0, 0),
        (1, 1),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 1),
    ]
    assert labels(ef) == ["75,0%", "33,3%", "300,0%", S, S, S, "100,0%", S, S, S, S, "0,0%"]
    # Promedio, the seed's way: twelve months, those without cases as 0 %, rounded half up:
    # (75 + 100/3 + 300 + 100 + 0) / 12 = 42,4 -> 42. The pooled year: 8 of 10.
    assert ef.average == 42 and ef.year_to_date == IndicatorValue(8, 10)
    assert ef.met is False  # 42 % < 95 %
    assert ef.target == 95

    # Software solved in the month / software received in the month: Jan A of A D;
    # Feb E of E; Mar D solved with no software received: "sin casos".
    sw = t.row("software")
    assert [(v.numerator, v.denominator) for v in sw.months[:3]] == [(1, 2), (1, 1), (1, 0)]
    assert labels(sw) == ["50,0%", "100,0%", S, S, S, S, S, S, S, S, S, S]
    assert sw.average == 13 and sw.met is False  # (50 + 100) / 12 = 12,5 -> 13

    # Hardware: Jan B/B; Feb none (F cancelled): "sin casos"; Mar G/G; Jul J/J; Dec 0 of Y.
    hw = t.row("hardware")
    assert labels(hw) == ["100,0%", S, "100,0%", S, S, S, "100,0%", S, S, S, S, "0,0%"]
    assert hw.months[1].denominator == 0
    assert hw.average == 25 and hw.met is False  # 300 / 12; meta 60

    # Remote among solved: Jan A C of A B C; Feb 0 of E; Mar D of D G H; Jul 0 of J.
    rm = t.row("remoto")
    assert [(v.numerator, v.denominator) for v in rm.months[:7]] == [
        (2, 3),
        (0, 1),
        (1, 3),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 1),
    ]
    assert rm.average == 8  # (200/3 + 0 + 100/3 + 0) / 12 = 8,3
    assert rm.met is False

    # Surveys: Jan A 5, B 4, C 2 (21:30 on 31 Jan in Bogotá) -> 2 of 3; Feb E 3 -> 0 of 1;
    # Jul J 5 -> 1 of 1. Semesters 2/4 and 1/1; promedio of the semesters (50 + 100) / 2.
    sat = t.row("satisfaccion")
    assert labels(sat) == ["66,7%", "0,0%", S, S, S, S, "100,0%", S, S, S, S, S]
    assert [v.label() for v in sat.semesters] == ["50,0%", "100,0%"]
    assert sat.average == 75 and sat.met is False

    # ANS de solución among solved: Jan 3/3; Feb E 1/1; Mar G of D G H; Jul 1/1.
    ttr = t.row("ans_resolucion")
    assert labels(ttr) == ["100,0%", "100,0%", "33,3%", S, S, S, "100,0%", S, S, S, S, S]
    assert ttr.average == 28  # (100 + 100 + 100/3 + 100) / 12 = 27,8
    assert ttr.met is False

    # ANS de respuesta among first responses: Jan A B C met, D not (16 Jan) = 3/4;
    # Feb E H = 2/2; Mar G = 1/1; Jul J = 1/1.
    tto = t.row("ans_respuesta")
    assert labels(tto) == ["75,0%", "100,0%", "100,0%", S, S, S, "100,0%", S, S, S, S, S]
    assert tto.average == 31 and tto.met is False  # 375 / 12 = 31,25
    assert tto.year_to_date == IndicatorValue(7, 8)


def test_the_previous_year_gets_the_late_new_year_eve_ticket(reports, sup, year_2026):
    t = reports.indicators(sup, 2025)
    ef = t.row("eficiencia")
    assert [(v.numerator, v.denominator) for v in ef.months] == [(0, 0)] * 11 + [(0, 1)]
    assert reports.indicators(sup, 2027).row("eficiencia").average is None


def test_targets_are_settings_an_admin_changes(reports, sup, desk, db, year_2026):
    admin = actor_of(desk, "admin")
    assert reports.set_target(admin, "hardware", "80") == 80
    assert reports.set_target(admin, "software", "72,5") == Fraction(145, 2)
    assert reports.set_target(admin, "remoto", "42,5 %") == Fraction(85, 2)
    t = reports.indicators(sup, 2026)
    assert t.row("hardware").target == 80 and t.row("hardware").met is False  # 25 % < 80 %
    assert t.row("software").target == Fraction(145, 2) and t.row("software").met is False  # 13 %
    assert dict((d.key, v) for d, v in reports.targets(sup))["hardware"] == 80
    with db.read() as s:
        assert s.get(Setting, "meta.hardware").value == "80"
        assert s.get(Setting, "meta.software").value == "72.5"
        ev = s.exec(select(TicketEvent).where(TicketEvent.entity_key == "meta.hardware")).one().model_dump()
    assert (ev["entity"], ev["action"], ev["actor_id"]) == ("setting", "modificar", admin.id)
    assert '"value": ["60", "80"]' in ev["changes"]


def test_only_an_admin_changes_targets_and_bad_values_change_nothing(reports, sup, desk, db):
    admin = actor_of(desk, "admin")
    with pytest.raises(PermissionDenied):
        reports.set_target(sup, "hardware", "80")
    with pytest.raises(ValidationError) as exc:
        reports.set_target(admin, "hardware", "ochenta")
    assert exc.value.field == "target"
    with pytest.raises(ValidationError):
        reports.set_target(admin, "hardware", "150")
    with pytest.raises(ValidationError) as exc:
        reports.set_target(admin, "disponibilidad", "80")
    assert exc.value.field == "indicator"
    with db.read() as s:
        assert s.get(Setting, "meta.hardware").value == "60"
        assert not s.exec(select(TicketEvent).where(TicketEvent.entity == "setting")).all()


def test_agents_may_not_see_supervisor_reads(reports, desk, out):
    agent = actor_of(desk, "jperez")
    calls = [
        lambda: reports.overview(agent),
        lambda: reports.sla_board_counts(agent),
        lambda: reports.sla_board_page(agent),
        lambda: reports.indicators(agent, 2026),
        lambda: reports.targets(agent),
        lambda: reports.export_indicators(agent, 2026, out / "i.csv", "csv"),
        lambda: reports.export_tickets(agent, date(2026, 1, 1), date(2026, 1, 31), out / "t.csv", "csv"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert list(out.iterdir()) == []
    assert reports.indicators(actor_of(desk, "admin"), 2026).year == 2026


def test_year_and_format_are_checked(reports, sup, out):
    with pytest.raises(ValidationError) as exc:
        reports.indicators(sup, 1999)
    assert exc.value.field == "year"
    with pytest.raises(ValidationError) as exc:
        reports.export_indicators(sup, 2026, out / "i.pdf", "pdf")
    assert exc.value.field == "format"
    with pytest.raises(ValidationError) as exc:
        reports.export_tickets(sup, date(2026, 2, 1), date(2026, 1, 1), out / "t.csv", "csv")
    assert exc.value.field == "date_from"
    with pytest.raises(ValidationError) as exc:
        reports.export_indicators(sup, 2026, out / "no-such-dir" / "i.csv", "csv")
    assert exc.value.field == "out"
    assert list(out.iterdir()) == []


# --- exports -----------------------------------------------------------------------------


def sheet_rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_indicator_workbook_holds_the_table(reports, sup, year_2026, out):
    path = reports.export_indicators(sup, 2026, out / "indicadores-2026.xlsx", "xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Solicitudes", "Soporte", "Satisfacción", "ANS"]

    ws = wb["Solicitudes"]
    rows = sheet_rows(ws)
    assert rows[0] == [
        "Indicador",
        "Fórmula / componente",
        "Meta",
        "Frecuencia",
        *MONTH_NAMES,  # Ene ... Dic; 2026 is over (now is January 2027): no month "en curso"
        "Promedio",
        "Cumple",
        "Acumulado del año",
    ]
    name, formula, meta, freq, *months, avg, met, ytd = rows[1]
    assert name == "Eficiencia de solicitudes"
    assert formula == "Cantidad solicitudes resueltas / Cantidad solicitudes recibidas × 100"
    assert meta == pytest.approx(0.95) and freq == "Mensual"
    assert months[:3] == [pytest.approx(0.75), pytest.approx(1 / 3), pytest.approx(3.0)]
    assert months[3] == NO_CASES and months[11] == 0
    assert avg == pytest.approx(0.42) and met == "No" and ytd == pytest.approx(0.8)
    assert ws.cell(2, 5).number_format == "0.0%" and ws.cell(2, 3).number_format == "0%"
    assert ws.cell(2, 17).number_format == "0%" and ws.cell(2, 19).number_format == "0.0%"
    # Numerator and denominator rows: the counts, as integers.
    assert rows[2][:2] == ["Eficiencia de solicitudes", "Numerador: Solicitudes resueltas en el mes"]
    assert rows[2][4:16] == [3, 1, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert rows[3][1] == "Denominador: Solicitudes recibidas en el mes"
    assert rows[3][4:16] == [4, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    assert (rows[2][18], rows[3][18]) == (8, 10)  # the year pooled
    assert len(rows) == 4

    soporte = sheet_rows(wb["Soporte"])
    names = [r[0] for r in soporte[1:]]
    assert names == ["Soporte software"] * 3 + ["Soporte hardware"] * 3 + ["Soporte remoto"] * 3
    hw = soporte[4]
    assert hw[2] == pytest.approx(0.60)
    assert hw[4:16] == [1, NO_CASES, 1, NO_CASES, NO_CASES, NO_CASES, 1, NO_CASES, NO_CASES, NO_CASES, NO_CASES, 0]
    assert hw[16:] == [pytest.approx(0.25), "No", pytest.approx(0.75)]
    assert soporte[6][4:16] == [1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1]  # hardware received
    sw = soporte[1]
    assert sw[6] == NO_CASES and soporte[2][6] == 1 and soporte[3][6] == 0  # March: 1 solved, 0 received

    sat = sheet_rows(wb["Satisfacción"])
    assert sat[0][-5:] == ["Semestre 1", "Semestre 2", "Promedio", "Cumple", "Acumulado del año"]
    assert sat[1][4] == pytest.approx(2 / 3) and sat[1][5] == 0
    assert sat[1][16:] == [pytest.approx(0.5), pytest.approx(1.0), pytest.approx(0.75), "No", pytest.approx(0.6)]
    assert sat[2][16:18] == [2, 1]  # surveys scored 4 or 5, per semester: A B; J
    assert sat[3][16:18] == [4, 1]

    ans = sheet_rows(wb["ANS"])
    assert [r[0] for r in ans[1:]] == ["Cumplimiento ANS de solución"] * 3 + ["Cumplimiento ANS de respuesta"] * 3
    assert ans[1][6] == pytest.approx(1 / 3) and ans[1][-2:] == ["No", pytest.approx(0.75)]
    assert ans[4][4] == pytest.approx(0.75) and ans[4][-2] == "No"
    assert ans[6][4:7] == [4, 2, 1]


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def test_indicator_csv_holds_the_table(reports, sup, year_2026, out):
    path = reports.export_indicators(sup, 2026, out / "indicadores.csv", "csv")
    rows = read_csv(path)
    header = rows[0]
    assert header[:7] == ["Año", "Familia", "Indicador", "Componente", "Descripción", "Meta (%)", "Frecuencia"]
    assert header[7:] == [*MONTH_NAMES, "Semestre 1", "Semestre 2", "Promedio", "Cumple", "Acumulado del año"]
    assert len(rows) == 1 + 7 * 3
    by = {(r[2], r[3]): r for r in rows[1:]}
    ef = by[("Eficiencia de solicitudes", "Indicador (%)")]
    assert ef[:7] == [
        "2026",
        "Solicitudes",
        "Eficiencia de solicitudes",
        "Indicador (%)",
        "Cantidad solicitudes resueltas / Cantidad solicitudes recibidas × 100",
        "95",
        "Mensual",
    ]
    assert ef[7:19] == ["75,0", "33,3", "300,0", S, S, S, "100,0", S, S, S, S, "0,0"]
    assert ef[19:] == ["", "", "42", "No", "80,0"]
    hw = by[("Soporte hardware", "Denominador")]
    assert hw[4] == "Casos de hardware recibidos en el mes"
    assert hw[7:19] == ["1", "0", "1", "0", "0", "0", "1", "0", "0", "0", "0", "1"]
    sat = by[("Nivel de satisfacción", "Indicador (%)")]
    assert sat[6] == "Semestral" and sat[19:] == ["50,0", "100,0", "75", "No", "60,0"]
    assert by[("Nivel de satisfacción", "Numerador")][19:21] == ["2", "1"]


def test_ticket_export_lists_the_range_with_sla_outcome(reports, sup, year_2026, out):
    ids = year_2026
    n = reports.export_tickets(sup, date(2026, 1, 1), date(2026, 1, 31), out / "casos.xlsx", "xlsx")
    assert n == 4  # A B D C, in creation order; Z (31 Dec 2025 Bogotá) is not in January
    ws = openpyxl.load_workbook(out / "casos.xlsx")["Casos"]
    rows = sheet_rows(ws)
    header = rows[0]
    col = {h: i for i, h in enumerate(header)}
    assert len(rows) == 5
    data = {r[col["Código"]]: r for r in rows[1:]}
    codes = [r[col["Código"]] for r in rows[1:]]
    with reports.db.read() as s:
        code = {k: s.get(Ticket, v).code for k, v in ids.items()}
    assert codes == [code["A"], code["B"], code["D"], code["C"]]
    a, c, d = data[code["A"]], data[code["C"]], data[code["D"]]
    assert a[col["Registrado"]] == datetime(2026, 1, 14, 9, 0)  # Bogotá wall time
    assert ws.cell(2, col["Registrado"] + 1).number_format == "yyyy-mm-dd hh:mm"
    assert a[col["Naturaleza"]] == "Software" and a[col["Estado"]] == "Cerrado"
    assert a[col["Forma de solución"]] == "Remota"
    assert a[col["ANS de respuesta"]] == "Cumplido" and a[col["ANS de solución"]] == "Cumplido"
    assert a[col["Encuesta"]] == 5
    assert a[col["Servicio"]] == "SER-004" and a[col["Categoría"]] == "SOFTWARE Y APLICACIONES"
    assert c[col["Resuelto"]] == datetime(2026, 1, 31, 21, 0)
    assert c[col["Encuesta"]] == 2
    assert d[col["ANS de respuesta"]] == "Incumplido" and d[col["ANS de solución"]] == "Incumplido"
    assert d[col["Encuesta"]] is None and d[col["Estado"]] == "Resuelto"
    assert d[col["Agente"]] == "Jorge Pérez Julio"


def test_ticket_csv_shows_open_and_cancelled_outcomes(reports, sup, year_2026, out, now):
    now.set(bogota(2026, 3, 2, 9))  # K is open, logged Saturday night: no business time yet
    n = reports.export_tickets(sup, date(2026, 2, 1), date(2026, 2, 28), out / "casos.csv", "csv")
    rows = read_csv(out / "casos.csv")
    assert n == 4 and len(rows) == 5  # E F H K
    col = {h: i for i, h in enumerate(rows[0])}
    by_subject_status = {(r[col["Naturaleza"]], r[col["Estado"]]): r for r in rows[1:]}
    f = by_subject_status[("Hardware", "Anulado")]
    assert f[col["ANS de respuesta"]] == "No aplica (anulado)"
    k = by_subject_status[("", "Nuevo")]
    assert k[col["Registrado"]] == "2026-02-28 23:30"
    # Monday 2 March 09:00: one business hour of a one-hour first response: at the edge, not overdue.
    assert k[col["ANS de respuesta"]] == "En curso: en riesgo"
    assert k[col["Encuesta"]] == "" and k[col["Resuelto"]] == ""
    h = by_subject_status[("Accesos", "Resuelto")]
    assert h[col["Resuelto"]] == "2026-03-18 11:00" and h[col["ANS de solución"]] == "Incumplido"


def test_a_failed_export_leaves_no_file(reports, sup, year_2026, out, monkeypatch):
    from mesa_tui.services import reports as module

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_indicators_xlsx", boom)
    target = out / "i.xlsx"
    with pytest.raises(RuntimeError):
        reports.export_indicators(sup, 2026, target, "xlsx")
    assert list(out.iterdir()) == []


# --- queue overview and SLA board -------------------------------------------------------

NOW = bogota(2026, 11, 18, 9)  # Wednesday; Monday 16 November was a holiday


@pytest.fixture
def queue(work):
    """Open work at Wednesday 18 Nov 2026 09:00 (media: 1 h first response, 8 h solution).

    T1 nuevo    today 08:30                       30 of 60 min          en tiempo   age 0
    T2 nuevo    today 07:50 (office opens 08:00)  60 of 60 min          en riesgo   age 0
    T3 proceso  Tue 10:00, jperez 10:10           9 of 8 h              vencido     age 1
    T4 asignado Fri 13 09:00 to lmarrugo          TTO long gone         vencido     age 2
    T5 espera   Tue 10 09:00, escalated, hbarrios  paused                en pausa    age 5
    T6 proceso  1 Oct, jperez, SER-001            long gone             vencido     age > 20
    T7 resuelto today 08:10, acastro 08:45        resolved
    T8 proceso  Sun 15 10:00 (baja: 40 h), vsalas 11 of 40 h           en tiempo   age 2
    T9 anulado  today 08:20
    T10 proceso Tue 12:00, acastro 12:05          7 of 8 h              en riesgo   age 1
    """
    w = work
    t = {}
    t[1] = w.log(bogota(2026, 11, 18, 8, 30))
    t[2] = w.log(bogota(2026, 11, 18, 7, 50))
    t[3] = w.log(bogota(2026, 11, 17, 10), "software")
    w.take(t[3], bogota(2026, 11, 17, 10, 10))
    t[4] = w.log(bogota(2026, 11, 13, 9), "hardware", service="SER-008")
    w.at(bogota(2026, 11, 13, 9, 5))
    w.desk.assign(w.sup, t[4], agent_login="lmarrugo")
    t[5] = w.log(bogota(2026, 11, 10, 9), "red", service="SER-001")
    w.take(t[5], bogota(2026, 11, 10, 9, 10))
    w.at(bogota(2026, 11, 10, 9, 30))
    w.desk.escalate(actor_of(w.desk, "jperez"), t[5], "Requiere especialista de redes")
    w.take(t[5], bogota(2026, 11, 10, 10), login="hbarrios")
    w.at(bogota(2026, 11, 10, 11))
    w.desk.wait(actor_of(w.desk, "hbarrios"), t[5], "Esperando repuesto del proveedor")
    t[6] = w.log(bogota(2026, 10, 1, 9), "red", service="SER-001")
    w.take(t[6], bogota(2026, 10, 1, 9, 10))
    t[7] = w.log(bogota(2026, 11, 18, 8, 10))
    w.take(t[7], bogota(2026, 11, 18, 8, 15), login="acastro")
    w.resolve(t[7], bogota(2026, 11, 18, 8, 45), "remoto", login="acastro")
    t[8] = w.log(bogota(2026, 11, 15, 10), "software", impact=3, urgency=3)
    w.take(t[8], bogota(2026, 11, 17, 8, 30), login="vsalas")
    t[9] = w.log(bogota(2026, 11, 18, 8, 20))
    w.at(bogota(2026, 11, 18, 8, 25))
    w.desk.cancel(w.sup, t[9], "Duplicado")
    t[10] = w.log(bogota(2026, 11, 17, 12), "software")
    w.take(t[10], bogota(2026, 11, 17, 12, 5), login="acastro")
    w.at(NOW)
    return t


def test_queue_overview(reports, sup, queue):
    ov = reports.overview(sup)
    assert ov.at == NOW
    assert ov.by_status_level == {
        ("nuevo", 1): 2,
        ("asignado", 1): 1,
        ("en_proceso", 1): 4,
        ("en_espera", 2): 1,
        ("resuelto", 1): 1,
    }
    assert ov.open_total == 8 and ov.status_total("en_proceso") == 4
    assert ov.level_total(1) == 7 and ov.level_total(2) == 1
    assert ov.unassigned == 2  # T1 T2

    load = {a.name.split()[0]: a for a in ov.agents}
    assert load["Jorge"].by_status == {"en_proceso": 2} and load["Jorge"].overdue == 2  # T3 T6
    assert load["Liliana"].by_status == {"asignado": 1} and load["Liliana"].overdue == 1  # T4
    assert load["Hernán"].by_status == {"en_espera": 1} and load["Hernán"].overdue == 0  # T5 paused
    assert load["Andrés"].total == 1 and load["Andrés"].overdue == 0  # T10 at risk; T7 resolved
    assert load["Viviana"].total == 1 and load["Viviana"].overdue == 0  # T8
    assert load["Natalia"].total == 0  # active agents without work are listed too
    assert "Carolina" not in load  # the supervisor holds nothing
    assert ov.agents[0].name.startswith("Jorge")  # busiest first
    assert load["Hernán"].level == 2 and load["Hernán"].group_name == "Infraestructura y redes"

    services = {x.code: x.count for x in ov.services}
    assert services == {"SER-004": 5, "SER-008": 1, "SER-001": 2}  # T1 T2 T3 T8 T10; T4; T5 T6
    assert ov.services[0].code == "SER-004"
    assert {c.category: c.count for c in ov.categories} == {
        "SOFTWARE Y APLICACIONES": 5,
        "INSTALACIÓN PERIFÉRICOS": 1,
        "CONECTIVIDAD": 2,
    }
    assert [(a.bucket.label, a.count) for a in ov.ageing] == [
        ("Hoy", 2),  # T1 T2
        ("1 a 2 días hábiles", 4),  # T3 T10 (Tue), T4 (Fri 13: Tue, Wed), T8 (Sun 15)
        ("3 a 5 días hábiles", 1),  # T5 (Tue 10: Wed Thu Fri Tue Wed)
        ("6 a 10 días hábiles", 0),
        ("11 a 20 días hábiles", 0),
        ("Más de 20 días hábiles", 1),  # T6
    ]
    tp = ov.throughput
    # Today: T1 T2 T7 received (T9 cancelled), T7 resolved. This week (from Monday 16):
    # also T3 and T10 from Tuesday.
    assert (tp.received_today, tp.resolved_today, tp.received_week, tp.resolved_week) == (3, 1, 5, 1)


def test_sla_board_counts_and_pages(reports, sup, queue):
    counts = reports.sla_board_counts(sup)
    assert dict(counts.counts) == {
        BoardGroup.VENCIDO: 3,
        BoardGroup.EN_RIESGO: 2,
        BoardGroup.EN_PAUSA: 1,
        BoardGroup.EN_TIEMPO: 2,
    }
    assert counts.total == 8

    def ids(page):
        return {r.id for r in page.rows}

    t = queue
    assert ids(reports.sla_board_page(sup, BoardGroup.VENCIDO)) == {t[3], t[4], t[6]}
    assert ids(reports.sla_board_page(sup, BoardGroup.EN_RIESGO)) == {t[2], t[10]}
    assert ids(reports.sla_board_page(sup, BoardGroup.EN_PAUSA)) == {t[5]}
    assert ids(reports.sla_board_page(sup, BoardGroup.EN_TIEMPO)) == {t[1], t[8]}

    rows = {r.id: r for r in reports.sla_board_page(sup, None, PageRequest(size=20)).rows}
    assert set(rows) == {t[i] for i in (1, 2, 3, 4, 5, 6, 8, 10)}
    assert rows[t[3]].remaining == -H and rows[t[3]].clock_kind == "ttr" and rows[t[3]].remaining_label == "-1h 00m"
    assert rows[t[10]].remaining == H and rows[t[10]].state is ClockState.EN_RIESGO
    assert rows[t[2]].remaining == timedelta(0) and rows[t[2]].clock_kind == "tto"
    assert rows[t[1]].remaining == timedelta(minutes=30) and rows[t[1]].board_group is BoardGroup.EN_TIEMPO
    assert rows[t[5]].state is ClockState.EN_PAUSA and rows[t[5]].level == 2
    assert rows[t[5]].agent_name == "Hernán Barrios Cassiani" and rows[t[5]].group_name == "Infraestructura y redes"
    assert rows[t[6]].service_code == "SER-001"
    assert rows[t[8]].priority == "baja" and rows[t[8]].remaining == 29 * H  # 40 h less Tue 08-18, Wed 08-09


def board_order(rows, newest_first: bool) -> list[int]:
    """The board's order by brute force: priority, then due time (latest first in
    the groups where the newest crossing leads), then id the same way."""

    def key(r):
        sign = -1 if newest_first else 1
        return (PRIORITY_RANK[r.priority], sign * r.due_at.timestamp(), sign * r.id)

    return [r.id for r in sorted(rows, key=key)]


def walk_board(reports, sup, group, size):
    """Every page forwards from the first, then backwards from the last, in ids."""
    forward, page = [], reports.sla_board_page(sup, group, PageRequest(size=size))
    while True:
        forward += [r.id for r in page.rows]
        if not page.has_after:
            break
        page = reports.sla_board_page(sup, group, PageRequest(PageDirection.AFTER, page.last, size=size))
    backward, page = [], reports.sla_board_page(sup, group, PageRequest(PageDirection.LAST, size=size))
    while True:
        backward = [r.id for r in page.rows if r.id not in backward] + backward
        if not page.has_before:
            break
        page = reports.sla_board_page(sup, group, PageRequest(PageDirection.BEFORE, page.first, size=size))
    return forward, backward


def test_sla_board_pages_by_priority_then_due_both_ways(reports, sup, queue):
    seen, req = [], PageRequest(size=3)
    while True:
        page = reports.sla_board_page(sup, None, req)
        seen += page.rows
        if not page.has_after:
            break
        req = PageRequest(PageDirection.AFTER, page.last, size=3)
    assert len(seen) == 8 and len({r.id for r in seen}) == 8
    assert [r.id for r in seen] == board_order(seen, newest_first=False)
    assert seen[-1].priority == "baja"  # T8, due latest of all but last by its priority
    last = reports.sla_board_page(sup, None, PageRequest(PageDirection.LAST, size=3))
    assert [r.id for r in last.rows] == [r.id for r in seen[-3:]] and last.has_before and not last.has_after
    before = reports.sla_board_page(sup, None, PageRequest(PageDirection.BEFORE, last.first, size=3))
    assert [r.id for r in before.rows] == [r.id for r in seen[2:5]]
    again = reports.sla_board_page(sup, None, PageRequest(PageDirection.FROM, seen[3].cursor, size=3))
    assert [r.id for r in again.rows] == [r.id for r in seen[3:6]] and again.has_before
    top = reports.sla_board_page(sup, None, PageRequest(PageDirection.BEFORE, seen[1].cursor, size=3))
    assert [r.id for r in top.rows] == [r.id for r in seen[:3]] and not top.has_before
    # Past the last row of every group (baja is the last priority): nothing follows.
    assert reports.sla_board_page(sup, BoardGroup.VENCIDO, PageRequest(PageDirection.AFTER, seen[-1].cursor)).rows == ()


def test_the_board_puts_the_critical_ticket_that_just_ran_out_first(reports, sup, work, queue):
    """Vencidos: a critical ticket overdue for minutes leads, above tickets overdue for
    weeks; within a priority the newest crossing comes first. Paged one, two and three
    rows at a time, both ways, no row is lost or repeated."""
    t = dict(queue)
    w = work
    t[11] = w.log(bogota(2026, 11, 18, 8), impact=1, urgency=1)  # crítica: its response ran out this morning
    t[12] = w.log(bogota(2026, 11, 11, 9), impact=1, urgency=2)  # alta, overdue for a week
    t[13] = w.log(bogota(2026, 11, 12, 9), impact=1, urgency=2)  # alta, overdue since a day later
    t[14] = w.log(bogota(2026, 10, 20, 9), impact=3, urgency=3)  # baja, long gone
    w.at(NOW)
    page = reports.sla_board_page(sup, BoardGroup.VENCIDO, PageRequest(size=20))
    assert [r.id for r in page.rows] == [t[11], t[13], t[12], t[3], t[4], t[6], t[14]]
    assert [r.priority for r in page.rows[:3]] == ["crítica", "alta", "alta"]
    assert page.rows == tuple(sorted(page.rows, key=lambda r: PRIORITY_RANK[r.priority]))
    for group in BoardGroup:
        rows = reports.sla_board_page(sup, group, PageRequest(size=50)).rows
        want = board_order(rows, newest_first=group in (BoardGroup.VENCIDO, BoardGroup.EN_RIESGO))
        assert [r.id for r in rows] == want, group
        for size in (1, 2, 3):
            forward, backward = walk_board(reports, sup, group, size)
            assert forward == backward == want, (group, size)
    everything = reports.sla_board_page(sup, None, PageRequest(size=50)).rows
    for size in (1, 2, 5):
        forward, backward = walk_board(reports, sup, None, size)
        assert forward == backward == board_order(everything, newest_first=False), size


def test_sla_board_counts_agree_with_the_rows_all_day_long(reports, sup, queue):
    """On Wednesday and Thursday, around every opening and closing edge: the SQL counts equal the
    groups of the rows, whose states the domain computes from the clocks."""
    moments = [
        bogota(2026, 11, day, hh, mm)
        for day in (18, 19)
        for hh, mm in (
            (7, 0),
            (7, 59),
            (8, 0),
            (8, 1),
            (9, 0),
            (9, 30),
            (10, 0),
            (10, 1),
            (10, 30),
            (12, 0),
            (14, 0),
            (15, 0),
            (16, 0),
            (16, 59),
            (17, 0),
            (17, 59),
            (18, 0),
            (18, 1),
            (20, 0),
        )
    ]
    for at in moments:
        counts = reports.sla_board_counts(sup, now=at)
        rows = reports.sla_board_page(sup, None, PageRequest(size=50), now=at).rows
        expected = {g: sum(1 for r in rows if r.board_group is g) for g in BoardGroup}
        assert dict(counts.counts) == expected, at
        for g in BoardGroup:
            page = reports.sla_board_page(sup, g, PageRequest(size=50), now=at)
            assert {r.id for r in page.rows} == {r.id for r in rows if r.board_group is g}, (at, g)


def test_empty_desk(reports, sup, targets):
    ov = reports.overview(sup)
    assert ov.open_total == 0 and ov.unassigned == 0 and ov.services == ()
    assert [a.count for a in ov.ageing] == [0] * 6
    assert reports.sla_board_counts(sup).total == 0
    page = reports.sla_board_page(sup, BoardGroup.EN_RIESGO)
    assert page.rows == () and not page.has_after
    t = reports.indicators(sup, 2026)
    assert all(r.average is None and r.met_label == NO_CASES for r in t.rows)


# --- command line ---------------------------------------------------------------------------


def run_cli(argv, monkeypatch, login="supervisor"):
    from mesa_tui.cli import common, reports

    monkeypatch.setattr(common, "os_login", lambda: login)
    p = argparse.ArgumentParser(prog="mesa")
    p.add_argument("--as", dest="as_login")
    p.add_argument("--db")
    reports.register(p.add_subparsers(dest="command"))
    args = p.parse_args(argv)
    return args.func(args)


def test_cli_writes_both_reports(db, db_url, year_2026, tmp_path, monkeypatch, capsys):
    path = tmp_path / "ind.xlsx"
    assert (
        run_cli(
            ["--db", db_url, "report", "indicators", "--year", "2026", "--format", "xlsx", "--out", str(path)],
            monkeypatch,
        )
        == 0
    )
    assert openpyxl.load_workbook(path)["Soporte"].cell(5, 5).value == 1
    assert str(path) in capsys.readouterr().out
    path = tmp_path / "casos.csv"
    assert (
        run_cli(
            [
                "--db",
                db_url,
                "report",
                "tickets",
                "--from",
                "2026-02-01",
                "--to",
                "2026-02-28",
                "--format",
                "csv",
                "--out",
                str(path),
            ],
            monkeypatch,
        )
        == 0
    )
    assert len(read_csv(path)) == 5
    assert "4 casos" in capsys.readouterr().out


def test_cli_refuses_bad_dates_and_agents(db, db_url, out, monkeypatch):
    with pytest.raises(SystemExit):
        run_cli(["--db", db_url, "report", "tickets", "--from", "2026-02-30", "--to", "2026-03-01"], monkeypatch)
    with pytest.raises(PermissionDenied):
        run_cli(
            ["--db", db_url, "report", "indicators", "--year", "2026", "--out", str(out / "x.csv"), "--format", "csv"],
            monkeypatch,
            login="jperez",
        )
    assert list(out.iterdir()) == []


def test_ticket_export_names_the_schedule_a_ticket_runs_on(reports, sup, desk, db, now, out):
    """The column shows a named schedule by its name, as the admin wrote it, not its code."""
    from mesa_tui.services.admin import Admin
    from tests.support import new_ticket

    boss = actor_of(desk, "admin")
    admin = Admin(db, now=now)
    saturdays = admin.create_schedule(boss, "Sábados de soporte", [""] * 5 + ["08:00-12:00", ""]).schedule
    admin.set_service_schedule(boss, "SER-004", saturdays.code)
    now.set(bogota(2026, 3, 7, 9))  # a Saturday
    jperez = actor_of(desk, "jperez")
    desk.log(jperez, new_ticket(service_code="SER-004", subject="En horario de sábado"))
    desk.log(jperez, new_ticket(service_code="SER-010", subject="En horario de oficina"))
    reports.export_tickets(sup, date(2026, 3, 7), date(2026, 3, 7), out / "casos.csv", "csv")
    rows = read_csv(out / "casos.csv")
    col = {h: i for i, h in enumerate(rows[0])}
    shown = {r[col["Asunto"]]: r[col["Calendario ANS"]] for r in rows[1:]}
    assert shown == {"En horario de sábado": "Sábados de soporte", "En horario de oficina": "Horario hábil"}
