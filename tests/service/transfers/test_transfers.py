"""A unit on the move (issue 20 §2) through the API: sent from the office to the central workshop and back with a
waybill, each leg on the timeline, the location always known (to staff and to the request's own customer);
hostile input refused naming its field; another tenant reaches none of it."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from aftersales.outbox.models import OutboxMessage
from support.transit import open_request, points, taken_in

NOBODY = "00000000-0000-0000-0000-000000000001"


async def test_a_unit_goes_to_the_central_workshop_and_back(runtime, client, make_tenant, staff_token, customer_token):
    tenant = await make_tenant("mehr")
    admin = await staff_token(tenant, "admin")
    workshop, office = await points(client, admin)
    request = await taken_in(client, admin, office)
    url = f"/api/v1/requests/{request['id']}"
    where = (await client.get(f"{url}/location", headers=admin)).json()
    assert (where["state"], where["point_id"]) == ("taken_in", office)
    sent = await client.post(f"{url}/transfers", json={"to_point_id": workshop, "waybill": "PST-1001",
                                                       "carrier": "Post"}, headers=admin)
    assert sent.status_code == 201, sent.text
    leg = sent.json()
    assert (leg["from_point_id"], leg["to_point_id"], leg["state"]) == (office, workshop, "in_transit")
    where = (await client.get(f"{url}/location", headers=admin)).json()
    assert (where["state"], where["point_id"], where["from_point_id"]) == ("in_transit", workshop, office)
    assert where["said"].startswith("on the way to Central workshop since ")
    received = await client.post(f"{url}/transfers/{leg['id']}/receive", json={}, headers=admin)
    assert received.status_code == 200 and received.json()["state"] == "received"
    where = (await client.get(f"{url}/location", headers=admin)).json()
    assert where["state"] == "at_point" and where["said"].startswith("at the central workshop, Central workshop, since")
    back = (await client.post(f"{url}/transfers", json={"to_point_id": office, "waybill": "PST-1002",
                                                        "carrier": "Post"}, headers=admin)).json()
    await client.post(f"{url}/transfers/{back['id']}/receive", json={}, headers=admin)
    async with runtime.db.transaction(tenant.id) as s:
        [told] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "unit.back_at_office"))).all()
    assert told.channel == "sms"  # the customer gave a phone, no e-mail
    assert "is back from the central workshop at Tajrish office" in told.body  # once: the first leg went to the workshop
    legs = (await client.get(f"{url}/transfers", headers=admin)).json()
    assert [(t["waybill"], t["state"]) for t in legs] == [("PST-1001", "received"), ("PST-1002", "received")]
    timeline = (await client.get(f"{url}/timeline", headers=admin)).json()
    assert [e["kind"] for e in timeline][-5:] == ["transfer_sent", "transfer_received", "transfer_sent",
                                                  "transfer_received", "note"]
    assert timeline[-1]["note"] == "the customer was told the device is back at Tajrish office (sms)"
    _, own = await customer_token(tenant, UUID(request["customer_id"]))
    persian = (await client.get(f"{url}/location", headers={**own, "Accept-Language": "fa"})).json()
    assert persian["state"] == "at_point" and persian["said"].startswith("از ") and "دفتر خدمات" in persian["said"]
    for state in ("in_repair", "ready", "returned"):
        assert (await client.post(f"{url}/moves", json={"to": state}, headers=admin)).status_code == 200
    assert (await client.get(f"{url}/location", headers=own)).json()["state"] == "with_customer"


async def test_another_customer_cannot_read_the_units_location(client, make_tenant, staff_token, customer_token):
    tenant = await make_tenant("mehr")
    admin = await staff_token(tenant, "admin")
    _, office = await points(client, admin)
    request = await taken_in(client, admin, office)
    _, stranger = await customer_token(tenant)
    assert (await client.get(f"/api/v1/requests/{request['id']}/location", headers=stranger)).status_code == 404


async def test_a_unit_not_taken_in_has_no_location_and_is_not_sent(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    workshop, _ = await points(client, admin)
    request = await open_request(client, admin)
    url = f"/api/v1/requests/{request['id']}"
    assert (await client.get(f"{url}/location", headers=admin)).json()["state"] == "not_taken_in"
    sent = await client.post(f"{url}/transfers", json={"to_point_id": workshop, "waybill": "W1", "carrier": "Post"},
                             headers=admin)
    assert sent.status_code == 409 and sent.json()["code"] == "transfer.not_taken_in"


async def test_a_unit_on_its_way_is_not_sent_again_nor_received_twice(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    workshop, office = await points(client, admin)
    url = f"/api/v1/requests/{(await taken_in(client, admin, office))['id']}"
    leg = (await client.post(f"{url}/transfers", json={"to_point_id": workshop, "waybill": "W1", "carrier": "Post"},
                             headers=admin)).json()
    again = await client.post(f"{url}/transfers", json={"to_point_id": office, "waybill": "W2", "carrier": "Post"},
                              headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "transfer.in_transit"
    assert (await client.post(f"{url}/transfers/{leg['id']}/receive", json={}, headers=admin)).status_code == 200
    twice = await client.post(f"{url}/transfers/{leg['id']}/receive", json={}, headers=admin)
    assert twice.status_code == 409 and twice.json()["code"] == "transfer.received_already"


async def test_hostile_transfers_are_refused_naming_the_field_and_write_nothing(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    workshop, office = await points(client, admin)
    url = f"/api/v1/requests/{(await taken_in(client, admin, office))['id']}"
    good = {"to_point_id": workshop, "waybill": "W1", "carrier": "Post"}
    cases = {
        "waybill": {**good, "waybill": "W\u00001"},
        "to_point_id": {**good, "to_point_id": NOBODY},
        "sent_at": {**good, "sent_at": "9999-12-31T23:59:59Z"},
    }
    for field, body in cases.items():
        refused = await client.post(f"{url}/transfers", json=body, headers=admin)
        assert refused.status_code == 422, (field, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    same = await client.post(f"{url}/transfers", json={**good, "to_point_id": office}, headers=admin)
    assert same.status_code == 422 and same.json()["errors"][0]["code"] == "transfer.same_point"
    long = await client.post(f"{url}/transfers", json={**good, "waybill": "W" * 61, "carrier": " "}, headers=admin)
    assert {e["field"] for e in long.json()["errors"]} == {"waybill", "carrier"}
    early = await client.post(f"{url}/transfers", json={**good, "sent_at": "0001-01-01T00:00:00Z"}, headers=admin)
    assert early.status_code == 422 and early.json()["errors"][0]["code"] == "transfer.time_before_arrival"
    assert (await client.get(f"{url}/transfers", headers=admin)).json() == []
    leg = (await client.post(f"{url}/transfers", json=good, headers=admin)).json()
    future = await client.post(f"{url}/transfers/{leg['id']}/receive", json={"received_at": "9999-12-31T00:00:00Z"},
                               headers=admin)
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "received_at"
    before = await client.post(f"{url}/transfers/{leg['id']}/receive", json={"received_at": "2000-01-01T00:00:00Z"},
                               headers=admin)
    assert before.status_code == 422 and before.json()["errors"][0]["code"] == "transfer.time_before_arrival"
    unknown = await client.post(f"{url}/transfers/{NOBODY}/receive", json={}, headers=admin)
    assert unknown.status_code == 404
    assert (await client.get(f"{url}/transfers", headers=admin)).json()[0]["state"] == "in_transit"


async def test_another_tenant_reaches_no_transfer(client, make_tenant, staff_token):
    owner = await staff_token(await make_tenant("mehr"), "admin")
    intruder = await staff_token(await make_tenant("rival"), "admin")
    workshop, office = await points(client, owner)
    rival_workshop, _ = await points(client, intruder)
    url = f"/api/v1/requests/{(await taken_in(client, owner, office))['id']}"
    leg = (await client.post(f"{url}/transfers", json={"to_point_id": workshop, "waybill": "W1", "carrier": "Post"},
                             headers=owner)).json()
    for path in (f"{url}/transfers", f"{url}/location"):
        assert (await client.get(path, headers=intruder)).status_code == 404
    send = await client.post(f"{url}/transfers", json={"to_point_id": rival_workshop, "waybill": "W9",
                                                       "carrier": "Post"}, headers=intruder)
    assert send.status_code == 404
    receive = await client.post(f"{url}/transfers/{leg['id']}/receive", json={}, headers=intruder)
    assert receive.status_code == 404
    assert (await client.get("/api/v1/transfers", headers=intruder)).json() == []
    assert [t["id"] for t in (await client.get("/api/v1/transfers?state=in_transit", headers=owner)).json()] == [
        leg["id"]]
    assert (await client.get(f"{url}/transfers", headers=owner)).json()[0]["received_at"] is None


async def test_a_service_point_is_a_workshop_or_an_office(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    workshop, office = await points(client, admin)
    kinds = {p["id"]: p["kind"] for p in (await client.get("/api/v1/service-points/", headers=admin)).json()}
    assert kinds == {workshop: "workshop", office: "office"}
    plain = {"name": "Karaj office", "latitude": 35.8, "longitude": 50.9, "country": "IR"}
    assert (await client.post("/api/v1/service-points/", json=plain, headers=admin)).json()["kind"] == "office"
    bad = await client.post("/api/v1/service-points/", json={**plain, "name": "Depot", "kind": "depot"},
                            headers=admin)
    assert bad.status_code == 400 and "kind" in bad.text
