"""Staff sign-in, lockout, role guards, and the staff and client endpoints — each across tenants."""

from __future__ import annotations

from sqlalchemy import select

from aftersales.accounts.services import create_operator, create_staff
from aftersales.identity.models import StaffUser

PASSWORD = "correct horse battery staple"


async def _staff(runtime, tenant, email, roles=("admin",), password=PASSWORD):
    async with runtime.db.transaction(tenant.id) as s:
        return await create_staff(s, email=email, name="Staff Member", roles=list(roles), password=password)


async def test_staff_sign_in_by_path_and_by_host(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await _staff(runtime, alpha, "ana@alpha-demo.com")
    by_path = await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com", "password": PASSWORD})
    by_host = await client.post("/auth/login", json={"email": "ANA@alpha-demo.com", "password": PASSWORD},
                                headers={"Host": "alpha.aftersales.test"})
    assert by_path.status_code == 200 and by_host.status_code == 200
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {by_host.json()['access_token']}"})
    assert me.json()["tenant_slug"] == "alpha" and me.json()["roles"] == ["admin"]


async def test_staff_of_tenant_a_cannot_sign_in_to_tenant_b(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await make_tenant("bravo")
    await _staff(runtime, alpha, "ana@alpha-demo.com")
    response = await client.post("/t/bravo/auth/login", json={"email": "ana@alpha-demo.com", "password": PASSWORD})
    assert response.status_code == 401


async def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await _staff(runtime, alpha, "ana@alpha-demo.com")
    for _ in range(5):
        wrong = await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com", "password": "nope"})
        assert wrong.status_code == 401
    right = await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com", "password": PASSWORD})
    assert right.status_code == 429 and "try again" in right.json()["detail"]  # as the sign-in page answers
    assert 890 <= int(right.headers["Retry-After"]) <= 900
    async with runtime.db.transaction(alpha.id) as s:
        assert (await s.scalar(select(StaffUser))).locked_until is not None


async def test_four_wrong_passwords_then_the_right_one_signs_in(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await _staff(runtime, alpha, "ana@alpha-demo.com")
    for _ in range(4):
        await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com", "password": "nope"})
    right = await client.post("/t/alpha/auth/login", json={"email": "ana@alpha-demo.com", "password": PASSWORD})
    assert right.status_code == 200


async def test_sign_in_to_an_unknown_or_suspended_tenant_is_refused(client, runtime, make_tenant):
    await make_tenant("alpha", status="suspended")
    assert (await client.post("/t/ghost/auth/login", json={"email": "a@b.com", "password": "x"})).status_code == 404
    assert (await client.post("/t/alpha/auth/login", json={"email": "a@b.com", "password": "x"})).status_code == 403


async def test_staff_list_shows_only_the_callers_tenant(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    bravo = await make_tenant("bravo")
    await _staff(runtime, alpha, "ana@alpha-demo.com")
    await _staff(runtime, bravo, "bob@bravo-demo.com")
    response = await client.get("/api/v1/staff", headers=await staff_token(alpha, "agent"))
    emails = [s["email"] for s in response.json()]
    assert "ana@alpha-demo.com" in emails and "bob@bravo-demo.com" not in emails


async def test_an_admin_adds_staff_to_their_own_tenant_only(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    bravo = await make_tenant("bravo")
    body = {"email": "new@alpha-demo.com", "name": "New Agent", "roles": ["agent"], "password": PASSWORD}
    created = await client.post("/api/v1/staff", json=body, headers=await staff_token(alpha, "admin"))
    assert created.status_code == 201
    async with runtime.db.transaction(bravo.id) as s:
        assert (await s.scalars(select(StaffUser.email))).all() == []
    again = await client.post("/api/v1/staff", json=body, headers=await staff_token(alpha, "admin"))
    assert again.status_code == 409


async def test_roles_without_the_scope_are_forbidden(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    body = {"email": "new@alpha-demo.com", "name": "New", "roles": ["agent"]}
    for role in ("agent", "technician", "finance"):
        response = await client.post("/api/v1/staff", json=body, headers=await staff_token(alpha, role))
        assert response.status_code == 403, role


async def test_invalid_staff_lists_every_field_and_writes_nothing(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    headers = await staff_token(alpha, "admin")
    response = await client.post("/api/v1/staff", json={"email": "not-an-email", "name": " ", "roles": ["boss"],
                                                        "password": "short"}, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"email", "name", "roles.0", "password"}
    async with runtime.db.transaction(alpha.id) as s:
        assert len((await s.scalars(select(StaffUser))).all()) == 1  # only the caller


async def test_api_clients_created_by_an_admin_are_bound_to_that_tenant(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    created = await client.post("/api/v1/clients", json={"name": "ERP sync", "scopes": ["tenant:read"]},
                                headers=await staff_token(alpha, "admin"))
    assert created.status_code == 201
    creds = created.json()
    token = await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                              auth=(creds["client_id"], creds["client_secret"]))
    tenant = await client.get("/api/v1/tenant/", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert tenant.json()["slug"] == "alpha"
    bad = await client.post("/api/v1/clients", json={"name": "x", "scopes": ["platform:operate"]},
                            headers=await staff_token(alpha, "admin"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "scopes.0"


async def test_operators_sign_in_and_tenant_tokens_cannot_use_operator_routes(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    async with runtime.db.transaction(None) as s:
        await create_operator(s, email="ops@platform-demo.com", name="Ops", password=PASSWORD)
    login = await client.post("/operator/login", json={"email": "ops@platform-demo.com", "password": PASSWORD})
    operator = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await client.get("/api/v1/operator/tenants", headers=operator)).status_code == 200
    admin = await staff_token(alpha, "admin")
    assert (await client.get("/api/v1/operator/tenants", headers=admin)).status_code == 403
    assert (await client.get("/api/v1/tenant/", headers=operator)).status_code == 403
