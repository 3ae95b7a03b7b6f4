"""The warehouse and fulfilment endpoints as a client calls them: staff move an order from funded to installed,
the customer reads their own order and asks for changes; problem documents name the field; another tenant's
token, and another customer's, find nothing (404)."""

from __future__ import annotations

from datetime import datetime

import pytest

from support.fulfilment import ISFAHAN_PROVINCE, add_fridge, add_order, add_warehouse, entekhab, local
from support.marketplace import add_provider, working_monday
from support.service import TEHRAN

WAREHOUSES = "/api/v1/warehouses"


def order_path(order, tail: str) -> str:
    return f"/api/v1/orders/{order.order_id}/{tail}"


async def test_staff_move_an_order_from_funded_to_installed(client, runtime, make_tenant, staff_token):
    tenant = await entekhab(make_tenant)
    admin, technician = await staff_token(tenant, "admin"), await staff_token(tenant, "technician")
    order = await add_order(runtime, tenant)
    await add_fridge(runtime, tenant, "RF500B0001")
    created = await client.post(WAREHOUSES, json={"code": "THR-1", "name": "Tehran regional", "kind": "regional",
                                                  "province": "ir-23"}, headers=admin)
    assert created.status_code == 201, created.text
    warehouse = created.json()
    assert warehouse["province"] == "IR-23"
    assert [w["code"] for w in (await client.get(WAREHOUSES, headers=admin)).json()] == ["THR-1"]
    assert (await client.get(f"{WAREHOUSES}/{warehouse['id']}", headers=admin)).json()["kind"] == "regional"
    card = await client.post(order_path(order, "festival-cards"), headers=admin, json={
        "festival": "Yalda", "purchases_from": "2026-02-01", "purchases_until": "2026-12-31"})
    assert card.status_code == 201 and card.json()["state"] == "owed"
    allocated = await client.post(order_path(order, "allocation"), headers=admin,
                                  json={"warehouse_id": warehouse["id"], "production_on": "2026-02-20"})
    assert allocated.status_code == 200, allocated.text
    assert allocated.json()["warehouse"]["code"] == "THR-1" and allocated.json()["state"] == "allocated"
    moved = await client.post(order_path(order, "delivery-changes"), headers=admin, json={"province": ISFAHAN_PROVINCE})
    assert moved.status_code == 201 and moved.json()["state"] == "refused"
    assert "cannot move to another province" in moved.json()["reason"]
    assert (await client.post(order_path(order, "dispatch"), headers=admin)).json()["state"] == "dispatched"
    late = await client.post(order_path(order, "delivery-changes"), headers=admin,
                             json={"delivery_phone": "09121112233"})
    assert late.json()["state"] == "refused" and "dispatched on" in late.json()["reason"]
    delivered = await client.post(order_path(order, "delivery"), headers=admin, json={"box_sealed": True})
    assert delivered.json()["delivered_sealed"] is True
    setup = await add_provider(runtime, tenant, authorised=True, offering_code="install_refrigerator",
                               currency="IRR", price_minor=0, duration_minutes=90, at=(35.7, 51.4),
                               warranty_needs_authorisation=True)
    start = local(working_monday(runtime, tenant), 10)
    booked = await client.post(order_path(order, "installation"), headers=admin, json={
        "serials": ["RF500B0001"], "provider_id": str(setup.provider_id), "offering_id": str(setup.offering_id),
        "starts_at": start.isoformat()})
    assert booked.status_code == 200, booked.text
    today = datetime.now(TEHRAN).date().isoformat()
    installed = await client.post(order_path(order, "installation/confirmation"), headers=technician,
                                  json={"installed_on": today, "invoice_date": today})
    assert installed.status_code == 200, installed.text
    assert installed.json()["fulfilment"]["state"] == "installed"
    [decided] = installed.json()["cards"]
    assert decided["state"] in ("issued", "refused") and decided["reason"]
    read = (await client.get(order_path(order, "fulfilment"), headers=admin, params={})).json()
    assert read["state"] == "installed" and len(read["registration_ids"]) == 1
    changes = (await client.get(order_path(order, "delivery-changes"), headers=admin)).json()
    assert [c["state"] for c in changes] == ["refused", "refused"]


