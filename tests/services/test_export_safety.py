"""Report files in the hands of a spreadsheet and in shared folders.

Text that people or mail supplied (a subject, a requester, a service or agent
name...) reaches Excel as text, never as a formula; and a file is written
under a fresh name of its own beside its target, so a link planted next to
the target is never followed and a failed export leaves nothing behind.
"""

from __future__ import annotations

import csv
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from mesa_tui.services.errors import ValidationError
from mesa_tui.services.files import csv_cell
from mesa_tui.store.models import Agent, CatalogService, ServiceCategory, SupportGroup, Ticket
from tests.support import actor_of, system_of

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    "subject": '=HYPERLINK("http://x","y")',
    "requester_name": "+1",
    "requester_dependency": "-2",
    "agent": "@SUM(A1)",
    "group": "\tx",
    "service": "\rx",
    "category": "=1+1",
}
COLUMNS = {
    "subject": "Asunto",
    "requester_name": "Solicitante",
    "requester_dependency": "Dependencia",
    "agent": "Agente",
    "group": "Grupo",
    "service": "Nombre del servicio",
    "category": "Categoría",
}
NUMBER_COLUMNS = {"Nivel", "Encuesta"}
DATE_COLUMNS = {"Registrado", "Primera respuesta", "Resuelto", "Cerrado", "Vence respuesta", "Vence solución"}


@pytest.fixture
def hostile_ticket(desk, now, log):
    """A closed, surveyed ticket whose every exported text starts like a formula.

    The desk strips leading blanks from what is typed, so the tab and the line
    break arrive the way mail or an old import could bring them: in the rows."""
    jperez = actor_of(desk, "jperez")
    t = log()
    now.advance(minutes=10)
    desk.take(jperez, t.id)
    now.advance(minutes=10)
    desk.resolve(jperez, t.id, "Se reinstaló.", "remoto")
    now.advance(minutes=10)
    desk.close(jperez, t.id)
    desk.survey(jperez, t.id, 5)

    def plant(s):
        row = s.get(Ticket, t.id)
        row.subject = HOSTILE["subject"]
        row.requester_name = HOSTILE["requester_name"]
        row.requester_dependency = HOSTILE["requester_dependency"]
        s.add(row)
        agent = s.exec(select(Agent).where(Agent.login == "jperez")).one()
        agent.full_name = HOSTILE["agent"]
        s.add(agent)
        group = s.get(SupportGroup, row.group_id)
        group.name = HOSTILE["group"]
        s.add(group)
        service = s.get(CatalogService, row.service_id)
        service.name = HOSTILE["service"]
        s.add(service)
        category = s.get(ServiceCategory, service.category_id)
        category.name = HOSTILE["category"]
        s.add(category)

    desk.db.write(plant)
    return t


def export(reports, sup, path: Path, fmt: str) -> int:
    day = date(2026, 11, 18)
    return reports.export_tickets(sup, day, day, path, fmt)


# --- formulas ------------------------------------------------------------------------------


