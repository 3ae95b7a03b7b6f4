"""disputes: a customer's dispute with a provider or the company, its mediation notes

Revision ID: 0012d
Revises: 0011b
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0012d'
down_revision = '0012b'
branch_labels = None
depends_on = None

LIVE = "state NOT IN ('settled', 'ruled', 'withdrawn')"


def upgrade() -> None:
    op.create_table('disputes',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('request_id', sa.Uuid(), nullable=True),
    sa.Column('claim_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('respondent', sa.String(length=10), nullable=False),
    sa.Column('provider_id', sa.Uuid(), nullable=True),
    sa.Column('grounds', sa.String(length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('opened_by', sa.String(length=120), nullable=False),
    sa.Column('opened_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=120), nullable=True),
    sa.Column('answered_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('mediator', sa.String(length=120), nullable=True),
    sa.Column('mediation_started_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('settlement', sa.Text(), nullable=True),
    sa.Column('settlement_refund_minor', sa.BigInteger(), nullable=True),
    sa.Column('settlement_proposed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('settlement_answer', sa.String(length=10), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('ruling_reason', sa.Text(), nullable=True),
    sa.Column('refund_owed_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('ruled_by', sa.String(length=120), nullable=True),
    sa.Column('ended_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'booking_id'], ['bookings.tenant_id', 'bookings.id'], name=op.f('fk_disputes_tenant_id_booking_id_bookings')),
    sa.ForeignKeyConstraint(['tenant_id', 'claim_id'], ['claims.tenant_id', 'claims.id'], name=op.f('fk_disputes_tenant_id_claim_id_claims')),
    sa.ForeignKeyConstraint(['tenant_id', 'customer_id'], ['customers.tenant_id', 'customers.id'], name=op.f('fk_disputes_tenant_id_customer_id_customers')),
    sa.ForeignKeyConstraint(['tenant_id', 'provider_id'], ['providers.tenant_id', 'providers.id'], name=op.f('fk_disputes_tenant_id_provider_id_providers')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_disputes_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_disputes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_customer', ['tenant_id', 'customer_id'], unique=False)
        batch_op.create_index('ix_disputes_provider', ['tenant_id', 'provider_id'], unique=False)
        batch_op.create_index('ix_disputes_state', ['tenant_id', 'state', 'opened_at'], unique=False)
        batch_op.create_index('uq_disputes_live_subject', ['tenant_id', 'subject', 'subject_id'], unique=True,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))

    op.create_table('dispute_notes',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('dispute_id', sa.Uuid(), nullable=False),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'dispute_id'], ['disputes.tenant_id', 'disputes.id'], name=op.f('fk_dispute_notes_tenant_id_dispute_id_disputes')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_dispute_notes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_dispute_notes'))
    )
    with op.batch_alter_table('dispute_notes', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_notes_dispute', ['tenant_id', 'dispute_id'], unique=False)
    for table in ('disputes', 'dispute_notes'):
        enable_tenant_isolation(op.get_bind(), table)


def downgrade() -> None:
    op.drop_table('dispute_notes')
    op.drop_table('disputes')
