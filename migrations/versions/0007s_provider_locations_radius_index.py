"""provider_locations: index (tenant_id, active, service_radius_km) for provider search

Search draws its bounding box as wide as the tenant's widest active service radius; this index answers that
maximum from its end instead of reading every location of the tenant.

Revision ID: 0007s
Revises: 0007q
Create Date: 2026-11-22 00:57:45.609371
"""

from __future__ import annotations

from alembic import op

revision = '0007s'
down_revision = '0007n'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_provider_locations_radius', 'provider_locations', ['tenant_id', 'active', 'service_radius_km'])


def downgrade() -> None:
    op.drop_index('ix_provider_locations_radius', table_name='provider_locations')
