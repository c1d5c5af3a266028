"""Files for the person at the keyboard, wherever they are.

In a terminal an export is written where they say, on the machine mesa runs on. In
a browser session (`mesa web`) that machine is the desk's server, not theirs: the
export is written in memory and handed to the browser as a download
(`App.deliver_binary`), and nothing is left on the server. The dialogs then ask
only for the file's name.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath, PureWindowsPath

from textual.app import App

MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
}
DOWNLOAD_HINT = "Se descarga en su navegador."


def in_browser(app: App[object]) -> bool:
    return app.is_web


def download_name(text: str) -> str:
    """The file name a download is offered under: what was typed, without any
    folder (a browser picks where it goes) and with any other character than
    letters, digits, ".", "_" and "-" as "_"; "" when nothing is left."""
    name = PureWindowsPath(PurePosixPath(text.strip()).name).name
    # What a Content-Disposition header carries unquoted: letters, digits, . _ -
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return "" if name.strip(".") == "" else name


def name_problem(text: str) -> str:
    if not download_name(text):
        return "Escriba el nombre del archivo (p. ej. informe.xlsx)."
    return ""


def deliver(app: App[object], buffer: io.BytesIO, name: str) -> None:
    """Hand the written `buffer` to the browser as a download named `name`."""
    buffer.seek(0)
    suffix = PurePosixPath(name).suffix.lower()
    app.deliver_binary(buffer, save_filename=name, mime_type=MIME_TYPES.get(suffix, "application/octet-stream"))
