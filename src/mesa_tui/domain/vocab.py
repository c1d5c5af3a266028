"""The help desk's fixed vocabularies: stored values and their Spanish labels."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NUEVO = "nuevo"
    ASIGNADO = "asignado"
    EN_PROCESO = "en_proceso"
    EN_ESPERA = "en_espera"
    RESUELTO = "resuelto"
    CERRADO = "cerrado"
    ANULADO = "anulado"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[str, str] = {
    Status.NUEVO: "Nuevo",
    Status.ASIGNADO: "Asignado",
    Status.EN_PROCESO: "En proceso",
    Status.EN_ESPERA: "En espera",
    Status.RESUELTO: "Resuelto",
    Status.CERRADO: "Cerrado",
    Status.ANULADO: "Anulado",
}

OPEN_STATUSES = (Status.NUEVO, Status.ASIGNADO, Status.EN_PROCESO, Status.EN_ESPERA)


class Channel(StrEnum):
    CORREO = "correo"
    WEB = "web"
    TELEFONO = "telefono"
    WHATSAPP = "whatsapp"
    PRESENCIAL = "presencial"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[str, str] = {
    Channel.CORREO: "Correo electrónico",
    Channel.WEB: "Mesa de servicio web",
    Channel.TELEFONO: "Llamada telefónica",
    Channel.WHATSAPP: "WhatsApp",
    Channel.PRESENCIAL: "Presencial",
}


class TicketType(StrEnum):
    INCIDENTE = "incidente"
    REQUERIMIENTO = "requerimiento"
    PETICION = "peticion"
    QUEJA = "queja"
    RECLAMO = "reclamo"
    SUGERENCIA = "sugerencia"

    @property
    def label(self) -> str:
        return TYPE_LABELS[self]

    @property
    def is_pqrs(self) -> bool:
        return self not in (TicketType.INCIDENTE, TicketType.REQUERIMIENTO)


TYPE_LABELS: dict[str, str] = {
    TicketType.INCIDENTE: "Incidente",
    TicketType.REQUERIMIENTO: "Requerimiento",
    TicketType.PETICION: "PQRS: petición",
    TicketType.QUEJA: "PQRS: queja",
    TicketType.RECLAMO: "PQRS: reclamo",
    TicketType.SUGERENCIA: "PQRS: sugerencia",
}

# Ley 1755 de 2015: 15 business days in general (10 for documents and
# information, 30 for consultations, chosen by the agent when it applies).
PQRS_LEGAL_DAYS = 15
LEGAL_DAY_CHOICES = (10, 15, 30)


class Priority(StrEnum):
    CRITICA = "crítica"
    ALTA = "alta"
    MEDIA = "media"
    BAJA = "baja"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return PRIORITY_ORDER.index(self)


PRIORITY_ORDER = (Priority.CRITICA, Priority.ALTA, Priority.MEDIA, Priority.BAJA)


class Nature(StrEnum):
    HARDWARE = "hardware"
    SOFTWARE = "software"
    RED = "red"
    ACCESOS = "accesos"
    OTRO = "otro"

    @property
    def label(self) -> str:
        return NATURE_LABELS[self]


NATURE_LABELS: dict[str, str] = {
    Nature.HARDWARE: "Hardware",
    Nature.SOFTWARE: "Software",
    Nature.RED: "Red / conectividad",
    Nature.ACCESOS: "Accesos",
    Nature.OTRO: "Otro",
}


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"agent": "Agente", "supervisor": "Supervisor", "admin": "Administrador"}[self.value]


# The role of the desk's own actor ("sistema"): not a Role, so no form offers it and no
# login resolves to it.
SYSTEM_ROLE = "sistema"
SYSTEM_LOGIN = "sistema"
SYSTEM_NAME = "Sistema"


class SolutionMode(StrEnum):
    REMOTO = "remoto"
    EN_SITIO = "en_sitio"

    @property
    def label(self) -> str:
        return "Remota" if self is SolutionMode.REMOTO else "En sitio"


LEVEL_LABELS = {1: "Nivel 1 · mesa de ayuda", 2: "Nivel 2 · especialistas", 3: "Nivel 3 · proveedor"}

SEED_CATEGORIES = (
    "CONECTIVIDAD",
    "SOFTWARE Y APLICACIONES",
    "SEGURIDAD",
    "INSTALACIÓN PERIFÉRICOS",
    "COMUNICACIONES",
    "INFORMACIÓN",
    "INFRAESTRUCTURA DE TI",
    "ASESORÍA Y CONSULTORÍA",
)
