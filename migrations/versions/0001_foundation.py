"""foundation: tenants, identity

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 20:07:00.835186
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('operators',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operators')),
    sa.UniqueConstraint('email', name=op.f('uq_operators_email'))
    )
    op.create_table('tenants',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('vertical', sa.String(length=60), nullable=False),
    sa.Column('addons', sa.JSON(), nullable=False),
    sa.Column('plugin_settings', sa.JSON(), nullable=False),
    sa.Column('locales', sa.JSON(), nullable=False),
    sa.Column('default_locale', sa.String(length=10), nullable=False),
    sa.Column('time_zone', sa.String(length=60), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('weekend_days', sa.JSON(), nullable=False),
    sa.Column('business_opens', sa.String(length=5), nullable=False),
    sa.Column('business_closes', sa.String(length=5), nullable=False),
    sa.Column('closures', sa.JSON(), nullable=False),
    sa.Column('branding', sa.JSON(), nullable=False),
    sa.Column('custom_domain', sa.String(length=253), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('custom_domain', name=op.f('uq_tenants_custom_domain')),
    sa.UniqueConstraint('slug', name=op.f('uq_tenants_slug'))
    )
    op.create_table('api_clients',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.String(length=80), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_api_clients_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_api_clients_client_id'))
    )
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_clients_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('customers',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_customers_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_customers')),
    sa.UniqueConstraint('tenant_id', 'email', name=op.f('uq_customers_tenant_id_email')),
    sa.UniqueConstraint('tenant_id', 'phone', name=op.f('uq_customers_tenant_id_phone'))
    )
    op.create_table('staff_users',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_staff_users_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('tenant_id', 'email', name=op.f('uq_staff_users_tenant_id_email'))
    )
    for table in ("customers", "staff_users"):
        enable_tenant_isolation(op.get_bind(), table)


def downgrade() -> None:
    op.drop_table('staff_users')
    op.drop_table('customers')
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_clients_tenant_id'))

    op.drop_table('api_clients')
    op.drop_table('tenants')
    op.drop_table('operators')
