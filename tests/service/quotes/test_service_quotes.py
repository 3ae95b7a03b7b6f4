"""Quotes on the tenant's own service requests, over the API, on Golden Laser's real manifest: labour by the hour
and travel by the km from the nearest service point at the tenant's price-list rates, parts at list prices, the
customer's decision capping what the repair can be charged, hostile values, and tenant isolation."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from aftersales.service.quotes.models import PartPrice

TBILISI = {"name": "Tbilisi workshop", "latitude": 41.7151, "longitude": 44.8271, "country": "GE"}
GORI = (41.9842, 44.1158)
PRICES = {"labour_hour": ("engineer hour", 80_00), "travel_km": ("travel, per km", 1_50),
          "LENS": ("focus lens", 120_00)}


async def price_list(runtime, tenant, currency="GEL"):
    async with runtime.db.transaction(tenant.id) as session:
        session.add_all(PartPrice(code=code, name=name, price_minor=price, currency=currency, updated_by="test")
                        for code, (name, price) in PRICES.items())


@pytest.fixture
async def golden(runtime, seed_tenant, staff_token, client):
    tenant = (await seed_tenant("golden-laser")).record
    await price_list(runtime, tenant)
    admin = await staff_token(tenant, "admin")
    assert (await client.post("/api/v1/service-points/", json=TBILISI, headers=admin)).status_code == 201
    return tenant


async def open_request(client, headers, kind="repair", **site):
    body = {"kind": kind, "channel": "phone", "summary": "the cutter stops mid-sheet",
            "customer": {"name": "Gori Metal", "email": "gori.metal@example.com"}, **site}
    response = await client.post("/api/v1/requests/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def quotes_url(request) -> str:
    return f"/api/v1/requests/{request['id']}/quotes"


async def offer(client, headers, request, **body):
    return await client.post(quotes_url(request), json=body, headers=headers)


async def test_a_repair_visit_is_quoted_by_the_hour_and_the_km_from_the_nearest_service_point(
        client, golden, staff_token, customer_token):
    agent = await staff_token(golden, "agent")
    request = await open_request(client, agent, site_latitude=GORI[0], site_longitude=GORI[1])
    offered = await offer(client, agent, request, labour_hours="2.5", parts=[{"code": "LENS", "quantity": 1}])
    assert offered.status_code == 201, offered.text
    quote = offered.json()
    km = Decimal(quote["visit_distance_km"])
    assert Decimal(55) < km < Decimal(75)
    assert [(line["kind"], line["amount_minor"]) for line in quote["lines"]] == [
        ("labour", 200_00), ("part", 120_00), ("travel", int((km * 150).to_integral_value()))]
    assert quote["lines"][0]["description"] == "2.5 h of labour at 80.00 GEL an hour"
    assert quote["total_minor"] == sum(line["amount_minor"] for line in quote["lines"])
    assert (quote["state"], quote["labour_hours"], quote["under_warranty"]) == ("offered", "2.5", False)
    assert quote["reasons"]
    _, customer = await customer_token(golden, UUID(request["customer_id"]))
    assert [q["id"] for q in (await client.get(quotes_url(request), headers=customer)).json()] == [quote["id"]]
    timeline = (await client.get(f"/api/v1/requests/{request['id']}/timeline", headers=agent)).json()
    assert timeline[-1]["note"].startswith("quote offered: ")


async def test_without_a_site_no_travel_is_charged_and_a_flat_labour_price_stands(client, golden, staff_token):
    agent = await staff_token(golden, "agent")
    quote = (await offer(client, agent, await open_request(client, agent), labour_minor=50_00)).json()
    assert [(line["kind"], line["amount_minor"]) for line in quote["lines"]] == [("labour", 50_00)]
    assert quote["visit_distance_km"] is None


async def test_the_customer_accepts_one_quote_which_caps_the_repair_payment(client, golden, staff_token,
                                                                            customer_token):
    agent = await staff_token(golden, "agent")
    request = await open_request(client, agent)
    first = (await offer(client, agent, request, labour_hours="1")).json()
    second = (await offer(client, agent, request, labour_hours="2")).json()
    customer_id, customer = await customer_token(golden, UUID(request["customer_id"]))
    accepted = await client.post(f"/api/v1/requests/quotes/{second['id']}/accept", headers=customer)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    states = {q["id"]: q["state"] for q in (await client.get(quotes_url(request), headers=agent)).json()}
    assert states == {first["id"]: "superseded", second["id"]: "accepted"}
    assert (await client.post(f"/api/v1/requests/quotes/{first['id']}/accept", headers=customer)).status_code == 409
    assert (await offer(client, agent, request, labour_hours="3")).status_code == 409

    def payment(amount):
        return {"purpose": "repair", "subject_type": "service_request", "subject_id": request["id"],
                "amount_minor": amount, "currency": "GEL", "provider": "offline", "method": "cash",
                "customer_id": str(customer_id)}

    finance = await staff_token(golden, "finance")
    above = await client.post("/api/v1/payments/", json=payment(160_01), headers=finance)
    assert above.status_code == 422, above.text
    assert above.json()["errors"][0]["field"] == "amount_minor"
    assert "160.00 GEL" in above.json()["errors"][0]["reason"]
    assert (await client.post("/api/v1/payments/", json=payment(100_00), headers=finance)).status_code == 201
    rest = await client.post("/api/v1/payments/", json=payment(60_01), headers=finance)
    assert rest.status_code == 422 and "100.00 GEL is paid" in rest.json()["errors"][0]["reason"]
    assert (await client.post("/api/v1/payments/", json=payment(60_00), headers=finance)).status_code == 201


async def test_a_declined_quote_binds_nothing_and_a_new_one_may_be_offered(client, golden, staff_token,
                                                                         customer_token):
    agent = await staff_token(golden, "agent")
    request = await open_request(client, agent)
    quote = (await offer(client, agent, request, labour_hours="1")).json()
    _, customer = await customer_token(golden, UUID(request["customer_id"]))
    declined = await client.post(f"/api/v1/requests/quotes/{quote['id']}/decline", headers=customer)
    assert declined.json()["state"] == "declined"
    assert (await offer(client, agent, request, labour_hours="1.5")).status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"labour_hours": "-1"}, "labour_hours"),
    ({"labour_hours": "0"}, "labour_hours"),
    ({"labour_hours": "1000.01"}, "labour_hours"),
    ({"labour_hours": "1.005"}, "labour_hours"),
    ({"labour_hours": "NaN"}, "labour_hours"),
    ({}, "labour_hours"),
    ({"labour_minor": -1}, "labour_minor"),
    ({"labour_hours": "1", "parts": [{"code": "TURBO"}]}, "parts.0.code"),
    ({"labour_hours": "1", "parts": [{"code": "travel_km"}]}, "parts.0.code"),
    ({"labour_hours": "1", "parts": [{"code": "LENS", "quantity": 0}]}, "parts.0.quantity"),
])
async def test_hostile_values_are_refused_naming_the_field_and_nothing_is_stored(client, golden, staff_token, body,
                                                                                 field):
    agent = await staff_token(golden, "agent")
    request = await open_request(client, agent)
    refused = await offer(client, agent, request, **body)
    assert refused.status_code in (400, 422), refused.text
    if refused.status_code == 422:
        assert field in {e["field"] for e in refused.json()["errors"]}
    assert (await client.get(quotes_url(request), headers=agent)).json() == []


async def test_a_question_has_no_work_to_quote(client, golden, staff_token):
    agent = await staff_token(golden, "agent")
    inquiry = await open_request(client, agent, kind="inquiry")
    assert (await offer(client, agent, inquiry, labour_hours="1")).status_code == 409


async def test_another_tenant_and_another_customer_reach_no_quote(client, runtime, golden, make_tenant, staff_token,
                                                                 customer_token):
    agent = await staff_token(golden, "agent")
    request = await open_request(client, agent)
    quote = (await offer(client, agent, request, labour_hours="1")).json()
    other = await make_tenant("othercorp")
    outsider = await staff_token(other, "agent")
    assert (await client.get(quotes_url(request), headers=outsider)).status_code == 404
    assert (await offer(client, outsider, request, labour_hours="1")).status_code == 404
    _, stranger = await customer_token(other)
    assert (await client.post(f"/api/v1/requests/quotes/{quote['id']}/accept", headers=stranger)).status_code == 404
    _, neighbour = await customer_token(golden)
    assert (await client.get(quotes_url(request), headers=neighbour)).status_code == 404
    assert (await client.post(f"/api/v1/requests/quotes/{quote['id']}/accept", headers=neighbour)).status_code == 404
    assert (await client.get(quotes_url(request), headers=agent)).json()[0]["state"] == "offered"
