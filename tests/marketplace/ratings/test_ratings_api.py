"""Mutual ratings over the API (issue 5 item 7): after completion only, once per side, 1–5; held ratings count
only once a reviewer accepts them; every token reaches only its own tenant's, customer's or provider's rows."""

from __future__ import annotations

import pytest

from aftersales.onboarding.manifest import read_manifest_file
from aftersales.settings import REPO_ROOT
from support.marketplace import add_customer, add_provider
from support.ratings import completed_job, customer_total, free_warranty_job, provider_row, rating_count

CARMAX = read_manifest_file(REPO_ROOT / "tenants" / "carmax.toml")["settings"]
"""Carmax's real settings (seed 002): its limit of customer ratings a day is a setting, not the vertical's."""

URL = "/api/v1/marketplace"


@pytest.fixture
async def carmax(make_tenant):
    """An auto-service tenant: Carmax's rules (unpaid jobs and customer bursts held, repeats weighed down)."""
    return await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)


@pytest.fixture
async def garage(runtime, carmax):
    return await add_provider(runtime, carmax, name="Garage One")


async def rate(client, booking_id, header, stars=5, **body):
    return await client.post(f"{URL}/bookings/{booking_id}/rating", json={"stars": stars, **body}, headers=header)


async def test_the_customer_rates_the_provider_of_a_completed_paid_job_and_the_average_moves(
        runtime, client, carmax, garage, customer_token):
    customer_id = await add_customer(runtime, carmax, name="Sara Example")
    _, header = await customer_token(carmax, customer_id)
    job = await completed_job(runtime, carmax, garage, customer_id)

    answer = await rate(client, job, header, stars=4, comment=" Ready at the booked hour. ",
                        criteria={"punctuality": 5, "honesty": 4})
    assert answer.status_code == 201, answer.text
    given = answer.json()
    assert (given["direction"], given["status"], given["weight"]) == ("customer_rates_provider", "counted", 1.0)
    assert given["comment"] == "Ready at the booked hour."

    row = await provider_row(runtime, carmax, garage.provider_id)
    assert (row.rating_count, row.rating_average) == (1, 4.0)
    public = (await client.get(f"{URL}/providers/{garage.provider_id}/ratings", headers=header)).json()
    assert (public["rating_average"], public["rating_count"]) == (4.0, 1)
    assert public["items"] == [{"id": given["id"], "stars": 4, "comment": "Ready at the booked hour.",
                                "criteria": {"punctuality": 5, "honesty": 4}, "rated_by": "Sara E.",
                                "created_at": given["created_at"]}]


async def test_the_provider_rates_the_customer_and_the_customers_total_moves(
        runtime, client, carmax, garage, provider_token):
    customer_id = await add_customer(runtime, carmax)
    job = await completed_job(runtime, carmax, garage, customer_id)
    answer = await rate(client, job, await provider_token(carmax, garage.provider_id), stars=2,
                        criteria={"payment": 1})
    assert answer.status_code == 201, answer.text
    assert (answer.json()["direction"], answer.json()["status"]) == ("provider_rates_customer", "counted")
    total = await customer_total(runtime, carmax, customer_id)
    assert (total.rating_count, total.rating_average) == (1, 2.0)
    assert (await provider_row(runtime, carmax, garage.provider_id)).rating_count == 0  # the other side's aggregate


async def test_each_side_rates_a_job_once(runtime, client, carmax, garage, customer_token, provider_token):
    customer_id, header = await customer_token(carmax)
    job = await completed_job(runtime, carmax, garage, customer_id)
    provider = await provider_token(carmax, garage.provider_id)
    assert (await rate(client, job, header, stars=5)).status_code == 201
    assert (await rate(client, job, provider, stars=5)).status_code == 201  # the other side, same job

    again = await rate(client, job, header, stars=1)
    assert again.status_code == 409 and "once" in again.json()["detail"]
    assert (await rate(client, job, provider, stars=1)).status_code == 409
    assert await rating_count(runtime, carmax) == 2
    assert (await provider_row(runtime, carmax, garage.provider_id)).rating_average == 5.0


