"""My orders on the portal: the customer's orders, one order with its pro-forma and the day it can be paid by
in the customer's calendar (Jalali with Persian digits in Persian, right to left), and another customer's
order, which is not found."""

from __future__ import annotations

import re

import pytest

from aftersales.i18n.formatting import LocaleFormat
from support.order_pages import order_desk, place_order
from support.pages import post_form
from support.service import tehran

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
    assert LocaleFormat("en").date(placed.last_day) in listed.text
    assert 'href="/t/entekhab-test/my/orders"' in listed.text  # the account menu links to it


async def test_the_proforma_expiry_in_persian_is_jalali_with_persian_digits(pages, runtime, make_tenant,
                                                                           sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_customer(pages, tenant, placed.customer_id)
    page = await pages.get(f"{MY}/{placed.order_id}?lang=fa")
    assert page.status_code == 200 and 'dir="rtl"' in page.text and "data-valid-until" in page.text
    jalali = LocaleFormat("fa").date(placed.last_day)
    assert re.search("[۰-۹]{4}", jalali) and jalali in page.text
    assert "پیش‌فاکتور" in page.text and "در انتظار پرداخت شما" in page.text


async def test_the_pay_by_day_is_the_seventh_business_day_not_the_midnight_after_it(pages, runtime, make_tenant,
                                                                                    sign_in_customer):
    """Issued on Sunday 8 March 2026 in Tehran: Entekhab's 7 business days skip the Martyrdom of Imam Ali
    (Wednesday 11 March) and Friday, and end with Monday 16 March (25 Esfand 1404); the expiry instant is the
    midnight after it, which the customer must not read as the 17th (business day 8)."""
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant, now=tehran("2026-03-08", 10))
    assert placed.valid_until == tehran("2026-03-17", 0)
    await sign_in_customer(pages, tenant, placed.customer_id)
    page = await pages.get(f"{MY}/{placed.order_id}")
    assert "data-expired" in page.text and "can no longer be paid" in page.text
    assert "expired at the end of March 16, 2026" in page.text and "March 17, 2026" not in page.text
    persian = await pages.get(f"{MY}/{placed.order_id}?lang=fa")
    assert "۲۵ اسفند ۱۴۰۴" in persian.text and "۲۶ اسفند ۱۴۰۴" not in persian.text


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


@pytest.mark.parametrize(("lang", "words"), [("zh", ("我的订单", "等待您付款")),
                                             ("ka", ("ჩემი შეკვეთები", "ელოდება თქვენს გადახდას"))])
async def test_my_orders_speak_chinese_and_georgian(pages, runtime, make_tenant, sign_in_customer, lang, words):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_customer(pages, tenant, placed.customer_id)
    listed = await pages.get(MY, params={"lang": lang})
    assert listed.status_code == 200 and f'lang="{lang}"' in listed.text
    assert all(word in listed.text for word in words)
    assert LocaleFormat(lang).date(placed.last_day) in listed.text
