"""The tenant's parts and consumables price list (quotes price parts at it) and the fee rate kept on a quote

Revision ID: 0007q
Revises: 0007m
Create Date: 2026-11-22 00:57:38.256060
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0007q'
down_revision = '0007m'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('part_prices',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_part_prices_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_part_prices')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_part_prices_tenant_id_code'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_basis_points', sa.Integer(), server_default='0', nullable=False))

    enable_tenant_isolation(op.get_bind(), "part_prices")


def downgrade() -> None:
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_column('fee_basis_points')

    op.drop_table('part_prices')
