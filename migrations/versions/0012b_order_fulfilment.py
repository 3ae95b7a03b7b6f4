"""order fulfilment: warehouses, fulfilments, delivery changes, festival cards; registrations keep the delivery facts

Revision ID: 0012b
Revises: 0012a
Create Date: 2026-12-07 20:49:51.417384
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
import aftersales.db.sentences
from aftersales.db.rls import enable_tenant_isolation

revision = '0012b'
down_revision = '0012a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('warehouses',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('province', sa.String(length=6), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_warehouses_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_warehouses')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_warehouses_tenant_id_code'))
    )
    op.create_table('festival_cards',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('festival', sa.String(length=200), nullable=False),
    sa.Column('purchases_from', sa.Date(), nullable=False),
    sa.Column('purchases_until', sa.Date(), nullable=False),
    sa.Column('promised_by', sa.String(length=120), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('decided_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('reason', aftersales.db.sentences.Sentence(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('purchases_from <= purchases_until', name=op.f('ck_festival_cards_window_in_order')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_festival_cards_tenant_id_order_id_orders')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_festival_cards_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_festival_cards'))
    )
    with op.batch_alter_table('festival_cards', schema=None) as batch_op:
        batch_op.create_index('ix_festival_cards_order', ['tenant_id', 'order_id'], unique=False)

    op.create_table('order_delivery_changes',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('requested_by', sa.String(length=120), nullable=False),
    sa.Column('delivery_address', sa.Text(), nullable=True),
    sa.Column('delivery_phone', sa.String(length=32), nullable=True),
    sa.Column('province', sa.String(length=6), nullable=True),
    sa.Column('previous', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reason', aftersales.db.sentences.Sentence(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_order_delivery_changes_tenant_id_order_id_orders')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_order_delivery_changes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_order_delivery_changes'))
    )
    with op.batch_alter_table('order_delivery_changes', schema=None) as batch_op:
        batch_op.create_index('ix_order_delivery_changes_order', ['tenant_id', 'order_id'], unique=False)

    op.create_table('order_fulfilments',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=True),
    sa.Column('allocated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('allocated_by', sa.String(length=120), nullable=True),
    sa.Column('production_on', sa.Date(), nullable=True),
    sa.Column('dispatched_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dispatched_by', sa.String(length=120), nullable=True),
    sa.Column('delivered_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delivered_by', sa.String(length=120), nullable=True),
    sa.Column('delivered_sealed', sa.Boolean(), nullable=True),
    sa.Column('installation_booking_id', sa.Uuid(), nullable=True),
    sa.Column('registration_ids', sa.JSON(), nullable=False),
    sa.Column('installed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('installed_by', sa.String(length=120), nullable=True),
    sa.Column('installed_on', sa.Date(), nullable=True),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('late_notice_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('late_compensation_minor', sa.BigInteger(), nullable=True),
    sa.Column('late_compensation_reason', aftersales.db.sentences.Sentence(), nullable=True),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('late_compensation_minor >= 0', name=op.f('ck_order_fulfilments_compensation_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id', 'installation_booking_id'], ['bookings.tenant_id', 'bookings.id'], name=op.f('fk_order_fulfilments_tenant_id_installation_booking_id_bookings')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_order_fulfilments_tenant_id_order_id_orders')),
    sa.ForeignKeyConstraint(['tenant_id', 'warehouse_id'], ['warehouses.tenant_id', 'warehouses.id'], name=op.f('fk_order_fulfilments_tenant_id_warehouse_id_warehouses')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_order_fulfilments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_order_fulfilments')),
    sa.UniqueConstraint('tenant_id', 'order_id', name=op.f('uq_order_fulfilments_tenant_id_order_id'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_sealed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('installed_by_authorised_technician', sa.Boolean(), nullable=True))
    for table in ('warehouses', 'festival_cards', 'order_delivery_changes', 'order_fulfilments'):
        enable_tenant_isolation(op.get_bind(), table)



def downgrade() -> None:
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('installed_by_authorised_technician')
        batch_op.drop_column('delivered_sealed')

    op.drop_table('order_fulfilments')
    with op.batch_alter_table('order_delivery_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_order_delivery_changes_order')

    op.drop_table('order_delivery_changes')
    with op.batch_alter_table('festival_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_festival_cards_order')

    op.drop_table('festival_cards')
    op.drop_table('warehouses')