async def test_wrong_moves_and_bad_input_are_problem_documents_naming_the_rule_or_field(client, runtime, make_tenant,
                                                                                      staff_token):
    tenant = await entekhab(make_tenant)
    admin = await staff_token(tenant, "admin")
    order = await add_order(runtime, tenant)
    dispatch = await client.post(order_path(order, "dispatch"), headers=admin)
    assert dispatch.status_code == 409
    assert dispatch.headers["content-type"].startswith("application/problem+json")
    assert dispatch.json()["code"] == "fulfilment.wrong_state"
    bad = await client.post(WAREHOUSES, headers=admin, json={"code": "", "name": "W", "kind": "central",
                                                             "province": "IR-99"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"code", "province"}
    warehouse = await add_warehouse(runtime, tenant)
    far = await client.post(order_path(order, "allocation"), headers=admin,
                            json={"warehouse_id": str(warehouse), "production_on": "9999-12-31"})
    assert far.status_code == 422 and [e["field"] for e in far.json()["errors"]] == ["production_on"]
    unknown = await client.post(order_path(order, "delivery-changes"), headers=admin, json={"province": "ZZ-1"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "province"
    nul = await client.post(order_path(order, "delivery-changes"), headers=admin,
                            json={"delivery_address": "Valiasr\x00"})
    assert nul.status_code in (400, 422)
    shape = await client.post(order_path(order, "delivery"), headers=admin, json={"box_sealed": "perhaps"})
    assert shape.status_code == 400
    unrelated = await client.get("/api/v1/orders/00000000-0000-0000-0000-000000000000/fulfilment", headers=admin)
    assert unrelated.status_code == 404


async def test_another_tenants_token_finds_none_of_the_orders_or_warehouses(client, runtime, make_tenant, staff_token):
    tenant, other = await entekhab(make_tenant), await entekhab(make_tenant, slug="other-appliances")
    order = await add_order(runtime, tenant)
    warehouse = await add_warehouse(runtime, tenant)
    outsider = await staff_token(other, "admin")
    assert (await client.get(f"{WAREHOUSES}/{warehouse}", headers=outsider)).status_code == 404
    assert (await client.get(WAREHOUSES, headers=outsider)).json() == []
    reads = ["fulfilment", "delivery-changes", "festival-cards"]
    for tail in reads:
        assert (await client.get(order_path(order, tail), headers=outsider)).status_code == 404, tail
    writes = {"allocation": {"warehouse_id": str(warehouse)}, "dispatch": None, "delivery": {"box_sealed": True},
              "delivery-changes": {"delivery_address": "Elsewhere"},
              "festival-cards": {"festival": "Yalda", "purchases_from": "2026-01-01", "purchases_until": "2026-01-02"},
              "installation/confirmation": {"installed_on": "2026-03-09", "invoice_date": "2026-03-01"}}
    for tail, body in writes.items():
        response = await client.post(order_path(order, tail), headers=outsider, json=body)
        assert response.status_code == 404, (tail, response.text)
    mine = (await client.get(order_path(order, "fulfilment"), headers=await staff_token(tenant, "admin"))).json()
    assert mine["state"] == "funded" and mine["warehouse"] is None


async def test_a_customer_reads_and_changes_their_own_order_only(client, runtime, make_tenant, customer_token):
    tenant = await entekhab(make_tenant)
    mine, theirs = await add_order(runtime, tenant), await add_order(runtime, tenant)
    _, me = await customer_token(tenant, mine.customer_id)
    assert (await client.get(order_path(mine, "fulfilment"), headers=me)).json()["state"] == "funded"
    asked = await client.post(order_path(mine, "delivery-changes"), headers=me, json={"delivery_address": "Tajrish"})
    assert asked.status_code == 201 and asked.json()["state"] == "applied"
    assert asked.json()["requested_by"] == f"customer:{mine.customer_id}"
    assert (await client.get(order_path(mine, "festival-cards"), headers=me)).json() == []
    for tail in ("fulfilment", "delivery-changes", "festival-cards"):
        assert (await client.get(order_path(theirs, tail), headers=me)).status_code == 404, tail
    refused = await client.post(order_path(theirs, "delivery-changes"), headers=me, json={"delivery_address": "X"})
    assert refused.status_code == 404
    assert (await client.post(order_path(mine, "dispatch"), headers=me)).status_code == 403


@pytest.mark.parametrize("lang", ["fa", "zh", "ka"])
async def test_a_refusal_reads_in_the_readers_language(client, runtime, make_tenant, staff_token, lang):
    tenant = await entekhab(make_tenant)
    admin = await staff_token(tenant, "admin")
    order = await add_order(runtime, tenant)
    warehouse = await add_warehouse(runtime, tenant, kind="regional")
    await client.post(order_path(order, "allocation"), headers=admin, json={"warehouse_id": str(warehouse)})
    refused = await client.post(order_path(order, "delivery-changes"), json={"province": ISFAHAN_PROVINCE},
                                headers={**admin, "Accept-Language": lang})
    reason = refused.json()["reason"]
    assert reason and not reason.startswith("the order is allocated")


async def test_the_booked_providers_own_user_confirms_the_installation_and_another_providers_gets_404(
        client, runtime, make_tenant, staff_token, provider_token):
    tenant = await entekhab(make_tenant)
    admin = await staff_token(tenant, "admin")
    order = await add_order(runtime, tenant)
    await add_fridge(runtime, tenant, "RF500C0001")
    warehouse = await add_warehouse(runtime, tenant)
    for tail, body in (("allocation", {"warehouse_id": str(warehouse)}), ("dispatch", None),
                       ("delivery", {"box_sealed": True})):
        assert (await client.post(order_path(order, tail), headers=admin, json=body)).status_code == 200, tail
    booked_provider, other_provider = [await add_provider(
        runtime, tenant, name=name, authorised=True, offering_code="install_refrigerator", currency="IRR",
        price_minor=0, duration_minutes=90, at=(35.7, 51.4), warranty_needs_authorisation=True)
        for name in ("Booked Installers", "Other Installers")]
    booked = await client.post(order_path(order, "installation"), headers=admin, json={
        "serials": ["RF500C0001"], "provider_id": str(booked_provider.provider_id),
        "offering_id": str(booked_provider.offering_id),
        "starts_at": local(working_monday(runtime, tenant), 10).isoformat()})
    assert booked.status_code == 200, booked.text
    today = datetime.now(TEHRAN).date().isoformat()
    body = {"installed_on": today, "invoice_date": today}
    stranger = await provider_token(tenant, other_provider.provider_id)
    assert (await client.post(order_path(order, "installation/confirmation"), headers=stranger,
                              json=body)).status_code == 404
    technician = await provider_token(tenant, booked_provider.provider_id)
    confirmed = await client.post(order_path(order, "installation/confirmation"), headers=technician, json=body)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["fulfilment"]["state"] == "installed"
