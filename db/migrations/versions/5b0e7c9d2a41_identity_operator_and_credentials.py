"""identity: who operated an event (--as), password accounts

Revision ID: 5b0e7c9d2a41
Revises: ce57c985e837
Create Date: 2026-12-02 09:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import mesa_tui.store.models


revision: str = '5b0e7c9d2a41'
down_revision: Union[str, None] = '417c902d1643'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('agent_credential',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('password_set_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('enrol_code_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('enrol_expires_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.id'], ),
    sa.PrimaryKeyConstraint('agent_id')
    )
    # A plain ADD COLUMN, not a batch copy of the table: the audit trail is never
    # rewritten (and on SQLite a copy would drop the table's triggers).
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE ticket_event ADD COLUMN operator_id INTEGER REFERENCES agent (id)')
    else:
        op.add_column('ticket_event', sa.Column('operator_id', sa.Integer(), nullable=True))
        op.create_foreign_key('ticket_event_operator_id_fkey', 'ticket_event', 'agent', ['operator_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_column('operator_id')
    op.drop_table('agent_credential')
