"""warranty: catalogue, serial registry, checks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 20:19:41.898938
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_models',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('volume_m3', sa.Float(), nullable=True),
    sa.Column('weight_kg', sa.Float(), nullable=True),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_product_models_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_product_models')),
    sa.UniqueConstraint('tenant_id', 'sku', name=op.f('uq_product_models_tenant_id_sku'))
    )
    op.create_table('serial_checks',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('checked_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_serial_checks_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_serial_checks'))
    )
    with op.batch_alter_table('serial_checks', schema=None) as batch_op:
        batch_op.create_index('ix_serial_checks_client_time', ['tenant_id', 'client_key', 'checked_at'], unique=False)
        batch_op.create_index('ix_serial_checks_serial_time', ['tenant_id', 'serial', 'checked_at'], unique=False)

    op.create_table('serials',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('model_id', sa.Uuid(), nullable=False),
    sa.Column('batch', sa.String(length=80), nullable=False),
    sa.Column('manufactured_on', sa.Date(), nullable=True),
    sa.Column('shipped_on', sa.Date(), nullable=True),
    sa.Column('seller', sa.String(length=200), nullable=False),
    sa.Column('card_code_hash', sa.String(length=64), nullable=True),
    sa.Column('hologram_code_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('clone_suspected_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('clone_reason', sa.String(length=300), nullable=True),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'model_id'], ['product_models.tenant_id', 'product_models.id'], name=op.f('fk_serials_tenant_id_model_id_product_models')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_serials_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_serials')),
    sa.UniqueConstraint('tenant_id', 'serial', name=op.f('uq_serials_tenant_id_serial'))
    )
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.create_index('ix_serials_tenant_model', ['tenant_id', 'model_id'], unique=False)
    for table in ("product_models", "serials", "serial_checks"):
        enable_tenant_isolation(op.get_bind(), table)


def downgrade() -> None:
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.drop_index('ix_serials_tenant_model')

    op.drop_table('serials')
    with op.batch_alter_table('serial_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_serial_checks_serial_time')
        batch_op.drop_index('ix_serial_checks_client_time')

    op.drop_table('serial_checks')
    op.drop_table('product_models')
