"""Browser journey of a warehouse clerk on a phone, in Persian (Entekhab, right to left): on a funded order's page
the admin chooses Tehran's regional warehouse, types the production date in Jalali with Persian digits and
allocates; dispatches; records the delivery with the box sealed; the order reads delivered. Each run takes its own
order and warehouse for the demo customer (the live server is shared)."""

from __future__ import annotations

import os

import jdatetime
import pytest
from playwright.async_api import expect
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.orders import proformas
from aftersales.orders import services as orders
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.runtime import build_runtime
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel
from support.orders import NATIONAL_ID

pytestmark = [pytest.mark.browser]

SLUG = "entekhab"
CUSTOMER = f"customer@{SLUG}-demo.com"
ADMIN = f"admin@{SLUG}-demo.com"


async def _funded_order(live_server, token: str) -> tuple[str, str]:
    """A funded cash order to Tehran of a model of the run's own, and a regional warehouse in Tehran:
    (order id, warehouse id)."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        tenant = bind_tenant(record, runtime.plugins)
        async with runtime.db.transaction(record.id) as session:
            customer = await session.scalar(select(Customer).where(Customer.email == CUSTOMER))
            session.add(ProductModel(sku=f"RF-{token}", name=f"یخچال {token}", list_price_minor=450_000_000))
            warehouse = Warehouse(code=f"TEH-{token}", name=f"انبار تهران {token}", kind="regional", province="IR-23")
            session.add(warehouse)
            await session.flush()
            agent = Principal(kind="staff", subject="journey", tenant_id=record.id, roles=("agent",))
            order = await orders.create_order(session, tenant, agent, orders.NewOrder(
                payment_plan="cash", customer_id=customer.id, national_id=NATIONAL_ID, store="فروشگاه ولیعصر",
                lines=(orders.NewLine(f"RF-{token}", 1),), delivery_address="تهران، خیابان ولیعصر ۱۲",
                province="IR-23"), actor="staff:journey", now=utcnow())
            issued = await proformas.issue_proforma(session, tenant, order, actor="staff:journey", now=utcnow())
            await proformas.pay_proforma(session, runtime.settings, order, issued.proforma.id,
                                         proformas.Payment("cash", None), actor="staff:journey", now=utcnow())
            return str(order.id), str(warehouse.id)
    finally:
        await runtime.close()


async def test_the_clerk_allocates_dispatches_and_delivers_in_persian(live_server, open_phone, sign_in_browser,
                                                                       screenshot):
    token = os.urandom(3).hex()
    order_id, warehouse_id = await _funded_order(live_server, token)
    staff = await open_phone(lang="fa")
    await sign_in_browser(staff, SLUG, email=ADMIN, kind="staff")
    await staff.goto(f"/t/{SLUG}/console/orders/{order_id}")
    assert await staff.get_attribute("html", "dir") == "rtl"
    await expect(staff.locator("[data-state]").first).to_have_attribute("data-state", "funded")

    await staff.select_option("#warehouse_id", warehouse_id)
    produced = jdatetime.date.fromgregorian(date=utcnow().date()) - jdatetime.timedelta(days=3)
    await staff.fill("#production_on", f"{produced.year}/{produced.month:02d}/{produced.day:02d}".translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    await staff.locator("#allocate button[type=submit]").click()
    await expect(staff.locator(f"[data-warehouse='TEH-{token}']")).to_be_visible()
    await expect(staff.locator("header [data-state]")).to_have_attribute("data-state", "allocated")

    await staff.locator("#dispatch button[type=submit]").click()
    await expect(staff.locator("header [data-state]")).to_have_attribute("data-state", "dispatched")

    await staff.locator("#deliver input[value=yes]").check()
    await staff.locator("#deliver button[type=submit]").click()
    await expect(staff.locator("header [data-state]")).to_have_attribute("data-state", "delivered")
    await expect(staff.locator("#delivery")).to_contain_text("جعبه پلمب")
    await screenshot(staff, "order-moves-fa")
