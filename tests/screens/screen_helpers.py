"""Helpers shared by the screen tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

from textual.worker import WorkerCancelled

from mesa_tui.services.desk import NewTicket

SIZE = (120, 40)


async def settle(app, pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (a worker's message may start another)."""
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # superseded by a newer request of the same group
        await pilot.pause()


def new_ticket(**overrides) -> NewTicket:
    values = dict(
        requester_name="María Pérez Gómez",
        requester_dependency="Secretaría de Hacienda",
        requester_contact="mperez@cartagena.gov.co",
        channel="telefono",
        service_code="SER-001",
        type="incidente",
        subject="El equipo no enciende",
        description="Desde esta mañana el equipo no prende.",
        impact=2,
        urgency=2,
    )
    values.update(overrides)
    return NewTicket(**values)


def toasts(app) -> list[tuple[str, str]]:
    """(severity, message) of every notification the app has shown."""
    return [(n.severity, n.message) for n in app._notifications]


def footer_keys(app) -> set[str]:
    """Descriptions of the keys the footer offers on the current screen."""
    return {b.description for _, b, enabled, _ in app.screen.active_bindings.values() if b.show and enabled}
