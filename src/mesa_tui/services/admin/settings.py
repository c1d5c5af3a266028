"""The help desk's settings (risk threshold, auto-close days, indicator targets)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mesa_tui.domain.settings import normalize_setting
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.services.admin.base import AdminBase
from mesa_tui.services.errors import ValidationError
from mesa_tui.store import admin_repo as repo
from mesa_tui.store.engine import Session

_SETTINGS = "cambiar los parámetros de la mesa de ayuda"


class SettingsAdmin(AdminBase):
    """Settings."""

    def settings(self, actor: ActorInfo) -> dict[str, str]:
        with self._reading(actor) as s:
            return repo.settings(s)

    def set_setting(self, actor: ActorInfo, key: str, value: Any) -> str:
        """Store a validated setting; returns the stored text. The error names the key as its field."""
        self._require_admin(actor, _SETTINGS)

        def tx(s: Session, who: ActorInfo, now: datetime) -> str:
            current = repo.setting_value(s, key)
            if current is None:
                raise ValidationError("key", f"El parámetro «{key}» no existe.")
            try:
                stored = normalize_setting(key, value)
            except ValueError as exc:
                raise ValidationError(key, str(exc)) from None
            if stored != current:
                self._event(s, who, now, "setting", key, "modificar", {"value": (current, stored)})
                repo.save_setting(s, key, stored)
            return stored

        return self._write(actor, _SETTINGS, tx)
