"""auto_service's ``quote_is_binding`` and ``extra_work_needs_consent`` decide the charge (issue 19 §2.4, seed 002):
a tenant that keeps both (Carmax, Yizhongyi) caps the charge at the accepted quote plus approved changes and
never charges extra work the customer did not approve; a tenant that turns them off charges above an estimate, and
extra work recorded without a change request."""

from __future__ import annotations

import pytest

from support.quotes import GARAGE_SETTINGS, add_price_list, new_job, set_state

BASE = "/api/v1/marketplace"


async def garage_with(runtime, make_tenant, slug: str, **terms: bool):
    settings = {"auto_service": {**GARAGE_SETTINGS["auto_service"], **terms}}
    tenant = await make_tenant(slug, vertical="auto_service", settings=settings)
    await add_price_list(runtime, tenant)
    return tenant


async def accepted_job(runtime, client, tenant, provider_token, customer_token):
    """A job whose quote of 90.00 EUR (100.00 labour less 10 %) was accepted, in progress."""
    job = await new_job(runtime, tenant, provider_token, customer_token)
    quote = (await client.post(f"{BASE}/bookings/{job.booking_id}/quotes", json={}, headers=job.provider)).json()
    accepted = (await client.post(f"{BASE}/quotes/{quote['id']}/accept", headers=job.customer)).json()
    assert accepted["total_minor"] == 90_00
    await set_state(runtime, job, "in_progress")
    return job, accepted


def charge(client, job, **body):
    return client.post(f"{BASE}/bookings/{job.booking_id}/charges", json=body, headers=job.provider)


@pytest.mark.parametrize(("binding", "status", "outcome"), [(True, 422, "refused"), (False, 201, "created")])
async def test_a_charge_above_the_accepted_quote_follows_the_tenants_quote_is_binding(
        runtime, make_tenant, client, provider_token, customer_token, binding, status, outcome):
    tenant = await garage_with(runtime, make_tenant, "garage", quote_is_binding=binding)
    job, quote = await accepted_job(runtime, client, tenant, provider_token, customer_token)
    assert quote["binding"] is binding and quote["extra_work_needs_consent"] is True
    await set_state(runtime, job, "completed")
    r = await charge(client, job, amount_minor=90_01)
    assert r.status_code == status, r.text
    [kept] = (await client.get(f"{BASE}/bookings/{job.booking_id}/charges", headers=job.customer)).json()
    assert (kept["outcome"], kept["amount_minor"], kept["cap_minor"]) == (outcome, 90_01, 90_00)
    if not binding:
        assert "the quote was an estimate, not binding" in kept["reason"]


@pytest.mark.parametrize(("needs_consent", "chargeable", "cap"), [(True, False, 90_00), (False, True, 110_00)])
async def test_extra_work_without_a_change_request_follows_the_tenants_extra_work_needs_consent(
        runtime, make_tenant, client, provider_token, customer_token, needs_consent, chargeable, cap):
    tenant = await garage_with(runtime, make_tenant, "garage", extra_work_needs_consent=needs_consent)
    job, quote = await accepted_job(runtime, client, tenant, provider_token, customer_token)
    assert quote["extra_work_needs_consent"] is needs_consent and quote["binding"] is True
    r = await client.post(f"{BASE}/bookings/{job.booking_id}/work-items", headers=job.provider,
                          json={"description": "new wipers", "amount_minor": 20_00})
    extra = r.json()
    assert extra["chargeable"] is chargeable, extra["why"]
    assert ("need no consent" in extra["why"]) is not needs_consent
    listed = (await client.get(f"{BASE}/bookings/{job.booking_id}/work-items", headers=job.customer)).json()
    assert [item["chargeable"] for item in listed] == [chargeable]
    await set_state(runtime, job, "completed")
    r = await charge(client, job, amount_minor=cap + 1, work_item_ids=[extra["id"]])
    assert r.status_code == 422  # binding: never above the cap, which counts the extra work only without consent
    r = await charge(client, job, amount_minor=cap, work_item_ids=[extra["id"]])
    assert r.status_code == (201 if chargeable else 422), r.text
    if not chargeable:
        assert "new wipers" in r.json()["errors"][0]["reason"]

