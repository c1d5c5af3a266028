"""ticket index for the SLA board's order (status, priority, due_at, id)

Revision ID: a3c5e9f1b7d2
Revises: 07e726cc1703
Create Date: 2026-12-02 12:40:00.000000
"""
from typing import Sequence, Union

from alembic import op


revision: str = 'a3c5e9f1b7d2'
down_revision: Union[str, None] = '07e726cc1703'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_ticket_status_priority_due', 'ticket', ['status', 'priority', 'due_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ticket_status_priority_due', table_name='ticket')
