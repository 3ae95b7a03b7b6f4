"""No double booking under concurrency (PostgreSQL): 50 bookings of one slot released at once, each in its own
transaction, leave exactly one booking and 49 refusals; two bookings that only overlap (10:00 for an hour and
10:30) leave one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from aftersales.db.session import Database
from aftersales.errors import Conflict
from aftersales.marketplace.bookings import services as bookings
from aftersales.marketplace.models import BookedSlot, Booking
from aftersales.tenancy.current import bind_tenant
from support.marketplace import add_customer, add_provider, at, working_monday

ATTEMPTS = 50



async def race(backend, tenant, attempts: list[tuple[bookings.Party, bookings.NewBooking]]) -> list[str]:
    """Run every attempt in its own transaction on its own connection, all released together once each has
    begun; returns ``booked`` or the refusal of each."""
    db = Database(backend.app_url, pool_size=len(attempts) + 2, max_overflow=0)
    everyone_in = asyncio.Barrier(len(attempts))

    async def attempt(party, new):
        try:
            async with db.transaction(tenant.record.id) as session:
                await session.execute(text("SELECT 1"))  # the transaction has begun and holds its connection
                await everyone_in.wait()
                await bookings.book(session, tenant, party, new, now=datetime.now(UTC))
            return "booked"
        except Conflict as refused:
            return refused.detail

    try:
        return await asyncio.gather(*(attempt(party, new) for party, new in attempts))
    finally:
        await db.dispose()


async def counts(runtime, tenant) -> tuple[int, int]:
    async with runtime.db.transaction(tenant.record.id) as s:
        return (await s.scalar(select(func.count()).select_from(Booking)),
                await s.scalar(select(func.count()).select_from(BookedSlot)))


@pytest.mark.postgres_only
async def test_fifty_concurrent_bookings_of_one_slot_leave_exactly_one(backend, runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    garage = await add_provider(runtime, acme.record)
    starts_at = at(working_monday(runtime, acme.record), 10)
    attempts = []
    for _ in range(ATTEMPTS):
        customer = await add_customer(runtime, acme.record)
        attempts.append((bookings.Party(f"customer:{customer}", customer_id=customer),
                         bookings.NewBooking(garage.provider_id, garage.offering_id, starts_at)))
    outcomes = await race(backend, acme, attempts)
    assert outcomes.count("booked") == 1
    assert outcomes.count("that time was just taken") == ATTEMPTS - 1
    assert await counts(runtime, acme) == (1, 4)


@pytest.mark.postgres_only
async def test_overlapping_bookings_at_different_starts_leave_one(backend, runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    garage = await add_provider(runtime, acme.record)  # an hour per job
    monday = working_monday(runtime, acme.record)
    attempts = []
    for starts_at in (at(monday, 10), at(monday, 10, 30)):
        customer = await add_customer(runtime, acme.record)
        attempts.append((bookings.Party(f"customer:{customer}", customer_id=customer),
                         bookings.NewBooking(garage.provider_id, garage.offering_id, starts_at)))
    outcomes = await race(backend, acme, attempts)
    assert sorted(outcomes) == ["booked", "that time was just taken"]
    assert await counts(runtime, acme) == (1, 4)
