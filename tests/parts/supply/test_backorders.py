"""Back-orders: a short part ordered from its supplier moves the request to waiting for parts with the part and
the expected date on its timeline and in the customer's message (Persian, Jalali date); receiving it posts a
receipt, reserves the quantity for the request and lets the request move on once it waits for nothing else; an
open one past its expected date is late from the next day."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from aftersales.db.session import Database
from aftersales.errors import Conflict, InvalidInput
from aftersales.outbox.models import OutboxMessage
from aftersales.parts.models import StockMovement, StockReservation
from aftersales.parts.supply import backorders
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.states import RequestState
from support.service import tehran
from support.supply import OPENED, add_location, add_part, add_request, bound, mehr


def ask(part_id, request_id, location_id, *, quantity=1, expected_on=date(2026, 3, 8), **more):
    return backorders.BackorderAsk(part_id=part_id, quantity=quantity, request_id=request_id,
                                   location_id=location_id, expected_on=expected_on, **more)


async def place(runtime, tenant, the_ask, now=OPENED):
    async with runtime.db.transaction(tenant.id) as s:
        return await backorders.place(s, bound(runtime, tenant), the_ask, actor="staff:test", now=now)


async def receive(runtime, tenant, backorder_id, now):
    async with runtime.db.transaction(tenant.id) as s:
        return await backorders.receive(s, bound(runtime, tenant), backorder_id, actor="staff:test", now=now)


async def test_a_backorder_makes_the_request_wait_and_tells_the_customer_the_jalali_date(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    placed = await place(runtime, tenant, ask(part, job.request_id, location, quantity=2,
                                              supplier_reference="SP-7781"))
    assert (placed.state, placed.supplier, placed.quantity) == ("open", "Samsung Parts", 2)
    async with runtime.db.transaction(tenant.id) as s:
        request = await s.scalar(select(ServiceRequest).where(ServiceRequest.id == job.request_id))
        events = (await s.scalars(select(RequestEvent).where(RequestEvent.request_id == job.request_id,
                                                             RequestEvent.occurred_at == OPENED))).all()
        [message] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "parts.backordered"))).all()
    assert request.state == "waiting_for_parts"
    assert [e.to_state for e in events if e.kind == "moved"][-1] == "waiting_for_parts"
    [told, note] = sorted((str(e.note) for e in events if e.kind == "note"), key=lambda n: n.startswith("2 ×"))
    assert note == ("2 × LCD-A52 (Part LCD-A52) back-ordered from Samsung Parts (reference SP-7781), "
                         "expected on 2026-03-08")
    assert told == "the customer was told (sms)"
    # 8 March 2026 is 17 Esfand 1404; the part's Persian name, Persian digits.
    assert "۱۷ اسفند ۱۴۰۴" in message.body and "قطعه LCD-A52" in message.body
    assert message.channel == "sms" and message.payload["expected_on"] == "2026-03-08"


async def test_receiving_reserves_the_parts_for_the_request_and_the_repair_goes_on(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    placed = await place(runtime, tenant, ask(part, job.request_id, location, quantity=2))
    received = await receive(runtime, tenant, placed.id, tehran("2026-03-07", 11))
    assert received.state == "received" and received.reservation_id is not None
    async with runtime.db.transaction(tenant.id) as s:
        [receipt] = (await s.scalars(select(StockMovement).where(StockMovement.kind == "receipt"))).all()
        held = await s.scalar(select(StockReservation).where(StockReservation.id == received.reservation_id))
        request = await s.scalar(select(ServiceRequest).where(ServiceRequest.id == job.request_id))
        arrived = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "parts.arrived"))).all()
    assert (receipt.on_hand_delta, receipt.condition, receipt.location_id) == (2, "new", location)
    assert (held.quantity, held.state, held.request_id, held.condition) == (2, "open", job.request_id, "new")
    assert request.state == "in_repair"
    assert len(arrived) == 1
    with pytest.raises(Conflict) as again:
        await receive(runtime, tenant, placed.id, tehran("2026-03-07", 12))
    assert again.value.code == "parts.backorder_not_open"


async def test_the_request_waits_until_the_last_of_its_backorders_arrives(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    screen, battery = await add_part(runtime, tenant), await add_part(runtime, tenant, "BAT-A52")
    location = await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    first = await place(runtime, tenant, ask(screen, job.request_id, location))
    second = await place(runtime, tenant, ask(battery, job.request_id, location, expected_on=date(2026, 3, 10)))
    await receive(runtime, tenant, first.id, tehran("2026-03-07", 11))
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(ServiceRequest.state).where(ServiceRequest.id == job.request_id))) \
            == "waiting_for_parts"
    await receive(runtime, tenant, second.id, tehran("2026-03-09", 11))
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(ServiceRequest.state).where(ServiceRequest.id == job.request_id))) == "in_repair"


async def test_an_open_backorder_is_late_from_the_day_after_its_expected_date(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    placed = await place(runtime, tenant, ask(part, job.request_id, location, expected_on=date(2026, 3, 8)))
    async with runtime.db.transaction(tenant.id) as s:
        on_the_day = await backorders.list_backorders(s, late_on=date(2026, 3, 8))
        day_after = await backorders.list_backorders(s, late_on=date(2026, 3, 9))
    assert on_the_day == [] and [b.id for b in day_after] == [placed.id]
    await receive(runtime, tenant, placed.id, tehran("2026-03-10", 9))
    async with runtime.db.transaction(tenant.id) as s:
        assert await backorders.list_backorders(s, late_on=date(2026, 3, 10)) == []


async def test_a_request_that_cannot_wait_for_parts_is_refused_and_nothing_is_written(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    received = await add_request(runtime, tenant)
    with pytest.raises(Conflict):
        await place(runtime, tenant, ask(part, received.request_id, location))
    async with runtime.db.transaction(tenant.id) as s:
        assert await backorders.list_backorders(s) == []


async def test_bad_fields_are_named_together(runtime, make_tenant):
    tenant = await mehr(make_tenant)
    part, location = await add_part(runtime, tenant, supplier=None), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    with pytest.raises(InvalidInput) as refused:
        await place(runtime, tenant, ask(part, job.request_id, location, quantity=0,
                                         expected_on=OPENED.date() - timedelta(days=1), supplier_reference="a\x00b"))
    assert {e.field for e in refused.value.errors} == {"quantity", "expected_on", "supplier", "supplier_reference"}
    with pytest.raises(InvalidInput) as too_far:
        await place(runtime, tenant, ask(part, job.request_id, location, quantity=10**30,
                                         expected_on=date(9999, 12, 31), supplier="X"))
    assert {e.field for e in too_far.value.errors} == {"quantity", "expected_on"}


@pytest.mark.postgres_only
async def test_ten_racing_receipts_of_one_backorder_receive_it_once(backend, runtime, make_tenant):
    tenant = await mehr(make_tenant)
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    placed = await place(runtime, tenant, ask(part, job.request_id, location, quantity=3))
    db = Database(backend.app_url, pool_size=12, max_overflow=0)
    everyone_in = asyncio.Barrier(10)

    async def one(i: int) -> str:
        try:
            async with db.transaction(tenant.id) as s:
                await s.execute(text("SELECT 1"))
                await everyone_in.wait()
                await backorders.receive(s, bound(runtime, tenant), placed.id, actor=f"staff:{i}",
                                         now=tehran("2026-03-07", 11))
            return "received"
        except Conflict:
            return "refused"

    try:
        outcomes = await asyncio.gather(*(one(i) for i in range(10)))
    finally:
        await db.dispose()
    assert (outcomes.count("received"), outcomes.count("refused")) == (1, 9)
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.sum(StockMovement.on_hand_delta))) == 3
        assert await s.scalar(select(func.count()).select_from(StockReservation)) == 1
