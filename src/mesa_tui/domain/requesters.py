"""Requesters (solicitantes): the people the desk serves, and the dependencies they work in.

A requester's e-mail is kept normalized (trimmed, lower case) and is unique when
present, so mail can find its sender; a document (type and number, normalized to
upper case without spaces, dots or dashes) is unique when present too. What the
ticket keeps of its requester (name, dependency, contact) is a snapshot of this
record, rewritten on every ticket of theirs when the record is edited, corrected
or anonymized.

Ley 1581 de 2012 (habeas data): the version of the privacy notice the person was
shown and when, and an anonymization that blanks the person's data but keeps the
record (and so the tickets' statistics).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from mesa_tui.domain.contacts import contact_text
from mesa_tui.domain.limits import too_long
from mesa_tui.domain.text import fold


class DocumentType(StrEnum):
    CC = "CC"
    CE = "CE"
    TI = "TI"
    PA = "PA"
    NIT = "NIT"
    PEP = "PEP"

    @property
    def label(self) -> str:
        return DOCUMENT_LABELS[self]


DOCUMENT_LABELS = {
    DocumentType.CC: "Cédula de ciudadanía",
    DocumentType.CE: "Cédula de extranjería",
    DocumentType.TI: "Tarjeta de identidad",
    DocumentType.PA: "Pasaporte",
    DocumentType.NIT: "NIT",
    DocumentType.PEP: "Permiso especial o de protección temporal (PEP/PPT)",
}
# What people write for a type; "PPT" (permiso por protección temporal) replaced the PEP.
_DOCUMENT_ALIASES = {"PPT": DocumentType.PEP, "PEP/PPT": DocumentType.PEP, "C.C.": DocumentType.CC}

# Field lengths (the columns' lengths).
NAME_MAX = 120
DOCUMENT_MAX = 20
EMAIL_MAX = 120
PHONE_MAX = 30
EXTENSION_MAX = 10
POSITION_MAX = 120
NOTES_MAX = 2_000
DEPENDENCY_MAX = 120
NOTICE_VERSION_MAX = 20
SEARCH_LIMIT = 20

ANONYMIZED_PREFIX = "Anonimizado #"
PERSONAL_FIELDS = ("name", "document_type", "document_number", "email", "phone", "extension", "position", "notes")

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")
_DOCUMENT_RE = re.compile(r"^[A-Z0-9]{3,20}$")


@dataclass(frozen=True)
class RequesterInput:
    """What a form, a CLI call or an imported line says about a person."""

    name: str
    document_type: str = ""
    document_number: str = ""
    dependency_id: int | None = None
    email: str = ""
    phone: str = ""
    extension: str = ""
    position: str = ""
    vip: bool = False
    notes: str = ""
    privacy_notice_version: str = ""  # the version shown to the person now ("" if none)


@dataclass(frozen=True)
class RequesterInfo:
    id: int
    name: str
    document_type: str | None
    document_number: str | None
    dependency_id: int | None
    dependency_name: str
    email: str | None
    phone: str
    extension: str
    position: str
    vip: bool
    notes: str
    privacy_notice_version: str | None
    privacy_notice_at: datetime | None
    anonymized: bool
    anonymized_at: datetime | None
    active: bool
    created_at: datetime
    updated_at: datetime
    tickets: int = 0

    @property
    def document(self) -> str:
        return f"{self.document_type} {self.document_number}" if self.document_type and self.document_number else ""

    @property
    def phone_text(self) -> str:
        return contact_text(self.phone, self.extension)  # "6056411370 ext. 1234", or "ext. 1234" alone

    @property
    def contact(self) -> str:
        """What a ticket keeps as its requester's contact: the e-mail, else the phone."""
        return self.email or self.phone_text


@dataclass(frozen=True)
class DependencyInfo:
    id: int
    name: str
    active: bool
    requesters: int = 0


@dataclass(frozen=True)
class RequesterValues:
    """A requester's stored values, checked and normalized (see `requester_values`)."""

    name: str
    document_type: str | None
    document_number: str | None
    dependency_id: int | None
    email: str | None
    phone: str
    extension: str
    position: str
    vip: bool
    notes: str

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def email_key(email: str | None) -> str | None:
    """The stored form of an e-mail: trimmed, lower case; None when blank."""
    text = (email or "").strip().lower()
    return text or None


