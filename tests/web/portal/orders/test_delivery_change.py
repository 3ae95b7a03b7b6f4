"""Asking to change an order's delivery address or phone on the portal: applied before dispatch, refused after
it with the reason shown in the customer's language (the minute before vs after), and a phone that is not one
said beside the field, with nothing written."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from aftersales.orders.fulfilment import moves
from aftersales.orders.fulfilment.models import DeliveryChange
from aftersales.orders.models import Order
from support.fulfilment import act, add_warehouse
from support.order_pages import order_desk, place_order
from support.orders import pay
from support.pages import post_form
from support.service import TEHRAN

MY = "/t/entekhab-test/my/orders"


async def _funded_and_allocated(runtime, tenant, now):
    placed = await place_order(runtime, tenant, now=now - timedelta(hours=2))
    await pay(runtime, tenant, placed.order_id, placed.proforma_id, now - timedelta(hours=2))
    warehouse = await add_warehouse(runtime, tenant)
    await act(runtime, tenant, lambda s, t: moves.allocate(s, t, placed.order_id, warehouse, None, actor="staff:w",
                                                           now=now - timedelta(hours=1)))
    return placed


async def _order(runtime, tenant, order_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Order).where(Order.id == order_id))


async def test_a_change_before_dispatch_is_made_and_after_dispatch_refused_with_the_reason(
        pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded_and_allocated(runtime, tenant, utcnow())
    await sign_in_customer(pages, tenant, placed.customer_id)
    page = await pages.get(f"{MY}/{placed.order_id}")
    assert 'action="/t/entekhab-test/my/orders/' in page.text and "New delivery address" in page.text
    made = await post_form(pages, f"{MY}/{placed.order_id}/change",
                           {"delivery_address": "Enghelab St. 5, Tehran", "delivery_phone": ""})
    assert made.status_code == 303
    shown = await pages.get(made.headers["location"].split("#")[0])
    assert 'data-change="applied"' in shown.text and "Enghelab St. 5, Tehran" in shown.text
    dispatched_at = utcnow()
    await act(runtime, tenant, lambda s, t: moves.dispatch(s, placed.order_id, actor="staff:w", now=dispatched_at))
    refused = await post_form(pages, f"{MY}/{placed.order_id}/change?lang=fa",
                              {"delivery_address": "Azadi Sq., Tehran"})
    assert refused.status_code == 303
    shown = await pages.get(f"{MY}/{placed.order_id}?lang=fa")
    (refusal,) = re.findall(r'<p class="form-error" role="alert" data-change="refused">(.*?)</p>', shown.text,
                            re.DOTALL)
    assert refusal.startswith("تغییر شما پذیرفته نشد")
    assert LocaleFormat("fa").date(dispatched_at.astimezone(TEHRAN).date()) in refusal  # the day, in Jalali
    assert "data-no-change" in shown.text  # the form is gone once dispatched
    assert (await _order(runtime, tenant, placed.order_id)).delivery_address == "Enghelab St. 5, Tehran"


async def test_a_phone_that_is_not_one_is_said_beside_the_field_and_nothing_is_written(
        pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_customer(pages, tenant, placed.customer_id)
    refused = await post_form(pages, f"{MY}/{placed.order_id}/change", {"delivery_phone": "12"})
    assert refused.status_code == 422 and 'id="delivery_phone-error"' in refused.text
    assert "This is not a phone number we can call." in refused.text
    nothing = await post_form(pages, f"{MY}/{placed.order_id}/change", {"delivery_address": "  "})
    assert nothing.status_code == 422 and 'id="delivery_address-error"' in nothing.text
    huge = await post_form(pages, f"{MY}/{placed.order_id}/change?lang=fa", {"delivery_address": "x" * 1001})
    assert huge.status_code == 422 and "۱٬۰۰۰" in huge.text  # at most 1,000 characters, said in Persian
    nul = await post_form(pages, f"{MY}/{placed.order_id}/change", {"delivery_address": "Azadi\x00 Sq."})
    assert nul.status_code == 422 and "<html" in nul.text
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(DeliveryChange)) == 0
