"""The help desk's settings: their labels and the checks that normalise a typed value."""

from __future__ import annotations

import re

SETTING_LABELS = {
    "risk_threshold": "Umbral de riesgo del ANS",
    "auto_close_business_days": "Cierre automático (días hábiles)",
    "ssh_account": "Cuenta de servicio SSH",
    "privacy_notice_version": "Versión del aviso de privacidad (Ley 1581)",
}
# Settings whose value is text, not a number (shown as typed, no decimal comma).
TEXT_SETTINGS = frozenset({"ssh_account"})
# An OS account name (useradd's rule, less the odd trailing $ of machine accounts).
_ACCOUNT = re.compile(r"[a-z_][a-z0-9_-]{0,31}\Z")


def setting_label(key: str) -> str:
    if key.startswith("meta."):
        return f"Meta: {key.removeprefix('meta.').replace('_', ' ')} (%)"
    return SETTING_LABELS.get(key, key)


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return float(value)
    # es-CO writes the decimal comma.
    return float(str(value).strip().replace(",", "."))


def normalize_setting(key: str, value: object) -> str:
    """The stored text of a setting value; ValueError with a Spanish message when it is out of range."""
    if key == "risk_threshold":
        try:
            number = _number(value)
        except ValueError:
            raise ValueError("El umbral de riesgo debe ser un número entre 0 y 1 (por ejemplo 0,75).") from None
        if not 0 < number < 1:
            raise ValueError("El umbral de riesgo debe ser mayor que 0 y menor que 1 (por ejemplo 0,75).")
        return repr(number)
    if key == "auto_close_business_days":
        try:
            number = _number(value)
        except ValueError:
            number = -1.0
        if not number.is_integer() or not 1 <= number <= 30:
            raise ValueError("Los días hábiles para el cierre automático deben ser un entero de 1 a 30.")
        return str(int(number))
    if key == "ssh_account":
        account = str(value or "").strip()
        if account and not _ACCOUNT.match(account):
            raise ValueError(
                "La cuenta de servicio SSH es un usuario del sistema (minúsculas, números, - y _; p. ej. mesa), "
                "o vacía para no abrir sesiones por SSH."
            )
        if account == "root":
            raise ValueError("La cuenta de servicio SSH no puede ser root: cree una cuenta propia (p. ej. mesa).")
        return account
    if key == "privacy_notice_version":
        text = " ".join(str(value).split())
        if not text or len(text) > 20:
            raise ValueError(
                "La versión del aviso de privacidad es un texto de 1 a 20 caracteres (por ejemplo 2026-1)."
            )
        return text
    if key.startswith("meta."):
        try:
            number = _number(value)
        except ValueError:
            number = -1.0
        if not 0 <= number <= 100:
            raise ValueError("La meta es un porcentaje de 0 a 100.")
        return str(int(number)) if number.is_integer() else repr(number)
    raise ValueError(f"El parámetro «{key}» no existe.")
