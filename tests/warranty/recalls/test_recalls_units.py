"""The units of a launched recall: owners acknowledge by link or to an agent, staff record fixes that return
units to service, progress counts each step, the units page by serial, and a closed campaign takes no more."""

from __future__ import annotations

from support.recalls import ack_token, add_units, draft, launched, outbox, register, statuses
from support.warranty import imei


async def public_verdict(client, slug, serial):
    return (await client.post(f"/public/t/{slug}/warranty/check", json={"serial": serial})).json()["verdict"]


async def test_an_owner_acknowledges_through_the_notice_link_once(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1)])
    admin = await staff_token(mehr, "admin")
    await register(client, admin, imei(0), email="sara@example.com")
    recall = await launched(client, admin, batch="B-7")
    link = f"/api/v1/public/mehr/recall-acknowledgements/{ack_token((await outbox(runtime, mehr))[0])}"
    shown = await client.get(link)
    assert shown.status_code == 200
    assert shown.json() == {"title": "Battery swelling", "reason": recall["reason"], "remedy": recall["remedy"],
                            "serial": imei(0), "model": "Model PH-1", "campaign_status": "active",
                            "acknowledged_at": None}
    first = await client.post(link)
    assert first.status_code == 200 and first.json()["acknowledged_at"] is not None
    again = await client.post(link)
    assert again.status_code == 200 and again.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    wrong = await client.post(link[:-4] + "AAAA")
    assert wrong.status_code == 404
    units = (await client.get(f"/api/v1/recalls/{recall['id']}/units", headers=admin)).json()["items"]
    assert [(u["serial"], u["acknowledged_via"], u["acknowledged_by"]) for u in units] == [
        (imei(0), "customer_link", "customer"), (imei(1), None, None)]
    progress = (await client.get(f"/api/v1/recalls/{recall['id']}", headers=admin)).json()["progress"]
    assert progress["acknowledged"] == 1


async def test_an_agent_records_an_acknowledgement_but_cannot_launch(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1)])
    admin, agent = await staff_token(mehr, "admin"), await staff_token(mehr, "agent")
    created = await draft(client, admin, batch="B-7")
    assert (await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=agent)).status_code == 403
    early = await client.post(f"/api/v1/recalls/{created['id']}/units/{imei(1)}/acknowledge", headers=agent)
    assert early.status_code == 409 and "is a draft" in early.json()["detail"]
    await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=admin)
    acked = await client.post(f"/api/v1/recalls/{created['id']}/units/{imei(1)}/acknowledge", headers=agent)
    assert acked.status_code == 200
    assert (acked.json()["acknowledged_via"], acked.json()["acknowledged_by"].startswith("staff:")) == ("agent", True)
    assert acked.json()["registration_id"] is None  # shop stock: the shop acknowledged it


async def test_a_fix_returns_each_unit_to_its_status_before_the_recall(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1)])
    await add_units(runtime, mehr, [imei(2)], status="sold")
    admin, technician = await staff_token(mehr, "admin"), await staff_token(mehr, "technician")
    await register(client, admin, imei(0), email="sara@example.com")
    recall = await launched(client, admin, batch="B-7")
    assert await public_verdict(client, "mehr", imei(0)) == "recalled"
    for n in range(3):
        fixed = await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(n)}/fix", headers=technician,
                                  json={"note": "battery swapped for a revised cell"})
        assert fixed.status_code == 200, fixed.text
    assert fixed.json()["fix_note"] == "battery swapped for a revised cell"
    assert await statuses(runtime, mehr) == {imei(0): "registered", imei(1): "in_stock", imei(2): "sold"}
    assert await public_verdict(client, "mehr", imei(0)) == "genuine"
    twice = await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(0)}/fix", headers=technician,
                              json={"note": "again"})
    assert twice.status_code == 409 and "was fixed at" in twice.json()["detail"]
    assert twice.json()["code"] == "recall.unit_fixed" and set(twice.json()["params"]) == {"serial", "fixed_at"}
    progress = (await client.get(f"/api/v1/recalls/{recall['id']}", headers=admin)).json()["progress"]
    assert progress == {"units": 3, "registered": 1, "notified": 1, "acknowledged": 0, "fixed": 3,
                        "unregistered": 2}


async def test_fixing_a_unit_the_campaign_did_not_recall_is_a_conflict(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0)], batch="B-7")
    await add_units(runtime, mehr, [imei(1)], batch="B-8")
    admin = await staff_token(mehr, "admin")
    recall = await launched(client, admin, batch="B-7")
    outside = await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(1)}/fix", headers=admin,
                                json={"note": "swapped"})
    assert outside.status_code == 409 and f"{imei(1)} is not one of the units" in outside.json()["detail"]
    assert outside.json()["code"] == "recall.unit_not_recalled" and outside.json()["params"] == {"serial": imei(1)}
    unknown = await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(5)}/fix", headers=admin,
                                json={"note": "swapped"})
    assert unknown.status_code == 404
    no_note = await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(0)}/fix", headers=admin,
                                json={"note": "  "})
    assert no_note.status_code == 422 and no_note.json()["errors"][0]["field"] == "note"
    assert no_note.json()["errors"][0]["code"] == "recall.fix_note_missing"
    long_note = await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(0)}/fix", headers=admin,
                                  json={"note": "n" * 2001})
    assert long_note.status_code == 422 and long_note.json()["errors"][0]["code"] == "recall.too_long"
    assert (await statuses(runtime, mehr))[imei(0)] == "recalled"


