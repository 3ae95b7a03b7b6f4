"""Staff block, recall and release units; the public check and the register follow, other tenants do not."""

from __future__ import annotations

from datetime import date

from warranty_support import add_unit, imei

IMEI = "490154203237518"


async def public_verdict(client, slug, serial):
    return (await client.post(f"/public/t/{slug}/warranty/check", json={"serial": serial})).json()["verdict"]


async def test_blocking_and_releasing_a_registered_unit(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    admin = await staff_token(mehr, "admin")
    await client.post("/api/v1/registrations/", headers=admin, json={
        "serial": IMEI, "purchased_on": "2026-06-01", "owner": {"name": "Owner", "email": "owner@example.com"}})
    blocked = await client.post(f"/api/v1/serials/{IMEI}/status", headers=admin,
                                json={"action": "block", "reason": "card reported stolen"})
    assert blocked.status_code == 200
    assert (blocked.json()["status"], blocked.json()["status_reason"]) == ("blocked", "card reported stolen")
    assert await public_verdict(client, "mehr", IMEI) == "blocked"
    released = (await client.post(f"/api/v1/serials/{IMEI}/status", headers=admin,
                                  json={"action": "release", "reason": "card found"})).json()
    assert released["status"] == "registered"  # back to what its history says, not to "in stock"
    assert await public_verdict(client, "mehr", IMEI) == "genuine"


async def test_a_status_change_needs_a_reason_and_a_blocked_or_recalled_unit_to_release(client, runtime,
                                                                                       make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    admin = await staff_token(mehr, "admin")
    no_reason = await client.post(f"/api/v1/serials/{IMEI}/status", headers=admin, json={"action": "block",
                                                                                        "reason": "  "})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    release = await client.post(f"/api/v1/serials/{IMEI}/status", headers=admin,
                                json={"action": "release", "reason": "why not"})
    assert release.status_code == 409
    assert (await client.get(f"/api/v1/serials/{IMEI}", headers=admin)).json()["status"] == "in_stock"


async def test_recall_of_a_batch_reaches_units_in_service_and_counts_their_owners(client, runtime, make_tenant,
                                                                                  staff_token):
    mehr = await make_tenant("mehr")
    for n in range(3):
        await add_unit(runtime, mehr, imei(n))
    await add_unit(runtime, mehr, imei(3), status="blocked")
    admin = await staff_token(mehr, "admin")
    await client.post("/api/v1/registrations/", headers=admin, json={
        "serial": imei(0), "purchased_on": str(date(2026, 6, 1)), "owner": {"name": "Owner", "email": "o@example.com"}})
    response = await client.post("/api/v1/serials/recalls", headers=admin,
                                 json={"batch": "B-7", "model_sku": "PH-1", "reason": "battery swelling, batch B-7"})
    assert response.json() == {"recalled": 3, "owners_affected": 1}
    assert await public_verdict(client, "mehr", imei(1)) == "recalled"
    assert await public_verdict(client, "mehr", imei(3)) == "blocked"  # a blocked unit stays blocked
    unknown = await client.post("/api/v1/serials/recalls", headers=admin, json={"model_sku": "NOPE", "reason": "x"})
    assert unknown.status_code == 422
    nothing = await client.post("/api/v1/serials/recalls", headers=admin, json={"reason": "x"})
    assert nothing.status_code == 422


async def test_agents_cannot_block_and_other_tenants_cannot_reach_the_unit(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    bravo = await make_tenant("bravo")
    await add_unit(runtime, alpha, IMEI)
    await add_unit(runtime, bravo, imei(9))
    agent = await staff_token(alpha, "agent")
    assert (await client.post(f"/api/v1/serials/{IMEI}/status", headers=agent,
                              json={"action": "block", "reason": "x"})).status_code == 403
    bravo_admin = await staff_token(bravo, "admin")
    assert (await client.post(f"/api/v1/serials/{IMEI}/status", headers=bravo_admin,
                              json={"action": "block", "reason": "x"})).status_code == 404
    recall = await client.post("/api/v1/serials/recalls", headers=bravo_admin, json={"batch": "B-7", "reason": "x"})
    assert recall.json()["recalled"] == 1  # bravo's own unit only
    assert await public_verdict(client, "alpha", IMEI) == "genuine"