def document_type_of(text: str | None) -> DocumentType | None:
    """The type a person wrote ("cc", "C.C.", "PPT"...), None when blank; ValueError when unknown."""
    raw = (text or "").strip().upper()
    if not raw:
        return None
    if raw in _DOCUMENT_ALIASES:
        return _DOCUMENT_ALIASES[raw]
    try:
        return DocumentType(raw.replace(".", ""))
    except ValueError:
        allowed = ", ".join(t.value for t in DocumentType)
        raise ValueError(f"El tipo de documento «{text}» no es válido (use: {allowed}, PPT).") from None


def document_key(number: str | None) -> str | None:
    """A document number as stored: upper case, without spaces, dots or dashes; None when blank."""
    text = re.sub(r"[\s.\-]", "", (number or "")).upper()
    return text or None


def requester_values(new: RequesterInput) -> tuple[RequesterValues | None, list[tuple[str, str]]]:
    """The checked, normalized values of `new`, or the problems (field, message) found."""
    problems: list[tuple[str, str]] = []
    name = " ".join((new.name or "").split())
    if not name:
        problems.append(("name", "El nombre del solicitante es obligatorio."))
    elif message := too_long(name, "El nombre", NAME_MAX):
        problems.append(("name", message))
    doc_type: DocumentType | None = None
    try:
        doc_type = document_type_of(new.document_type)
    except ValueError as exc:
        problems.append(("document_type", str(exc)))
    number = document_key(new.document_number)
    if number is not None and not _DOCUMENT_RE.match(number):
        problems.append(("document_number", "El número de documento admite de 3 a 20 letras o dígitos."))
    if (doc_type is None) != (number is None) and not any(f == "document_type" for f, _ in problems):
        field = "document_type" if doc_type is None else "document_number"
        problems.append((field, "Escriba el tipo y el número del documento, o ninguno de los dos."))
    email = email_key(new.email)
    if email is not None and (len(email) > EMAIL_MAX or not _EMAIL_RE.match(email)):
        problems.append(("email", f"El correo «{new.email.strip()}» no es válido."))
    phone = " ".join((new.phone or "").split())
    digits = re.sub(r"\D", "", phone)
    if phone and (not _PHONE_RE.match(phone) or not 7 <= len(digits) <= 15):
        problems.append(("phone", "El teléfono debe tener de 7 a 15 dígitos (puede llevar +, espacios y guiones)."))
    extension = (new.extension or "").strip()
    if extension and (not extension.isdigit() or len(extension) > EXTENSION_MAX):
        problems.append(("extension", "La extensión admite hasta 10 dígitos."))
    position = " ".join((new.position or "").split())
    if message := too_long(position, "El cargo", POSITION_MAX):
        problems.append(("position", message))
    notes = (new.notes or "").strip()
    if message := too_long(notes, "Las notas", NOTES_MAX):
        problems.append(("notes", message))
    if message := too_long(new.privacy_notice_version or "", "La versión del aviso", NOTICE_VERSION_MAX):
        problems.append(("privacy_notice_version", message))
    if problems:
        return None, problems
    values = RequesterValues(
        name=name,
        document_type=doc_type.value if doc_type else None,
        document_number=number,
        dependency_id=new.dependency_id,
        email=email,
        phone=phone,
        extension=extension,
        position=position,
        vip=bool(new.vip),
        notes=notes,
    )
    return values, []


def anonymized(values: RequesterValues, requester_id: int) -> RequesterValues:
    """The person's data blanked; the dependency (a statistic, not a person) stays."""
    return replace(
        values,
        name=anonymized_name(requester_id),
        document_type=None,
        document_number=None,
        email=None,
        phone="",
        extension="",
        position="",
        vip=False,
        notes="",
    )


def anonymized_name(requester_id: int) -> str:
    return f"{ANONYMIZED_PREFIX}{requester_id}"


def search_key(name: str, email: str | None, document_number: str | None) -> str:
    """What the directory's search looks in: name, e-mail and document, folded."""
    return " ".join(fold(p) for p in (name, email or "", document_number or "") if p)


def dependency_key(name: str) -> str:
    """Two dependency names that differ only in case, accents or spaces are the same."""
    return " ".join(fold(name).split())


def dependency_problem(name: str) -> str | None:
    if not name.strip():
        return "El nombre de la dependencia es obligatorio."
    return too_long(name, "El nombre de la dependencia", DEPENDENCY_MAX)


def audit_values(changes: dict[str, tuple[object, object]]) -> dict[str, tuple[object, object]]:
    """A requester's changes as the audit trail keeps them: personal data named, never
    copied (the trail is append-only; an anonymization could not erase it there)."""
    return {
        f: ("(dato personal)", "(dato personal)") if f in PERSONAL_FIELDS else (old, new)
        for f, (old, new) in changes.items()
    }
