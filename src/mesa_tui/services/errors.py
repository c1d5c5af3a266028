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


class SessionEnded(PermissionDenied):
    """The acting agent (or the administrator acting for them) was deactivated or lost
    the role the session needs: the session ends, the TUI closes with the message."""


class LoginRefused(ServiceError):
    """A login that did not go through: wrong password, locked account, unknown or
    inactive user, a bad enrolment code. The message says what the user may know."""
