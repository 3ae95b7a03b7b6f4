"""The HTTP surface every client meets: health, the OpenAPI document, and problem documents for every error."""

from __future__ import annotations

import pytest
from litestar import get

from aftersales.app import create_app


async def test_health_reports_the_database_and_the_plugins(client):
    response = await client.get("/health")
    body = response.json()
    assert response.status_code == 200 and body["database"] == "ok"
    assert {"electronics", "appliances", "auto_service"} <= set(body["plugins"])
    assert body["status"] == "ok" and body["failing_plugins"] == []


async def test_health_is_503_when_the_database_is_unreachable(runtime):
    import httpx

    from aftersales.db import Database

    healthy, runtime.db = runtime.db, Database("postgresql+asyncpg://nobody:wrong@127.0.0.1:9/none")
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(runtime)), base_url="http://t") as c:
            response = await c.get("/health")
    finally:
        await runtime.db.dispose()
        runtime.db = healthy
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


async def test_the_openapi_document_lists_the_routes_with_operation_ids(client):
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"issueToken", "staffLogin", "onboardTenant", "listTenants", "getCurrentTenant", "validateSerial",
            "health", "getJwks"} <= operations
    assert "bearer" in schema["components"]["securitySchemes"]


async def test_unknown_routes_and_methods_are_problem_documents(client):
    missing = await client.get("/api/v1/nothing-here")
    wrong_method = await client.delete("/health")
    for response, status in ((missing, 404), (wrong_method, 405)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == status


async def test_a_malformed_body_lists_every_bad_field(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    response = await client.post("/api/v1/staff", json={"email": 5, "extra": True},
                                 headers=await staff_token(alpha, "admin"))
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"email", "name", "roles", "extra"} <= fields


async def test_unexpected_errors_are_a_bare_500_without_a_stack_trace(runtime):
    import httpx

    @get(["/api/v1/boom", "/boom"], exclude_from_auth=True)
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    app = create_app(runtime)
    app.register(boom)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        api = await c.get("/api/v1/boom")
        page = await c.get("/boom", headers={"accept-language": "fa"})
    for response in (api, page):
        assert response.status_code == 500
        assert "secret internal detail" not in response.text and "Traceback" not in response.text
    assert api.json()["title"] == "Internal error"
    assert page.headers["content-type"].startswith("text/html")
    assert 'dir="rtl"' in page.text and "مشکلی پیش آمد" in page.text  # the page's language, not a JSON document


@pytest.mark.parametrize("vertical, serial, valid, normalized", [
    ("electronics", "۴۹۰۱۵۴۲۰۳۲۳۷۵۱۸", True, "490154203237518"),
    ("electronics", "490154203237519", False, "490154203237519"),
    ("auto_service", "1m8gdm9axkp042788", True, "1M8GDM9AXKP042788"),
    ("auto_service", "1M8GDM9AOKP042788", False, "1M8GDM9AOKP042788"),
])
async def test_serials_are_validated_by_the_tenants_vertical(client, make_tenant, staff_token, vertical, serial,
                                                            valid, normalized):
    tenant = await make_tenant("alpha", vertical=vertical)
    response = await client.post("/api/v1/serials/validate", json={"serial": serial},
                                 headers=await staff_token(tenant, "technician"))
    body = response.json()
    assert response.status_code == 200 and body["valid"] is valid and body["normalized"] == normalized
    assert (body["reason"] is None) == valid


async def test_the_same_serial_is_judged_by_each_tenants_own_rules(client, make_tenant, staff_token):
    phones = await make_tenant("phones", vertical="electronics")
    garage = await make_tenant("garage", vertical="auto_service")
    imei = "490154203237518"
    as_phone = await client.post("/api/v1/serials/validate", json={"serial": imei},
                                 headers=await staff_token(phones, "agent"))
    as_vin = await client.post("/api/v1/serials/validate", json={"serial": imei},
                               headers=await staff_token(garage, "agent"))
    assert as_phone.json()["valid"] is True and as_vin.json()["valid"] is False
