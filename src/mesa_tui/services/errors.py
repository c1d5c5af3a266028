"""Errors the use cases raise. Their messages are for the user (Spanish)."""

from __future__ import annotations

from mesa_tui.domain.errors import DeskError


class ServiceError(DeskError):
    """Base of every refusal; nothing was written when one is raised."""


class ValidationError(ServiceError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class PermissionDenied(ServiceError):
    pass


class ConflictError(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class TransitionRefused(ServiceError):
    pass


class UnknownLogin(ServiceError):
    pass