@pytest.mark.parametrize("state", ["booked", "in_progress", "cancelled", "no_show"])
async def test_a_job_that_is_not_completed_cannot_be_rated(runtime, client, carmax, garage, customer_token,
                                                            provider_token, state):
    customer_id, header = await customer_token(carmax)
    job = await completed_job(runtime, carmax, garage, customer_id, state=state)
    for token in (header, await provider_token(carmax, garage.provider_id)):
        answer = await rate(client, job, token)
        assert answer.status_code == 409 and "only after it is completed" in answer.json()["detail"]
    assert await rating_count(runtime, carmax) == 0


async def test_stars_and_criteria_outside_1_to_5_are_refused_field_by_field_and_nothing_is_written(
        runtime, client, carmax, garage, customer_token):
    customer_id, header = await customer_token(carmax)
    job = await completed_job(runtime, carmax, garage, customer_id)
    answer = await rate(client, job, header, stars=6, comment="x" * 2001,
                        criteria={"quality": 0, "payment": 3, "smell": 2})
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"stars", "comment", "criteria.quality",
                                                            "criteria.payment", "criteria.smell"}
    assert (await rate(client, job, header, stars=0)).status_code == 422
    assert (await rate(client, job, header, stars="many")).status_code == 400  # not even a number
    assert await rating_count(runtime, carmax) == 0
    # the edges themselves are fine: 1 and 5, a comment of exactly 2000 characters
    assert (await rate(client, job, header, stars=1, comment="y" * 2000, criteria={"quality": 5})).status_code == 201


async def test_someone_elses_booking_is_not_found(runtime, client, carmax, garage, customer_token, provider_token):
    owner = await add_customer(runtime, carmax)
    job = await completed_job(runtime, carmax, garage, owner)
    _, stranger = await customer_token(carmax)
    other_garage = await add_provider(runtime, carmax, name="Garage Two")
    for token in (stranger, await provider_token(carmax, other_garage.provider_id)):
        answer = await rate(client, job, token)
        assert answer.status_code == 404
    assert await rating_count(runtime, carmax) == 0


async def test_staff_do_not_rate_jobs(runtime, client, carmax, garage, staff_token):
    job = await completed_job(runtime, carmax, garage, await add_customer(runtime, carmax))
    assert (await rate(client, job, await staff_token(carmax, "admin"))).status_code == 403


async def test_an_unpaid_job_is_held_and_moves_nothing_until_a_reviewer_accepts_it(
        runtime, client, carmax, garage, customer_token, staff_token):
    customer_id, header = await customer_token(carmax)
    paid = await completed_job(runtime, carmax, await add_provider(runtime, carmax, name="Paid"), customer_id)
    assert (await rate(client, paid, header, stars=5)).json()["status"] == "counted"
    unpaid = await completed_job(runtime, carmax, garage, customer_id, paid=False)

    held = (await rate(client, unpaid, header, stars=1)).json()
    assert held["status"] == "held" and "never paid through the app" in held["reasons"][0]
    row = await provider_row(runtime, carmax, garage.provider_id)
    assert (row.rating_count, row.rating_average) == (0, None)
    listed = (await client.get(f"{URL}/providers/{garage.provider_id}/ratings", headers=header)).json()
    assert listed["items"] == []

    agent, admin = await staff_token(carmax, "agent"), await staff_token(carmax, "admin")
    queue = (await client.get(f"{URL}/ratings/held", headers=agent)).json()["items"]
    assert [r["id"] for r in queue] == [held["id"]] and queue[0]["rater"] == f"customer:{customer_id}"
    review_url = f"{URL}/ratings/{held['id']}/review"
    assert (await client.post(review_url, json={"decision": "accept"}, headers=agent)).status_code == 403

    accepted = await client.post(review_url, json={"decision": "accept", "note": "paid in cash, receipt seen"},
                                 headers=admin)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "counted" and accepted.json()["reviewed_by"].startswith("staff:")
    assert accepted.json()["reasons"][-1] == "accepted on review: paid in cash, receipt seen"
    row = await provider_row(runtime, carmax, garage.provider_id)
    assert (row.rating_count, row.rating_average) == (1, 1.0)
    assert (await client.get(f"{URL}/ratings/held", headers=agent)).json()["items"] == []

    twice = await client.post(review_url, json={"decision": "reject"}, headers=admin)
    assert twice.status_code == 409
    assert (await provider_row(runtime, carmax, garage.provider_id)).rating_count == 1


