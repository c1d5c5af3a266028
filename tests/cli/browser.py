"""A browser tab as textual-serve's page is one, for tests and benches: `mesa web`
started on a free loopback port, and a websocket client that speaks the page's
protocol (it sends ["stdin", text], ["resize", {...}], ["focus"]; it receives the
terminal's output as binary frames and JSON text frames such as
["deliver_file_start", key]). The output is decoded by a real terminal emulator
(pyte), so a test reads the screen a person would see."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pyte

from tests.support import ROOT

WIDTH, HEIGHT = 120, 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def mesa_web(db_url: str, home: Path, *args: str, timeout: float = 60) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`mesa --db URL web --port P ARGS` running in a fresh HOME; yields its base URL."""
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT / "src"), "XDG_CONFIG_HOME": str(home / ".config")}
    env.pop("MESA_DATABASE_URL", None)
    env.pop("MESA_CONFIG", None)
    cmd = [sys.executable, "-m", "mesa_tui", "--db", db_url, "web", "--port", str(port), *args]
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(cmd, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_listening(port, server, timeout)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _wait_listening(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if server.poll() is not None:
            raise AssertionError(f"mesa web ended with {server.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("mesa web did not listen")


class Tab:
    """One browser tab on `mesa web`'s websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)
        self.messages: list[list[object]] = []  # the JSON text frames
        self.closed = False

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def send(self, *envelope: object) -> None:
        await self.ws.send_str(json.dumps(list(envelope)))

    async def type(self, text: str) -> None:
        await self.send("stdin", text)

    async def until(self, condition: Callable[[], bool], timeout: float = 60) -> bool:
        """Read frames until `condition` holds (True) or `timeout` passes (False)."""
        end = time.monotonic() + timeout
        while not condition():
            left = end - time.monotonic()
            if left <= 0 or self.closed:
                return False
            try:
                msg = await self.ws.receive(timeout=left)
            except TimeoutError:
                return False
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(msg.data)
            elif msg.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(msg.data))
            else:
                self.closed = True
        return True

    async def shows(self, text: str, timeout: float = 60) -> None:
        assert await self.until(lambda: text in self.text, timeout), f"«{text}» not on screen:\n{self.text}"

    def border_color(self, label: str) -> str | None:
        """The colour of the top edge of the field under `label` (the focused field's
        differs once the app has focus)."""
        for y, line in enumerate(self.screen.display):
            if line.strip("│ ").startswith(label):
                row = self.screen.buffer[y + 1]
                for x in range(self.screen.columns):
                    if row[x].data == "▔":
                        return str(row[x].fg)
        return None

    async def focus_moves(self, src: str, dst: str, timeout: float = 60) -> None:
        """Wait until the field under `dst` has the focus colour `src` had."""
        assert await self.until(lambda: self.border_color(src) not in (None, self.border_color(dst)), timeout)
        focused = self.border_color(src)
        assert await self.until(lambda: self.border_color(dst) == focused, timeout), self.text


async def log_in(tab: Tab, login: str, password: str) -> None:
    """Type a login and a password as a person would: the login, Enter once its field
    shows it, the password once the focus is in its field."""
    await tab.shows("Ingreso")
    await tab.type(login)
    await tab.shows(login)
    await tab.type("\r")
    await tab.focus_moves("Usuario", "Contraseña")
    await tab.type(password + "\r")


async def open_tab(http: aiohttp.ClientSession, base: str) -> Tab:
    ws = await http.ws_connect(f"{base.replace('http', 'ws', 1)}/ws?width={WIDTH}&height={HEIGHT}")
    tab = Tab(ws)
    await tab.send("resize", {"width": WIDTH, "height": HEIGHT})
    await tab.send("focus")
    return tab
