"""An agent takes an order for a customer in the console, through the same service as the API: the order
opens its page; a refused form says each field's reason in the reader's language (422) and writes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.orders.models import Order, OrderLine
from support.order_pages import new_customer, order_desk
from support.orders import FRIDGE, NATIONAL_ID, OVEN
from support.pages import post_form
from support.service import TEHRAN

NEW = "/t/entekhab-test/console/orders/new"


async def _orders(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(Order)))


async def test_agent_takes_a_credit_order_for_a_customer_from_their_file(pages, runtime, make_tenant,
                                                                        sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    customer_id = await new_customer(runtime, tenant)
    today = utcnow().astimezone(TEHRAN).date()
    await sign_in_staff(pages, tenant, "agent")
    customer_file = await pages.get(f"/t/entekhab-test/console/customers/{customer_id}")
    assert f'href="{NEW}?customer={customer_id}"' in customer_file.text
    form = await pages.get(NEW, params={"customer": str(customer_id)})
    assert form.status_code == 200 and f'data-customer="{customer_id}"' in form.text and "Model RF-100" in form.text
    taken = await post_form(pages, NEW, {
        "customer_id": str(customer_id), "national_id": NATIONAL_ID, "payment_plan": "credit",
        "sku_0": FRIDGE, "quantity_0": "1", "sku_1": OVEN, "quantity_1": "۲",
        "due_on_0": str(today + timedelta(days=30)), "amount_0": "350,000,000",
        "due_on_1": str(today + timedelta(days=60)), "amount_1": "350000000",
        "store": "Tehran store 12", "delivery_address": "Tehran, Valiasr St. 12", "delivery_phone": "09121234567",
        "province": "IR-23"})
    assert taken.status_code == 303, taken.text
    (order,) = await _orders(runtime, tenant)
    assert taken.headers["location"] == f"/t/entekhab-test/console/orders/{order.id}"
    assert (order.customer_id, order.payment_plan, order.total_minor, order.channel, order.province) == (
        customer_id, "credit", 700_000_000, "agent", "IR-23")
    page = await pages.get(taken.headers["location"])
    assert 'data-instalment="2"' in page.text and 'data-plan="credit"' in page.text


async def test_a_refused_order_says_each_field_and_writes_nothing(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, NEW, {
        "customer_name": "Reza", "customer_phone": "0912", "payment_plan": "barter",
        "sku_0": "NO-SUCH", "quantity_0": "1", "sku_1": FRIDGE, "quantity_1": "99999999999999999999999",
        "province": "XX-99", "promised_delivery_on": "9999-12-31"})
    assert refused.status_code == 422
    for name in ("customer_phone", "payment_plan", "sku_0", "quantity_1", "province", "promised_delivery_on"):
        assert f'id="{name}-error"' in refused.text, name
    assert "No product in the catalogue has this code." in refused.text
    assert await _orders(runtime, tenant) == []
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(OrderLine)) == 0


async def test_the_form_speaks_persian(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"{NEW}?lang=fa", {"customer_name": "رضا", "customer_phone": "09121234567",
                                                        "payment_plan": "cash", "sku_0": "NO-SUCH"})
    assert refused.status_code == 422 and 'dir="rtl"' in refused.text
    assert "هیچ کالایی در کاتالوگ این کد را ندارد." in refused.text


async def test_finance_cannot_take_an_order(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "finance")
    assert (await pages.get(NEW)).status_code == 403
    refused = await post_form(pages, NEW, {"customer_name": "Reza", "customer_phone": "09121234567",
                                           "payment_plan": "cash", "sku_0": FRIDGE})
    assert refused.status_code == 403 and await _orders(runtime, tenant) == []
