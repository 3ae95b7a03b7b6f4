"""The pay and refund journeys in Chromium on the live server, in English and Persian.

* Pay (en, Golden Laser, lari): the card is typed into Stripe.js's field (loaded from localstripe), Stripe.js
  tokenises it, our server confirms the PaymentIntent, and the page shows the job paid.
* Pay (fa, Carmax, rials): Stripe does not take rials, so the page says so and names the offline ways.
* Refund (en, Golden Laser): from "My payments" to a request with the finance team.
* Refund (fa, Entekhab): the form asks for the national ID (typed in Persian digits) and the IBAN; the request
  is refused until staff verify them, then asked again and sent to finance.

Every journey makes its own job, payment or customer; any console error or failed request fails it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from aftersales.demo.pay import seed_demo_pay
from aftersales.identity.models import Customer
from aftersales.marketplace.models import Provider
from aftersales.runtime import build_runtime
from aftersales.tenancy.models import Tenant
from support.pay import charged_job, paid_in_cash, verify_identity
from support.refunds import IBAN, NATIONAL_ID

pytestmark = [pytest.mark.browser]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
async def live(live_server) -> AsyncIterator[Any]:
    """A runtime on the live server's database, to make each journey's own data."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    yield runtime
    await runtime.close()


async def tenant_of(runtime, slug: str) -> Tenant:
    async with runtime.db.platform_session() as session:
        return (await session.scalars(select(Tenant).where(Tenant.slug == slug))).one()


async def demo_customer(runtime, tenant) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as session:
        return (await session.scalars(select(Customer.id).where(
            Customer.email == f"customer@{tenant.slug}-demo.com"))).one()


async def new_customer(runtime, tenant) -> str:
    """A customer of ``tenant`` of this journey's own (its e-mail)."""
    email = f"refund-{os.urandom(3).hex()}@{tenant.slug}-demo.com"
    async with runtime.db.transaction(tenant.id) as session:
        session.add(Customer(name="Journey Customer", email=email))
    return email


async def open_card_form(live, open_phone, sign_in_browser, amount_minor: int) -> Any:
    """A phone on Golden Laser's pay page of a new charged job of the demo customer, at the card form."""
    tenant = await tenant_of(live, "golden-laser")
    await seed_demo_pay(live, tenant)
    customer_id = await demo_customer(live, tenant)
    booking_id = await charged_job(live, tenant, customer_id, amount_minor=amount_minor, currency="GEL",
                                   provider_name="Rustavi Laser Service (demo)")
    page = await open_phone(lang="en")
    await sign_in_browser(page, "golden-laser", email="customer@golden-laser-demo.com")
    await page.goto(f"/t/golden-laser/my/bookings/{booking_id}/pay?lang=en")
    await page.get_by_role("button", name="Pay by card").click()
    await page.locator("#card-element input[placeholder=number]").wait_for()
    return page


async def type_card(page, number: str) -> None:
    """Type a test card into Stripe.js's card field (localstripe's: number, month, year, CVC, postcode)."""
    for placeholder, value in (("number", number), ("exp_month", "12"), ("exp_year", "34"), ("cvc", "123"),
                               ("postal_code", "0108")):
        await page.locator(f"#card-element input[placeholder={placeholder}]").fill(value)
    await page.locator("#card-pay").click()


async def test_pay_a_job_by_card_in_english(open_phone, sign_in_browser, screenshot, live):
    page = await open_card_form(live, open_phone, sign_in_browser, 450_00)
    await type_card(page, "4242424242424242")
    paid = page.locator("[data-outcome=paid]")
    await paid.wait_for()
    assert "is authorised" in await paid.inner_text()
    assert "450.00" in await page.locator(".pay .amount").inner_text()
    await screenshot(page, "pay-en")


