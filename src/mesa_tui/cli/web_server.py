"""textual-serve's server, as `mesa web` runs it.

Its own websocket handler (the library's, plus three things): a page from another
site may not open a session (a browser always sends Origin; cross-site websocket
hijacking), at most `max_sessions` tabs run at once (each is a process), and each
tab's process learns its browser's address through its environment, for the audit.
Behind the reverse proxy on this machine the browser's address is the last one the
proxy appended to X-Forwarded-For; from anywhere else that header is not trusted.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from mesa_tui.cli.common import is_loopback

TITLE = "Mesa de ayuda TIC"
log = logging.getLogger("textual-serve")


def client_address(request: web.Request) -> str:
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and is_loopback(peer):
        return forwarded.split(",")[-1].strip()
    return peer


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class BrowserSession(AppService):
    """One tab's process, told where its browser is."""

    def __init__(self, command: str, *, client_env: str, client: str, **kwargs: object) -> None:
        super().__init__(command, **kwargs)  # type: ignore[arg-type]
        self.client_env = client_env
        self.client = client

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment[self.client_env] = self.client
        return environment


class DeskServer(Server):
    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str | None,
        max_sessions: int,
        client_env: str,
    ) -> None:
        super().__init__(command, host=host, port=port, title=TITLE, public_url=public_url)
        self.max_sessions = max_sessions
        self.client_env = client_env
        self.sessions = 0

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"Mesa de ayuda en {self.public_url} · Ctrl+C para detener", highlight=False)

    def allowed_origin(self, request: web.Request) -> bool:
        """No Origin (not a browser), this server's public origin, or the loopback
        address the page was opened from (http://localhost:8080 while public_url
        names 127.0.0.1)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        origin = origin.lower()
        if origin == _origin(self.public_url):
            return True
        parts = urlsplit(origin)
        return is_loopback(parts.hostname or "") and parts.netloc == request.host.lower()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.allowed_origin(request):
            log.warning("websocket refused: origin %r", request.headers.get("Origin"))
            raise web.HTTPForbidden(text="Origen no permitido.")
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text="La mesa de ayuda tiene demasiadas sesiones abiertas.")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: BrowserSession | None = None
        self.sessions += 1
        try:
            await websocket.prepare(request)
            session = BrowserSession(
                self.command,
                client_env=self.client_env,
                client=client_address(request),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            self.sessions -= 1
            if session is not None:
                await session.stop()
        return websocket
