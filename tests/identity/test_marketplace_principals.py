"""Provider users and customer tokens: who may act on the marketplace, and that each token names whose rows it
reaches."""

from __future__ import annotations

from aftersales.accounts.services import create_api_client
from aftersales.marketplace.models import Provider


async def _provider(runtime, tenant, name="Garage One"):
    async with runtime.db.transaction(tenant.id) as session:
        provider = Provider(name=name, kind="workshop", status="active", skills=[])
        session.add(provider)
        await session.flush()
        return provider.id


async def _app_token(client, runtime, tenant, scopes=("customers:act",)):
    async with runtime.db.transaction(None) as s:
        api_client, secret = await create_api_client(s, tenant_id=tenant.id, name="Customer app", scopes=list(scopes))
    response = await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                                 auth=(api_client.client_id, secret))
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_an_admin_adds_a_provider_user_whose_token_names_the_provider(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    provider_id = await _provider(runtime, alpha)
    admin = await staff_token(alpha, "admin")
    created = await client.post("/api/v1/staff", json={"email": "desk@garage-one.example", "name": "Garage desk",
                                                        "roles": ["provider"], "provider_id": str(provider_id),
                                                        "password": "a long provider password"}, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["provider_id"] == str(provider_id)
    login = await client.post("/t/alpha/auth/login", json={"email": "desk@garage-one.example",
                                                            "password": "a long provider password"})
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert me.json()["provider_id"] == str(provider_id)
    assert me.json()["scopes"] == ["dispatch:own", "provider:work"], "their jobs and their own technicians' visits"


async def test_a_provider_user_must_name_a_provider_of_the_same_tenant_and_hold_no_staff_role(
        client, runtime, make_tenant, staff_token):
    alpha, beta = await make_tenant("alpha"), await make_tenant("beta")
    betas_provider = await _provider(runtime, beta)
    admin = await staff_token(alpha, "admin")

    async def create(**body):
        return await client.post("/api/v1/staff", json={"email": "p@example.com", "name": "P", **body}, headers=admin)

    missing = await create(roles=["provider"])
    foreign = await create(roles=["provider"], provider_id=str(betas_provider))
    mixed = await create(roles=["provider", "agent"], provider_id=str(await _provider(runtime, alpha)))
    staff_with_provider = await create(roles=["agent"], provider_id=str(await _provider(runtime, alpha, "Two")))
    assert [r.status_code for r in (missing, foreign, mixed, staff_with_provider)] == [422] * 4
    assert missing.json()["errors"] == [{"field": "provider_id", "reason": "name the provider this user works for"}]
    assert foreign.json()["errors"] == [{"field": "provider_id", "reason": "no such provider"}]
    assert mixed.json()["errors"][0]["field"] == "roles"
    assert staff_with_provider.json()["errors"][0]["field"] == "provider_id"
    listed = await client.get("/api/v1/staff", headers=admin)
    assert "p@example.com" not in [s["email"] for s in listed.json()]


async def test_the_tenants_app_issues_a_customer_token_that_speaks_only_for_that_customer(
        client, runtime, make_tenant, customer_token):
    alpha = await make_tenant("alpha")
    customer_id, _ = await customer_token(alpha)
    app = await _app_token(client, runtime, alpha)
    issued = await client.post(f"/api/v1/customers/{customer_id}/token", headers=app)
    assert issued.status_code == 200, issued.text
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    me = (await client.get("/api/v1/me", headers=bearer)).json()
    assert (me["kind"], me["customer_id"], me["scopes"]) == ("customer", str(customer_id), ["customer:self"])
    assert (await client.get("/api/v1/staff", headers=bearer)).status_code == 403


async def test_a_customer_token_is_not_issued_for_another_tenants_customer_or_without_the_scope(
        client, runtime, make_tenant, customer_token):
    alpha, beta = await make_tenant("alpha"), await make_tenant("beta")
    betas_customer, _ = await customer_token(beta)
    alphas_customer, _ = await customer_token(alpha)
    app = await _app_token(client, runtime, alpha)
    reader = await _app_token(client, runtime, alpha, scopes=("tenant:read",))
    foreign = await client.post(f"/api/v1/customers/{betas_customer}/token", headers=app)
    unscoped = await client.post(f"/api/v1/customers/{alphas_customer}/token", headers=reader)
    assert foreign.status_code == 404
    assert unscoped.status_code == 403
