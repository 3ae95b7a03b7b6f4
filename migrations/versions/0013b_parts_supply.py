"""parts supply: back-orders, donor units and harvests, faulty parts and return batches

Revision ID: 0013b
Revises: 0013a (the brief: 0012e; chained after the stock tables it names)
Create Date: 2026-12-07 23:23:33.590034
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
import aftersales.db.sentences
from aftersales.db.append_only import forbid_changes
from aftersales.db.rls import enable_tenant_isolation

revision = '0013b'
down_revision = '0013a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('part_return_batches',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('rma_number', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('opened_by', sa.String(length=120), nullable=False),
    sa.Column('sent_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_by', sa.String(length=120), nullable=True),
    sa.Column('closed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=120), nullable=True),
    sa.Column('credit_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('rejection_reason', aftersales.db.sentences.Sentence(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('credit_minor >= 0', name=op.f('ck_part_return_batches_credit_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_part_return_batches_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_part_return_batches')),
    sa.UniqueConstraint('tenant_id', 'supplier', 'rma_number', name=op.f('uq_part_return_batches_tenant_id_supplier_rma_number'))
    )
    op.create_table('donor_units',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('registration_id', sa.Uuid(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('note', aftersales.db.sentences.Sentence(), nullable=False),
    sa.Column('registered_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['stock_locations.tenant_id', 'stock_locations.id'], name=op.f('fk_donor_units_tenant_id_location_id_stock_locations')),
    sa.ForeignKeyConstraint(['tenant_id', 'registration_id'], ['registrations.tenant_id', 'registrations.id'], name=op.f('fk_donor_units_tenant_id_registration_id_registrations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_donor_units_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_donor_units')),
    sa.UniqueConstraint('tenant_id', 'serial', name=op.f('uq_donor_units_tenant_id_serial'))
    )
    op.create_table('faulty_parts',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('part_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('warranty_cost_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('batch_id', sa.Uuid(), nullable=True),
    sa.Column('tagged_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_faulty_parts_quantity_positive')),
    sa.CheckConstraint('warranty_cost_minor >= 0', name=op.f('ck_faulty_parts_cost_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id', 'batch_id'], ['part_return_batches.tenant_id', 'part_return_batches.id'], name=op.f('fk_faulty_parts_tenant_id_batch_id_part_return_batches')),
    sa.ForeignKeyConstraint(['tenant_id', 'part_id'], ['part_prices.tenant_id', 'part_prices.id'], name=op.f('fk_faulty_parts_tenant_id_part_id_part_prices')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_faulty_parts_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_faulty_parts_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_faulty_parts'))
    )
    with op.batch_alter_table('faulty_parts', schema=None) as batch_op:
        batch_op.create_index('ix_faulty_parts_supplier_state', ['tenant_id', 'supplier', 'state'], unique=False)

    op.create_table('parts_backorders',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('part_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('supplier_reference', sa.String(length=100), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('placed_by', sa.String(length=120), nullable=False),
    sa.Column('received_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.String(length=120), nullable=True),
    sa.Column('reservation_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_parts_backorders_quantity_positive')),
    sa.ForeignKeyConstraint(['tenant_id', 'location_id'], ['stock_locations.tenant_id', 'stock_locations.id'], name=op.f('fk_parts_backorders_tenant_id_location_id_stock_locations')),
    sa.ForeignKeyConstraint(['tenant_id', 'part_id'], ['part_prices.tenant_id', 'part_prices.id'], name=op.f('fk_parts_backorders_tenant_id_part_id_part_prices')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_parts_backorders_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id', 'reservation_id'], ['stock_reservations.tenant_id', 'stock_reservations.id'], name=op.f('fk_parts_backorders_tenant_id_reservation_id_stock_reservations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_parts_backorders_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_parts_backorders'))
    )
    with op.batch_alter_table('parts_backorders', schema=None) as batch_op:
        batch_op.create_index('ix_parts_backorders_request', ['tenant_id', 'request_id'], unique=False)
        batch_op.create_index('ix_parts_backorders_state_expected', ['tenant_id', 'state', 'expected_on'], unique=False)

    op.create_table('donor_harvests',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('donor_unit_id', sa.Uuid(), nullable=False),
    sa.Column('part_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Uuid(), nullable=False),
    sa.Column('harvested_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_donor_harvests_quantity_positive')),
    sa.ForeignKeyConstraint(['tenant_id', 'donor_unit_id'], ['donor_units.tenant_id', 'donor_units.id'], name=op.f('fk_donor_harvests_tenant_id_donor_unit_id_donor_units')),
    sa.ForeignKeyConstraint(['tenant_id', 'movement_id'], ['stock_movements.tenant_id', 'stock_movements.id'], name=op.f('fk_donor_harvests_tenant_id_movement_id_stock_movements')),
    sa.ForeignKeyConstraint(['tenant_id', 'part_id'], ['part_prices.tenant_id', 'part_prices.id'], name=op.f('fk_donor_harvests_tenant_id_part_id_part_prices')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_donor_harvests_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_donor_harvests')),
    sa.UniqueConstraint('tenant_id', 'donor_unit_id', 'part_id', name=op.f('uq_donor_harvests_tenant_id_donor_unit_id_part_id'))
    )
    for table in ('part_return_batches', 'donor_units', 'faulty_parts', 'parts_backorders', 'donor_harvests'):
        enable_tenant_isolation(op.get_bind(), table)
    forbid_changes(op.get_bind(), 'donor_harvests')


def downgrade() -> None:
    op.drop_table('donor_harvests')
    with op.batch_alter_table('parts_backorders', schema=None) as batch_op:
        batch_op.drop_index('ix_parts_backorders_state_expected')
        batch_op.drop_index('ix_parts_backorders_request')

    op.drop_table('parts_backorders')
    with op.batch_alter_table('faulty_parts', schema=None) as batch_op:
        batch_op.drop_index('ix_faulty_parts_supplier_state')

    op.drop_table('faulty_parts')
    op.drop_table('donor_units')
    op.drop_table('part_return_batches')
