"""sla clocks at risk (when, and when announced) and an index of webhook messages by endpoint

Revision ID: 0011b
Revises: 0010f
Create Date: 2026-12-07 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import aftersales.db.base

revision = '0011b'
down_revision = '0011a'
branch_labels = None
depends_on = None

AT_RISK_PENDING = ("at_risk_handled_at IS NULL AND breach_handled_at IS NULL AND met_at IS NULL "
                   "AND at_risk_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at_risk_at', aftersales.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('at_risk_handled_at', aftersales.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index('ix_sla_clocks_at_risk', ['tenant_id', 'at_risk_at'], unique=False,
                              sqlite_where=sa.text(AT_RISK_PENDING), postgresql_where=sa.text(AT_RISK_PENDING))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_endpoint', ['tenant_id', 'webhook_endpoint_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_endpoint')
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_sla_clocks_at_risk', sqlite_where=sa.text(AT_RISK_PENDING),
                            postgresql_where=sa.text(AT_RISK_PENDING))
        batch_op.drop_column('at_risk_handled_at')
        batch_op.drop_column('at_risk_at')
