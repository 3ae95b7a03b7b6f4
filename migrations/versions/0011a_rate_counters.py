"""rate counters: one row per tenant, limit and client, counted and decided in one statement

Revision ID: 0011a
Revises: 0010f
Create Date: 2026-12-07 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0011a'
down_revision = '0010f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_counters',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('bucket', sa.String(length=40), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('window_start', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_rate_counters_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'bucket', 'client_key', name=op.f('pk_rate_counters'))
    )
    enable_tenant_isolation(op.get_bind(), 'rate_counters')


def downgrade() -> None:
    op.drop_table('rate_counters')
