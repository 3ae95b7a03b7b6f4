"""PostgreSQL row-level security: the database half of tenant isolation.

Migrations call :func:`enable_tenant_isolation` for every tenant-owned table they create. The policy compares
``tenant_id`` with the setting ``app.tenant_id``: transaction-local in a tenant session, session-level on the
read pool's connections, which always set it before use (see :mod:`aftersales.db.session`); an unset or empty
setting matches nothing. ``FORCE`` applies the policy to the
table owner too; only superusers and BYPASSRLS roles escape it, and the application connects as neither.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

POLICY_NAME = "tenant_isolation"
CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"


def enable_tenant_isolation(connection: Connection, table: str) -> None:
    """Enable and force row-level security on ``table`` with the tenant policy (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
    connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
    connection.execute(
        text(
            f'CREATE POLICY {POLICY_NAME} ON "{table}" '
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )
    )
