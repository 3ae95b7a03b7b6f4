"""A complaint's site: its country (an overseas complaint runs the vertical's overseas clock, Golden Laser's
10-hour reply) and location (the distance to the nearest service point in the facts the vertical sees)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from aftersales.service.clocks.services import request_facts
from aftersales.service.requests.services import get_request

CUSTOMER = {"name": "Ararat Metal", "phone": "+374 10 000001"}
TBILISI = {"name": "Tbilisi workshop", "latitude": 41.7151, "longitude": 44.8271, "country": "GE"}
YEREVAN = (40.1792, 44.4991)


async def file(client, headers, **site):
    return await client.post("/api/v1/complaints/", headers=headers, json={
        "channel": "email", "subject": "handling_time", "summary": "no engineer came", "customer": CUSTOMER, **site})


async def test_an_overseas_complaint_gets_the_overseas_reply_clock_and_a_domestic_one_does_not(
        client, seed_tenant, staff_token):
    agent = await staff_token((await seed_tenant("golden-laser")).record, "agent")
    overseas = await file(client, agent, site_country="am")
    assert overseas.status_code == 201, overseas.text
    body = overseas.json()
    assert body["site_country"] == "AM"
    clocks = {c["name"]: c for c in body["clocks"]}
    assert set(clocks) == {"reply", "complaint_response"}
    assert clocks["reply"]["clock"] == "calendar" and "within 10 h" in clocks["reply"]["reason"]
    domestic = (await file(client, agent)).json()
    assert [c["name"] for c in domestic["clocks"]] == ["complaint_response"]
    at_home = (await file(client, agent, site_country="GE")).json()
    assert [c["name"] for c in at_home["clocks"]] == ["complaint_response"]


async def test_a_bad_site_is_refused_naming_the_field_and_nothing_is_filed(client, seed_tenant, staff_token):
    agent = await staff_token((await seed_tenant("golden-laser")).record, "agent")
    misshapen = await file(client, agent, site_country="GEO")
    assert misshapen.status_code == 400 and "site_country" in misshapen.text
    for site, field in (({"site_country": "XX"}, "site_country"), ({"site_latitude": 40.1}, "site_longitude"),
                        ({"site_latitude": 91, "site_longitude": 44}, "site_latitude")):
        refused = await file(client, agent, **site)
        assert refused.status_code == 422, site
        assert field in {e["field"] for e in refused.json()["errors"]}, refused.json()
    assert (await client.get("/api/v1/complaints/", headers=agent)).json()["items"] == []


async def test_the_vertical_sees_the_complaints_distance_to_the_nearest_service_point(
        client, runtime, seed_tenant, staff_token):
    golden = await seed_tenant("golden-laser")
    admin, agent = await staff_token(golden.record, "admin"), await staff_token(golden.record, "agent")
    assert (await client.post("/api/v1/service-points/", json=TBILISI, headers=admin)).status_code == 201
    filed = (await file(client, agent, site_country="AM", site_latitude=YEREVAN[0], site_longitude=YEREVAN[1])).json()
    assert (filed["site_latitude"], filed["site_longitude"]) == YEREVAN
    request_api = (await client.get(f"/api/v1/requests/{filed['request_id']}", headers=agent)).json()
    assert (request_api["site_country"], request_api["site_latitude"]) == ("AM", YEREVAN[0])
    async with runtime.db.transaction(golden.record.id) as session:
        request = await get_request(session, UUID(filed["request_id"]))
        facts = await request_facts(session, golden, request)
    assert facts.customer_country == "AM"
    assert Decimal(170) < facts.site_distance_km < Decimal(180)
    assert facts.site_distance_km == facts.site_distance_km.quantize(Decimal("0.1"))
