"""Binding quotes over the API: the vertical's itemised lines, parts at the tenant's list price, the customer's
decision, one accepted quote per booking, and who may see what (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from aftersales.marketplace.models import Quote
from support.quotes import garage, new_job

BASE = "/api/v1/marketplace"
SEAL = {"parts": [{"code": "SEAL", "quantity": 2}]}


def quotes_url(job) -> str:
    return f"{BASE}/bookings/{job.booking_id}/quotes"


@pytest.fixture
async def job(runtime, make_tenant, provider_token, customer_token):
    tenant = await garage(runtime, make_tenant)
    return await new_job(runtime, tenant, provider_token, customer_token, distance_km=12.5,
                         consumables=("OIL-5W30",))


async def test_provider_quotes_labour_parts_at_list_price_discount_and_travel_out_of_warranty(client, job):
    r = await client.post(quotes_url(job), json=SEAL, headers=job.provider)
    assert r.status_code == 201, r.text
    quote = r.json()
    assert [(line["kind"], line["amount_minor"]) for line in quote["lines"]] == [
        ("labour", 100_00), ("discount", -10_00), ("part", 40_00), ("travel", 6_25)]
    assert quote["total_minor"] == 136_25 and quote["state"] == "offered" and quote["fee_basis_points"] == 1000
    assert quote["offered_by"].startswith("staff:")


async def test_in_warranty_travel_labour_and_parts_are_free(runtime, make_tenant, client, provider_token,
                                                            customer_token):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token, distance_km=12.5, under_warranty=True)
    quote = (await client.post(quotes_url(job), json=SEAL, headers=job.provider)).json()
    assert {line["kind"]: line["covered_by_warranty"] for line in quote["lines"]} == {
        "labour": True, "part": True, "travel": True}
    assert quote["total_minor"] == 0


async def test_a_part_off_the_price_list_and_a_bad_quantity_are_refused_and_nothing_is_stored(client, job):
    body = {"parts": [{"code": "SEAL", "quantity": 0}, {"code": "TURBO", "quantity": 1}]}
    r = await client.post(quotes_url(job), json=body, headers=job.provider)
    assert r.status_code == 422
    assert {(e["field"], e["reason"]) for e in r.json()["errors"]} == {
        ("parts.0.quantity", "must be at least 1"), ("parts.1.code", "'TURBO' is not on the tenant's price list")}
    assert (await client.get(quotes_url(job), headers=job.provider)).json() == []


async def test_consumables_must_be_the_ones_the_customer_asked_for(client, job):
    other = {"consumables": [{"code": "OIL-10W40", "quantity": 4}]}
    r = await client.post(quotes_url(job), json=other, headers=job.provider)
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "consumables" and "OIL-10W40" in error["reason"] and "OIL-5W30" in error["reason"]
    assert (await client.get(quotes_url(job), headers=job.provider)).json() == []
    asked = {"consumables": [{"code": "OIL-5W30", "quantity": 4}]}
    r = await client.post(quotes_url(job), json=asked, headers=job.provider)
    assert r.status_code == 201 and ("consumable", 36_00) in [(x["kind"], x["amount_minor"]) for x in r.json()["lines"]]


async def test_accepting_supersedes_the_other_offers_and_no_quote_follows(client, job):
    first = (await client.post(quotes_url(job), json={}, headers=job.provider)).json()
    second = (await client.post(quotes_url(job), json=SEAL, headers=job.provider)).json()
    r = await client.post(f"{BASE}/quotes/{second['id']}/accept", headers=job.customer)
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    assert r.json()["decided_by"] == f"customer:{job.customer_id}" and r.json()["decided_at"]
    states = {q["id"]: q["state"] for q in (await client.get(quotes_url(job), headers=job.customer)).json()}
    assert states == {first["id"]: "superseded", second["id"]: "accepted"}
    assert (await client.post(f"{BASE}/quotes/{first['id']}/accept", headers=job.customer)).status_code == 409
    again = await client.post(quotes_url(job), json={}, headers=job.provider)
    assert again.status_code == 409 and "change request" in again.json()["detail"]


async def test_declined_quote_cannot_then_be_accepted(client, job):
    quote = (await client.post(quotes_url(job), json={}, headers=job.provider)).json()
    declined = await client.post(f"{BASE}/quotes/{quote['id']}/decline", headers=job.customer)
    assert declined.json()["state"] == "declined"
    r = await client.post(f"{BASE}/quotes/{quote['id']}/accept", headers=job.customer)
    assert r.status_code == 409


async def test_the_database_holds_one_accepted_quote_per_booking(runtime, client, job):
    quote = (await client.post(quotes_url(job), json={}, headers=job.provider)).json()
    await client.post(f"{BASE}/quotes/{quote['id']}/accept", headers=job.customer)
    with pytest.raises(IntegrityError):
        async with runtime.db.transaction(job.tenant.id) as s:
            s.add(Quote(booking_id=job.booking_id, state="accepted", lines=[], total_minor=0, currency="EUR",
                        offered_by="test"))
    async with runtime.db.transaction(job.tenant.id) as s:
        assert len((await s.scalars(select(Quote).where(Quote.state == "accepted"))).all()) == 1


async def test_quotes_on_a_closed_booking_are_refused(runtime, client, job):
    from support.quotes import set_state

    await set_state(runtime, job, "cancelled")
    assert (await client.post(quotes_url(job), json={}, headers=job.provider)).status_code == 409


async def test_staff_quote_and_customers_cannot(client, job, staff_token):
    agent = await staff_token(job.tenant, "agent")
    assert (await client.post(quotes_url(job), json={}, headers=agent)).status_code == 201
    assert (await client.post(quotes_url(job), json={}, headers=job.customer)).status_code == 403


async def test_another_providers_and_another_customers_tokens_find_nothing(runtime, client, job, provider_token,
                                                                           customer_token):
    other = await new_job(runtime, job.tenant, provider_token, customer_token, name="Garage Two")
    quote = (await client.post(quotes_url(job), json={}, headers=job.provider)).json()
    assert (await client.post(quotes_url(job), json={}, headers=other.provider)).status_code == 404
    assert (await client.get(quotes_url(job), headers=other.provider)).status_code == 404
    assert (await client.get(quotes_url(job), headers=other.customer)).status_code == 404
    for action in ("accept", "decline"):
        r = await client.post(f"{BASE}/quotes/{quote['id']}/{action}", headers=other.customer)
        assert r.status_code == 404
    assert (await client.get(quotes_url(job), headers=job.customer)).json()[0]["state"] == "offered"


async def test_another_tenant_cannot_see_or_decide_the_quotes(runtime, make_tenant, client, job, staff_token,
                                                              provider_token, customer_token):
    other = await new_job(runtime, await garage(runtime, make_tenant, "rival"), provider_token, customer_token)
    quote = (await client.post(quotes_url(job), json={}, headers=job.provider)).json()
    admin = await staff_token(other.tenant, "admin")
    for headers in (admin, other.provider):
        assert (await client.post(quotes_url(job), json={}, headers=headers)).status_code == 404
    for headers in (admin, other.provider, other.customer):
        assert (await client.get(quotes_url(job), headers=headers)).status_code == 404
    assert (await client.post(f"{BASE}/quotes/{quote['id']}/accept", headers=other.customer)).status_code == 404


async def test_admins_keep_the_price_list_and_negative_prices_are_refused(client, job, staff_token):
    admin, agent = await staff_token(job.tenant, "admin"), await staff_token(job.tenant, "agent")
    body = {"name": "brake pad", "price_minor": 35_00, "currency": "EUR"}
    r = await client.put(f"{BASE}/parts/PAD", json=body, headers=admin)
    assert r.status_code == 200 and r.json()["price_minor"] == 35_00
    assert (await client.put(f"{BASE}/parts/PAD", json=body, headers=agent)).status_code == 403
    r = await client.put(f"{BASE}/parts/PAD", json={**body, "price_minor": -1}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "price_minor", "reason": "must not be negative"}]
    listed = {p["code"]: p["price_minor"] for p in (await client.get(f"{BASE}/parts", headers=job.provider)).json()}
    assert listed["PAD"] == 35_00


async def test_another_tenants_price_list_is_not_seen(runtime, make_tenant, client, job, staff_token):
    rival = await make_tenant("rival", vertical="auto_service")
    admin = await staff_token(rival, "admin")
    assert (await client.get(f"{BASE}/parts", headers=admin)).json() == []


@pytest.mark.postgres_only  # concurrent transactions; SQLite runs one writer at a time
async def test_of_two_quotes_accepted_at_once_exactly_one_binds(client, job):
    offered = [(await client.post(quotes_url(job), json={}, headers=job.provider)).json() for _ in range(2)]
    answers = await asyncio.gather(*(client.post(f"{BASE}/quotes/{q['id']}/accept", headers=job.customer)
                                     for q in offered))
    assert sorted(r.status_code for r in answers) == [200, 409]
    states = sorted(q["state"] for q in (await client.get(quotes_url(job), headers=job.customer)).json())
    assert states == ["accepted", "superseded"]



def test_a_quote_line_answers_with_the_kinds_the_contract_defines():
    from typing import get_type_hints

    from aftersales.contract.values import QuoteLine
    from aftersales.marketplace.quotes.schemas import LineOut

    assert LineOut.model_fields["kind"].annotation == get_type_hints(QuoteLine)["kind"]
