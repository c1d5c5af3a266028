"""ssh keys and session registry: agents' public keys (the service account's
authorized_keys is made from them) and one row per interactive session

Revision ID: 5129ae27f020
Revises: 5b0e7c9d2a41
Create Date: 2026-12-02 10:57:15.495174
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import mesa_tui.store.models


revision: str = '5129ae27f020'
down_revision: Union[str, None] = '5b0e7c9d2a41'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('agent_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('started_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.id'], ),
    sa.ForeignKeyConstraint(['ended_by_id'], ['agent.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['agent.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agent_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_session_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index('ix_agent_session_open', ['ended_at', 'seen_at'], unique=False)

    op.create_table('agent_ssh_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('key_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('key_data', sa.Text(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('added_at', mesa_tui.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['agent.id'], ),
    sa.ForeignKeyConstraint(['agent_id'], ['agent.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('fingerprint')
    )
    with op.batch_alter_table('agent_ssh_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_ssh_key_agent_id'), ['agent_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agent_ssh_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_ssh_key_agent_id'))

    op.drop_table('agent_ssh_key')
    with op.batch_alter_table('agent_session', schema=None) as batch_op:
        batch_op.drop_index('ix_agent_session_open')
        batch_op.drop_index(batch_op.f('ix_agent_session_agent_id'))

    op.drop_table('agent_session')
