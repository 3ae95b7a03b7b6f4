"""Service points through the API: admins add and move them, agents read them, bad input is refused, the
nearest active point decides an on-site clock, and no tenant sees another's points."""

from __future__ import annotations

from datetime import datetime

TBILISI = {"name": "Tbilisi workshop", "latitude": 41.7151, "longitude": 44.8271, "country": "ge"}
KM_PER_DEGREE = 111.19508


async def test_admins_add_points_and_agents_read_them(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin, agent = await staff_token(tenant, "admin"), await staff_token(tenant, "agent")
    created = await client.post("/api/v1/service-points/", json=TBILISI, headers=admin)
    assert created.status_code == 201 and created.json()["country"] == "GE"
    assert (await client.post("/api/v1/service-points/", json=TBILISI, headers=agent)).status_code == 403
    again = await client.post("/api/v1/service-points/", json=TBILISI, headers=admin)
    assert again.status_code == 409
    listed = (await client.get("/api/v1/service-points/", headers=agent)).json()
    assert [p["name"] for p in listed] == ["Tbilisi workshop"]


async def test_bad_points_are_refused_and_nothing_is_written(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("acme"), "admin")
    shape = await client.post("/api/v1/service-points/", json={**TBILISI, "latitude": 95}, headers=admin)
    assert shape.status_code == 400 and "latitude" in shape.text
    country = await client.post("/api/v1/service-points/", json={**TBILISI, "country": "QQ"}, headers=admin)
    assert country.status_code == 422 and country.json()["errors"][0]["field"] == "country"
    assert (await client.get("/api/v1/service-points/", headers=admin)).json() == []


async def test_a_retired_point_no_longer_counts_for_the_onsite_clock(client, make_tenant, staff_token):
    tenant = await make_tenant("golden", settings={"electronics": {"distance_sla": {}}})
    admin = await staff_token(tenant, "admin", "agent")
    point = (await client.post("/api/v1/service-points/", json=TBILISI, headers=admin)).json()
    near = {"kind": "repair", "channel": "phone", "summary": "laser head misaligned",
            "customer": {"name": "Test Workshop", "phone": "+49 30 901820"},
            "site_latitude": TBILISI["latitude"] + 100 / KM_PER_DEGREE, "site_longitude": TBILISI["longitude"]}

    async def onsite_hours() -> float:
        request = (await client.post("/api/v1/requests/", json=near, headers=admin)).json()
        (clock,) = [c for c in request["clocks"] if c["name"] == "onsite"]
        started, due = datetime.fromisoformat(clock["started_at"]), datetime.fromisoformat(clock["due_at"])
        return (due - started).total_seconds() / 3600

    assert await onsite_hours() == 24
    moved = await client.put(f"/api/v1/service-points/{point['id']}", json={**TBILISI, "active": False}, headers=admin)
    assert moved.status_code == 200 and moved.json()["active"] is False
    assert await onsite_hours() == 72


async def test_another_tenant_neither_sees_nor_moves_the_points(client, make_tenant, staff_token):
    owner = await staff_token(await make_tenant("acme"), "admin")
    intruder = await staff_token(await make_tenant("rival"), "admin")
    point = (await client.post("/api/v1/service-points/", json=TBILISI, headers=owner)).json()
    assert (await client.get("/api/v1/service-points/", headers=intruder)).json() == []
    moved = await client.put(f"/api/v1/service-points/{point['id']}", json={**TBILISI, "name": "Mine"}, headers=intruder)
    assert moved.status_code == 404
    assert [p["name"] for p in (await client.get("/api/v1/service-points/", headers=owner)).json()] == [TBILISI["name"]]
