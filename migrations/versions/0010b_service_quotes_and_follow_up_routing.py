"""service quotes and follow-up routing: quotes on a tenant's own service requests, and the steps an answered
follow-up is routed to (engineer, R&D, call back)

Revision ID: 0010b
Revises: 0010a
Create Date: 2026-12-07 16:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.rls import enable_tenant_isolation

revision = '0010b'
down_revision = '0010a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_quotes',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('labour_hours', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('visit_distance_km', sa.Numeric(precision=9, scale=1), nullable=True),
    sa.Column('under_warranty', sa.Boolean(), nullable=False),
    sa.Column('offered_by', sa.String(length=120), nullable=False),
    sa.Column('offered_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_service_quotes_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_service_quotes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_service_quotes'))
    )
    with op.batch_alter_table('service_quotes', schema=None) as batch_op:
        batch_op.create_index('ix_service_quotes_request', ['tenant_id', 'request_id'], unique=False)
        batch_op.create_index('uq_service_quotes_accepted', ['tenant_id', 'request_id'], unique=True, sqlite_where=sa.text("state = 'accepted'"), postgresql_where=sa.text("state = 'accepted'"))

    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('routed_from_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('routing', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('routed_to', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('routing_reason', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Uuid(), nullable=True))
        batch_op.create_index('ix_followups_routed_from', ['tenant_id', 'routed_from_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_followups_tenant_id_routed_from_id_followups'), 'followups', ['tenant_id', 'routed_from_id'], ['tenant_id', 'id'])
        batch_op.create_foreign_key(batch_op.f('fk_followups_tenant_id_assignee_id_staff_users'), 'staff_users', ['tenant_id', 'assignee_id'], ['tenant_id', 'id'])

    enable_tenant_isolation(op.get_bind(), "service_quotes")


def downgrade() -> None:
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_followups_tenant_id_assignee_id_staff_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_followups_tenant_id_routed_from_id_followups'), type_='foreignkey')
        batch_op.drop_index('ix_followups_routed_from')
        for column in ('assignee_id', 'routing_reason', 'routed_to', 'routing', 'routed_from_id', 'step'):
            batch_op.drop_column(column)

    with op.batch_alter_table('service_quotes', schema=None) as batch_op:
        batch_op.drop_index('uq_service_quotes_accepted', sqlite_where=sa.text("state = 'accepted'"), postgresql_where=sa.text("state = 'accepted'"))
        batch_op.drop_index('ix_service_quotes_request')

    op.drop_table('service_quotes')
