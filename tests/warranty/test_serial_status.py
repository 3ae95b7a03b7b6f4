"""Staff block, recall and release units; the public check and the register follow, other tenants do not."""

from __future__ import annotations

from support.warranty import add_unit, imei

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
    assert await public_verdict(client, "alpha", IMEI) == "genuine"
