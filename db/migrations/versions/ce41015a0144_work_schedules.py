"""work schedules per service; a policy's 24x7 covers incidents unless it says every type

Revision ID: ce41015a0144
Revises: ce57c985e837
Create Date: 2026-11-24 09:00:00

Schedules: the two built-in ones ("office", Oficina, and "24x7"), whose codes are the
values tickets already hold in `sla_calendar`, so every existing ticket keeps its
meaning. Services get no row in service_schedule: they keep Oficina.

Policies: `all_types` false everywhere, the new rule (24x7 for incidents). The open
requests, petitions and complaints that ran on 24x7 under the old rule move to office
hours at the upgrade, as a policy change would move them: business time counted until
the upgrade stays counted, office hours count from then on, and each ticket gets a
"recalcular ANS" event by the system. Downgrading does not move them back.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from mesa_tui.domain.schedules import calendar_for
from mesa_tui.domain.sla import Clock
from mesa_tui.store.models import UTCDateTime

revision: str = "ce41015a0144"
down_revision: str | None = "ce57c985e837"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The built-in schedules as this revision writes them: seven day texts, Monday first.
_BUILTIN = (
    ("office", "Oficina", ["08:00-18:00"] * 4 + ["08:00-17:00", "", ""], True),
    ("24x7", "24x7", ["00:00-24:00"] * 7, False),
)
_OPEN = ("nuevo", "asignado", "en_proceso", "en_espera")
_NOTE = (
    "Actualización de mesa-tui: el horario 24x7 de una política se aplica a los incidentes; "
    "este caso cuenta desde ahora el horario de atención del servicio."
)
_US = timedelta(microseconds=1)


def upgrade() -> None:
    schedule = op.create_table(
        "schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("week", sa.Text(), nullable=False),
        sa.Column("holidays", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "service_schedule",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedule.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["catalog_service.id"]),
        sa.PrimaryKeyConstraint("service_id"),
    )
    with op.batch_alter_table("service_schedule", schema=None) as batch_op:
        batch_op.create_index("ix_service_schedule_schedule_id", ["schedule_id"], unique=False)
    # A plain ADD COLUMN on both engines: sla_policy keeps its rows and nothing is copied.
    op.add_column("sla_policy", sa.Column("all_types", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.bulk_insert(
        schedule,
        [
            {"code": code, "name": name, "week": json.dumps(week), "holidays": holidays, "active": True}
            for code, name, week, holidays in _BUILTIN
        ],
    )
    _requests_off_24x7()


def _requests_off_24x7() -> None:
    """Open non-incident tickets on 24x7 go to office hours from now on (see the docstring)."""
    conn = op.get_bind()
    clock_columns = [
        sa.column(f"{which}_{name}", UTCDateTime() if name.endswith("_at") else sa.BigInteger())
        for which in ("tto", "ttr")
        for name in ("target_s", "consumed_us", "anchor_at", "paused_at", "stopped_at", "paused_us", "due_at")
    ]
    ticket = sa.table(
        "ticket",
        sa.column("id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("status", sa.String()),
        sa.column("type", sa.String()),
        sa.column("sla_calendar", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("updated_at", UTCDateTime()),
        sa.column("due_at", UTCDateTime()),
        *clock_columns,
    )
    rows = conn.execute(
        sa.select(ticket)
        .where(ticket.c.status.in_(_OPEN), ticket.c.sla_calendar == "24x7", ticket.c.type != "incidente")
        .order_by(ticket.c.id)
    ).all()
    if not rows:
        return
    closures = sa.table("calendar_closure", sa.column("day", sa.Date()))
    always = calendar_for("24x7")
    office = calendar_for("office", [d for (d,) in conn.execute(sa.select(closures.c.day))])
    now = datetime.now(UTC)
    events = []
    for row in rows:
        r = row._mapping
        values = {"sla_calendar": "office", "version": r["version"] + 1, "updated_at": now}
        changes = {"sla_calendar": ["24x7", "office"]}
        stopped = {}
        for which in ("tto", "ttr"):
            clock = Clock(
                target=timedelta(seconds=r[f"{which}_target_s"]),
                consumed=r[f"{which}_consumed_us"] * _US,
                anchor=r[f"{which}_anchor_at"],
                paused_at=r[f"{which}_paused_at"],
                stopped_at=r[f"{which}_stopped_at"],
                paused_total=r[f"{which}_paused_us"] * _US,
            )
            stopped[which] = clock.stopped
            if not clock.stopped:
                clock = clock.retarget(always, office, now, clock.target)
            # A clock that already ran out keeps the instant it did (history).
            since = clock.anchor or clock.paused_at or clock.stopped_at
            ran_out = clock.consumed >= clock.target and since is not None and r[f"{which}_due_at"] <= since
            due = r[f"{which}_due_at"] if ran_out else clock.due(office).astimezone(UTC)
            values[f"{which}_consumed_us"] = clock.consumed // _US
            values[f"{which}_anchor_at"] = clock.anchor
            values[f"{which}_due_at"] = due
            if due != r[f"{which}_due_at"]:
                changes[f"{which}_due_at"] = [r[f"{which}_due_at"].isoformat(), due.isoformat()]
        values["due_at"] = values["ttr_due_at"] if stopped["tto"] else values["tto_due_at"]
        changes["version"] = [r["version"], r["version"] + 1]
        conn.execute(ticket.update().where(ticket.c.id == r["id"]).values(**values))
        events.append(
            {
                "ticket_id": r["id"],
                "entity": "ticket",
                "entity_key": r["code"],
                "at": now,
                "actor_id": None,
                "action": "recalcular ANS",
                "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                "note": _NOTE,
            }
        )
    event = sa.table(
        "ticket_event",
        sa.column("ticket_id", sa.Integer()),
        sa.column("entity", sa.String()),
        sa.column("entity_key", sa.String()),
        sa.column("at", UTCDateTime()),
        sa.column("actor_id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("changes", sa.Text()),
        sa.column("note", sa.Text()),
    )
    op.bulk_insert(event, events)


def downgrade() -> None:
    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.drop_column("all_types")
    with op.batch_alter_table("service_schedule", schema=None) as batch_op:
        batch_op.drop_index("ix_service_schedule_schedule_id")
    op.drop_table("service_schedule")
    op.drop_table("schedule")
