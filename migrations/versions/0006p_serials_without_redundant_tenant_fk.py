"""serials: drop the foreign key tenant_id → tenants, redundant beside (tenant_id, model_id) → product_models

Each foreign key is a trigger per inserted row on PostgreSQL; this one proved nothing the model's key does not
(a serial's tenant is its model's, and the model's tenant exists), and cost a bulk import a fifth of its time.

Revision ID: 0006p
Revises: 0005
Create Date: 2026-11-21 23:36:52.395646
"""

from __future__ import annotations

from alembic import op

revision = '0006p'
down_revision = '0006f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_serials_tenant_id_tenants'), type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_serials_tenant_id_tenants'), 'tenants', ['tenant_id'], ['id'])
