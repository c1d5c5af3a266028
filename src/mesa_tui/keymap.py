"""User key remapping: a TOML file whose [keys] table maps binding ids to keys.

    # ~/.config/mesa-tui/keys.toml  (or the file named by $MESA_KEYMAP)
    [keys]
    "ticket.take" = "T"
    "queue.filter" = "ctrl+f,slash"

The ids are the ones `?` shows next to each key. A missing file means no
remapping; a broken or unreadable one (a folder, no permission) is reported
with its path, never ignored silently.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ENV_VAR = "MESA_KEYMAP"


class KeymapError(ValueError):
    pass


def default_path() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "mesa-tui" / "keys.toml"


def load_keymap(path: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Binding id -> key(s), from `path` or the default location ({} when absent)."""
    file = Path(path).expanduser() if path is not None else default_path()
    if not file.exists():
        if path is not None or os.environ.get(ENV_VAR):
            raise KeymapError(f"No existe el archivo de teclas {file}.")
        return {}
    if file.is_dir():
        raise KeymapError(f"{file} es una carpeta, no un archivo de teclas.")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KeymapError(f"{file}: no es un TOML válido ({exc}).") from None
    except OSError as exc:  # unreadable: permissions, a broken disk, a folder made meanwhile
        raise KeymapError(f"No se pudo leer el archivo de teclas {file}: {exc.strerror or exc}.") from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise KeymapError(f'{file}: [keys] debe ser una tabla de id = "tecla".')
    bad = [ident for ident, key in keys.items() if not isinstance(key, str) or not key.strip()]
    if bad:
        raise KeymapError(f'{file}: la tecla de {", ".join(bad)} debe ser un texto no vacío, p. ej. "ctrl+t".')
    return {ident: key.strip() for ident, key in keys.items()}
