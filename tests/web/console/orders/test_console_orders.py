"""The order desk in the console: the order list and its filters, the follow-up list (unfunded 29 vs 31 days),
an order's page with its lines and pro-forma (valid until the end of the tenant's business day, Jalali and right
to left in Persian), and another tenant's staff who cannot open it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from support.marketplace import add_provider
from support.order_pages import order_desk, place_order
from support.orders import pay

DESK = "/t/entekhab-test/console/orders"


def _numbers(text: str) -> list[str]:
    return re.findall(r'data-order="(\d+)"', text)


async def test_agent_lists_orders_and_opens_one_with_its_proforma(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(DESK)
    assert listed.status_code == 200
    assert _numbers(listed.text) == [str(placed.number)] and "Maryam Karimi" in listed.text
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert page.status_code == 200
    assert "Model RF-100" in page.text and 'data-state="awaiting_payment"' in page.text
    assert f'data-proforma="{placed.proforma_id}" data-state="open"' in page.text
    assert f"To the end of {LocaleFormat('en').date(placed.last_day)}" in page.text
    assert "Tehran store 12" in page.text


async def test_persian_order_page_is_right_to_left_with_the_validity_in_jalali(pages, runtime, make_tenant,
                                                                               sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"{DESK}/{placed.order_id}?lang=fa")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert LocaleFormat("fa").date(placed.last_day) in page.text
    assert "پیش‌فاکتورها" in page.text and "در انتظار پرداخت" in page.text


async def test_another_tenants_staff_cannot_open_the_order(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    other = await order_desk(make_tenant, runtime, "other-test")
    await sign_in_staff(pages, other, "admin")
    assert (await pages.get(f"/t/other-test/console/orders/{placed.order_id}")).status_code == 404
    listed = await pages.get("/t/other-test/console/orders")
    assert listed.status_code == 200 and _numbers(listed.text) == []
    refused = await pages.post(f"/t/other-test/console/orders/{placed.order_id}/cancel")
    assert refused.status_code in (403, 404)


async def test_follow_up_list_has_the_order_unfunded_31_days_not_the_one_of_29(pages, runtime, make_tenant,
                                                                              sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    now = utcnow()
    recent = await place_order(runtime, tenant, now=now - timedelta(days=29))
    old = await place_order(runtime, tenant, now=now - timedelta(days=31))
    funded = await place_order(runtime, tenant, now=now - timedelta(days=40))
    await pay(runtime, tenant, funded.order_id, funded.proforma_id, now - timedelta(days=40))
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(f"{DESK}/follow-up")
    assert listed.status_code == 200
    assert _numbers(listed.text) == [str(old.number)]
    assert "30 days" in listed.text  # Entekhab's period, the vertical's answer
    filtered = await pages.get(DESK, params={"follow_up": "due"})
    assert _numbers(filtered.text) == [str(old.number)]
    everything = await pages.get(DESK)
    assert set(_numbers(everything.text)) == {str(p.number) for p in (recent, old, funded)}
    assert "data-follow-up" in (await pages.get(f"{DESK}/{old.order_id}")).text
    assert "data-follow-up" not in (await pages.get(f"{DESK}/{recent.order_id}")).text


async def test_list_filters_by_state_and_says_an_unknown_choice(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    waiting = await place_order(runtime, tenant)
    funded = await place_order(runtime, tenant)
    await pay(runtime, tenant, funded.order_id, funded.proforma_id, utcnow())
    await sign_in_staff(pages, tenant, "agent")
    assert _numbers((await pages.get(DESK, params={"state": "funded"})).text) == [str(funded.number)]
    bad = await pages.get(DESK, params={"state": "shipped", "follow_up": "x"})
    assert bad.status_code == 422 and 'id="state-error"' in bad.text and 'id="follow_up-error"' in bad.text
    assert set(_numbers(bad.text)) == {str(waiting.number), str(funded.number)}
    rows = await pages.get(DESK, params={"state": "funded"}, headers={"HX-Request": "true"})
    assert rows.status_code == 200 and "<html" not in rows.text and _numbers(rows.text) == [str(funded.number)]


async def test_staff_without_order_permissions_get_the_403_page(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    garage = await add_provider(runtime, tenant, currency="IRR")
    await sign_in_staff(pages, tenant, "provider", provider_id=garage.provider_id)
    assert (await pages.get(DESK)).status_code == 403
    assert (await pages.get(f"{DESK}/{placed.order_id}")).status_code == 403


@pytest.mark.parametrize(("lang", "words"), [("zh", ("订单", "形式发票", "待付款")),
                                             ("ka", ("შეკვეთები", "წინასწარი ინვოისები", "ელოდება გადახდას"))])
async def test_the_order_page_speaks_chinese_and_georgian(pages, runtime, make_tenant, sign_in_staff, lang, words):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant, plan="cheque")
    await sign_in_staff(pages, tenant, "admin")
    page = await pages.get(f"{DESK}/{placed.order_id}", params={"lang": lang})
    assert page.status_code == 200 and f'lang="{lang}"' in page.text
    assert all(word in page.text for word in words)
    assert LocaleFormat(lang).date(placed.last_day) in page.text
