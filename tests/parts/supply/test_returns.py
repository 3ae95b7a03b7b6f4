"""Faulty parts back to the maker: parts removed in a warranty repair are tagged (no more than were issued to it,
and only under warranty), collected per supplier into an RMA batch, sent, and credited — the credit set against
the warranty cost of the batch's jobs — or rejected with the supplier's reason; each move only from its state."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from aftersales.db.session import Database
from aftersales.errors import Conflict, InvalidInput
from aftersales.parts import reservations
from aftersales.parts.models import StockMovement
from aftersales.parts.supply import returns
from aftersales.service.quotes.models import ServiceQuote
from aftersales.service.states import RequestState
from support.supply import OPENED, add_location, add_part, add_request, bound, mehr


async def warranty_repair(runtime, tenant, part, location, *, issued=1, under_warranty=True):
    """A request in repair with an accepted quote (under warranty or not) and ``issued`` of ``part`` issued."""
    job = await add_request(runtime, tenant, RequestState.IN_REPAIR)
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ServiceQuote(request_id=job.request_id, state="accepted", lines=[], total_minor=0,
                           currency=tenant.currency, under_warranty=under_warranty, offered_by="staff:test"))
        s.add(StockMovement(part_id=part, location_id=location, condition="new", kind="receipt",
                            on_hand_delta=issued, reserved_delta=0, actor="staff:test", occurred_at=OPENED))
        await s.flush()
        held = await reservations.reserve(s, bound(runtime, tenant), part_id=part, quantity=issued,
                                          location_id=location, request_id=job.request_id, actor="staff:tech",
                                          now=OPENED)
        await reservations.issue(s, held.id, actor="staff:tech", now=OPENED)
    return job.request_id


async def tag(runtime, tenant, request_id, part, quantity=1):
    async with runtime.db.transaction(tenant.id) as s:
        return await returns.tag_faulty(s, bound(runtime, tenant), request_id=request_id, part_id=part,
                                        quantity=quantity, actor="staff:tech", now=OPENED)


async def test_faulty_parts_go_back_in_a_batch_and_the_credit_is_set_against_the_warranty_cost(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen = await add_part(runtime, tenant, price_minor=30_000_000)
    battery = await add_part(runtime, tenant, "BAT-A52", price_minor=8_000_000)
    other = await add_part(runtime, tenant, "CAM-A52", supplier="Other Parts Co")
    location = await add_location(runtime, tenant)
    first = await warranty_repair(runtime, tenant, screen, location, issued=2)
    second = await warranty_repair(runtime, tenant, battery, location)
    third = await warranty_repair(runtime, tenant, other, location)
    await tag(runtime, tenant, first, screen, 2)
    await tag(runtime, tenant, second, battery)
    await tag(runtime, tenant, third, other)
    async with runtime.db.transaction(tenant.id) as s:
        batch = await returns.open_batch(s, supplier="Samsung Parts", rma_number="RMA-2026-001", faulty_ids=None,
                                         actor="staff:clerk", now=OPENED)
    async with runtime.db.transaction(tenant.id) as s:
        account = await returns.account(s, bound(runtime, tenant), batch.id)
        waiting = await returns.awaiting_return(s)
    assert sorted(p.request_id for p in account.parts) == sorted([first, second])
    assert account.warranty_cost.amount_minor == 68_000_000 and account.credit is None
    assert [p.request_id for p in waiting] == [third]
    async with runtime.db.transaction(tenant.id) as s:
        with pytest.raises(Conflict):  # an open batch is not credited
            await returns.credit(s, bound(runtime, tenant), batch.id, 1, actor="staff:finance", now=OPENED)
    async with runtime.db.transaction(tenant.id) as s:
        assert (await returns.send(s, batch.id, actor="staff:clerk", now=OPENED)).state == "sent"
    async with runtime.db.transaction(tenant.id) as s:
        credited = await returns.credit(s, bound(runtime, tenant), batch.id, 60_000_000, actor="staff:finance",
                                        now=OPENED)
        account = await returns.account(s, bound(runtime, tenant), batch.id)
    assert (credited.state, credited.currency) == ("credited", "IRR")
    assert account.uncovered.amount_minor == 8_000_000
    async with runtime.db.transaction(tenant.id) as s:
        with pytest.raises(Conflict) as closed:
            await returns.reject(s, batch.id, "too late", actor="staff:clerk", now=OPENED)
    assert closed.value.code == "parts.batch_state"


async def test_a_sent_batch_is_rejected_with_the_suppliers_reason(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    await tag(runtime, tenant, await warranty_repair(runtime, tenant, screen, location), screen)
    async with runtime.db.transaction(tenant.id) as s:
        batch = await returns.open_batch(s, supplier="Samsung Parts", rma_number="R-9", faulty_ids=None,
                                         actor="staff:clerk", now=OPENED)
        await returns.send(s, batch.id, actor="staff:clerk", now=OPENED)
        with pytest.raises(InvalidInput):
            await returns.reject(s, batch.id, "  ", actor="staff:clerk", now=OPENED)
        rejected = await returns.reject(s, batch.id, "physical damage, not a defect", actor="staff:clerk", now=OPENED)
    assert (rejected.state, rejected.rejection_reason) == ("rejected", "physical damage, not a defect")


async def test_no_more_is_tagged_than_was_issued_and_only_under_warranty(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    covered = await warranty_repair(runtime, tenant, screen, location, issued=2)
    await tag(runtime, tenant, covered, screen, 1)
    await tag(runtime, tenant, covered, screen, 1)  # the second of two issued
    with pytest.raises(Conflict) as third:
        await tag(runtime, tenant, covered, screen, 1)
    assert third.value.code == "parts.more_than_issued" and third.value.params == {"issued": 2, "tagged": 2}
    paid = await warranty_repair(runtime, tenant, screen, location, under_warranty=False)
    with pytest.raises(Conflict) as charged:
        await tag(runtime, tenant, paid, screen)
    assert charged.value.code == "parts.not_under_warranty"


async def test_batches_refuse_a_taken_rma_an_empty_batch_and_foreign_parts(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    other = await add_part(runtime, tenant, "CAM-A52", supplier="Other Parts Co")
    request_id = await warranty_repair(runtime, tenant, screen, location)
    faulty = await tag(runtime, tenant, request_id, screen)
    foreign = await tag(runtime, tenant, await warranty_repair(runtime, tenant, other, location), other)

    async def open_batch(rma, ids=None, supplier="Samsung Parts"):
        async with runtime.db.transaction(tenant.id) as s:
            return await returns.open_batch(s, supplier=supplier, rma_number=rma, faulty_ids=ids,
                                            actor="staff:clerk", now=OPENED)

    with pytest.raises(InvalidInput) as mixed:
        await open_batch("R-1", [faulty.id, foreign.id, request_id, faulty.id])
    assert [e.field for e in mixed.value.errors] == ["faulty_ids.1", "faulty_ids.2", "faulty_ids.3"]
    await open_batch("R-1", [faulty.id])
    with pytest.raises(Conflict) as empty:
        await open_batch("R-2")
    assert empty.value.code == "parts.batch_empty"
    assert (await open_batch("R-1", supplier="Other Parts Co")).rma_number == "R-1"  # the supplier's own numbers
    await tag(runtime, tenant, await warranty_repair(runtime, tenant, screen, location), screen)
    with pytest.raises(Conflict) as taken:
        await open_batch("R-1")
    assert taken.value.code == "parts.rma_taken"
    async with runtime.db.transaction(tenant.id) as s:
        assert [p.part_id for p in await returns.awaiting_return(s)] == [screen]  # the refused batch took nothing


@pytest.mark.postgres_only
async def test_ten_racing_batches_over_the_same_faulty_parts_take_them_once(backend, runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    await tag(runtime, tenant, await warranty_repair(runtime, tenant, screen, location), screen)
    db = Database(backend.app_url, pool_size=12, max_overflow=0)
    everyone_in = asyncio.Barrier(10)

    async def one(i: int) -> str:
        try:
            async with db.transaction(tenant.id) as s:
                await s.execute(text("SELECT 1"))
                await everyone_in.wait()
                await returns.open_batch(s, supplier="Samsung Parts", rma_number=f"R-{i}", faulty_ids=None,
                                         actor=f"staff:{i}", now=OPENED)
            return "opened"
        except Conflict:
            return "refused"

    try:
        outcomes = await asyncio.gather(*(one(i) for i in range(10)))
    finally:
        await db.dispose()
    assert (outcomes.count("opened"), outcomes.count("refused")) == (1, 9)
    async with runtime.db.transaction(tenant.id) as s:
        assert len(await returns.list_batches(s)) == 1
