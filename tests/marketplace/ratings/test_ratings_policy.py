"""The facts a rating policy decides on, built from the database, at their edges: the N-th rating in 24 hours
against the N+1-th, a rating exactly 24 hours old, repeats of the same provider; and the aggregates: a rebuild
from the ratings table equals counting one at a time, and concurrent ratings on PostgreSQL lose no update."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.marketplace.models import CustomerRatingTotal, Provider
from aftersales.marketplace.ratings.services import (
    CUSTOMER_RATES_PROVIDER,
    PROVIDER_RATES_CUSTOMER,
    NewRating,
    Rater,
    rate_booking,
    recount,
    review,
)
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.current import bind_tenant
from support.marketplace import add_customer, add_provider
from support.ratings import completed_job, customer_total, provider_row

CARMAX = read_manifest_file(REPO_ROOT / "tenants" / "carmax.toml")["settings"]
"""Carmax's real settings (seed 002): its limit of customer ratings a day is a setting, not the vertical's."""

NOW = utcnow()


async def give(runtime, tenant, rater: Rater, booking_id, stars: int, at=NOW):
    """Rate in a transaction of its own, as one API request does."""
    async with runtime.db.transaction(tenant.id) as s:
        return await rate_booking(s, bind_tenant(tenant, runtime.plugins), rater, booking_id, NewRating(stars),
                                  actor="test", now=at)


async def jobs_of_one_customer(runtime, tenant, n: int):
    """``n`` completed, paid jobs of one customer, each at a different provider."""
    customer_id = await add_customer(runtime, tenant)
    jobs = []
    for i in range(n):
        setup = await add_provider(runtime, tenant, name=f"Garage {i}")
        jobs.append(await completed_job(runtime, tenant, setup, customer_id))
    return Rater(CUSTOMER_RATES_PROVIDER, customer_id), jobs


async def test_carmax_holds_a_customers_fourth_rating_within_24_hours_not_the_third(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    customer, jobs = await jobs_of_one_customer(runtime, carmax, 4)
    for job, hours in zip(jobs[:2], (23, 1), strict=True):
        assert (await give(runtime, carmax, customer, job, 5, NOW - timedelta(hours=hours))).status == "counted"
    assert (await give(runtime, carmax, customer, jobs[2], 5)).status == "counted"  # the third within 24 h
    fourth = await give(runtime, carmax, customer, jobs[3], 5, NOW + timedelta(minutes=1))
    assert fourth.status == "held" and "more than 3 ratings" in fourth.reasons[0]


async def test_a_rating_exactly_24_hours_old_no_longer_counts_towards_a_burst(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    customer, jobs = await jobs_of_one_customer(runtime, carmax, 4)
    for job, at in zip(jobs[:3], (NOW - timedelta(hours=24), NOW - timedelta(hours=2), NOW - timedelta(hours=1)),
                       strict=True):
        await give(runtime, carmax, customer, job, 5, at)
    assert (await give(runtime, carmax, customer, jobs[3], 5)).status == "counted"


async def test_a_provider_rating_many_customers_in_a_day_is_not_a_burst_at_carmax(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    setup = await add_provider(runtime, carmax)
    provider = Rater(PROVIDER_RATES_CUSTOMER, setup.provider_id)
    jobs = [await completed_job(runtime, carmax, setup, await add_customer(runtime, carmax)) for _ in range(7)]
    decided = [(await give(runtime, carmax, provider, job, 4)).status for job in jobs]
    assert decided == ["counted"] * 7


async def test_the_core_default_holds_the_sixth_rating_in_a_day_not_the_fifth(runtime, make_tenant):
    mehr = await make_tenant("mehr-test", vertical="electronics")
    customer, jobs = await jobs_of_one_customer(runtime, mehr, 6)
    decided = [(await give(runtime, mehr, customer, job, 5)).status for job in jobs]
    assert decided == ["counted"] * 5 + ["held"]


async def test_repeat_ratings_of_one_provider_by_one_customer_weigh_one_over_n(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    setup = await add_provider(runtime, carmax)
    customer_id = await add_customer(runtime, carmax)
    customer = Rater(CUSTOMER_RATES_PROVIDER, customer_id)
    weights = []
    for stars, days in ((5, 30), (2, 20), (2, 10)):
        job = await completed_job(runtime, carmax, setup, customer_id)
        weights.append((await give(runtime, carmax, customer, job, stars, NOW - timedelta(days=days))).weight)
    assert weights == [1.0, 0.5, pytest.approx(1 / 3)]
    row = await provider_row(runtime, carmax, setup.provider_id)
    assert row.rating_count == 3
    assert row.rating_average == pytest.approx((5 + 0.5 * 2 + 2 / 3) / (1 + 0.5 + 1 / 3))  # 3.64, not 3.0


async def test_a_rebuild_from_the_ratings_table_equals_counting_one_at_a_time(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    garages = [await add_provider(runtime, carmax, name=f"Garage {i}") for i in range(3)]
    customers = [await add_customer(runtime, carmax) for _ in range(3)]
    held = []
    for i, (garage, customer_id) in enumerate((g, c) for g in garages for c in customers):
        job = await completed_job(runtime, carmax, garage, customer_id, paid=i % 4 != 0)  # some held as unpaid
        at = NOW - timedelta(days=i)
        rating = await give(runtime, carmax, Rater(CUSTOMER_RATES_PROVIDER, customer_id), job, 1 + i % 5, at)
        await give(runtime, carmax, Rater(PROVIDER_RATES_CUSTOMER, garage.provider_id), job, 5 - i % 3, at)
        if rating.status == "held":
            held.append(rating.id)
    async with runtime.db.transaction(carmax.id) as s:  # one held rating accepted, one rejected
        await review(s, held[0], accept=True, note="", actor="test", now=NOW)
        await review(s, held[1], accept=False, note="", actor="test", now=NOW)

    async def aggregates():
        async with runtime.db.transaction(carmax.id) as s:
            providers = (await s.execute(select(Provider.id, Provider.rating_count, Provider.rating_weight,
                                                Provider.rating_weighted_sum, Provider.rating_average))).all()
            totals = (await s.execute(select(CustomerRatingTotal.customer_id, CustomerRatingTotal.rating_count,
                                             CustomerRatingTotal.rating_weight, CustomerRatingTotal.rating_weighted_sum,
                                             CustomerRatingTotal.rating_average))).all()
        return {tuple(r) for r in providers}, {tuple(r) for r in totals}

    incremental = await aggregates()
    async with runtime.db.transaction(carmax.id) as s:  # drift: a restore, a hand edit
        await s.execute(update(Provider).values(rating_count=99, rating_weight=1.0, rating_weighted_sum=0.0,
                                                rating_average=0.0))
        await s.execute(update(CustomerRatingTotal).values(rating_count=0))
    async with runtime.db.transaction(carmax.id) as s:
        done = await recount(s)
    assert (done.providers, done.customers) == (3, 3)
    rebuilt = await aggregates()
    for before, after in zip((sorted(incremental[0]), sorted(incremental[1])), (sorted(rebuilt[0]), sorted(rebuilt[1])),
                             strict=True):
        assert len(before) == len(after)
        for one, two in zip(before, after, strict=True):
            assert one[:2] == two[:2] and one[2:] == pytest.approx(two[2:])


@pytest.mark.postgres_only
async def test_concurrent_ratings_of_one_provider_lose_no_update(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    garage = await add_provider(runtime, carmax)
    raters_and_jobs = []
    for stars in range(12):
        customer_id = await add_customer(runtime, carmax)
        raters_and_jobs.append((Rater(CUSTOMER_RATES_PROVIDER, customer_id),
                                await completed_job(runtime, carmax, garage, customer_id), 1 + stars % 5))
    await asyncio.gather(*(give(runtime, carmax, rater, job, stars) for rater, job, stars in raters_and_jobs))
    row = await provider_row(runtime, carmax, garage.provider_id)
    expected = [stars for _, _, stars in raters_and_jobs]
    assert row.rating_count == 12 and row.rating_weighted_sum == sum(expected)
    assert row.rating_average == pytest.approx(sum(expected) / 12)


@pytest.mark.postgres_only
async def test_two_reviewers_accepting_one_held_rating_count_it_once(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    garage = await add_provider(runtime, carmax)
    customer_id = await add_customer(runtime, carmax)
    job = await completed_job(runtime, carmax, garage, customer_id, paid=False)
    held = await give(runtime, carmax, Rater(CUSTOMER_RATES_PROVIDER, customer_id), job, 4)

    async def accept():
        async with runtime.db.transaction(carmax.id) as s:
            return await review(s, held.id, accept=True, note="", actor="test", now=NOW)

    outcomes = await asyncio.gather(accept(), accept(), accept(), return_exceptions=True)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 2
    assert (await provider_row(runtime, carmax, garage.provider_id)).rating_count == 1


@pytest.mark.postgres_only
async def test_two_ratings_of_one_job_by_one_side_racing_leave_one(runtime, make_tenant):
    carmax = await make_tenant("carmax-test", vertical="auto_service", settings=CARMAX)
    garage = await add_provider(runtime, carmax)
    customer_id = await add_customer(runtime, carmax)
    job = await completed_job(runtime, carmax, garage, customer_id)
    provider = Rater(PROVIDER_RATES_CUSTOMER, garage.provider_id)
    outcomes = await asyncio.gather(*(give(runtime, carmax, provider, job, 3) for _ in range(4)),
                                    return_exceptions=True)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 3
    assert (await customer_total(runtime, carmax, customer_id)).rating_count == 1
