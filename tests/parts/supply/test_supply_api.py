"""The supply endpoints as a client calls them: back-orders (the customer reads their own request's expected date
in their language and calendar), donor units and used parts, faulty parts and RMA batches; hostile bodies are
422 problem documents naming each field and write nothing; another tenant's token finds nothing (404), and so
does another customer's."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.parts.models import StockMovement
from aftersales.parts.supply.models import Backorder, DonorUnit, FaultyPart, ReturnBatch
from aftersales.service.quotes.models import ServiceQuote
from aftersales.service.states import RequestState
from support.supply import add_location, add_part, add_request, mehr

BACKORDERS, DONORS, RETURNS = "/api/v1/stock/backorders", "/api/v1/stock/donors", "/api/v1/stock/returns"


def today():
    from support.service import TEHRAN
    return utcnow().astimezone(TEHRAN).date()


async def count(runtime, tenant, model):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model))


async def test_a_backorder_through_the_api_and_the_customer_reads_its_date_in_persian(
        client, runtime, make_tenant, staff_token, customer_token):
    tenant = await mehr(make_tenant)
    agent = await staff_token(tenant, "agent")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING, at=utcnow())
    expected = today() + timedelta(days=3)
    placed = await client.post(BACKORDERS, headers=agent, json={
        "part_id": str(part), "quantity": 1, "request_id": str(job.request_id), "location_id": str(location),
        "expected_on": expected.isoformat(), "supplier_reference": "SP-1"})
    assert placed.status_code == 201, placed.text
    body = placed.json()
    assert (body["state"], body["late"], body["supplier"]) == ("open", False, "Samsung Parts")
    assert [b["id"] for b in (await client.get(BACKORDERS, headers=agent)).json()] == [body["id"]]
    assert (await client.get(BACKORDERS, headers=agent, params={"late": "true"})).json() == []
    _, customer = await customer_token(tenant, job.customer_id)
    seen = await client.get(f"{BACKORDERS}/requests/{job.request_id}",
                            headers={**customer, "Accept-Language": "fa"})
    assert seen.status_code == 200, seen.text
    [line] = seen.json()
    assert line["expected_on"] == expected.isoformat() and line["part_names"]["fa"] == "قطعه LCD-A52"
    assert any(c in line["expected"] for c in "۰۱۲۳۴۵۶۷۸۹") and not line["arrived"]
    _, stranger = await customer_token(tenant)
    assert (await client.get(f"{BACKORDERS}/requests/{job.request_id}", headers=stranger)).status_code == 404
    received = await client.post(f"{BACKORDERS}/{body['id']}/receipt", headers=agent)
    assert received.status_code == 200 and received.json()["reservation_id"]
    assert (await client.post(f"{BACKORDERS}/{body['id']}/receipt", headers=agent)).status_code == 409
    assert (await client.get(f"{BACKORDERS}/{body['id']}", headers=agent)).json()["state"] == "received"


async def test_donor_units_harvests_and_used_parts_through_the_api(client, runtime, make_tenant, staff_token):
    tenant = await mehr(make_tenant)
    technician = await staff_token(tenant, "technician")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    made = await client.post(DONORS, headers=technician, json={
        "source": "scrapped", "location_id": str(location), "serial": "356938035643809"})
    assert made.status_code == 201, made.text
    donor = made.json()["id"]
    assert (await client.post(DONORS, headers=technician, json={
        "source": "replaced", "location_id": str(location), "serial": "356938035643809"})).status_code == 409
    harvested = await client.post(f"{DONORS}/{donor}/harvests", headers=technician,
                                  json={"lines": [{"part_id": str(part), "quantity": 1}]})
    assert harvested.status_code == 201, harvested.text
    assert len((await client.get(f"{DONORS}/{donor}/harvests", headers=technician)).json()) == 1
    assert [d["id"] for d in (await client.get(DONORS, headers=technician)).json()] == [donor]
    assert (await client.get(f"{DONORS}/{donor}", headers=technician)).json()["source"] == "scrapped"
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING, at=utcnow())
    taken = await client.post(f"{DONORS}/used-parts", headers={**technician, "Accept-Language": "fa"}, json={
        "request_id": str(job.request_id), "part_id": str(part), "quantity": 1, "location_id": str(location)})
    assert taken.status_code == 201, taken.text
    assert (taken.json()["condition"], taken.json()["warranty_days"]) == ("used", 90)
    assert "۹۰" in taken.json()["reasons"][0]


async def test_faulty_parts_and_a_return_batch_through_the_api(client, runtime, make_tenant, staff_token):
    tenant = await mehr(make_tenant)
    technician, finance = await staff_token(tenant, "technician"), await staff_token(tenant, "finance")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.IN_REPAIR, at=utcnow())
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ServiceQuote(request_id=job.request_id, state="accepted", lines=[], total_minor=0, currency="IRR",
                           under_warranty=True, offered_by="staff:test"))
        s.add(StockMovement(part_id=part, location_id=location, condition="new", kind="issue", on_hand_delta=-1,
                            reserved_delta=0, request_id=job.request_id, actor="staff:test", occurred_at=utcnow()))
    tagged = await client.post(f"{RETURNS}/faulty", headers=technician, json={
        "request_id": str(job.request_id), "part_id": str(part), "quantity": 1})
    assert tagged.status_code == 201, tagged.text
    assert [f["id"] for f in (await client.get(f"{RETURNS}/faulty", headers=technician)).json()] == [tagged.json()["id"]]
    opened = await client.post(f"{RETURNS}/batches", headers=technician,
                               json={"supplier": "Samsung Parts", "rma_number": "RMA-1"})
    assert opened.status_code == 201, opened.text
    batch = opened.json()
    assert batch["warranty_cost_minor"] == 30_000_000 and batch["request_ids"] == [str(job.request_id)]
    path = f"{RETURNS}/batches/{batch['id']}"
    assert (await client.post(f"{path}/credit", headers=finance, json={"credit_minor": 1})).status_code == 409
    assert (await client.post(f"{path}/sending", headers=technician)).json()["state"] == "sent"
    negative = await client.post(f"{path}/credit", headers=finance, json={"credit_minor": -1})
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "credit_minor"
    huge = await client.post(f"{path}/credit", headers=finance, json={"credit_minor": 10**30})
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "credit_minor"
    credited = await client.post(f"{path}/credit", headers=finance, json={"credit_minor": 25_000_000})
    assert credited.status_code == 200, credited.text
    assert (credited.json()["state"], credited.json()["uncovered_minor"]) == ("credited", 5_000_000)
    assert [b["state"] for b in (await client.get(f"{RETURNS}/batches", headers=finance)).json()] == ["credited"]
    assert (await client.post(f"{path}/rejection", headers=finance, json={"reason": "no"})).status_code == 409
    assert (await client.get(path, headers=finance)).json()["credit_minor"] == 25_000_000


@pytest.mark.parametrize(("body", "fields"), [
    ({"quantity": -1}, {"quantity"}),
    ({"quantity": 10**30}, {"quantity"}),
    ({"expected_on": "0001-01-01"}, {"expected_on"}),
    ({"expected_on": "9999-12-31"}, {"expected_on"}),
    ({"part_id": "unknown", "location_id": "unknown", "request_id": "unknown"},
     {"part_id", "location_id", "request_id"}),
    ({"supplier": "x" * 201, "supplier_reference": "y" * 101}, {"supplier", "supplier_reference"}),
])
async def test_hostile_backorders_are_refused_naming_the_field_and_write_nothing(
        client, runtime, make_tenant, staff_token, body, fields):
    tenant = await mehr(make_tenant)
    agent = await staff_token(tenant, "agent")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING, at=utcnow())
    sent = {"part_id": str(part), "quantity": 1, "request_id": str(job.request_id), "location_id": str(location),
            "expected_on": (today() + timedelta(days=2)).isoformat(), **body}
    sent = {key: str(uuid.uuid4()) if value == "unknown" else value for key, value in sent.items()}
    refused = await client.post(BACKORDERS, headers=agent, json=sent)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in refused.json()["errors"]} == fields
    assert await count(runtime, tenant, Backorder) == 0


async def test_hostile_donor_harvest_and_batch_bodies_are_refused_naming_the_field(client, runtime, make_tenant,
                                                                                   staff_token):
    tenant = await mehr(make_tenant)
    admin = await staff_token(tenant, "admin")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    serial = await client.post(DONORS, headers=admin, json={"source": "scrapped", "location_id": str(location),
                                                            "serial": "9" * 65})
    assert serial.status_code == 422 and serial.json()["errors"][0]["field"] == "serial"
    donor = (await client.post(DONORS, headers=admin, json={"source": "scrapped", "location_id": str(location),
                                                             "serial": "A1"})).json()["id"]
    lines = await client.post(f"{DONORS}/{donor}/harvests", headers=admin,
                              json={"lines": [{"part_id": str(part), "quantity": 2**63}]})
    assert lines.status_code == 422 and lines.json()["errors"][0]["field"] == "lines.0.quantity"
    batch = await client.post(f"{RETURNS}/batches", headers=admin, json={"supplier": "S", "rma_number": " ",
                                                                         "faulty_ids": [str(uuid.uuid4())]})
    assert batch.status_code == 422 and {e["field"] for e in batch.json()["errors"]} == {"rma_number"}
    assert await count(runtime, tenant, StockMovement) == 0
    assert await count(runtime, tenant, ReturnBatch) == 0


async def test_another_tenants_token_finds_nothing_of_this_tenant(client, runtime, make_tenant, staff_token,
                                                                  customer_token):
    tenant, other = await mehr(make_tenant), await mehr(make_tenant, "other")
    admin, foreign = await staff_token(tenant, "admin"), await staff_token(other, "admin")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.IN_REPAIR, at=utcnow())
    backorder = (await client.post(BACKORDERS, headers=admin, json={
        "part_id": str(part), "quantity": 1, "request_id": str(job.request_id), "location_id": str(location),
        "expected_on": today().isoformat()})).json()["id"]
    donor = (await client.post(DONORS, headers=admin, json={"source": "scrapped", "location_id": str(location),
                                                            "serial": "A1"})).json()["id"]
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ServiceQuote(request_id=job.request_id, state="accepted", lines=[], total_minor=0, currency="IRR",
                           under_warranty=True, offered_by="staff:test"))
        s.add(StockMovement(part_id=part, location_id=location, condition="new", kind="issue", on_hand_delta=-1,
                            reserved_delta=0, request_id=job.request_id, actor="staff:test", occurred_at=utcnow()))
    assert (await client.post(f"{RETURNS}/faulty", headers=admin, json={
        "request_id": str(job.request_id), "part_id": str(part), "quantity": 1})).status_code == 201
    batch = (await client.post(f"{RETURNS}/batches", headers=admin,
                               json={"supplier": "Samsung Parts", "rma_number": "R-1"})).json()["id"]
    _, their_customer = await customer_token(other)
    for path in (f"{BACKORDERS}/{backorder}", f"{BACKORDERS}/requests/{job.request_id}", f"{DONORS}/{donor}",
                 f"{DONORS}/{donor}/harvests", f"{RETURNS}/batches/{batch}"):
        assert (await client.get(path, headers=foreign)).status_code == 404, path
    assert (await client.get(f"{BACKORDERS}/requests/{job.request_id}", headers=their_customer)).status_code == 404
    for path, body in ((f"{BACKORDERS}/{backorder}/receipt", None),
                       (f"{DONORS}/{donor}/harvests", {"lines": [{"part_id": str(part), "quantity": 1}]}),
                       (f"{RETURNS}/batches/{batch}/sending", None),
                       (f"{RETURNS}/batches/{batch}/credit", {"credit_minor": 1}),
                       (f"{RETURNS}/batches/{batch}/rejection", {"reason": "no"})):
        assert (await client.post(path, headers=foreign, json=body)).status_code == 404, path
    for path in (BACKORDERS, DONORS, f"{RETURNS}/faulty", f"{RETURNS}/batches"):
        assert (await client.get(path, headers=foreign)).json() == [], path
    # This tenant's ids in another tenant's bodies are unknown there: 422 naming them, nothing written.
    used = await client.post(f"{DONORS}/used-parts", headers=foreign, json={
        "request_id": str(job.request_id), "part_id": str(part), "quantity": 1, "location_id": str(location)})
    assert used.status_code == 422
    assert {e["field"] for e in used.json()["errors"]} == {"request_id", "part_id", "location_id"}
    tagged = await client.post(f"{RETURNS}/faulty", headers=foreign, json={
        "request_id": str(job.request_id), "part_id": str(part), "quantity": 1})
    assert tagged.status_code == 422
    placed = await client.post(BACKORDERS, headers=foreign, json={
        "part_id": str(part), "quantity": 1, "request_id": str(job.request_id), "location_id": str(location),
        "expected_on": today().isoformat()})
    assert placed.status_code == 422
    registered = await client.post(DONORS, headers=foreign, json={"source": "scrapped",
                                                                  "location_id": str(location), "serial": "A1"})
    assert registered.status_code == 422
    for model in (Backorder, DonorUnit, FaultyPart, ReturnBatch):
        assert await count(runtime, other, model) == 0
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(Backorder.state).where(Backorder.id == uuid.UUID(backorder))) == "open"


async def test_only_staff_with_parts_supply_place_backorders(client, runtime, make_tenant, staff_token):
    tenant = await mehr(make_tenant)
    service_desk = await staff_token(tenant, "customer_service")
    assert (await client.get(BACKORDERS, headers=service_desk)).status_code == 403
