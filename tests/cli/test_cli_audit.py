"""`mesa audit verify`: "íntegro: N eventos" and exit 0 on a whole chain; the
first event that breaks it, and exit 1, after someone edits the trail by hand."""

from __future__ import annotations

import re

import sqlalchemy as sa

from mesa_tui import cli
from mesa_tui.store.audit_chain import drop_sqlite_guards
from tests.support import actor_of, new_ticket


def verify(db_url: str, capsys) -> tuple[int, str]:
    code = cli.main(["--db", db_url, "audit", "verify"])
    return code, capsys.readouterr().out


def test_verify_prints_the_count_and_the_last_hash_then_names_an_edited_event(desk, db_url, capsys):
    who = actor_of(desk, "jperez")
    ticket = desk.log(who, new_ticket())
    desk.take(who, ticket.id)
    with desk.db.engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM ticket_event").scalar_one()
        last_id, last_hash = conn.exec_driver_sql("SELECT id, hash FROM ticket_event ORDER BY id DESC LIMIT 1").one()
        taken = conn.exec_driver_sql("SELECT id FROM ticket_event WHERE action = 'tomar'").scalar_one()

    code, out = verify(db_url, capsys)
    assert code == 0
    assert out.splitlines() == [f"íntegro: {total} eventos", f"Huella del último evento (#{last_id}): {last_hash}"]

    with desk.db.engine.begin() as conn:
        if desk.db.is_sqlite:
            drop_sqlite_guards(conn)
        conn.execute(sa.text("UPDATE ticket_event SET actor_id = NULL WHERE id = :id"), {"id": taken})
    code, out = verify(db_url, capsys)
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"contenido alterado: evento #{taken} (caso {ticket.code}): ")
    assert re.search(rf"Eventos íntegros antes de ese punto: {total - 1}\.", out)
