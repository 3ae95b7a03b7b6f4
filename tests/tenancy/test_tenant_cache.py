"""The tenant cache behind API requests: a suspension applies at once when it is made in this process and
within the cache's lifetime when it is made elsewhere, and two tenants never get each other's context."""

from __future__ import annotations

from aftersales.db import Database
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import OPERATOR, TENANT_READ
from aftersales.tenancy.current import TENANT_CACHE_SECONDS, TenantCache, bind_tenant, tenant_cache
from aftersales.tenancy.directory import set_status


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def bearer(runtime, tenant) -> dict[str, str]:
    token = runtime.tokens.issue(Principal("client", "erp", tenant.id, frozenset({TENANT_READ})))
    return {"Authorization": f"Bearer {token}"}


async def suspend_elsewhere(runtime, slug: str, status: str = "suspended") -> None:
    """Change the status as another process would: through an engine of its own, whose commits this
    process's cache never hears of."""
    other = Database(runtime.settings.database_url)
    try:
        async with other.transaction(None) as session:
            await set_status(session, slug, status)
    finally:
        await other.dispose()


async def test_a_tenant_suspended_by_the_operator_api_is_refused_at_once(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    headers = bearer(runtime, alpha)
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200
    operator = runtime.tokens.issue(Principal("operator", "ops", None, frozenset({OPERATOR})))
    suspended = await client.post("/api/v1/operator/tenants/alpha/status", json={"status": "suspended"},
                                  headers={"Authorization": f"Bearer {operator}"})
    assert suspended.status_code == 200
    refused = await client.get("/api/v1/tenant/", headers=headers)
    assert refused.status_code == 403 and "suspended" in refused.json()["detail"]


async def test_a_tenant_suspended_through_the_services_in_this_process_is_refused_at_once(client, runtime,
                                                                                           make_tenant):
    alpha = await make_tenant("alpha")
    headers = bearer(runtime, alpha)
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200
    async with runtime.db.transaction(None) as session:
        await set_status(session, "alpha", "suspended")
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 403


async def test_a_tenant_suspended_by_another_process_is_refused_within_the_cache_lifetime(client, runtime,
                                                                                          make_tenant):
    clock = Clock()
    tenant_cache(runtime.db).clock = clock
    alpha = await make_tenant("alpha")
    headers = bearer(runtime, alpha)
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200
    await suspend_elsewhere(runtime, "alpha")
    clock.now += TENANT_CACHE_SECONDS - 0.1
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200  # kept, not yet expired
    clock.now += 0.1
    refused = await client.get("/api/v1/tenant/", headers=headers)
    assert refused.status_code == 403 and "suspended" in refused.json()["detail"]


async def test_a_suspended_tenant_is_never_kept_so_reactivating_it_applies_at_once(client, runtime, make_tenant):
    clock = Clock()
    tenant_cache(runtime.db).clock = clock
    alpha = await make_tenant("alpha", status="suspended")
    headers = bearer(runtime, alpha)
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 403
    await suspend_elsewhere(runtime, "alpha", "active")
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200  # clock not moved


async def test_two_tenants_never_get_each_others_context(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    beta = await make_tenant("beta", vertical="appliances")
    for _ in range(3):
        for tenant, vertical in ((alpha, "electronics"), (beta, "appliances")):
            response = await client.get("/api/v1/tenant/", headers=bearer(runtime, tenant))
            assert response.status_code == 200
            assert (response.json()["slug"], response.json()["vertical"]) == (tenant.slug, vertical)


async def test_a_record_of_another_tenant_is_never_kept_under_this_tenants_id(runtime, make_tenant):
    alpha, beta = await make_tenant("alpha"), await make_tenant("beta")
    cache = TenantCache()
    loads = []

    async def load(tenant):
        loads.append(tenant.slug)
        return bind_tenant(tenant, runtime.plugins)

    await cache.get(alpha.id, lambda: load(beta))  # a confused loader: answered, but not kept
    kept = await cache.get(alpha.id, lambda: load(alpha))
    again = await cache.get(alpha.id, lambda: load(alpha))
    assert kept.record.id == again.record.id == alpha.id
    assert loads == ["beta", "alpha"]


async def test_a_load_that_races_with_a_committed_change_is_not_kept(runtime, make_tenant):
    alpha = await make_tenant("alpha")
    cache = TenantCache()
    loads = 0

    async def load_while_the_tenant_changes():
        nonlocal loads
        loads += 1
        current = bind_tenant(alpha, runtime.plugins)  # read before the change below committed
        cache.forget([alpha.id])
        return current

    await cache.get(alpha.id, load_while_the_tenant_changes)
    await cache.get(alpha.id, load_while_the_tenant_changes)
    assert loads == 2
