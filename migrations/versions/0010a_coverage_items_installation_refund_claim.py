"""coverage items, installation dates, refund's claim: per-component cover on coverages, a registration's
installation and training sign-off dates, and the claim a refund comes from

Revision ID: 0010a
Revises: 0009c
Create Date: 2026-12-07 15:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010a'
down_revision = '0009c'
branch_labels = None
depends_on = None

REFUND_CLAIM_FK = 'fk_refunds_tenant_id_claim_id_claims'


def upgrade() -> None:
    with op.batch_alter_table('coverages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('items', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('installed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('training_signed_off_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a two-column foreign key only by rebuilding the table; ``migrations/env.py`` checks the
        # foreign keys of the rebuilt table, and of ``refund_events`` pointing at it, once the migrations ran.
        with op.batch_alter_table('refunds', schema=None, recreate='always') as batch_op:
            batch_op.add_column(sa.Column('claim_id', sa.Uuid(), nullable=True))
            batch_op.create_foreign_key(REFUND_CLAIM_FK, 'claims', ['tenant_id', 'claim_id'], ['tenant_id', 'id'])
    else:
        op.add_column('refunds', sa.Column('claim_id', sa.Uuid(), nullable=True))
        op.create_foreign_key(REFUND_CLAIM_FK, 'refunds', 'claims', ['tenant_id', 'claim_id'], ['tenant_id', 'id'])


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('refunds', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint(REFUND_CLAIM_FK, type_='foreignkey')
            batch_op.drop_column('claim_id')
    else:
        op.drop_constraint(REFUND_CLAIM_FK, 'refunds', type_='foreignkey')
        op.drop_column('refunds', 'claim_id')
    for table, column in (('registrations', 'training_signed_off_on'), ('registrations', 'installed_on'),
                          ('coverages', 'items')):
        op.drop_column(table, column)
