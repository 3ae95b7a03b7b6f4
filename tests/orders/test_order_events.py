"""An order's moments reach subscribed webhook endpoints as catalogue events, once each: ``order.created`` when
it is taken, ``order.funded`` when its money arrives, ``order.cancelled`` when the worker cancels it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from aftersales.orders.followup import sweep_orders
from aftersales.outbox.events import CATALOGUE
from aftersales.outbox.models import OutboxMessage
from support.marketplace import add_customer
from support.orders import add_catalogue, entekhab, issue, pay, place
from support.service import tehran

TAKEN = tehran("2026-05-02", 10)


async def _events(runtime, tenant):
    async with runtime.db.session(tenant.id) as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "webhook")
                                     .order_by(OutboxMessage.created_at, OutboxMessage.id))
        return [(m.event, m.payload) for m in rows]


async def test_order_created_funded_and_cancelled_are_announced(runtime, client, make_tenant, staff_token):
    tenant = await entekhab(make_tenant)
    await add_catalogue(runtime, tenant)
    admin = await staff_token(tenant, "admin")
    subscribed = await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.entekhab-demo.com/hooks", "events": ["order.created", "order.funded", "order.cancelled"]})
    assert subscribed.status_code == 201, subscribed.text
    customer = await add_customer(runtime, tenant)
    funded = await place(runtime, tenant, customer, TAKEN)
    issued = await issue(runtime, tenant, funded, TAKEN)
    await pay(runtime, tenant, funded, issued.proforma.id, TAKEN + timedelta(hours=1))
    left = await place(runtime, tenant, customer, TAKEN + timedelta(hours=2))
    await sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=60, hours=2))
    await sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=61))  # nothing more to announce
    found = await _events(runtime, tenant)
    assert [event for event, _ in found] == ["order.created", "order.funded", "order.created", "order.cancelled"]
    for event, data in found:
        CATALOGUE[event].model_validate({k: v for k, v in data.items() if k != "version"})
    assert found[1][1]["order_id"] == str(funded) and found[3][1]["order_id"] == str(left)
    assert (found[3][1]["cancelled_by"], found[3][1]["reason"]) == ("worker", "not funded within 60 days")
