"""A requester's contact as typed when a ticket is logged: an e-mail, a phone, a phone
with its extension, or an extension alone (a public entity's staff are reached through
the switchboard by extension).

Extensions are written many ways ("6056411370 ext 1234", "ext. 1234", "x1234",
"extensión 1234", "6056411370, ext: 1234"); the desk keeps one: "6056411370 ext. 1234",
"ext. 1234"."""

from __future__ import annotations

import re

from mesa_tui.domain.limits import REQUESTER_CONTACT, too_long

EXTENSION_DIGITS = 10  # as the requester directory keeps them

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{6,19}$")
_EXTENSION_RE = re.compile(
    r"^(?P<phone>[+0-9 ()-]*?)[\s,;]*(?:extensi[oó]n|ext|x)\s*[.:]?\s*(?P<ext>[0-9]+)$", re.IGNORECASE
)


def contact_text(phone: str, extension: str) -> str:
    """How the desk writes a phone and its extension: "6056411370 ext. 1234", "ext. 1234"."""
    if phone and extension:
        return f"{phone} ext. {extension}"
    return phone or (f"ext. {extension}" if extension else "")


def split_phone(contact: str) -> tuple[str, str] | None:
    """The (phone, extension) a typed phone contact names, either possibly empty but not
    both; None when the text is not a phone (7 to 12 digits) nor an extension (1 to 10)."""
    text = " ".join(contact.split())
    found = _EXTENSION_RE.match(text)
    phone, extension = (found["phone"].strip(" ,;"), found["ext"]) if found else (text, "")
    if len(extension) > EXTENSION_DIGITS:
        return None
    if phone:
        digits = re.sub(r"\D", "", phone)
        if not _PHONE_RE.match(phone) or not 7 <= len(digits) <= 12:
            return None
    elif not extension:
        return None
    return phone, extension


def normalized_contact(contact: str) -> str:
    """The contact as the ticket keeps it: an e-mail as typed, a phone in the desk's form."""
    contact = contact.strip()
    if "@" in contact:
        return contact
    parts = split_phone(contact)
    return contact_text(*parts) if parts is not None else contact


def contact_problem(contact: str) -> str | None:
    """Why a typed contact is refused, in Spanish; None when it is a usable one."""
    contact = contact.strip()
    if not contact:
        return "Indique el correo o el teléfono del solicitante."
    if len(contact) > REQUESTER_CONTACT:
        return too_long(contact, "El correo o teléfono", REQUESTER_CONTACT)
    if "@" in contact:
        return None if _EMAIL_RE.match(contact) else "El correo no es válido."
    if split_phone(contact) is None:
        return (
            "Escriba un correo válido, un teléfono de 7 a 12 dígitos o una extensión "
            "(por ejemplo «6056411370 ext. 1234» o «ext. 1234»)."
        )
    return too_long(normalized_contact(contact), "El correo o teléfono", REQUESTER_CONTACT)
