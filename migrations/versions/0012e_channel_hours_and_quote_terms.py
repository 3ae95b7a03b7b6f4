"""channels open around the clock (tenants), and the terms a quote was given under (binding, consent for extra work)

Revision ID: 0012e
Revises: 0011b
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012e'
down_revision = '0012d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('around_the_clock_channels', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('binding', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('extra_work_needs_consent', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_column('extra_work_needs_consent')
        batch_op.drop_column('binding')
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('around_the_clock_channels')
