"""Extra work needs the customer's consent first (seed 002): change requests decided once by the customer, and
work recorded without approval kept but never chargeable (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from support.quotes import garage, new_job, set_state

BASE = "/api/v1/marketplace"
EXTRA = {"description": "replace the worn seal", "reason": "it leaks under load", "labour_minor": 30_00,
         "parts": [{"code": "SEAL", "quantity": 1}]}


@pytest.fixture
async def job(runtime, make_tenant, provider_token, customer_token):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token, distance_km=12.5)
    await set_state(runtime, job, "in_progress")
    return job


async def raise_change(client, job, body=EXTRA):
    return await client.post(f"{BASE}/bookings/{job.booking_id}/change-requests", json=body, headers=job.provider)


async def test_a_change_request_is_priced_without_a_second_travel_charge_and_waits_for_the_customer(client, job):
    r = await raise_change(client, job)
    assert r.status_code == 201, r.text
    change = r.json()
    assert [(x["kind"], x["amount_minor"]) for x in change["lines"]] == [("labour", 30_00), ("discount", -3_00),
                                                                        ("part", 20_00)]
    assert change["amount_minor"] == 47_00 and change["state"] == "pending" and change["decided_at"] is None


async def test_approval_is_kept_with_who_and_when_and_approving_twice_changes_nothing(client, job):
    change = (await raise_change(client, job)).json()
    r = await client.post(f"{BASE}/change-requests/{change['id']}/approve", json={"note": "go ahead"},
                          headers=job.customer)
    assert r.status_code == 200
    approved = r.json()
    assert approved["state"] == "approved" and approved["decided_by"] == f"customer:{job.customer_id}"
    assert approved["decided_at"] and approved["decision_note"] == "go ahead"
    for action in ("approve", "refuse"):
        again = await client.post(f"{BASE}/change-requests/{change['id']}/{action}", json={}, headers=job.customer)
        assert again.status_code == 409
    [kept] = (await client.get(f"{BASE}/bookings/{job.booking_id}/change-requests", headers=job.customer)).json()
    assert (kept["state"], kept["decided_at"], kept["decision_note"]) == ("approved", approved["decided_at"],
                                                                          "go ahead")


async def test_a_withdrawn_change_request_cannot_be_decided(client, job):
    change = (await raise_change(client, job)).json()
    r = await client.post(f"{BASE}/change-requests/{change['id']}/withdraw", headers=job.provider)
    assert r.json()["state"] == "withdrawn"
    r = await client.post(f"{BASE}/change-requests/{change['id']}/approve", json={}, headers=job.customer)
    assert r.status_code == 409 and "withdrawn" in r.json()["detail"]


async def test_the_customer_may_refuse(client, job):
    change = (await raise_change(client, job)).json()
    r = await client.post(f"{BASE}/change-requests/{change['id']}/refuse", json={"note": "not now"},
                          headers=job.customer)
    assert r.json()["state"] == "refused"


async def test_extra_work_is_asked_for_only_on_a_job_in_progress(runtime, client, job):
    await set_state(runtime, job, "booked")
    assert (await raise_change(client, job)).status_code == 409


async def test_negative_labour_and_a_part_off_the_list_are_refused_and_nothing_is_stored(client, job):
    r = await raise_change(client, job, {**EXTRA, "labour_minor": -1, "parts": [{"code": "TURBO"}]})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"labour_minor", "parts.0.code"}
    assert (await client.get(f"{BASE}/bookings/{job.booking_id}/change-requests", headers=job.provider)).json() == []


async def test_work_is_chargeable_only_under_an_accepted_quote_or_an_approved_change(client, job):
    url = f"{BASE}/bookings/{job.booking_id}/work-items"
    change = (await raise_change(client, job)).json()
    early = await client.post(url, json={"description": "seal", "amount_minor": 47_00,
                                         "change_request_id": change["id"]}, headers=job.provider)
    assert early.status_code == 201 and early.json()["chargeable"] is False and "pending" in early.json()["why"]
    unquoted = await client.post(url, json={"description": "oil", "amount_minor": 100_00, "from_quote": True},
                                 headers=job.provider)
    assert unquoted.json()["chargeable"] is False and "no quote was accepted" in unquoted.json()["why"]
    await client.post(f"{BASE}/change-requests/{change['id']}/approve", json={}, headers=job.customer)
    approved = await client.post(url, json={"description": "seal", "amount_minor": 47_00,
                                            "change_request_id": change["id"]}, headers=job.provider)
    assert approved.json()["chargeable"] is True
    listed = [(w["description"], w["chargeable"]) for w in (await client.get(url, headers=job.customer)).json()]
    assert listed == [("seal", False), ("oil", False), ("seal", True)]  # the early ones stay on record


async def test_negative_work_and_someone_elses_change_request_are_refused(runtime, client, job, provider_token,
                                                                          customer_token):
    other = await new_job(runtime, job.tenant, provider_token, customer_token, name="Garage Two")
    await set_state(runtime, other, "in_progress")
    foreign = (await raise_change(client, other)).json()
    r = await client.post(f"{BASE}/bookings/{job.booking_id}/work-items",
                          json={"description": "x", "amount_minor": -5, "change_request_id": foreign["id"]},
                          headers=job.provider)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"amount_minor", "change_request_id"}


async def test_another_customer_and_another_provider_find_nothing(runtime, client, job, provider_token,
                                                                  customer_token):
    other = await new_job(runtime, job.tenant, provider_token, customer_token, name="Garage Two")
    change = (await raise_change(client, job)).json()
    assert (await raise_change(client, replace(job, provider=other.provider))).status_code == 404
    for action in ("approve", "refuse"):
        r = await client.post(f"{BASE}/change-requests/{change['id']}/{action}", json={}, headers=other.customer)
        assert r.status_code == 404
    r = await client.post(f"{BASE}/change-requests/{change['id']}/withdraw", headers=other.provider)
    assert r.status_code == 404
    for path in ("change-requests", "work-items"):
        assert (await client.get(f"{BASE}/bookings/{job.booking_id}/{path}", headers=other.customer)).status_code == 404
    r = await client.post(f"{BASE}/bookings/{job.booking_id}/work-items", json={"description": "x", "amount_minor": 1},
                          headers=other.provider)
    assert r.status_code == 404
    assert (await client.get(f"{BASE}/bookings/{job.booking_id}/change-requests",
                             headers=job.customer)).json()[0]["state"] == "pending"


async def test_another_tenant_cannot_see_or_decide_change_requests(runtime, make_tenant, client, job, staff_token,
                                                                   provider_token, customer_token):
    other = await new_job(runtime, await garage(runtime, make_tenant, "rival"), provider_token, customer_token)
    change = (await raise_change(client, job)).json()
    admin = await staff_token(other.tenant, "admin")
    for headers in (admin, other.provider, other.customer):
        for path in ("change-requests", "work-items"):
            r = await client.get(f"{BASE}/bookings/{job.booking_id}/{path}", headers=headers)
            assert r.status_code == 404
    assert (await client.post(f"{BASE}/change-requests/{change['id']}/approve", json={},
                              headers=other.customer)).status_code == 404
    r = await client.post(f"{BASE}/bookings/{job.booking_id}/change-requests", json=EXTRA, headers=other.provider)
    assert r.status_code == 404
