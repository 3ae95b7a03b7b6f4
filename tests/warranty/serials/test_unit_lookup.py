"""The staff lookup's read path: a Core query on a read connection that names its tenant, with row-level
security still holding on PostgreSQL, a read connection that cannot write and that serves one tenant after
another correctly, and nothing left behind on the tenant sessions' pool."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from aftersales.db.session import Database
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.serials.lookup import view_unit
from support.warranty import add_unit, imei


async def test_the_lookup_shows_the_unit_its_coverage_and_persian_digits_find_it(client, runtime, make_tenant,
                                                                                 staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, imei(1))
    admin = await staff_token(mehr, "admin")
    await client.post("/api/v1/registrations/", headers=admin, json={
        "serial": imei(1), "purchased_on": "2026-06-01", "owner": {"name": "Owner", "email": "owner@example.com"}})
    persian = imei(1).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    found = await client.get(f"/api/v1/serials/{persian}", headers=admin)
    assert found.status_code == 200, found.text
    body = found.json()
    assert (body["serial"], body["model"]["sku"], body["status"]) == (imei(1), "PH-1", "registered")
    assert body["coverage"]["warranty_start"] == "2026-06-01" and body["registration_id"] is not None
    unregistered = await client.get(f"/api/v1/serials/{imei(2)}", headers=admin)
    assert unregistered.status_code == 404


async def test_a_unit_is_viewed_only_through_its_own_tenant(runtime, make_tenant):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    await add_unit(runtime, mehr, imei(1))
    for tenant, expected in ((mehr, imei(1)), (other, None)):
        bound = bind_tenant(tenant, runtime.plugins)
        async with runtime.db.reading(tenant.id) as connection:
            view = await view_unit(connection, bound, imei(1))
        assert view.check.valid and (view.facts.serial if view.facts else None) == expected


@pytest.mark.postgres_only  # row-level security is PostgreSQL's; SQLite has only the query's own tenant filter
async def test_row_level_security_holds_on_a_read_connection_without_a_tenant_filter(runtime, make_tenant):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    await add_unit(runtime, mehr, imei(1))
    async with runtime.db.reading(other.id) as connection:
        assert (await connection.execute(text("SELECT count(*) FROM serials"))).scalar() == 0
    async with runtime.db.reading(mehr.id) as connection:
        assert (await connection.execute(text("SELECT count(*) FROM serials"))).scalar() == 1


@pytest.mark.postgres_only  # the read-only transaction and the tenant setting are PostgreSQL's
async def test_a_read_connection_cannot_write_and_leaves_no_tenant_on_the_sessions_pool(runtime, make_tenant):
    mehr = await make_tenant("mehr")
    with pytest.raises(DBAPIError, match="read-only transaction"):
        async with runtime.db.reading(mehr.id) as connection:
            await connection.execute(text("UPDATE serials SET seller = 'x'"))
    async with runtime.db.reading(mehr.id):
        pass
    for _ in range(runtime.settings.db_pool_size + 1):  # every pooled connection, whichever comes back
        async with runtime.db.engine.connect() as connection:
            setting = (await connection.execute(text("SELECT current_setting('app.tenant_id', true)"))).scalar()
            assert not setting


@pytest.mark.postgres_only  # the read pool's connections keep a session-level tenant setting on PostgreSQL
async def test_one_pooled_read_connection_serves_tenant_after_tenant_with_only_their_rows(runtime, make_tenant):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    await add_unit(runtime, mehr, imei(1))
    await add_unit(runtime, other, imei(2))
    await add_unit(runtime, other, imei(3))
    db = Database(runtime.settings.database_url, pool_size=1, max_overflow=0)  # one connection, reused each time
    try:
        seen = []
        for tenant in (mehr, other, other, mehr, other):
            async with db.reading(tenant.id) as connection:
                rows = await connection.execute(text("SELECT serial FROM serials ORDER BY serial"))
                seen.append([serial for (serial,) in rows])
        assert seen == [[imei(1)], [imei(2), imei(3)], [imei(2), imei(3)], [imei(1)], [imei(2), imei(3)]]
        with pytest.raises(DBAPIError):  # a failed statement does not leave the connection unusable
            async with db.reading(mehr.id) as connection:
                await connection.execute(text("SELECT 1/0"))
        async with db.reading(other.id) as connection:
            assert (await connection.execute(text("SELECT count(*) FROM serials"))).scalar() == 2
    finally:
        await db.dispose()


@pytest.mark.postgres_only  # the mode for PgBouncer in transaction mode (AFTERSALES_DB_TRANSACTION_POOLER)
async def test_behind_a_transaction_pooler_each_read_is_its_own_read_only_transaction(runtime, make_tenant):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    await add_unit(runtime, mehr, imei(1))
    db = Database(runtime.settings.database_url, transaction_pooler=True, pool_size=1, max_overflow=0)
    try:
        for tenant, expected in ((mehr, 1), (other, 0), (mehr, 1)):
            async with db.reading(tenant.id) as connection:
                assert (await connection.execute(text("SELECT count(*) FROM serials"))).scalar() == expected
        with pytest.raises(DBAPIError, match="read-only transaction"):
            async with db.reading(mehr.id) as connection:
                await connection.execute(text("UPDATE serials SET seller = 'x'"))
        async with db.read_engine.connect() as connection:  # the one pooled connection: no tenant kept on it
            setting = (await connection.execute(text("SELECT current_setting('app.tenant_id', true)"))).scalar()
            assert not setting
    finally:
        await db.dispose()
