"""Where the desk's database is, and how long a write waits for a lock.

The same answer from any folder, in this order:
1. `MESA_DATABASE_URL` (or the command line's `--db`, which the CLI passes in);
2. `database_url` in the settings file: `$MESA_CONFIG`, else
   `~/.config/mesa-tui/mesa.toml` (XDG_CONFIG_HOME), else `/etc/mesa-tui/mesa.toml`;
3. `db/mesa.db` of the source checkout mesa-tui runs from (what `make run`
   creates), as an absolute path; installed elsewhere,
   `~/.local/share/mesa-tui/mesa.db` (XDG_DATA_HOME).

`lock_timeout` (seconds) comes from `MESA_LOCK_TIMEOUT`, else the settings
file, else 15. `web_idle_minutes`: how long a browser session (`mesa web`) may
sit without a key or a click before it is logged out, else 30.

SSH sessions (services/ssh_keys.py) read an `[ssh]` section: `authorized_keys`,
the file to keep (default: the SSH service account's ~/.ssh/authorized_keys), and
`command`, the absolute path of the `mesa` the forced command runs (default: the
`mesa` beside the running Python, as a virtual environment installs it).


"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from mesa_tui.store.errors import DatabaseUnavailable

DEFAULT_LOCK_TIMEOUT_S = 15.0
DEFAULT_WEB_IDLE_MINUTES = 30.0
MAX_WEB_IDLE_MINUTES = 24 * 60


def settings_file() -> Path | None:
    if env := os.environ.get("MESA_CONFIG"):
        return Path(env).expanduser()
    candidates = [Path("/etc/mesa-tui/mesa.toml")]
    try:
        home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        candidates.insert(0, home / "mesa-tui" / "mesa.toml")
    except RuntimeError:  # no home folder known for this account (a service user): only /etc
        pass
    for candidate in candidates:
        try:
            if candidate.exists():
                return candidate
        except OSError:  # a home this account cannot read (another user's $HOME): not its settings
            continue
    return None


@cache
def _settings(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DatabaseUnavailable(f"No existe el archivo de configuración {path}.") from None
    except IsADirectoryError:
        raise DatabaseUnavailable(f"{path} es una carpeta, no el archivo de configuración de mesa-tui.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatabaseUnavailable(f"No se pudo leer la configuración {path}: {exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise DatabaseUnavailable(f"La configuración {path} no es TOML válido: {exc}.") from None


def settings() -> dict[str, Any]:
    return _settings(settings_file())


def _checkout_db() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "db" / "migrations" / "env.py").exists():
            return parent / "db" / "mesa.db"
    return None


def default_database_path() -> Path:
    checkout = _checkout_db()
    if checkout is not None:
        return checkout
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "mesa-tui" / "mesa.db"


def database_url() -> str:
    if "MESA_DATABASE_URL" in os.environ:
        if not os.environ["MESA_DATABASE_URL"].strip():
            raise DatabaseUnavailable(
                "MESA_DATABASE_URL está vacía: escriba la URL de la base de datos o quite la variable."
            )
        return os.environ["MESA_DATABASE_URL"]
    configured = settings().get("database_url")
    if configured:
        return str(configured)
    return f"sqlite:///{default_database_path()}"


def lock_timeout_seconds() -> float:
    raw: Any = os.environ.get("MESA_LOCK_TIMEOUT") or settings().get("lock_timeout", DEFAULT_LOCK_TIMEOUT_S)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DatabaseUnavailable(f"lock_timeout debe ser un número de segundos (se leyó {raw!r}).") from None
    if not 0 < value <= 3600:
        raise DatabaseUnavailable("lock_timeout debe estar entre 0 y 3600 segundos.")
    return value


def reports_folder() -> Path:
    """Where `mesa report` writes when no --out is given: the settings' `reports_dir`,
    else ~/mesa-informes (never the folder the command happens to run in)."""
    configured = settings().get("reports_dir")
    try:
        return Path(str(configured)).expanduser() if configured else Path.home() / "mesa-informes"
    except RuntimeError:  # no home folder known for this account
        raise DatabaseUnavailable(
            "Esta cuenta no tiene carpeta personal: indique el archivo con --out o reports_dir en la configuración."
        ) from None


def ssh_setting(name: str) -> str | None:
    """A value of the settings file's `[ssh]` section (None when it is not set)."""
    section = settings().get("ssh") or {}
    if not isinstance(section, dict):
        raise DatabaseUnavailable("[ssh] de la configuración debe ser una sección (tabla TOML).")
    value = section.get(name)
    return str(value) if value not in (None, "") else None


def idle_minutes_problem(value: float) -> str:
    """Why `value` can't be a browser session's idle time ("" when it can)."""
    if not 0 < value <= MAX_WEB_IDLE_MINUTES:
        return f"el tiempo de inactividad debe estar entre 0 y {MAX_WEB_IDLE_MINUTES} minutos (se leyó {value:g})"
    return ""


def web_idle_minutes() -> float:
    raw: Any = settings().get("web_idle_minutes", DEFAULT_WEB_IDLE_MINUTES)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DatabaseUnavailable(f"web_idle_minutes debe ser un número de minutos (se leyó {raw!r}).") from None
    if problem := idle_minutes_problem(value):
        raise DatabaseUnavailable(f"web_idle_minutes: {problem}.")
    return value
