"""audit hash chain: ticket_event.prev_hash/hash/hash_version, audit_head, SQLite guards

Existing events are hashed in id order (canonical form version 1, see
mesa_tui/store/audit_chain.py), the head is set to the last of them, and on
SQLite triggers refuse UPDATE and DELETE on the trail from now on.

Revision ID: 417c902d1643
Revises: ce57c985e837
Create Date: 2026-11-22 09:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from mesa_tui.store.audit_chain import (
    GENESIS,
    HEAD_ID,
    canonical_v1,
    chain_hash,
    create_sqlite_guards,
    drop_sqlite_guards,
    iso_utc,
)
from mesa_tui.store.models import UTCDateTime

revision: str = '417c902d1643'
down_revision: Union[str, None] = 'ce41015a0144'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_CHUNK = 20_000

# The table as this revision finds it (not as the models may say later).
_events = sa.table(
    'ticket_event',
    sa.column('id', sa.Integer()),
    sa.column('ticket_id', sa.Integer()),
    sa.column('entity', sa.String()),
    sa.column('entity_key', sa.String()),
    sa.column('at', UTCDateTime()),
    sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()),
    sa.column('changes', sa.Text()),
    sa.column('note', sa.Text()),
)


def _hash_existing(conn: sa.Connection) -> tuple[int, str]:
    """Hash every event already written, in id order; (last id, last hash)."""
    update = sa.text(
        'UPDATE ticket_event SET prev_hash = :prev_hash, hash = :hash, hash_version = 1 WHERE id = :event_id'
    )
    last_id, prev = 0, GENESIS
    while True:
        rows = conn.execute(
            sa.select(*_events.c).where(_events.c.id > last_id).order_by(_events.c.id).limit(_CHUNK)
        ).all()
        if not rows:
            return last_id, prev
        params = []
        for r in rows:
            digest = chain_hash(
                prev,
                canonical_v1(
                    r.id, r.ticket_id, r.entity, r.entity_key, iso_utc(r.at), r.actor_id, r.action, r.changes, r.note
                ),
            )
            params.append({'prev_hash': prev, 'hash': digest, 'event_id': r.id})
            prev = digest
        conn.execute(update, params)
        last_id = rows[-1].id


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash_version', sa.Integer(), nullable=True))
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    last_id, last_hash = _hash_existing(conn)
    conn.execute(
        sa.text('INSERT INTO audit_head (id, last_id, last_hash) VALUES (:id, :last_id, :last_hash)'),
        {'id': HEAD_ID, 'last_id': last_id, 'last_hash': last_hash},
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.alter_column('hash_version', existing_type=sa.Integer(), nullable=False)
    if conn.dialect.name == 'sqlite':
        create_sqlite_guards(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite':
        drop_sqlite_guards(conn)
    op.drop_table('audit_head')
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_column('hash_version')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
