"""Donor units (Mehr): a unit is registered as a donor once (also when registrations race); each of its parts is
harvested once, into stock as a used receipt naming the donor; an urgent job takes a used part only when the
location has no new one (the last new unit vs none), with the vertical's warranty noted on its timeline."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select, text

from aftersales.db.session import Database
from aftersales.errors import Conflict, InvalidInput
from aftersales.parts.models import StockMovement, StockReservation
from aftersales.parts.supply import donors
from aftersales.parts.supply.models import DonorHarvest, DonorUnit
from aftersales.service.models import RequestEvent
from aftersales.service.states import RequestState
from support.service import tehran
from support.supply import OPENED, add_location, add_part, add_request, bound, mehr

IMEI = "356938035643809"


async def register(runtime, tenant, location, serial=IMEI, **more):
    async with runtime.db.transaction(tenant.id) as s:
        return await donors.register(s, bound(runtime, tenant), donors.DonorAsk(
            source=more.pop("source", "scrapped"), location_id=location, serial=serial, **more),
            actor="staff:tech", now=OPENED)


async def harvest(runtime, tenant, donor_id, *lines):
    async with runtime.db.transaction(tenant.id) as s:
        return await donors.harvest(s, donor_id, [donors.HarvestLine(p, q) for p, q in lines], actor="staff:tech",
                                    now=OPENED)


async def test_a_donor_unit_is_registered_once_and_each_part_harvested_once_as_used_stock(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, battery = await add_part(runtime, tenant), await add_part(runtime, tenant, "BAT-A52")
    location = await add_location(runtime, tenant)
    donor = await register(runtime, tenant, location, serial=" 3569 3803 5643 809 ")
    assert donor.serial == IMEI
    with pytest.raises(Conflict) as twice:
        await register(runtime, tenant, location, source="replaced")
    assert twice.value.code == "parts.donor_registered"
    harvested = await harvest(runtime, tenant, donor.id, (screen, 1), (battery, 1))
    assert [h.quantity for h in harvested] == [1, 1]
    async with runtime.db.transaction(tenant.id) as s:
        receipts = (await s.scalars(select(StockMovement).where(StockMovement.kind == "receipt"))).all()
    assert {(r.part_id, r.condition, r.donor_unit_id, r.on_hand_delta) for r in receipts} == {
        (screen, "used", donor.id, 1), (battery, "used", donor.id, 1)}
    with pytest.raises(Conflict) as again:
        await harvest(runtime, tenant, donor.id, (screen, 1))
    assert again.value.code == "parts.harvested"


async def test_harvest_refuses_bad_lines_together_and_writes_nothing(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    donor = await register(runtime, tenant, location)
    with pytest.raises(InvalidInput) as refused:
        await harvest(runtime, tenant, donor.id, (screen, 0), (screen, -1), (location, 2**63))
    assert {e.field for e in refused.value.errors} == {"lines.0.quantity", "lines.1.quantity", "lines.1.part_id",
                                                         "lines.2.part_id", "lines.2.quantity"}
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(StockMovement)) == 0


async def test_registration_needs_one_of_serial_or_registration_and_a_known_source(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    location = await add_location(runtime, tenant)
    with pytest.raises(InvalidInput) as refused:
        async with runtime.db.transaction(tenant.id) as s:
            await donors.register(s, bound(runtime, tenant), donors.DonorAsk(source="melted", location_id=location),
                                  actor="staff:tech", now=OPENED)
    assert {e.field for e in refused.value.errors} == {"source", "serial"}
    with pytest.raises(InvalidInput) as nul:
        await register(runtime, tenant, location, serial="35693\x0080")
    assert [e.field for e in nul.value.errors] == ["serial"]


async def test_an_urgent_job_takes_a_used_part_only_when_no_new_one_is_left_with_the_warranty_noted(
        runtime, make_tenant):
    tenant = await mehr(make_tenant, used_part_warranty_days=90)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    donor = await register(runtime, tenant, location)
    await harvest(runtime, tenant, donor.id, (screen, 1))
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    async with runtime.db.transaction(tenant.id) as s:  # the last new screen on the shelf
        s.add(StockMovement(part_id=screen, location_id=location, condition="new", kind="receipt", on_hand_delta=1,
                            reserved_delta=0, actor="staff:test", occurred_at=OPENED))

    async def take(now):
        async with runtime.db.transaction(tenant.id) as s:
            return await donors.take_used(s, bound(runtime, tenant), request_id=job.request_id, part_id=screen,
                                          quantity=1, location_id=location, actor="staff:tech", now=now)

    with pytest.raises(Conflict) as new_there:
        await take(OPENED)
    assert new_there.value.code == "parts.new_available" and new_there.value.params == {"available": 1}
    async with runtime.db.transaction(tenant.id) as s:  # another job takes the last new one
        s.add(StockMovement(part_id=screen, location_id=location, condition="new", kind="scrap", on_hand_delta=-1,
                            reserved_delta=0, actor="staff:test", occurred_at=OPENED))
    taken = await take(tehran("2026-03-02", 9))
    assert (taken.reservation.condition, taken.terms.warranty_days) == ("used", 90)
    assert taken.warranty_until == date(2026, 5, 31)
    async with runtime.db.transaction(tenant.id) as s:
        notes = [str(n) for n in await s.scalars(select(RequestEvent.note).where(
            RequestEvent.request_id == job.request_id, RequestEvent.kind == "note"))]
        held = await s.scalar(select(StockReservation).where(StockReservation.id == taken.reservation.id))
    assert ("1 × LCD-A52 (Part LCD-A52) taken used, from a donor unit; the customer's warranty on it runs until "
            "2026-05-31: a part taken from a scrapped unit is covered for 90 days from fitting") in notes
    assert (held.condition, held.request_id) == ("used", job.request_id)
    with pytest.raises(Conflict) as none_left:
        await take(tehran("2026-03-02", 10))
    assert none_left.value.code == "parts.short"


@pytest.mark.postgres_only
async def test_ten_racing_registrations_and_harvests_of_one_unit_make_one_donor_and_one_harvest(
        backend, runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    db = Database(backend.app_url, pool_size=12, max_overflow=0)

    async def race(work):
        everyone_in = asyncio.Barrier(10)

        async def one(i: int) -> str:
            try:
                async with db.transaction(tenant.id) as s:
                    await s.execute(text("SELECT 1"))
                    await everyone_in.wait()
                    await work(s, i)
                return "done"
            except Conflict:
                return "refused"

        return await asyncio.gather(*(one(i) for i in range(10)))

    try:
        registered = await race(lambda s, i: donors.register(s, bound(runtime, tenant), donors.DonorAsk(
            source="scrapped", location_id=location, serial=IMEI), actor=f"staff:{i}", now=OPENED))
        async with runtime.db.transaction(tenant.id) as s:
            donor_id = (await s.scalars(select(DonorUnit.id))).one()
        harvested = await race(lambda s, i: donors.harvest(s, donor_id, [donors.HarvestLine(screen, 1)],
                                                           actor=f"staff:{i}", now=OPENED))
    finally:
        await db.dispose()
    assert (registered.count("done"), harvested.count("done")) == (1, 1)
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(DonorHarvest)) == 1
        assert await s.scalar(select(func.sum(StockMovement.on_hand_delta))) == 1