async def test_a_card_asking_for_3d_secure_is_authenticated_by_stripe_js(open_phone, sign_in_browser, live):
    page = await open_card_form(live, open_phone, sign_in_browser, 75_00)
    await type_card(page, "4000002760003184")
    await page.get_by_role("button", name="Complete authentication").click()
    await page.locator("[data-outcome=paid]").wait_for()


async def test_pay_in_rials_offers_the_offline_ways_in_persian(open_phone, sign_in_browser, screenshot, live):
    tenant = await tenant_of(live, "carmax")
    customer_id = await demo_customer(live, tenant)
    booking_id = await charged_job(live, tenant, customer_id, amount_minor=25_000_000, currency="IRR",
                                   provider_name="Ekbatan Car Clinic (demo)")
    page = await open_phone(lang="fa")
    await sign_in_browser(page, "carmax", email="customer@carmax-demo.com")
    await page.goto(f"/t/carmax/my/bookings/{booking_id}/pay")
    offline = page.locator("[data-outcome=offline]")
    await offline.wait_for()
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert "۲٬۵۰۰٬۰۰۰" in await page.locator(".pay .amount").inner_text()
    assert await page.get_by_role("button", name="Pay by card").count() == 0
    await screenshot(page, "pay-fa")


async def test_request_a_refund_in_english(open_phone, sign_in_browser, screenshot, live):
    tenant = await tenant_of(live, "golden-laser")
    email = await new_customer(live, tenant)
    async with live.db.transaction(tenant.id) as session:
        customer_id = (await session.scalars(select(Customer.id).where(Customer.email == email))).one()
    await paid_in_cash(live, tenant, customer_id, 120_00, "GEL")
    page = await open_phone(lang="en")
    await sign_in_browser(page, "golden-laser", email=email)
    await page.goto("/t/golden-laser/my/payments?lang=en")
    await page.get_by_role("link", name="Ask for a refund").click()
    await page.get_by_role("button", name="Ask for the refund").click()
    decided = page.locator("[data-state=awaiting_approval]")
    await decided.wait_for()
    assert "finance team is reviewing" in await decided.inner_text()
    await screenshot(page, "refund-request-en")


async def test_request_a_refund_with_national_id_and_iban_in_persian(open_phone, sign_in_browser, screenshot, live):
    tenant = await tenant_of(live, "entekhab")
    email = await new_customer(live, tenant)
    async with live.db.transaction(tenant.id) as session:
        customer_id = (await session.scalars(select(Customer.id).where(Customer.email == email))).one()
    await paid_in_cash(live, tenant, customer_id, 20_000_000, "IRR")
    page = await open_phone(lang="fa")
    await sign_in_browser(page, "entekhab", email=email)
    await page.goto("/t/entekhab/my/payments")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    await page.locator("#payments a[href*='/my/refunds/new']").click()
    await page.locator("#national_id").fill(NATIONAL_ID.translate(PERSIAN_DIGITS))
    await page.locator("#iban").fill(IBAN)
    await page.locator("form.card button[type=submit]").click()
    await page.locator("[data-state=refused] .requirements").wait_for()

    await verify_identity(live, tenant, customer_id, NATIONAL_ID, IBAN)
    await page.locator("a[href*='/my/refunds/new']").click()
    assert await page.locator("#national_id").count() == 0
    await page.locator("#note").fill("دستگاه را پس دادم")
    await page.locator("form.card button[type=submit]").click()
    await page.locator("[data-state=awaiting_approval]").wait_for()
    assert await page.locator("html").get_attribute("dir") == "rtl"
    await screenshot(page, "refund-request-fa")


async def test_demo_card_keys_are_set_only_for_currencies_stripe_takes(live):
    golden, carmax = await tenant_of(live, "golden-laser"), await tenant_of(live, "carmax")
    await seed_demo_pay(live, golden)
    assert await seed_demo_pay(live, golden) is False  # already set
    assert await seed_demo_pay(live, carmax) is False
    async with live.db.transaction(carmax.id) as session:
        assert await session.scalar(select(Provider.id).limit(1)) is not None  # carmax's demo marketplace is there
