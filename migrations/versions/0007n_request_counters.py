"""request counters: one row per tenant with the last request number it gave out, backfilled from its requests

Numbers are then taken with one upsert instead of max(number) + 1 under a savepoint with retries.
On PostgreSQL ``service_requests`` forces row-level security on its owner too, so the backfill lifts the force
for its one statement (inside the migration's transaction) and puts it back.

Revision ID: 0007n
Revises: 0006p
Create Date: 2026-11-22 00:52:09.282372
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aftersales.db.rls import enable_tenant_isolation

revision = '0007n'
down_revision = '0007q'
branch_labels = None
depends_on = None

BACKFILL = ("INSERT INTO request_counters (tenant_id, last_number) "
            "SELECT tenant_id, max(number) FROM service_requests GROUP BY tenant_id")


def upgrade() -> None:
    op.create_table('request_counters',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_request_counters_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_request_counters'))
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE service_requests NO FORCE ROW LEVEL SECURITY")
        op.execute(BACKFILL)
        op.execute("ALTER TABLE service_requests FORCE ROW LEVEL SECURITY")
    else:
        op.execute(BACKFILL)
    enable_tenant_isolation(bind, "request_counters")


def downgrade() -> None:
    op.drop_table('request_counters')
