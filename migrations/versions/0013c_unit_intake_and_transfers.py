"""units on the move: intakes with their checklist and signature, transfers between service points; service points
get a kind (workshop or office)

Revision ID: 0013c
Revises: 0013b
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base
from aftersales.db.append_only import forbid_changes
from aftersales.db.rls import enable_tenant_isolation

revision = '0013c'
down_revision = '0013b'
branch_labels = None
depends_on = None

OPEN = "received_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('service_points', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='office', nullable=False))

    op.create_table('unit_intakes',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('service_point_id', sa.Uuid(), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signature_sha256', sa.String(length=64), nullable=False),
    sa.Column('signed_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('taken_by', sa.String(length=120), nullable=False),
    sa.Column('taken_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_unit_intakes_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id', 'service_point_id'], ['service_points.tenant_id', 'service_points.id'], name=op.f('fk_unit_intakes_tenant_id_service_point_id_service_points')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_unit_intakes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_unit_intakes')),
    sa.UniqueConstraint('tenant_id', 'request_id', name=op.f('uq_unit_intakes_tenant_id_request_id'))
    )
    op.create_table('unit_transfers',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('from_point_id', sa.Uuid(), nullable=False),
    sa.Column('to_point_id', sa.Uuid(), nullable=False),
    sa.Column('waybill', sa.String(length=60), nullable=False),
    sa.Column('carrier', sa.String(length=100), nullable=False),
    sa.Column('sent_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_by', sa.String(length=120), nullable=False),
    sa.Column('expected_by', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.String(length=120), nullable=True),
    sa.Column('missing_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'from_point_id'], ['service_points.tenant_id', 'service_points.id'], name=op.f('fk_unit_transfers_tenant_id_from_point_id_service_points')),
    sa.ForeignKeyConstraint(['tenant_id', 'request_id'], ['service_requests.tenant_id', 'service_requests.id'], name=op.f('fk_unit_transfers_tenant_id_request_id_service_requests')),
    sa.ForeignKeyConstraint(['tenant_id', 'to_point_id'], ['service_points.tenant_id', 'service_points.id'], name=op.f('fk_unit_transfers_tenant_id_to_point_id_service_points')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_unit_transfers_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_unit_transfers'))
    )
    with op.batch_alter_table('unit_transfers', schema=None) as batch_op:
        batch_op.create_index('ix_unit_transfers_request', ['tenant_id', 'request_id', 'sent_at'], unique=False)
        batch_op.create_index('uq_unit_transfers_one_open', ['tenant_id', 'request_id'], unique=True,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
        batch_op.create_index('ix_unit_transfers_due', ['tenant_id', 'expected_by'], unique=False,
                              sqlite_where=sa.text(f"{OPEN} AND missing_at IS NULL"),
                              postgresql_where=sa.text(f"{OPEN} AND missing_at IS NULL"))
    bind = op.get_bind()
    for table in ('unit_intakes', 'unit_transfers'):
        enable_tenant_isolation(bind, table)
    forbid_changes(bind, 'unit_intakes')


def downgrade() -> None:
    with op.batch_alter_table('unit_transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_transfers_due')
        batch_op.drop_index('uq_unit_transfers_one_open')
        batch_op.drop_index('ix_unit_transfers_request')
    op.drop_table('unit_transfers')
    op.drop_table('unit_intakes')
    with op.batch_alter_table('service_points', schema=None) as batch_op:
        batch_op.drop_column('kind')
