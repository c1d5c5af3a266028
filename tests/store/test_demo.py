"""Demo data is realistic enough to work with: every status, consistent SLA clocks."""

from collections import Counter as Tally

import pytest
import sqlalchemy as sa

from mesa_tui.demo import generate
from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.vocab import Status
from mesa_tui.services.catalog import import_catalog
from mesa_tui.store import ticket_rows as tickets_repo
from mesa_tui.store.models import Ticket, TicketEvent
from tests.support import CATALOG, system_of


@pytest.fixture
def fresh(empty_db):
    """A new desk: reference data and the catalog, no agent and no ticket."""
    import_catalog(empty_db, system_of(empty_db), CATALOG.read_text(encoding="utf-8"))
    return empty_db


def _check_clocks(db, limit=400):
    with db.read() as s:
        rows = s.exec(sa.select(Ticket).order_by(Ticket.id).limit(limit)).scalars().all()
        for t in rows:
            cal = calendar_for(t.sla_calendar)
            for which in ("tto", "ttr"):
                clock = tickets_repo.clock_of(t, which)
                assert getattr(t, f"{which}_due_at") == clock.due(cal), (t.code, which)
                assert getattr(t, f"{which}_met") == clock.met(cal), (t.code, which)
            running_due = t.tto_due_at if t.tto_stopped_at is None else t.ttr_due_at
            assert t.due_at == running_due
            if t.status in (Status.RESUELTO, Status.CERRADO):
                assert t.resolved_at is not None and t.solution_mode in ("remoto", "en_sitio")
            if t.status == Status.EN_ESPERA:
                assert t.ttr_paused_at is not None
        return rows


def test_bulk_demo_has_every_status_and_consistent_clocks(fresh, now):
    db = fresh
    stats = generate(db, tickets=3000, seed=3, now=now())
    assert stats["tickets"] == 3000
    with db.read() as s:
        statuses = Tally(s.exec(sa.select(Ticket.status)).scalars().all())
        events = s.exec(
            sa.select(sa.func.count()).select_from(TicketEvent).where(TicketEvent.ticket_id.is_not(None))
        ).one()[0]
        codes = s.exec(sa.select(Ticket.code).order_by(Ticket.id.desc()).limit(1)).scalars().first()
    assert set(statuses) == {st.value for st in Status}
    assert events == 3000
    assert codes.startswith("MDA-2026-")
    _check_clocks(db)


def test_small_demo_goes_through_the_use_cases_with_history(fresh, now):
    db = fresh
    stats = generate(db, tickets=60, seed=5, now=now())
    assert stats["tickets"] == 60
    with db.read() as s:
        per_ticket = s.exec(
            sa.select(TicketEvent.ticket_id, sa.func.count())
            .where(TicketEvent.ticket_id.is_not(None))
            .group_by(TicketEvent.ticket_id)
        ).all()
        statuses = Tally(s.exec(sa.select(Ticket.status)).scalars().all())
    assert len(per_ticket) == 60
    assert max(n for _, n in per_ticket) >= 4  # worked tickets carry their history
    assert len(statuses) >= 4
    _check_clocks(db)