def test_ticket_csv_writes_hostile_text_as_text(reports, sup, hostile_ticket, out):
    assert export(reports, sup, out / "casos.csv", "csv") == 1
    with open(out / "casos.csv", encoding="utf-8-sig", newline="") as f:
        header, row = list(csv.reader(f, delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    for key, column in COLUMNS.items():
        assert cells[column] == "'" + HOSTILE[key], column  # OWASP: a leading apostrophe
    for column, value in cells.items():
        assert not value.startswith(FORMULA_LEADS), (column, value)
    assert cells["Nivel"] == "1" and cells["Encuesta"] == "5"
    assert cells["Registrado"] == "2026-11-18 09:00"


def test_ticket_workbook_types_hostile_text_as_strings(reports, sup, hostile_ticket, out):
    assert export(reports, sup, out / "casos.xlsx", "xlsx") == 1
    ws = openpyxl.load_workbook(out / "casos.xlsx")["Casos"]
    header = [c.value for c in ws[1]]
    cells = dict(zip(header, ws[2], strict=True))
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    for key, column in COLUMNS.items():
        cell = cells[column]
        # The exact text, typed as a string, with Excel's own mark for text that looks like
        # a formula. (XML reads every line end as LF: the CR comes back as "\n".)
        text = HOSTILE[key].replace("\r", "\n")
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), column
    assert cells["Código"].quotePrefix is False
    for column in NUMBER_COLUMNS:
        assert cells[column].data_type == "n"
    assert (cells["Nivel"].value, cells["Encuesta"].value) == (1, 5)
    assert cells["Registrado"].value == datetime(2026, 11, 18, 9, 0) and cells["Registrado"].is_date


def test_text_that_looks_like_an_error_code_stays_text(reports, sup, hostile_ticket, out, desk):
    def rename(s):
        row = s.get(Ticket, hostile_ticket.id)
        row.subject = "#N/A"
        s.add(row)

    desk.db.write(rename)
    export(reports, sup, out / "casos.xlsx", "xlsx")
    ws = openpyxl.load_workbook(out / "casos.xlsx")["Casos"]
    header = [c.value for c in ws[1]]
    cell = ws[2][header.index("Asunto")]
    assert (cell.value, cell.data_type) == ("#N/A", "s")


def test_indicator_files_hold_no_formula(reports, sup, out):
    reports.export_indicators(sup, 2026, out / "i.xlsx", "xlsx")
    wb = openpyxl.load_workbook(out / "i.xlsx")
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    reports.export_indicators(sup, 2026, out / "i.csv", "csv")
    with open(out / "i.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert not [v for row in rows for v in row if v.startswith(FORMULA_LEADS)]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("-2", "'-2"),
        (-2, "-2"),
        (Decimal("-2.5"), "-2,5"),
        (Decimal("92.0"), "92,0"),
        (datetime(2026, 11, 18, 9, 5), "2026-11-18 09:05"),
        (None, ""),
        ("Sin casos", "Sin casos"),
    ],
)
def test_a_csv_cell_is_written_by_its_type(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize("value", [1.5, True, date(2026, 1, 1)])
def test_a_csv_cell_of_no_known_type_is_a_bug_not_a_guess(value):
    with pytest.raises(TypeError):
        csv_cell(value)


# --- temporaries in shared folders -------------------------------------------------------------

VICTIM_TEXT = b"the planter's chosen victim\n"


def plausible_names(name: str) -> list[str]:
    """The temporary names the old code used, and ones an editor or tool would."""
    return [f".{name}.tmp", f"{name}.tmp", f".{name}.swp", f"~{name}", f".~lock.{name}#", f"{name}~", f".{name}"]


def plant_links(folder: Path, name: str, victim: Path) -> list[Path]:
    links = []
    for link_name in plausible_names(name):
        link = folder / link_name
        link.symlink_to(victim)
        links.append(link)
    return links


@pytest.fixture
def victim(tmp_path):
    file = tmp_path / "victim.txt"
    file.write_bytes(VICTIM_TEXT)
    return file


def _indicators(fmt):
    return lambda r, sup, path: r.export_indicators(sup, 2026, path, fmt)


def _tickets(fmt):
    return lambda r, sup, path: r.export_tickets(sup, date(2026, 11, 1), date(2026, 11, 30), path, fmt)


EXPORTS = {
    "indicadores.csv": _indicators("csv"),
    "indicadores.xlsx": _indicators("xlsx"),
    "casos.csv": _tickets("csv"),
    "casos.xlsx": _tickets("xlsx"),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_link_planted_beside_an_export_is_never_followed(reports, sup, out, victim, log, name):
    log()
    links = plant_links(out, name, victim)
    EXPORTS[name](reports, sup, out / name)
    assert victim.read_bytes() == VICTIM_TEXT
    assert all(link.is_symlink() and link.resolve() == victim for link in links)
    target = out / name
    assert target.is_file() and not target.is_symlink()
    assert sorted(p.name for p in out.iterdir()) == sorted([name, *plausible_names(name)])


def test_the_catalog_file_is_written_under_a_fresh_name_too(db, out, victim):
    from mesa_tui.services.catalog import export_catalog, write_catalog_file

    links = plant_links(out, "catalogo.tsv", victim)
    text = export_catalog(db, system_of(db))
    written, count = write_catalog_file(str(out / "catalogo.tsv"), text)
    assert victim.read_bytes() == VICTIM_TEXT and all(link.is_symlink() for link in links)
    assert Path(written).read_text(encoding="utf-8") == text and count > 0


def test_a_backup_is_written_under_a_fresh_name(db, out, victim):
    from mesa_tui.store import backup as backups

    links = plant_links(out, "mesa.backup", victim)
    backups.backup(db, out / "mesa.backup")
    assert victim.read_bytes() == VICTIM_TEXT and all(link.is_symlink() for link in links)
    assert (out / "mesa.backup").stat().st_mode & 0o777 == 0o600  # a backup holds everything: private


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_failure_mid_write_leaves_no_file(reports, sup, out, log, monkeypatch, name):
    from mesa_tui.services import ticket_export

    log()
    log()

    def broken_row(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ticket_export, "_name", broken_row)  # every ticket row looks up names
    monkeypatch.setattr("mesa_tui.services.reports._component_rows", broken_row)
    with pytest.raises(ValidationError) as exc:
        EXPORTS[name](reports, sup, out / name)
    assert exc.value.field == "out" and "no queda espacio en el disco" in exc.value.message
    assert list(out.iterdir()) == []


def test_a_failed_export_keeps_the_file_it_would_have_replaced(reports, sup, out, log, monkeypatch):
    log()
    target = out / "casos.csv"
    target.write_bytes(b"last month's report\n")

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr("mesa_tui.services.ticket_export._name", boom)
    with pytest.raises(RuntimeError):
        reports.export_tickets(sup, date(2026, 11, 1), date(2026, 11, 30), target, "csv")
    assert target.read_bytes() == b"last month's report\n"
    assert list(out.iterdir()) == [target]


def test_a_report_gets_the_permissions_of_any_new_file(reports, sup, out):
    old = os.umask(0o027)
    try:
        reports.export_indicators(sup, 2026, out / "i.csv", "csv")
    finally:
        os.umask(old)
    assert (out / "i.csv").stat().st_mode & 0o777 == 0o640
