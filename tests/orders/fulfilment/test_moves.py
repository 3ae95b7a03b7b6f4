"""An order's moves from funded (issue 19 §1, seed 001): allocated to a warehouse, dispatched, delivered with the
sealed-box flag; every other move refused with the state found; a regional warehouse ships within its province;
a late order's compensation is stored as owed at delivery."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import select

from aftersales.errors import Conflict, InvalidInput
from aftersales.orders.fulfilment import moves
from aftersales.orders.models import Order
from aftersales.outbox.models import OutboxMessage
from support.fulfilment import ISFAHAN_PROVINCE, TOTAL, act, add_order, add_warehouse, entekhab, local

STAFF = "staff:logistics"


async def allocate(runtime, tenant, order_id, warehouse_id, now, production_on=None):
    return await act(runtime, tenant, lambda s, t: moves.allocate(s, t, order_id, warehouse_id, production_on,
                                                                  actor=STAFF, now=now))


async def dispatch(runtime, tenant, order_id, now):
    return await act(runtime, tenant, lambda s, t: moves.dispatch(s, order_id, actor=STAFF, now=now))


async def deliver(runtime, tenant, order_id, now, sealed=True):
    return await act(runtime, tenant, lambda s, t: moves.deliver(s, t, order_id, sealed=sealed, actor=STAFF,
                                                                 now=now))


async def test_a_funded_order_is_allocated_dispatched_and_delivered_with_the_sealed_box_recorded(runtime,
                                                                                                 make_tenant):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant)
    warehouse = await add_warehouse(runtime, tenant, kind="regional")
    day = date(2026, 3, 2)
    found = await allocate(runtime, tenant, order.order_id, warehouse, local(day, 9), production_on=date(2026, 2, 20))
    assert (found.order.state, found.fulfilment.production_on) == ("allocated", date(2026, 2, 20))
    assert (await dispatch(runtime, tenant, order.order_id, local(day, 11))).order.state == "dispatched"
    delivered = await deliver(runtime, tenant, order.order_id, local(day, 16), sealed=False)
    assert delivered.order.state == "delivered"
    assert (delivered.fulfilment.delivered_sealed, delivered.fulfilment.delivered_by) == (False, STAFF)
    async with runtime.db.transaction(tenant.id) as s:
        events = sorted((await s.scalars(select(OutboxMessage.event).where(OutboxMessage.channel == "webhook"))).all())
    assert events == []  # no endpoint subscribed: the events are emitted, nobody is sent them


async def test_every_move_from_the_wrong_state_is_refused_with_the_state_it_found(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant)
    unpaid = await add_order(runtime, tenant, state="awaiting_payment")
    warehouse = await add_warehouse(runtime, tenant)
    now = local(date(2026, 3, 2), 9)
    with pytest.raises(Conflict) as refused:
        await dispatch(runtime, tenant, order.order_id, now)
    assert refused.value.code == "fulfilment.wrong_state"
    assert refused.value.params == {"number": order.number, "state": "funded", "expected": "allocated"}
    with pytest.raises(Conflict, match="awaiting_payment: only a funded order can be allocated"):
        await allocate(runtime, tenant, unpaid.order_id, warehouse, now)
    await allocate(runtime, tenant, order.order_id, warehouse, now)
    with pytest.raises(Conflict, match="is allocated: only a funded order can be allocated"):
        await allocate(runtime, tenant, order.order_id, warehouse, now)
    with pytest.raises(Conflict, match="is allocated: only a dispatched order can be delivered"):
        await deliver(runtime, tenant, order.order_id, now)


async def test_a_regional_warehouse_of_another_province_is_refused_and_a_central_one_ships_anywhere(runtime,
                                                                                                    make_tenant):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant, province=ISFAHAN_PROVINCE)
    tehran_regional = await add_warehouse(runtime, tenant, kind="regional", code="THR-R")
    central = await add_warehouse(runtime, tenant, kind="central")
    now = local(date(2026, 3, 2), 9)
    with pytest.raises(InvalidInput) as refused:
        await allocate(runtime, tenant, order.order_id, tehran_regional, now)
    [error] = refused.value.errors
    assert (error.field, error.code) == ("warehouse_id", "fulfilment.regional_province")
    assert error.params == {"warehouse": "THR-R", "province": "IR-23", "order_province": "IR-10"}
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(Order.state).where(Order.id == order.order_id))) == "funded"
    assert (await allocate(runtime, tenant, order.order_id, central, now)).order.state == "allocated"


@pytest.mark.parametrize("production_on", [date(1, 1, 1), date(9999, 12, 31)])
async def test_a_production_date_years_away_is_refused_naming_the_field(runtime, make_tenant, production_on):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant)
    warehouse = await add_warehouse(runtime, tenant)
    with pytest.raises(InvalidInput) as refused:
        await allocate(runtime, tenant, order.order_id, warehouse, local(date(2026, 3, 2), 9), production_on)
    assert [(e.field, e.code) for e in refused.value.errors] == [("production_on", "date.out_of_window")]


async def test_delivered_on_the_promised_day_owes_nothing_and_three_days_late_owes_three_days(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    promised = date(2026, 3, 10)
    on_time = await add_order(runtime, tenant, promised_on=promised)
    late = await add_order(runtime, tenant, promised_on=promised)
    warehouse = await add_warehouse(runtime, tenant)
    for order in (on_time, late):
        await allocate(runtime, tenant, order.order_id, warehouse, local(date(2026, 3, 2), 9))
        await dispatch(runtime, tenant, order.order_id, local(date(2026, 3, 3), 9))
    kept = await deliver(runtime, tenant, on_time.order_id, local(promised, 23, 59))
    assert kept.fulfilment.late_compensation_minor is None
    owed = await deliver(runtime, tenant, late.order_id, local(date(2026, 3, 13), 0, 1))
    assert owed.fulfilment.late_compensation_minor == TOTAL * 30 // 10_000  # 0.1 % a day, 3 days
    assert str(owed.fulfilment.late_compensation_reason).startswith("600000 IRR for 3 days late")


@pytest.mark.postgres_only
async def test_two_allocations_racing_for_one_order_allocate_it_once_and_refuse_the_other(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant)
    first, second = await add_warehouse(runtime, tenant), await add_warehouse(runtime, tenant)
    now = local(date(2026, 3, 2), 9)
    outcomes = await asyncio.gather(allocate(runtime, tenant, order.order_id, first, now),
                                    allocate(runtime, tenant, order.order_id, second, now), return_exceptions=True)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "OrderFulfilment"]
