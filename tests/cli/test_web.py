"""`mesa web` for real: the server started as a process on a free loopback port, and
a websocket client that speaks textual-serve's page protocol typing into the tab.
The login comes first (a wrong password refused, then the right one opens the
queue), an idle session is logged out back to the login and can log in again, an
export reaches the browser as a download and leaves no file on the server, and
neither the tabs' command lines nor the page carry the database's URL."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import select

from mesa_tui import cli
from mesa_tui.services.admin import Admin
from mesa_tui.services.desk import Desk
from mesa_tui.services.identity import Identity
from mesa_tui.store.models import TicketEvent
from tests.cli.browser import Tab, log_in, mesa_web, open_tab
from tests.support import actor_of, new_ticket

PASSWORD = "Murallas de Cartagena 1586"
SUBJECT = "Impresora del piso 3 sin tóner"
F2 = "\x1bOQ"


@pytest.fixture
def desk_code(db) -> str:
    """The supervisor has a password and a ticket is open; its code."""
    admin = Admin(db)
    Identity(db).enrol_password("supervisor", admin.issue_enrolment_code(actor_of(db, "admin"), "supervisor"), PASSWORD)
    return Desk(db).log(actor_of(db, "jperez"), new_ticket(subject=SUBJECT)).code


def sessions(db) -> list[tuple[str, str, str]]:
    """The browser sessions' audit: (action, login, note)."""
    with db.read() as s:
        rows = s.exec(select(TicketEvent).where(TicketEvent.entity == "session").order_by(TicketEvent.id)).all()
        return [(e.action, e.entity_key, e.note or "") for e in rows if "navegador" in (e.note or "")]


def wait_for(check, timeout: float = 30):
    end = time.monotonic() + timeout
    while not (found := check()) and time.monotonic() < end:
        time.sleep(0.2)
    return found


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_lines(pids: list[int]) -> list[str]:
    lines = []
    for pid in pids:
        with contextlib.suppress(OSError):  # gone meanwhile
            lines.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
    return lines


async def test_a_tab_starts_at_the_login_and_opens_the_queue_after_the_right_password(db, desk_code, tmp_path):
    with mesa_web(db.url, tmp_path / "home") as (base, server):
        async with aiohttp.ClientSession() as http:
            async with http.get(base) as page:
                html = await page.text()
            assert page.status == 200 and "/ws" in html and db.url not in html
            tab = await open_tab(http, base)
            await log_in(tab, "supervisor", "no es esta")
            await tab.shows("Usuario o contraseña incorrectos.")
            assert desk_code not in tab.text and SUBJECT not in tab.text  # nothing of the desk yet
            await tab.type(PASSWORD + "\r")  # the refusal left the focus in the password
            await tab.shows(desk_code)
            assert "Carolina Rincón Ahumada" in tab.text
            # The tab's process got the desk's location by its environment, not its command line.
            lines = command_lines(descendants(server.pid))
            assert any("web --session" in line for line in lines), lines
            assert not any(db.url in line or PASSWORD in line for line in lines), lines
            await tab.ws.close()
        closed = wait_for(lambda: [s for s in sessions(db) if s[0] == "salir"])
    assert [a for a, _, _ in sessions(db)] == ["rechazar", "entrar", "salir"]
    assert closed and all(note.endswith("navegador 127.0.0.1") for _, _, note in sessions(db))


async def test_an_idle_tab_is_logged_out_to_the_login_and_can_log_in_again(db, desk_code, tmp_path):
    with mesa_web(db.url, tmp_path / "home", "--idle-minutes", "0.1") as (base, _server):
        async with aiohttp.ClientSession() as http:
            tab = await open_tab(http, base)
            await log_in(tab, "supervisor", PASSWORD)
            await tab.shows(desk_code)
            await tab.shows("Su sesión se cerró tras 0.1 minutos sin actividad.")  # no key for 6 s
            assert desk_code not in tab.text and "Ingreso" in tab.text
            logout = [s for s in sessions(db) if s[0] == "salir"]
            assert logout and logout[0][2] == "inactividad (0.1 min) · navegador 127.0.0.1"
            await log_in(tab, "supervisor", PASSWORD)
            await tab.shows(desk_code)
            await tab.ws.close()
    assert [a for a, _, _ in sessions(db)][:3] == ["entrar", "salir", "entrar"]


async def test_an_export_is_a_download_and_leaves_no_file_on_the_server(db, desk_code, tmp_path):
    home = tmp_path / "home"
    with mesa_web(db.url, home) as (base, _server):
        async with aiohttp.ClientSession() as http:
            tab = await open_tab(http, base)
            await log_in(tab, "supervisor", PASSWORD)
            await tab.shows(desk_code)
            await tab.type(F2)
            await tab.shows("Tablero ANS")
            await tab.type("x")
            await tab.shows("Se descarga en su navegador.")
            await tab.type("\r")
            assert await tab.until(lambda: any(m[0] == "deliver_file_start" for m in tab.messages))
            await tab.shows("descargado como")
            (key,) = [m[1] for m in tab.messages if m[0] == "deliver_file_start"]
            async with http.get(f"{base}/download/{key}") as download:
                body = await download.read()
                disposition = download.headers["Content-Disposition"]
            await tab.ws.close()
    assert download.status == 200 and body[:2] == b"PK"  # an xlsx is a zip
    assert disposition.startswith("attachment; filename=mesa-casos-") and disposition.endswith(".xlsx")
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".xlsx", ".csv")]


async def test_a_second_tab_gets_its_own_login(db, desk_code, tmp_path):
    with mesa_web(db.url, tmp_path / "home") as (base, _server):
        async with aiohttp.ClientSession() as http:
            first = await open_tab(http, base)
            await log_in(first, "supervisor", PASSWORD)
            await first.shows(desk_code)
            second: Tab = await open_tab(http, base)
            await second.shows("Ingreso")
            assert desk_code not in second.text
            for tab in (first, second):
                await tab.ws.close()


async def test_a_page_from_another_site_may_not_open_a_tab(db, tmp_path):
    with mesa_web(db.url, tmp_path / "home") as (base, _server):
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"{base}/ws", headers={"Origin": "https://otro-sitio.example"})
            assert refused.value.status == 403
            ws = await http.ws_connect(f"{base}/ws", headers={"Origin": base})  # the page's own origin
            await ws.close()


def test_a_public_address_is_refused_without_allow_remote(db, capsys):
    assert cli.main(["--db", db.url, "web", "--host", "0.0.0.0"]) == 2
    assert "proxy TLS" in capsys.readouterr().err


def test_the_idle_time_is_checked(db, capsys):
    with pytest.raises(SystemExit):
        cli.main(["--db", db.url, "web", "--idle-minutes", "0"])
    assert "entre 0 y 1440 minutos" in capsys.readouterr().err
