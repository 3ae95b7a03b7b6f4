"""Browser journey of Mehr's stock clerk on a phone, in Persian (right to left): imports a CSV of receipts into the
central workshop's store, sees the stock by location, reserves two of the part for a repair typing its number in
Persian digits, and sees the part's available stock drop by two. Each run takes its own part and location (the
live server is shared)."""

from __future__ import annotations

import os

import pytest
from playwright.async_api import expect
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.parts.locations import NewLocation, create_location
from aftersales.runtime import build_runtime
from aftersales.service.quotes.models import PartPrice
from aftersales.service.requests.services import NewRequest, open_request
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

pytestmark = [pytest.mark.browser]

SLUG = "mehr"
ADMIN = f"admin@{SLUG}-demo.com"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


async def _shelf(live_server, token: str) -> int:
    """A part and a stock location of the run's own, and a repair request: the request's number."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        async with runtime.db.transaction(record.id) as session:
            session.add(PartPrice(code=f"LCD-{token}", name=f"LCD panel {token}", names={"fa": f"پنل ال‌سی‌دی {token}"},
                                  supplier="Samsung Parts", price_minor=30_000_000, currency=record.currency,
                                  updated_by="staff:journey"))
            warehouse = Warehouse(code=f"WS-{token}", name=f"کارگاه مرکزی {token}", kind="central", province="IR-23")
            session.add(warehouse)
            await session.flush()
            await create_location(session, NewLocation(code=f"WS-{token}", name=f"کارگاه مرکزی {token}",
                                                       kind="warehouse", warehouse_id=warehouse.id))
            request = await open_request(session, bind_tenant(record, runtime.plugins), NewRequest(
                kind="repair", channel="phone", summary="صفحه خاموش است",
                customer=CustomerDetails(name="سارا احمدی", phone="+989121230000")), actor="staff:journey",
                now=utcnow())
            return request.number
    finally:
        await runtime.close()


async def test_the_clerk_imports_stock_sees_it_and_reserves_a_part_in_persian(live_server, open_phone,
                                                                              sign_in_browser, screenshot):
    token = os.urandom(3).hex().upper()
    number = await _shelf(live_server, token)
    clerk = await open_phone(lang="fa")
    await sign_in_browser(clerk, SLUG, email=ADMIN, kind="staff")

    await clerk.goto(f"/t/{SLUG}/console/stock/import")
    assert await clerk.get_attribute("html", "dir") == "rtl"
    await clerk.locator("input[name=mode][value=receipt]").check()
    await clerk.fill("#reason", "حواله ورود ۴۴۷۱")
    await clerk.locator("#file").set_input_files({"name": "stock.csv", "mimeType": "text/csv", "buffer": (
        f"part,location,quantity,condition\nLCD-{token},WS-{token},5,new\n").encode()})
    await clerk.locator("[data-action=import] button[type=submit]").click()
    await expect(clerk.locator("#imported")).to_have_attribute("data-imported", "1")

    await clerk.locator("#imported a").click()
    row = clerk.locator(f"[data-location='WS-{token}'] tr[data-part='LCD-{token}']")
    await expect(row).to_have_attribute("data-available", "5")
    await expect(row).to_contain_text("۵")
    await screenshot(clerk, "stock-levels-fa")

    await clerk.goto(f"/t/{SLUG}/console/stock/reservations")
    await clerk.fill("#request_number", str(number).translate(PERSIAN))
    await clerk.locator("#part_id").select_option(label=f"LCD-{token} · پنل ال‌سی‌دی {token}")
    await clerk.locator("#location_id").select_option(label=f"WS-{token} · کارگاه مرکزی {token}")
    await clerk.fill("#quantity", "۲")
    await clerk.locator("[data-action=reserve] button[type=submit]").click()
    await expect(clerk.locator(f"tr[data-part='LCD-{token}'] [data-action=issue]")).to_be_visible()

    await clerk.goto(f"/t/{SLUG}/console/stock?part=")
    await expect(row).to_have_attribute("data-available", "3")
    await expect(row.locator("td").nth(3)).to_contain_text("۲")  # reserved, in Persian digits
    await screenshot(clerk, "stock-reserved-fa")
