"""My orders on the portal: the customer's orders, one order with its pro-forma and the day it can be paid by
in the customer's calendar (Jalali with Persian digits in Persian, right to left), and another customer's
order, which is not found."""

from __future__ import annotations

import re
from datetime import timedelta

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from aftersales.web.i18n.moments import Moments
from support.order_pages import order_desk, place_order
from support.pages import post_form
from support.service import TEHRAN

MY = "/t/entekhab-test/my/orders"


async def test_my_orders_lists_mine_with_the_pay_by_date(pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    someone_elses = await place_order(runtime, tenant)
    await sign_in_customer(pages, tenant, placed.customer_id)
    listed = await pages.get(MY)
    assert listed.status_code == 200
    assert re.findall(r'data-order="([0-9a-f-]+)"', listed.text) == [str(placed.order_id)]
    assert str(someone_elses.order_id) not in listed.text
    assert Moments(LocaleFormat("en"), TEHRAN).date(placed.valid_until) in listed.text
    assert 'href="/t/entekhab-test/my/orders"' in listed.text  # the account menu links to it


async def test_the_proforma_expiry_in_persian_is_jalali_with_persian_digits(pages, runtime, make_tenant,
                                                                           sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_customer(pages, tenant, placed.customer_id)
    page = await pages.get(f"{MY}/{placed.order_id}?lang=fa")
    assert page.status_code == 200 and 'dir="rtl"' in page.text and "data-valid-until" in page.text
    jalali = Moments(LocaleFormat("fa"), TEHRAN).date(placed.valid_until)
    assert re.search("[۰-۹]{4}", jalali) and jalali in page.text
    assert "پیش‌فاکتور" in page.text and "در انتظار پرداخت شما" in page.text


async def test_an_expired_proforma_says_it_can_no_longer_be_paid(pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant, now=utcnow() - timedelta(days=20))
    await sign_in_customer(pages, tenant, placed.customer_id)
    page = await pages.get(f"{MY}/{placed.order_id}")
    assert "data-expired" in page.text and "can no longer be paid" in page.text
    assert Moments(LocaleFormat("en"), TEHRAN).date(placed.valid_until) in page.text


async def test_another_customers_order_is_not_found(pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_customer(pages, tenant)
    assert (await pages.get(f"{MY}/{placed.order_id}")).status_code == 404
    asked = await post_form(pages, f"{MY}/{placed.order_id}/change", {"delivery_address": "Azadi Sq."})
    assert asked.status_code == 404


async def test_another_tenants_customer_cannot_open_the_order(pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    other = await order_desk(make_tenant, runtime, "other-test")
    await sign_in_customer(pages, other)
    assert (await pages.get(f"/t/other-test/my/orders/{placed.order_id}")).status_code == 404


async def test_staff_are_sent_to_the_portal_sign_in(pages, runtime, make_tenant):
    tenant = await order_desk(make_tenant, runtime)
    await place_order(runtime, tenant)
    answer = await pages.get(MY)
    assert answer.status_code == 303 and "sign-in" in answer.headers["location"]
