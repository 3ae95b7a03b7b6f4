"""The ORM layer of tenant isolation, on its own.

SQLite has no row-level security, and on PostgreSQL these tests connect as a superuser, which bypasses it:
either way only the session's filtering and stamping stand between the tenants.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from aftersales.db import Database
from aftersales.errors import CrossTenantWrite, TenantNotBound
from aftersales.identity.models import Customer, StaffUser


@pytest.fixture
async def orm_only_db(backend, postgres, runtime):
    """A Database whose connection ignores RLS: SQLite, or PostgreSQL as a superuser."""
    if backend.name == "sqlite":
        db = Database(backend.app_url)
    else:
        name = backend.app_url.rsplit("/", 1)[1]
        db = Database(postgres.admin_dsn(name).replace("postgresql://", "postgresql+asyncpg://", 1))
        async with db.engine.connect() as conn:  # prove RLS really is out of the way for this connection
            assert (await conn.execute(text("select rolbypassrls or rolsuper from pg_roles where rolname = current_user"))).scalar()
    yield db
    await db.dispose()


@pytest.fixture
async def two_tenants(make_tenant, orm_only_db):
    a = await make_tenant("alpha")
    b = await make_tenant("bravo")
    async with orm_only_db.transaction(a.id) as s:
        s.add_all([Customer(name="Ali (alpha)"), Customer(name="Aza (alpha)")])
    async with orm_only_db.transaction(b.id) as s:
        s.add(Customer(name="Bita (bravo)"))
    return a, b


async def test_a_tenant_session_reads_only_its_own_rows(orm_only_db, two_tenants):
    a, b = two_tenants
    async with orm_only_db.transaction(a.id) as s:
        names = sorted(await s.scalars(select(Customer.name)))
        count = await s.scalar(select(func.count()).select_from(Customer))
    assert names == ["Ali (alpha)", "Aza (alpha)"]
    assert count == 2


async def test_get_by_primary_key_of_another_tenant_finds_nothing(orm_only_db, two_tenants):
    a, b = two_tenants
    async with orm_only_db.transaction(b.id) as s:
        bita = await s.scalar(select(Customer))
    async with orm_only_db.transaction(a.id) as s:
        assert await s.get(Customer, (b.id, bita.id)) is None
        # even naming the other tenant's id explicitly in the WHERE clause finds nothing
        assert (await s.scalars(select(Customer).where(Customer.tenant_id == b.id))).all() == []


async def test_subqueries_and_exists_are_filtered_too(orm_only_db, two_tenants):
    from sqlalchemy import exists

    from aftersales.tenancy.models import Tenant

    a, b = two_tenants
    async with orm_only_db.transaction(a.id) as s:
        via_in = set(await s.scalars(select(Tenant.slug).where(Tenant.id.in_(select(Customer.tenant_id)))))
        via_exists = set(await s.scalars(select(Tenant.slug).where(exists().where(Customer.tenant_id == Tenant.id))))
    assert via_in == via_exists == {"alpha"}


async def test_joined_aliases_are_filtered_too(orm_only_db, two_tenants):
    from sqlalchemy.orm import aliased

    a, b = two_tenants
    other = aliased(Customer)
    async with orm_only_db.transaction(a.id) as s:
        pairs = (await s.execute(select(Customer.name, other.name).join(other, other.name != Customer.name))).all()
    assert {n for pair in pairs for n in pair} == {"Ali (alpha)", "Aza (alpha)"}


async def test_bulk_update_and_delete_cannot_reach_another_tenant(orm_only_db, two_tenants):
    a, b = two_tenants
    async with orm_only_db.transaction(a.id) as s:
        updated = await s.execute(update(Customer).values(locale="fa"))
        deleted = await s.execute(delete(Customer).where(Customer.name.like("B%")))
    assert updated.rowcount == 2
    assert deleted.rowcount == 0
    async with orm_only_db.transaction(b.id) as s:
        bita = await s.scalar(select(Customer))
    assert bita.name == "Bita (bravo)" and bita.locale is None


async def test_insert_is_stamped_with_the_session_tenant(orm_only_db, two_tenants):
    a, b = two_tenants
    async with orm_only_db.transaction(a.id) as s:
        c = Customer(name="New")
        s.add(c)
    assert c.tenant_id == a.id


async def test_insert_naming_another_tenant_is_refused_and_nothing_is_written(orm_only_db, two_tenants):
    a, b = two_tenants
    with pytest.raises(CrossTenantWrite):
        async with orm_only_db.transaction(a.id) as s:
            s.add(Customer(name="Smuggled", tenant_id=b.id))
    with pytest.raises(CrossTenantWrite):
        async with orm_only_db.transaction(a.id) as s:
            await s.execute(insert(Customer), [{"name": "Smuggled too", "tenant_id": b.id}])
    async with orm_only_db.transaction(b.id) as s:
        assert list(await s.scalars(select(Customer.name))) == ["Bita (bravo)"]


async def test_bulk_insert_rows_without_tenant_are_stamped(orm_only_db, two_tenants):
    a, _ = two_tenants
    async with orm_only_db.transaction(a.id) as s:
        await s.execute(insert(Customer), [{"name": "Bulk 1"}, {"name": "Bulk 2"}])
    async with orm_only_db.transaction(a.id) as s:
        assert await s.scalar(select(func.count()).select_from(Customer)) == 4


async def test_moving_a_row_to_another_tenant_is_refused(orm_only_db, two_tenants):
    a, b = two_tenants
    with pytest.raises(CrossTenantWrite):
        async with orm_only_db.transaction(a.id) as s:
            c = await s.scalar(select(Customer).limit(1))
            c.tenant_id = b.id


async def test_a_platform_session_cannot_touch_tenant_tables(orm_only_db, two_tenants):
    from aftersales.tenancy.models import Tenant

    with pytest.raises(TenantNotBound):
        async with orm_only_db.transaction(None) as s:
            await s.scalars(select(StaffUser))
    with pytest.raises(TenantNotBound):
        async with orm_only_db.transaction(None) as s:
            await s.scalar(select(func.count()).select_from(Customer))
    with pytest.raises(TenantNotBound):
        async with orm_only_db.transaction(None) as s:
            await s.scalars(select(Tenant.slug).where(Tenant.id.in_(select(Customer.tenant_id))))
    with pytest.raises(TenantNotBound):
        async with orm_only_db.transaction(None) as s:
            s.add(Customer(name="Nobody's"))
    with pytest.raises(TenantNotBound):
        async with orm_only_db.transaction(None) as s:
            await s.execute(update(Customer).values(name="x"))


async def test_the_runtime_database_is_the_same_guard(runtime, make_tenant):
    """The application's own Database (not a test double) carries the same events."""
    a = await make_tenant("charlie")
    with pytest.raises(TenantNotBound):
        async with runtime.db.transaction(None) as s:
            await s.scalars(select(Customer))
    async with runtime.db.transaction(a.id) as s:
        assert (await s.scalars(select(Customer))).all() == []