async def test_a_closed_campaign_takes_no_more_acknowledgements_or_fixes(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1)])
    admin = await staff_token(mehr, "admin")
    await register(client, admin, imei(0), email="sara@example.com")
    recall = await launched(client, admin, batch="B-7")
    link = f"/api/v1/public/mehr/recall-acknowledgements/{ack_token((await outbox(runtime, mehr))[0])}"
    closed = await client.post(f"/api/v1/recalls/{recall['id']}/close", headers=admin)
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert (await client.post(link)).status_code == 409
    assert (await client.post(f"/api/v1/recalls/{recall['id']}/units/{imei(1)}/fix", headers=admin,
                              json={"note": "swapped"})).status_code == 409
    assert (await client.post(f"/api/v1/recalls/{recall['id']}/launch", headers=admin)).status_code == 409
    assert (await client.post(f"/api/v1/recalls/{recall['id']}/close", headers=admin)).status_code == 409
    assert (await statuses(runtime, mehr))[imei(1)] == "recalled"  # unfixed units stay recalled


async def test_units_page_by_serial_and_filter_by_the_step_they_wait_for(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(n) for n in range(5)])
    admin = await staff_token(mehr, "admin")
    recall = await launched(client, admin, batch="B-7")
    units = f"/api/v1/recalls/{recall['id']}/units"
    await client.post(f"{units}/{imei(1)}/fix", headers=admin, json={"note": "swapped"})
    seen, cursor = [], None
    while True:
        page = (await client.get(units, headers=admin,
                                 params={"limit": 2, **({"cursor": cursor} if cursor else {})})).json()
        seen += [u["serial"] for u in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == [imei(n) for n in range(5)]
    waiting = (await client.get(units, headers=admin, params={"pending": "fix"})).json()["items"]
    assert [u["serial"] for u in waiting] == [imei(n) for n in (0, 2, 3, 4)]
    bad = await client.get(units, headers=admin, params={"cursor": "bm90IGEgY3Vyc29y"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_campaigns_list_newest_first_by_status(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0)])
    admin = await staff_token(mehr, "admin")
    first = await launched(client, admin, batch="B-7")
    second = await draft(client, admin, batch="B-8")
    listed = (await client.get("/api/v1/recalls/", headers=admin, params={"limit": 1})).json()
    assert [c["id"] for c in listed["items"]] == [second["id"]]
    rest = (await client.get("/api/v1/recalls/", headers=admin, params={"cursor": listed["next_cursor"]})).json()
    assert [c["id"] for c in rest["items"]] == [first["id"]] and rest["next_cursor"] is None
    active = (await client.get("/api/v1/recalls/", headers=admin, params={"status": "active"})).json()
    assert [c["id"] for c in active["items"]] == [first["id"]]


async def test_another_tenant_reaches_none_of_a_campaign(client, runtime, make_tenant, staff_token):
    alpha, bravo = await make_tenant("alpha"), await make_tenant("bravo")
    await add_units(runtime, alpha, [imei(0), imei(1)])
    await add_units(runtime, bravo, [imei(1), imei(2)])
    alpha_admin, bravo_admin = await staff_token(alpha, "admin"), await staff_token(bravo, "admin")
    await register(client, alpha_admin, imei(0), email="sara@example.com")
    theirs = await draft(client, alpha_admin, batch="B-7")
    base = f"/api/v1/recalls/{theirs['id']}"
    assert (await client.post(f"{base}/launch", headers=bravo_admin)).status_code == 404
    await client.post(f"{base}/launch", headers=alpha_admin)
    token = ack_token((await outbox(runtime, alpha))[0])
    assert (await client.get(base, headers=bravo_admin)).status_code == 404
    assert (await client.get(f"{base}/units", headers=bravo_admin)).status_code == 404
    assert (await client.post(f"{base}/units/{imei(1)}/acknowledge", headers=bravo_admin)).status_code == 404
    assert (await client.post(f"{base}/units/{imei(1)}/fix", headers=bravo_admin,
                              json={"note": "x"})).status_code == 404
    assert (await client.post(f"{base}/close", headers=bravo_admin)).status_code == 404
    assert (await client.get("/api/v1/recalls/", headers=bravo_admin)).json()["items"] == []
    for method in (client.get, client.post):
        assert (await method(f"/api/v1/public/bravo/recall-acknowledgements/{token}")).status_code == 404
    # bravo's own campaign never reaches alpha's unit, nor alpha's owners
    ours = await launched(client, bravo_admin, batch="B-7")
    assert ours["progress"]["units"] == 2 and await outbox(runtime, bravo) == []
    only_alpha = await client.post(f"/api/v1/recalls/{ours['id']}/units/{imei(0)}/fix", headers=bravo_admin,
                                   json={"note": "x"})
    assert only_alpha.status_code == 404
    assert (await statuses(runtime, alpha)) == {imei(0): "recalled", imei(1): "recalled"}
    progress = (await client.get(base, headers=alpha_admin)).json()["progress"]
    assert (progress["units"], progress["acknowledged"], progress["fixed"]) == (2, 0, 0)
