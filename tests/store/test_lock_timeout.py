"""A write that meets a lock held elsewhere for minutes (a bulk load, a backup,
a hung process) gives up after the lock timeout with "La base de datos está
ocupada; intente de nuevo" and changes nothing, on both engines."""

from __future__ import annotations

import sqlite3
import time

import pytest
import sqlalchemy as sa

from mesa_tui.services.desk import Desk, NewTicket
from mesa_tui.store.engine import Database
from mesa_tui.store.errors import DatabaseBusy
from tests.support import actor_of, system_of

TICKET = NewTicket(
    requester_name="Ana Díaz",
    requester_dependency="Secretaría de Hacienda",
    requester_contact="adiaz@cartagena.gov.co",
    channel="correo",
    service_code="SER-004",
    type="incidente",
    subject="No abre Outlook",
    description="Se cierra al abrir.",
)


@pytest.fixture
def short_wait_desk(db, db_url, now):
    quick = Database(db_url, lock_timeout=1.0)
    yield Desk(quick, now=now)
    quick.dispose()


def test_a_held_write_lock_is_waited_for_a_bounded_time(db, db_url, short_wait_desk):
    desk = short_wait_desk
    ticket = desk.log(actor_of(desk, "jperez"), TICKET)
    if db.is_sqlite:
        holder = sqlite3.connect(sa.engine.make_url(db_url).database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the whole database, as a bulk load holds it
        release = holder.rollback
    else:
        engine = sa.create_engine(db_url)
        conn = engine.connect()
        tx = conn.begin()
        conn.exec_driver_sql("SELECT id FROM ticket WHERE id = %s FOR UPDATE", (ticket.id,))

        def release():
            tx.rollback()
            conn.close()
            engine.dispose()

    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as refused:
            desk.take(actor_of(desk, "jperez"), ticket.id)
        waited = time.monotonic() - started
    finally:
        release()
    assert refused.value.message == "La base de datos está ocupada; intente de nuevo."
    assert 0.9 <= waited < 10
    assert desk.get(system_of(desk), ticket.id).agent_name in (None, "")  # nothing changed
    assert desk.take(actor_of(desk, "jperez"), ticket.id).agent_name  # and it works once the lock is gone
