"""service requests and their timeline

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 21:08:02.130524
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.append_only import forbid_changes
from aftersales.db.rls import enable_tenant_isolation

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_requests',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('registration_id', sa.Uuid(), nullable=True),
    sa.Column('claim_id', sa.Uuid(), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('opened_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assignee_id'], ['staff_users.tenant_id', 'staff_users.id'], name=op.f('fk_service_requests_tenant_id_assignee_id_staff_users')),
    sa.ForeignKeyConstraint(['tenant_id', 'claim_id'], ['claims.tenant_id', 'claims.id'], name=op.f('fk_service_requests_tenant_id_claim_id_claims')),
    sa.ForeignKeyConstraint(['tenant_id', 'customer_id'], ['customers.tenant_id', 'customers.id'], name=op.f('fk_service_requests_tenant_id_customer_id_customers')),
    sa.ForeignKeyConstraint(['tenant_id', 'registration_id'], ['registrations.tenant_id', 'registrations.id'], name=op.f('fk_service_requests_tenant_id_registration_id_registrations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_requests_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_service_requests')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_service_requests_tenant_id_number'))
    )
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index('ix_service_requests_customer', ['tenant_id', 'customer_id'], unique=False)
        batch_op.create_index('ix_service_requests_state', ['tenant_id', 'state', 'opened_at'], unique=False)

    op.create_table('request_events',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_request_events_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_request_events_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_request_events'))
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index('ix_request_events_request', ['tenant_id', 'request_id', 'occurred_at'], unique=False)

    for table in ('service_requests', 'request_events'):
        enable_tenant_isolation(op.get_bind(), table)
    forbid_changes(op.get_bind(), 'request_events')


def downgrade() -> None:
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_request_events_request')

    op.drop_table('request_events')
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_service_requests_state')
        batch_op.drop_index('ix_service_requests_customer')

    op.drop_table('service_requests')
