"""warranty: registrations, coverage, claims

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 20:44:13.995522
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_attachments_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_attachments'))
    )
    op.create_table('registrations',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('serial_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('purchased_on', sa.Date(), nullable=False),
    sa.Column('invoice_number', sa.String(length=80), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('seller', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('owned_from', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('previous_id', sa.Uuid(), nullable=True),
    sa.Column('proof_id', sa.Uuid(), nullable=True),
    sa.Column('registered_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'customer_id'], ['customers.tenant_id', 'customers.id'], name=op.f('fk_registrations_tenant_id_customer_id_customers')),
    sa.ForeignKeyConstraint(['tenant_id', 'previous_id'], ['registrations.tenant_id', 'registrations.id'], name=op.f('fk_registrations_tenant_id_previous_id_registrations')),
    sa.ForeignKeyConstraint(['tenant_id', 'proof_id'], ['attachments.tenant_id', 'attachments.id'], name=op.f('fk_registrations_tenant_id_proof_id_attachments')),
    sa.ForeignKeyConstraint(['tenant_id', 'serial_id'], ['serials.tenant_id', 'serials.id'], name=op.f('fk_registrations_tenant_id_serial_id_serials')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_registrations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_registrations'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_customer', ['tenant_id', 'customer_id'], unique=False)
        batch_op.create_index('ix_registrations_serial', ['tenant_id', 'serial_id'], unique=False)
        batch_op.create_index('uq_registrations_active_serial', ['tenant_id', 'serial_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('claims',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('registration_id', sa.Uuid(), nullable=False),
    sa.Column('serial_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('failed_conditions', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('requires_onsite_visit', sa.Boolean(), nullable=False),
    sa.Column('arrange_by_phone_first', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('filed_by', sa.String(length=120), nullable=False),
    sa.Column('replacement_serial_id', sa.Uuid(), nullable=True),
    sa.Column('exchanged_on', sa.Date(), nullable=True),
    sa.Column('resolution_options', sa.JSON(), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'registration_id'], ['registrations.tenant_id', 'registrations.id'], name=op.f('fk_claims_tenant_id_registration_id_registrations')),
    sa.ForeignKeyConstraint(['tenant_id', 'replacement_serial_id'], ['serials.tenant_id', 'serials.id'], name=op.f('fk_claims_tenant_id_replacement_serial_id_serials')),
    sa.ForeignKeyConstraint(['tenant_id', 'serial_id'], ['serials.tenant_id', 'serials.id'], name=op.f('fk_claims_tenant_id_serial_id_serials')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_claims_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_claims'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_registration', ['tenant_id', 'registration_id'], unique=False)

    op.create_table('coverages',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('registration_id', sa.Uuid(), nullable=False),
    sa.Column('warranty_start', sa.Date(), nullable=False),
    sa.Column('warranty_end', sa.Date(), nullable=False),
    sa.Column('parts_support_end', sa.Date(), nullable=True),
    sa.Column('return_until', sa.Date(), nullable=True),
    sa.Column('exchange_until', sa.Date(), nullable=True),
    sa.Column('restarts_on_exchange', sa.Boolean(), nullable=False),
    sa.Column('exclusions', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('superseded_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'registration_id'], ['registrations.tenant_id', 'registrations.id'], name=op.f('fk_coverages_tenant_id_registration_id_registrations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_coverages_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_coverages'))
    )
    with op.batch_alter_table('coverages', schema=None) as batch_op:
        batch_op.create_index('uq_coverages_current', ['tenant_id', 'registration_id'], unique=True, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))

    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_serials_clone_suspected', ['tenant_id', 'clone_suspected_at'], unique=False, sqlite_where=sa.text('clone_suspected_at IS NOT NULL'), postgresql_where=sa.text('clone_suspected_at IS NOT NULL'))

    for table in ('attachments', 'registrations', 'coverages', 'claims'):
        enable_tenant_isolation(op.get_bind(), table)


def downgrade() -> None:
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.drop_column('status_reason')
        batch_op.drop_index('ix_serials_clone_suspected', sqlite_where=sa.text('clone_suspected_at IS NOT NULL'), postgresql_where=sa.text('clone_suspected_at IS NOT NULL'))

    with op.batch_alter_table('coverages', schema=None) as batch_op:
        batch_op.drop_index('uq_coverages_current', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))

    op.drop_table('coverages')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_registration')

    op.drop_table('claims')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('uq_registrations_active_serial', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index('ix_registrations_serial')
        batch_op.drop_index('ix_registrations_customer')

    op.drop_table('registrations')
    op.drop_table('attachments')
