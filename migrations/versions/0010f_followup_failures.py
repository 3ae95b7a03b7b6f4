"""follow-up failures: service events whose follow-ups a failing plugin could not plan, retried by the worker

Revision ID: 0010f
Revises: 0010b
Create Date: 2026-12-07 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0010f'
down_revision = '0010b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('followup_failures',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('source_event', sa.String(length=120), nullable=False),
    sa.Column('event_kind', sa.String(length=30), nullable=False),
    sa.Column('event_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('registration_id', sa.Uuid(), nullable=True),
    sa.Column('plugin', sa.String(length=60), nullable=False),
    sa.Column('hook', sa.String(length=60), nullable=False),
    sa.Column('error_id', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'customer_id'], ['customers.tenant_id', 'customers.id'], name=op.f('fk_followup_failures_tenant_id_customer_id_customers')),
    sa.ForeignKeyConstraint(['tenant_id', 'registration_id'], ['registrations.tenant_id', 'registrations.id'], name=op.f('fk_followup_failures_tenant_id_registration_id_registrations')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_followup_failures_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_followup_failures_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_followup_failures')),
    sa.UniqueConstraint('tenant_id', 'source_event', name=op.f('uq_followup_failures_tenant_id_source_event'))
    )
    with op.batch_alter_table('followup_failures', schema=None) as batch_op:
        batch_op.create_index('ix_followup_failures_due', ['tenant_id', 'next_attempt_at'], unique=False)
    enable_tenant_isolation(op.get_bind(), 'followup_failures')


def downgrade() -> None:
    with op.batch_alter_table('followup_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_followup_failures_due')
    op.drop_table('followup_failures')
