"""dispatch: technicians, their authorisations per product category, on-site visits

Revision ID: 0013d
Revises: 0013a
Create Date: 2026-12-07 23:20:45.067989
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0013d'
down_revision = '0013a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('technicians',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('staff_user_id', sa.Uuid(), nullable=True),
    sa.Column('provider_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('home_latitude', sa.Float(), nullable=False),
    sa.Column('home_longitude', sa.Float(), nullable=False),
    sa.Column('works_from', sa.Time(), nullable=False),
    sa.Column('works_until', sa.Time(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('daily_capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(staff_user_id IS NULL) <> (provider_id IS NULL)', name=op.f('ck_technicians_staff_or_provider')),
    sa.CheckConstraint('daily_capacity >= 1', name=op.f('ck_technicians_capacity_positive')),
    sa.CheckConstraint('works_from < works_until', name=op.f('ck_technicians_hours_in_order')),
    sa.ForeignKeyConstraint(['tenant_id', 'provider_id'], ['providers.tenant_id', 'providers.id'], name=op.f('fk_technicians_tenant_id_provider_id_providers')),
    sa.ForeignKeyConstraint(['tenant_id', 'staff_user_id'], ['staff_users.tenant_id', 'staff_users.id'], name=op.f('fk_technicians_tenant_id_staff_user_id_staff_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_technicians_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_technicians')),
    sa.UniqueConstraint('tenant_id', 'staff_user_id', name=op.f('uq_technicians_tenant_id_staff_user_id'))
    )
    with op.batch_alter_table('technicians', schema=None) as batch_op:
        batch_op.create_index('ix_technicians_active', ['tenant_id', 'active'], unique=False)

    op.create_table('technician_authorisations',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'technician_id'], ['technicians.tenant_id', 'technicians.id'], name=op.f('fk_technician_authorisations_tenant_id_technician_id_technicians')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_technician_authorisations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_technician_authorisations')),
    sa.UniqueConstraint('tenant_id', 'technician_id', 'category', name=op.f('uq_technician_authorisations_tenant_id_technician_id_category'))
    )
    with op.batch_alter_table('technician_authorisations', schema=None) as batch_op:
        batch_op.create_index('ix_technician_authorisations_category', ['tenant_id', 'category', 'until'], unique=False)

    op.create_table('visits',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('skill', sa.String(length=80), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=True),
    sa.Column('in_warranty', sa.Boolean(), nullable=False),
    sa.Column('site_latitude', sa.Float(), nullable=False),
    sa.Column('site_longitude', sa.Float(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('window_start', sa.Time(), nullable=False),
    sa.Column('window_end', sa.Time(), nullable=False),
    sa.Column('technician_id', sa.Uuid(), nullable=True),
    sa.Column('route_order', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('planned_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('planned_by', sa.String(length=120), nullable=True),
    sa.Column('fixed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('flagged_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('arrived_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signature_png', sa.Text(), nullable=True),
    sa.Column('signed_by', sa.String(length=200), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(request_id IS NULL) <> (booking_id IS NULL)', name=op.f('ck_visits_request_or_booking')),
    sa.CheckConstraint('window_start < window_end', name=op.f('ck_visits_window_in_order')),
    sa.ForeignKeyConstraint(['tenant_id', 'booking_id'], ['bookings.tenant_id', 'bookings.id'], name=op.f('fk_visits_tenant_id_booking_id_bookings')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_visits_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id', 'technician_id'], ['technicians.tenant_id', 'technicians.id'], name=op.f('fk_visits_tenant_id_technician_id_technicians')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_visits_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_day', ['tenant_id', 'day', 'state'], unique=False)
        batch_op.create_index('ix_visits_request', ['tenant_id', 'request_id'], unique=False)
        batch_op.create_index('ix_visits_technician_day', ['tenant_id', 'technician_id', 'day'], unique=False)

    for table in ('technicians', 'technician_authorisations', 'visits'):
        enable_tenant_isolation(op.get_bind(), table)


def downgrade() -> None:
    op.drop_table('visits')
    op.drop_table('technician_authorisations')
    op.drop_table('technicians')