async def test_a_rejected_rating_never_counts(runtime, client, carmax, garage, customer_token, staff_token):
    customer_id, header = await customer_token(carmax)
    unpaid = await completed_job(runtime, carmax, garage, customer_id, paid=False)
    held = (await rate(client, unpaid, header, stars=1)).json()
    admin = await staff_token(carmax, "admin")
    review_url = f"{URL}/ratings/{held['id']}/review"
    rejected = await client.post(review_url, json={"decision": "reject", "note": "no such job took place"},
                                 headers=admin)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert (await client.post(review_url, json={"decision": "accept"}, headers=admin)).status_code == 409
    row = await provider_row(runtime, carmax, garage.provider_id)
    assert (row.rating_count, row.rating_average) == (0, None)
    mine = (await client.get(f"{URL}/ratings/given", headers=header)).json()["items"]
    assert [(r["id"], r["status"]) for r in mine] == [(held["id"], "rejected")]
    assert (await client.post(f"{URL}/ratings/recount", headers=admin)).json() == {"providers": 0, "customers": 0}


async def test_a_free_warranty_job_owed_nothing_and_counts_as_paid(runtime, client, carmax, garage, customer_token):
    customer_id, header = await customer_token(carmax)
    job = await free_warranty_job(runtime, carmax, garage, customer_id)
    assert (await rate(client, job, header, stars=5)).json()["status"] == "counted"


async def test_raters_see_only_the_ratings_they_gave(runtime, client, carmax, garage, customer_token, provider_token):
    sara, sara_header = await customer_token(carmax)
    omid, omid_header = await customer_token(carmax)
    provider = await provider_token(carmax, garage.provider_id)
    sara_job = await completed_job(runtime, carmax, garage, sara)
    omid_job = await completed_job(runtime, carmax, garage, omid)
    await rate(client, sara_job, sara_header, stars=5)
    await rate(client, omid_job, omid_header, stars=3)
    await rate(client, sara_job, provider, stars=4)

    def given(page):
        return [(r["booking_id"], r["direction"], r["stars"]) for r in page.json()["items"]]

    assert given(await client.get(f"{URL}/ratings/given", headers=sara_header)) == [
        (str(sara_job), "customer_rates_provider", 5)]
    assert given(await client.get(f"{URL}/ratings/given", headers=provider)) == [
        (str(sara_job), "provider_rates_customer", 4)]
    # the provider's public page shows only customers' counted ratings, never the provider's of its customers
    public = (await client.get(f"{URL}/providers/{garage.provider_id}/ratings?limit=1", headers=provider)).json()
    assert [i["stars"] for i in public["items"]] == [3] and public["rating_average"] == 4.0
    rest = await client.get(f"{URL}/providers/{garage.provider_id}/ratings",
                            params={"cursor": public["next_cursor"]}, headers=provider)
    assert [i["stars"] for i in rest.json()["items"]] == [5] and rest.json()["next_cursor"] is None


async def test_another_tenants_tokens_reach_none_of_this_tenants_ratings(
        runtime, client, carmax, garage, make_tenant, customer_token, provider_token, staff_token):
    customer_id, header = await customer_token(carmax)
    job = await completed_job(runtime, carmax, garage, customer_id, paid=False)
    held = (await rate(client, job, header, stars=2)).json()

    other = await make_tenant("other-test", vertical="auto_service")
    other_garage = await add_provider(runtime, other, name="Elsewhere")
    _, other_customer = await customer_token(other)
    other_provider = await provider_token(other, other_garage.provider_id)
    other_admin = await staff_token(other, "admin")

    for token in (other_customer, other_provider):
        assert (await rate(client, job, token)).status_code == 404
        assert (await client.get(f"{URL}/ratings/given", headers=token)).json()["items"] == []
    assert (await client.get(f"{URL}/providers/{garage.provider_id}/ratings", headers=other_admin)).status_code == 404
    assert (await client.get(f"{URL}/ratings/held", headers=other_admin)).json()["items"] == []
    review = await client.post(f"{URL}/ratings/{held['id']}/review", json={"decision": "accept"}, headers=other_admin)
    assert review.status_code == 404
    assert (await client.post(f"{URL}/ratings/recount", headers=other_admin)).json() == {"providers": 0,
                                                                                         "customers": 0}
    assert (await client.get(f"{URL}/ratings/held", headers=await staff_token(carmax, "agent"))).json()["items"][0][
        "status"] == "held"
