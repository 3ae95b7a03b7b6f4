"""The service catalogue through the API: every tenant token reads the active offerings, staff also the retired
ones; admins add (unique codes, durations over 0 and up to 12 hours), edit and retire them, and ask for the
vertical's defaults again; no tenant reaches another's catalogue."""

from __future__ import annotations

from sqlalchemy import delete

from aftersales.marketplace.models import Offering

API = "/api/v1/marketplace/offerings"
FRIDGE = {"code": "fridge_gas_refill", "name": "Refrigerant refill", "category": "refrigerator",
          "duration_minutes": 60, "skill": "refrigerator", "warranty_needs_authorisation": True}


async def test_admins_add_offerings_with_unique_codes_and_agents_cannot(client, make_tenant, staff_token):
    tenant = await make_tenant("acme", vertical="appliances")
    admin, agent = await staff_token(tenant, "admin"), await staff_token(tenant, "agent")
    added = await client.post(f"{API}/", json=FRIDGE, headers=admin)
    assert added.status_code == 201 and added.json()["warranty_needs_authorisation"] is True
    assert (await client.post(f"{API}/", json=FRIDGE, headers=admin)).status_code == 409
    assert (await client.post(f"{API}/", json={**FRIDGE, "code": "other"}, headers=agent)).status_code == 403
    codes = [o["code"] for o in (await client.get(f"{API}/", headers=agent)).json()]
    assert "fridge_gas_refill" in codes and "install_refrigerator" in codes


async def test_bad_offerings_are_refused_with_every_field_and_nothing_is_added(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("acme"), "admin")
    before = (await client.get(f"{API}/", headers=admin)).json()
    bad = await client.post(f"{API}/", headers=admin, json={**FRIDGE, "code": "Fridge Gas", "name": " ",
                                                            "duration_minutes": 0, "skill": "Cold Stuff"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"code", "name", "duration_minutes", "skill"}
    long = await client.post(f"{API}/", json={**FRIDGE, "duration_minutes": 721}, headers=admin)
    assert long.json()["errors"] == [{"field": "duration_minutes", "reason": "must be at most 720 minutes (12 hours)"}]
    assert (await client.post(f"{API}/", json={**FRIDGE, "duration_minutes": 720}, headers=admin)).status_code == 201
    assert len((await client.get(f"{API}/", headers=admin)).json()) == len(before) + 1


async def test_a_retired_offering_is_hidden_from_customers_but_kept_for_staff(client, make_tenant, staff_token,
                                                                              customer_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    _, customer = await customer_token(tenant)
    screen = next(o for o in (await client.get(f"{API}/", headers=admin)).json() if o["code"] == "screen_repair")
    change = {k: screen[k] for k in ("name", "category", "duration_minutes", "skill", "warranty_needs_authorisation")}
    retired = await client.put(f"{API}/{screen['id']}", json={**change, "active": False}, headers=admin)
    assert retired.status_code == 200 and retired.json()["code"] == "screen_repair"
    assert "screen_repair" not in [o["code"] for o in (await client.get(f"{API}/", headers=customer)).json()]
    assert "screen_repair" in [o["code"] for o in (await client.get(f"{API}/", headers=admin)).json()]
    bad = await client.put(f"{API}/{screen['id']}", json={**change, "duration_minutes": -5}, headers=admin)
    assert bad.status_code == 422
    kept = next(o for o in (await client.get(f"{API}/", headers=admin)).json() if o["code"] == "screen_repair")
    assert kept["duration_minutes"] == screen["duration_minutes"] and kept["active"] is False


async def test_asking_for_the_defaults_again_adds_only_the_missing_ones(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme", vertical="auto_service")
    admin = await staff_token(tenant, "admin")
    assert (await client.post(f"{API}/defaults", headers=admin)).json() == []
    async with runtime.db.transaction(tenant.id) as session:
        await session.execute(delete(Offering).where(Offering.code == "tyre_change"))
    added = await client.post(f"{API}/defaults", headers=admin)
    assert added.status_code == 200 and [o["code"] for o in added.json()] == ["tyre_change"]
    assert added.json()[0]["skill"] == "tyres"


async def test_another_tenant_neither_sees_nor_edits_the_catalogue(client, make_tenant, staff_token):
    owner = await staff_token(await make_tenant("acme", vertical="appliances"), "admin")
    intruder = await staff_token(await make_tenant("rival", vertical="auto_service"), "admin")
    ours = (await client.post(f"{API}/", json=FRIDGE, headers=owner)).json()
    theirs = [o["code"] for o in (await client.get(f"{API}/", headers=intruder)).json()]
    assert "fridge_gas_refill" not in theirs and "install_refrigerator" not in theirs
    change = {k: FRIDGE[k] for k in ("name", "category", "duration_minutes")}
    assert (await client.put(f"{API}/{ours['id']}", json={**change, "name": "Mine"}, headers=intruder)).status_code == 404
    assert (await client.post(f"{API}/", json=FRIDGE, headers=intruder)).status_code == 201  # codes are per tenant
    kept = next(o for o in (await client.get(f"{API}/", headers=owner)).json() if o["code"] == "fridge_gas_refill")
    assert kept["name"] == "Refrigerant refill"
