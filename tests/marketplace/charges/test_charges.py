"""The job's charge: never more than the accepted quote plus approved changes (seed 002). An attempt above the
cap, or for unapproved work, is refused and the refusal kept; a created charge splits into the provider's payout
and the platform's fee, which add up to it (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest

from aftersales.contract.money import Money
from aftersales.marketplace.charges.services import charge_due, platform_fee
from support.quotes import garage, new_job, set_state

BASE = "/api/v1/marketplace"


async def accept_a_quote(client, job) -> dict:
    quote = (await client.post(f"{BASE}/bookings/{job.booking_id}/quotes", json={}, headers=job.provider)).json()
    return (await client.post(f"{BASE}/quotes/{quote['id']}/accept", headers=job.customer)).json()


async def approve_change(client, job, labour_minor: int, *, approve: bool = True) -> dict:
    body = {"description": "extra", "reason": "found more", "labour_minor": labour_minor}
    change = (await client.post(f"{BASE}/bookings/{job.booking_id}/change-requests", json=body,
                                headers=job.provider)).json()
    action = "approve" if approve else "refuse"
    await client.post(f"{BASE}/change-requests/{change['id']}/{action}", json={}, headers=job.customer)
    return change


@pytest.fixture
async def job(runtime, make_tenant, provider_token, customer_token, client):
    """A job with an accepted quote of 90.00 EUR (100.00 labour less 10 %), then completed."""
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token)
    assert (await accept_a_quote(client, job))["total_minor"] == 90_00
    await set_state(runtime, job, "completed")
    return job


def charge(client, job, headers=None, **body):
    return client.post(f"{BASE}/bookings/{job.booking_id}/charges", json=body, headers=headers or job.provider)


async def test_charging_exactly_the_cap_creates_the_charge_with_payout_and_fee(client, job):
    r = await charge(client, job, amount_minor=90_00)
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["outcome"], created["amount_minor"], created["cap_minor"]) == ("created", 90_00, 90_00)
    assert (created["platform_fee_minor"], created["provider_payout_minor"]) == (9_00, 81_00)


async def test_one_cent_above_the_cap_is_refused_and_the_refusal_is_kept(client, job):
    r = await charge(client, job, amount_minor=90_01)
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "amount_minor" and "90.01 EUR is more than the customer agreed to: 90.00 EUR" in error["reason"]
    [kept] = (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.customer)).json()
    assert (kept["outcome"], kept["amount_minor"], kept["cap_minor"]) == ("refused", 90_01, 90_00)
    assert kept["id"] in r.json()["detail"] and kept["provider_payout_minor"] == kept["platform_fee_minor"] == 0
    assert (await charge(client, job)).json()["outcome"] == "created"  # the refusal blocks nothing within the cap


async def test_the_cap_adds_approved_changes_only(runtime, make_tenant, client, provider_token, customer_token):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token)
    await accept_a_quote(client, job)
    await set_state(runtime, job, "in_progress")
    await approve_change(client, job, 20_00)                  # 18.00 after the 10 % labour discount
    await approve_change(client, job, 50_00, approve=False)   # refused: not in the cap
    await client.post(f"{BASE}/bookings/{job.booking_id}/change-requests", headers=job.provider,
                      json={"description": "pending", "reason": "maybe", "labour_minor": 10_00})
    await set_state(runtime, job, "completed")
    assert (await charge(client, job, amount_minor=108_01)).json()["errors"][0]["field"] == "amount_minor"
    created = (await charge(client, job)).json()
    assert (created["amount_minor"], created["cap_minor"]) == (108_00, 108_00)


async def test_charging_unapproved_work_is_refused_and_recorded(runtime, make_tenant, client, provider_token,
                                                                customer_token):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token)
    await accept_a_quote(client, job)
    await set_state(runtime, job, "in_progress")
    url = f"{BASE}/bookings/{job.booking_id}/work-items"
    quoted = (await client.post(url, json={"description": "oil change", "amount_minor": 60_00, "from_quote": True},
                                headers=job.provider)).json()
    extra = (await client.post(url, json={"description": "new wipers", "amount_minor": 20_00},
                               headers=job.provider)).json()
    await set_state(runtime, job, "completed")
    r = await charge(client, job, amount_minor=80_00, work_item_ids=[quoted["id"], extra["id"]])
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "work_item_ids" and "new wipers" in error["reason"] and "oil change" not in error["reason"]
    charges = (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.provider)).json()
    assert [c["outcome"] for c in charges] == ["refused"]
    r = await charge(client, job, amount_minor=60_00, work_item_ids=[quoted["id"]])
    assert r.status_code == 201


async def test_nothing_is_charged_before_completion_or_without_an_accepted_quote_and_nothing_recorded(
        runtime, make_tenant, client, provider_token, customer_token):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token, state="in_progress")
    r = await charge(client, job, amount_minor=1)
    assert r.status_code == 409 and "completion" in r.json()["detail"]
    await set_state(runtime, job, "completed")
    r = await charge(client, job, amount_minor=1)
    assert r.status_code == 409 and "no quote was accepted" in r.json()["detail"]
    assert (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.provider)).json() == []


async def test_a_job_is_charged_once_and_a_negative_amount_is_bad_input(client, job):
    r = await charge(client, job, amount_minor=-1)
    assert r.status_code == 422 and r.json()["errors"][0] == {"field": "amount_minor", "reason": "must not be negative"}
    assert (await charge(client, job, amount_minor=50_00)).status_code == 201
    assert (await charge(client, job, amount_minor=10_00)).status_code == 409
    assert len((await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.provider)).json()) == 1


@pytest.mark.parametrize(("amount", "fee"), [(4, 0), (5, 1), (14, 1), (15, 2), (90_00, 9_00), (0, 0)])
def test_the_fee_is_rounded_half_up_to_a_minor_unit(amount, fee):
    assert platform_fee(amount, 1000) == fee


async def test_payout_and_fee_add_up_to_an_odd_charge_and_the_payments_code_reads_them(runtime, client, job):
    created = (await charge(client, job, amount_minor=12_35)).json()
    assert (created["platform_fee_minor"], created["provider_payout_minor"]) == (1_24, 11_11)  # 123.5 → 124
    async with runtime.db.transaction(job.tenant.id) as s:
        due = await charge_due(s, job.booking_id)
    assert due is not None and due.amount == Money(12_35, "EUR")
    assert due.provider_payout + due.platform_fee == due.amount
    assert (due.customer_id, due.provider_id) == (job.customer_id, job.setup.provider_id)


async def test_the_customer_cannot_charge_and_another_provider_finds_nothing(runtime, client, job, provider_token,
                                                                             customer_token):
    other = await new_job(runtime, job.tenant, provider_token, customer_token, name="Garage Two")
    assert (await charge(client, job, headers=job.customer)).status_code == 403
    assert (await charge(client, job, headers=other.provider)).status_code == 404
    assert (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=other.customer)).status_code == 404
    assert (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.customer)).json() == []


async def test_another_tenant_cannot_charge_or_see_the_charges(runtime, make_tenant, client, job, staff_token,
                                                               provider_token, customer_token):
    other = await new_job(runtime, await garage(runtime, make_tenant, "rival"), provider_token, customer_token)
    admin = await staff_token(other.tenant, "admin")
    for headers in (admin, other.provider):
        assert (await charge(client, job, headers=headers)).status_code == 404
    for headers in (admin, other.provider, other.customer):
        r = await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=headers)
        assert r.status_code == 404
    assert (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.provider)).json() == []


@pytest.mark.postgres_only  # concurrent transactions; SQLite runs one writer at a time
async def test_of_two_charges_at_once_exactly_one_is_created(client, job):
    answers = await asyncio.gather(charge(client, job), charge(client, job))
    assert sorted(r.status_code for r in answers) == [201, 409]
