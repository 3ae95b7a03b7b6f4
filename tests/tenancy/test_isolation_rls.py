"""The PostgreSQL layer of tenant isolation, on its own: raw SQL as the application role, no ORM guard."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from aftersales.db.rls import POLICY_NAME
from aftersales.tables import Customer
from aftersales.testing.postgres import APP_ROLE

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def pg_backend(backend):
    return backend


def _app_dsn(backend) -> str:
    return backend.app_url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.fixture
async def seeded(pg_backend, make_tenant, runtime):
    a = await make_tenant("alpha")
    b = await make_tenant("bravo")
    async with runtime.db.transaction(a.id) as s:
        s.add(Customer(name="Ali (alpha)"))
    async with runtime.db.transaction(b.id) as s:
        s.add(Customer(name="Bita (bravo)"))
    return a, b


def _as_tenant(conn: psycopg.Connection, tenant_id: uuid.UUID | None) -> None:
    conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id or ""),))


def test_the_application_role_cannot_bypass_or_own(pg_backend):
    with psycopg.connect(_app_dsn(pg_backend)) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
    assert row == (False, False)
    assert APP_ROLE not in owners


def test_raw_sql_sees_only_the_transaction_tenant(seeded, pg_backend):
    a, b = seeded
    with psycopg.connect(_app_dsn(pg_backend)) as conn:
        with conn.transaction():
            _as_tenant(conn, a.id)
            names = [r[0] for r in conn.execute("SELECT name FROM customers")]
            # asking for the other tenant's rows by id still finds nothing
            other = conn.execute("SELECT count(*) FROM customers WHERE tenant_id = %s", (b.id,)).fetchone()[0]
    assert names == ["Ali (alpha)"]
    assert other == 0


def test_without_a_tenant_setting_nothing_is_visible(seeded, pg_backend):
    with psycopg.connect(_app_dsn(pg_backend)) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


def test_the_setting_is_transaction_local_so_pooled_connections_do_not_leak(seeded, pg_backend):
    a, _ = seeded
    with psycopg.connect(_app_dsn(pg_backend)) as conn:
        with conn.transaction():
            _as_tenant(conn, a.id)
            assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 1
        # the next transaction on the same connection starts with no tenant
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


def test_raw_insert_update_delete_of_another_tenant_are_refused(seeded, pg_backend):
    a, b = seeded
    with psycopg.connect(_app_dsn(pg_backend)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            with conn.transaction():
                _as_tenant(conn, a.id)
                conn.execute("INSERT INTO customers (tenant_id, id, name, created_at) VALUES (%s, %s, 'x', now())",
                             (b.id, uuid.uuid4()))
        with conn.transaction():
            _as_tenant(conn, a.id)
            updated = conn.execute("UPDATE customers SET name = 'hijacked' WHERE tenant_id = %s", (b.id,)).rowcount
            deleted = conn.execute("DELETE FROM customers WHERE tenant_id = %s", (b.id,)).rowcount
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            with conn.transaction():  # moving one's own row into another tenant violates WITH CHECK
                _as_tenant(conn, a.id)
                conn.execute("UPDATE customers SET tenant_id = %s", (b.id,))
        with conn.transaction():
            _as_tenant(conn, b.id)
            names = [r[0] for r in conn.execute("SELECT name FROM customers")]
    assert (updated, deleted) == (0, 0)
    assert names == ["Bita (bravo)"]


def test_every_tenant_table_has_forced_rls_and_the_policy(pg_backend):
    from aftersales.db.base import Base, TenantOwned

    tenant_tables = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, TenantOwned)}
    with psycopg.connect(_app_dsn(pg_backend)) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = %s) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'",
            (POLICY_NAME,),
        ).fetchall()
    secured = {name for name, enabled, forced, has_policy in rows if enabled and forced and has_policy}
    assert tenant_tables, "no tenant tables found"
    assert tenant_tables <= secured, f"tables without forced RLS: {sorted(tenant_tables - secured)}"


