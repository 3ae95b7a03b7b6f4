"""Delivery changes are tickets (seed 001): recorded with who and when, applied before dispatch, refused after
it with the reason; an order allocated to a regional warehouse never moves to another province."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from aftersales.errors import InvalidInput
from aftersales.i18n.rendering import reader_format, render
from aftersales.orders.fulfilment import changes, moves
from aftersales.orders.fulfilment.models import DeliveryChange
from aftersales.orders.models import Order
from support.fulfilment import (
    ISFAHAN_PROVINCE,
    TEHRAN_PROVINCE,
    act,
    add_order,
    add_warehouse,
    entekhab,
    local,
)

DISPATCH_DAY = date(2026, 3, 3)


async def ask(runtime, tenant, order_id, now, **asked):
    return await act(runtime, tenant, lambda s, t: changes.ask_change(
        s, t, order_id, changes.AskedChange(**asked), customer_id=None, actor="customer:maryam", now=now))


async def allocated(runtime, tenant, *, kind="central", province=TEHRAN_PROVINCE):
    order = await add_order(runtime, tenant)
    warehouse = await add_warehouse(runtime, tenant, kind=kind, province=province)
    await act(runtime, tenant, lambda s, t: moves.allocate(s, t, order.order_id, warehouse, None, actor="staff:w",
                                                           now=local(date(2026, 3, 2), 9)))
    return order


async def test_an_address_change_the_minute_before_dispatch_is_applied_and_the_minute_after_is_refused(runtime,
                                                                                                      make_tenant):
    tenant = await entekhab(make_tenant)
    order = await allocated(runtime, tenant)
    before = await ask(runtime, tenant, order.order_id, local(DISPATCH_DAY, 10, 59),
                       delivery_address="Enghelab St. 5, Tehran", delivery_phone="0912 765 4321")
    assert (before.state, before.reason) == ("applied", "")
    assert before.delivery_phone == "+989127654321"
    assert before.previous["delivery_address"] == "Valiasr St. 12, Tehran"
    await act(runtime, tenant, lambda s, t: moves.dispatch(s, order.order_id, actor="staff:w",
                                                           now=local(DISPATCH_DAY, 11)))
    after = await ask(runtime, tenant, order.order_id, local(DISPATCH_DAY, 11, 1), delivery_address="Azadi Sq., Tehran")
    assert after.state == "refused"
    assert str(after.reason) == ("the order was dispatched on 2026-03-03: its address, phone and province can no "
                                 "longer change")
    assert "۱۴۰۴" in render(after.reason, reader_format("fa"))  # the day in the customer's calendar
    async with runtime.db.transaction(tenant.id) as s:
        current = await s.scalar(select(Order).where(Order.id == order.order_id))
        tickets = await s.scalar(select(func.count()).select_from(DeliveryChange))
    assert (current.delivery_address, current.delivery_phone) == ("Enghelab St. 5, Tehran", "+989127654321")
    assert tickets == 2  # the refused ask is on record too, with who asked and when
    assert (after.requested_by, after.created_at) == ("customer:maryam", local(DISPATCH_DAY, 11, 1))


async def test_an_order_of_a_regional_warehouse_never_moves_to_another_province(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    regional = await allocated(runtime, tenant, kind="regional")
    refused = await ask(runtime, tenant, regional.order_id, local(DISPATCH_DAY, 9), province=ISFAHAN_PROVINCE,
                        delivery_address="Chaharbagh St., Isfahan")
    assert refused.state == "refused"
    assert "regional warehouse" in str(refused.reason) and "cannot move to another province" in str(refused.reason)
    same_province = await ask(runtime, tenant, regional.order_id, local(DISPATCH_DAY, 9),
                              province=TEHRAN_PROVINCE, delivery_address="Tajrish, Tehran")
    assert same_province.state == "applied"
    central = await allocated(runtime, tenant, kind="central")
    moved = await ask(runtime, tenant, central.order_id, local(DISPATCH_DAY, 9), province=ISFAHAN_PROVINCE)
    assert moved.state == "applied"
    async with runtime.db.transaction(tenant.id) as s:
        provinces = dict((await s.execute(select(Order.id, Order.province))).all())
    assert (provinces[regional.order_id], provinces[central.order_id]) == (TEHRAN_PROVINCE, ISFAHAN_PROVINCE)


@pytest.mark.parametrize(("asked", "field", "code"), [
    ({"province": "IR-99"}, "province", "province.unknown"),
    ({"province": "DE-BE"}, "province", "province.other_country"),
    ({"province": "X" * 500}, "province", "province.unknown"),
    ({"delivery_phone": "not a phone"}, "delivery_phone", None),
    ({"delivery_address": "  "}, "delivery_address", "delivery_change.empty"),
    ({"delivery_address": "x" * 1001}, "delivery_address", "delivery_change.too_long"),
    ({}, "delivery_address", "delivery_change.nothing_asked"),
])
async def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(runtime, make_tenant, asked, field, code):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant)
    with pytest.raises(InvalidInput) as refused:
        await ask(runtime, tenant, order.order_id, local(DISPATCH_DAY, 9), **asked)
    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(DeliveryChange)) == 0
