"""parts catalogue and stock: the price list's catalogue columns, stock locations, the append-only stock ledger,
reservations and minimums

Revision ID: 0013a
Revises: 0012e
Create Date: 2026-12-07 23:20:38.939961
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.append_only import forbid_changes
from aftersales.db.rls import enable_tenant_isolation

revision = '0013a'
down_revision = '0012e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stock_locations',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('warehouse_id', sa.Uuid(), nullable=True),
    sa.Column('service_point_id', sa.Uuid(), nullable=True),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'warehouse' AND warehouse_id IS NOT NULL AND service_point_id IS NULL AND technician_id IS NULL) OR (kind = 'service_point' AND service_point_id IS NOT NULL AND warehouse_id IS NULL AND technician_id IS NULL) OR (kind = 'van' AND technician_id IS NOT NULL AND warehouse_id IS NULL AND service_point_id IS NULL)", name=op.f('ck_stock_locations_one_place')),
    sa.ForeignKeyConstraint(['tenant_id', 'service_point_id'], ['service_points.tenant_id', 'service_points.id'], name=op.f('fk_stock_locations_tenant_id_service_point_id_service_points')),
    sa.ForeignKeyConstraint(['tenant_id', 'warehouse_id'], ['warehouses.tenant_id', 'warehouses.id'], name=op.f('fk_stock_locations_tenant_id_warehouse_id_warehouses')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_stock_locations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_stock_locations')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_stock_locations_tenant_id_code'))
    )
    op.create_table('stock_minimums',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('part_id', sa.Uuid(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('minimum', sa.BigInteger(), nullable=False),
    sa.Column('reorder_quantity', sa.BigInteger(), nullable=True),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('minimum >= 0', name=op.f('ck_stock_minimums_minimum_not_negative')),
    sa.CheckConstraint('reorder_quantity IS NULL OR reorder_quantity > 0', name=op.f('ck_stock_minimums_reorder_quantity_positive')),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['stock_locations.tenant_id', 'stock_locations.id'], name=op.f('fk_stock_minimums_tenant_id_location_id_stock_locations')),
    sa.ForeignKeyConstraint(['tenant_id', 'part_id'], ['part_prices.tenant_id', 'part_prices.id'], name=op.f('fk_stock_minimums_tenant_id_part_id_part_prices')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_stock_minimums_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_stock_minimums')),
    sa.UniqueConstraint('tenant_id', 'part_id', 'location_id', name=op.f('uq_stock_minimums_tenant_id_part_id_location_id'))
    )
    op.create_table('stock_reservations',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('part_id', sa.Uuid(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('condition', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reserved_by', sa.String(length=120), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_stock_reservations_quantity_positive')),
    sa.ForeignKeyConstraint(['tenant_id', 'booking_id'], ['bookings.tenant_id', 'bookings.id'], name=op.f('fk_stock_reservations_tenant_id_booking_id_bookings')),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['stock_locations.tenant_id', 'stock_locations.id'], name=op.f('fk_stock_reservations_tenant_id_location_id_stock_locations')),
    sa.ForeignKeyConstraint(['tenant_id', 'part_id'], ['part_prices.tenant_id', 'part_prices.id'], name=op.f('fk_stock_reservations_tenant_id_part_id_part_prices')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_stock_reservations_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_stock_reservations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_stock_reservations'))
    )
    with op.batch_alter_table('stock_reservations', schema=None) as batch_op:
        batch_op.create_index('ix_stock_reservations_booking', ['tenant_id', 'booking_id'], unique=False)
        batch_op.create_index('ix_stock_reservations_request', ['tenant_id', 'request_id'], unique=False)

    op.create_table('stock_movements',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('part_id', sa.Uuid(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('condition', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('on_hand_delta', sa.BigInteger(), nullable=False),
    sa.Column('reserved_delta', sa.BigInteger(), nullable=False),
    sa.Column('donor_unit_id', sa.Uuid(), nullable=True),
    sa.Column('reservation_id', sa.Uuid(), nullable=True),
    sa.Column('transfer_id', sa.Uuid(), nullable=True),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('occurred_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'booking_id'], ['bookings.tenant_id', 'bookings.id'], name=op.f('fk_stock_movements_tenant_id_booking_id_bookings')),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['stock_locations.tenant_id', 'stock_locations.id'], name=op.f('fk_stock_movements_tenant_id_location_id_stock_locations')),
    sa.ForeignKeyConstraint(['tenant_id', 'part_id'], ['part_prices.tenant_id', 'part_prices.id'], name=op.f('fk_stock_movements_tenant_id_part_id_part_prices')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_stock_movements_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id', 'reservation_id'], ['stock_reservations.tenant_id', 'stock_reservations.id'], name=op.f('fk_stock_movements_tenant_id_reservation_id_stock_reservations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_stock_movements_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_stock_movements'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_part_location', ['tenant_id', 'part_id', 'location_id', 'condition'], unique=False)
        batch_op.create_index('ix_stock_movements_request', ['tenant_id', 'request_id'], unique=False)

    with op.batch_alter_table('part_prices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('compatible_models', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('wear_part', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('supplier', sa.String(length=200), nullable=True))
    for table in ('stock_locations', 'stock_minimums', 'stock_reservations', 'stock_movements'):
        enable_tenant_isolation(op.get_bind(), table)
    forbid_changes(op.get_bind(), 'stock_movements')


def downgrade() -> None:
    with op.batch_alter_table('part_prices', schema=None) as batch_op:
        batch_op.drop_column('supplier')
        batch_op.drop_column('wear_part')
        batch_op.drop_column('compatible_models')
        batch_op.drop_column('names')

    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movements_request')
        batch_op.drop_index('ix_stock_movements_part_location')

    op.drop_table('stock_movements')
    with op.batch_alter_table('stock_reservations', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_reservations_request')
        batch_op.drop_index('ix_stock_reservations_booking')

    op.drop_table('stock_reservations')
    op.drop_table('stock_minimums')
    op.drop_table('stock_locations')
