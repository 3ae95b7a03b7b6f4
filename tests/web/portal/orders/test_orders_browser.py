"""Browser journey of the order desk on a phone, in Persian (Entekhab, right to left): the admin finds the
customer's order on the console's follow-up-free list and opens it; the customer opens My orders from the
account menu, reads the pro-forma's pay-by date in Jalali with Persian digits, and asks for a new delivery
address, which is made. Each run takes its own order for the demo customer (the live server is shared)."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.orders import proformas
from aftersales.orders import services as orders
from aftersales.runtime import build_runtime
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel
from support.orders import national_id_for

pytestmark = [pytest.mark.browser]

SLUG = "entekhab"
CUSTOMER = f"customer@{SLUG}-demo.com"
ADMIN = f"admin@{SLUG}-demo.com"


async def _order_for_the_demo_customer(live_server, token: str) -> tuple[str, int]:
    """A cash order of a model of the run's own, with its pro-forma: (order id, number)."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        tenant = bind_tenant(record, runtime.plugins)
        async with runtime.db.transaction(record.id) as session:
            customer = await session.scalar(select(Customer).where(Customer.email == CUSTOMER))
            session.add(ProductModel(sku=f"RF-{token}", name=f"یخچال {token}", list_price_minor=450_000_000))
            await session.flush()
            agent = Principal(kind="staff", subject="journey", tenant_id=record.id, roles=("agent",))
            order = await orders.create_order(session, tenant, agent, orders.NewOrder(
                payment_plan="cash", customer_id=customer.id, national_id=await national_id_for(session, customer.id), store="فروشگاه ولیعصر",
                lines=(orders.NewLine(f"RF-{token}", 1),), delivery_address="تهران، خیابان ولیعصر ۱۲"),
                actor="staff:journey", now=utcnow())
            await proformas.issue_proforma(session, tenant, order, actor="staff:journey", now=utcnow())
            return str(order.id), order.number
    finally:
        await runtime.close()


async def test_the_order_desk_in_persian(live_server, open_phone, sign_in_browser, screenshot):
    from playwright.async_api import expect

    token = os.urandom(3).hex()
    order_id, number = await _order_for_the_demo_customer(live_server, token)

    staff = await open_phone(lang="fa")
    await sign_in_browser(staff, SLUG, email=ADMIN, kind="staff")
    await staff.goto(f"/t/{SLUG}/console/")
    await staff.locator("nav.console-nav a[href$='/console/orders']").click()
    row = staff.locator(f"tr[data-order='{number}']")
    await expect(row).to_have_attribute("data-state", "awaiting_payment")
    await row.locator("a").first.click()
    await staff.wait_for_url(f"**/console/orders/{order_id}")
    assert await staff.get_attribute("html", "dir") == "rtl"
    await expect(staff.locator("[data-valid-until]").first).to_contain_text(re.compile("[۰-۹]"))
    await screenshot(staff, "order-console-fa")

    page = await open_phone(lang="fa")
    await sign_in_browser(page, SLUG, email=CUSTOMER)
    await page.goto(f"/t/{SLUG}/my/devices")
    await page.locator("nav.account a[href$='/my/orders']").click()
    await page.locator(f"li.order[data-order='{order_id}'] h2 a").click()
    await page.wait_for_url(f"**/my/orders/{order_id}")
    assert await page.get_attribute("html", "dir") == "rtl"
    expiry = await page.locator("[data-valid-until]").inner_text()
    assert re.search("[۰-۹]{4}", expiry)  # the Jalali year in Persian digits
    await screenshot(page, "order-portal-fa")

    await page.fill("#delivery_address", f"تهران، خیابان انقلاب {token}")
    await page.locator("#change button[type=submit]").click()
    await expect(page.locator("[data-change=applied]")).to_be_visible()
    await expect(page.locator("[data-address]")).to_contain_text(token)
