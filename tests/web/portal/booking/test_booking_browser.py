"""Booking journeys in a real browser on a phone, in English and in Persian (right to left), on Carmax's demo
marketplace: book and accept a quote (search, pick a free time, book; the provider quotes through the service, the
customer accepts), approve extra work the provider asks for, and rate the provider after a paid job.

Each journey makes its own booking for the demo customer (the live server is shared by every browser test).
Screenshots: ``tests/artifacts/{book-search,book,quote-accept,extra-work,rate}-{en,fa}.png``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.availability import slots
from aftersales.marketplace.bookings import services as bookings
from aftersales.marketplace.bookings.states import Move
from aftersales.marketplace.changes import services as change_requests
from aftersales.marketplace.charges import services as charges
from aftersales.marketplace.models import Booking, Offering, Provider
from aftersales.marketplace.quotes import services as quotes
from aftersales.marketplace.settlement import services as settlement
from aftersales.runtime import build_runtime
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.models import Tenant

pytestmark = [pytest.mark.browser]

TENANT = "carmax"  # Persian by default, English offered; three demo providers in Tehran
CUSTOMER = f"customer@{TENANT}-demo.com"
PROVIDER = "Pars Auto Service (demo)"


@dataclass(frozen=True)
class Market:
    """The live server's Carmax, as the provider's app and the payment code act on it."""

    tenant: CurrentTenant
    customer: Principal
    provider: Principal
    provider_id: uuid.UUID
    offering_id: uuid.UUID


def working_day(tenant: CurrentTenant) -> date:
    """The first day after today the marketplace is open (not Friday, not a public holiday)."""
    day = tenant.today() + timedelta(days=1)
    while not tenant.calendar.is_business_day(day):
        day += timedelta(days=1)
    return day


@asynccontextmanager
async def market(live_server: Any) -> AsyncIterator[tuple[Market, Any]]:
    """The tenant, the demo customer and the provider's user, and a runtime on the live server's database."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as s:
            tenant = bind_tenant(await s.scalar(select(Tenant).where(Tenant.slug == TENANT)), runtime.plugins)
        async with runtime.db.transaction(tenant.record.id) as s:
            customer = await s.scalar(select(Customer).where(Customer.email == CUSTOMER))
            provider_id = await s.scalar(select(Provider.id).where(Provider.name == PROVIDER))
            offering_id = await s.scalar(select(Offering.id).where(Offering.code == "oil_change"))
        tenant_id = tenant.record.id
        yield Market(tenant,
                     Principal(kind="customer", subject=str(customer.id), tenant_id=tenant_id, customer_id=customer.id),
                     Principal(kind="staff", subject="pars-app", tenant_id=tenant_id, provider_id=provider_id),
                     provider_id, offering_id), runtime
    finally:
        await runtime.close()


async def _book(session: AsyncSession, m: Market) -> Booking:
    """The customer's own booking at the provider's first free time on the next working day."""
    day = working_day(m.tenant)
    free = await slots.day_slots(session, m.tenant.calendar, m.provider_id, "oil_change", day, now=utcnow())
    return await bookings.book(session, m.tenant, bookings.party_of(m.customer), bookings.NewBooking(
        provider_id=m.provider_id, offering_id=m.offering_id, starts_at=free.starts[0]), now=utcnow())


async def _offer(session: AsyncSession, m: Market, booking_id: uuid.UUID) -> Any:
    return await quotes.offer_quote(session, m.tenant, m.provider, booking_id, parts=[], consumables=[],
                                    actor="staff:pars-app", now=utcnow())


async def _open(open_phone: Any, sign_in_browser: Any, lang: str, path: str) -> Any:
    page = await open_phone(lang=lang)
    await sign_in_browser(page, TENANT, email=CUSTOMER)
    await page.goto(f"/t/{TENANT}{path}")
    assert await page.get_attribute("html", "lang") == lang
    assert await page.get_attribute("html", "dir") == ("rtl" if lang == "fa" else "ltr")
    return page


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_book_a_provider_and_accept_its_quote(open_phone, sign_in_browser, live_server, screenshot, lang):
    async with market(live_server) as (m, _):
        day = working_day(m.tenant)
    page = await _open(open_phone, sign_in_browser, lang, "/book")
    await page.select_option("#offering", "oil_change")
    await page.fill("#day", day.isoformat())
    await page.click("form.booking-search button[type=submit]")
    first = page.locator(f"li.provider[data-provider='{m.provider_id}'] a.chip").first
    await first.wait_for()
    await screenshot(page, f"book-search-{lang}")
    await first.click()
    await page.locator("input[name=starts_at]:checked").wait_for(state="attached")
    await page.click("form.book-form button[type=submit]")
    await page.wait_for_url(f"**/t/{TENANT}/my/bookings/*")
    booking_id = uuid.UUID(page.url.rsplit("/", 1)[1])
    await page.locator("[data-state=booked]").first.wait_for()
    await screenshot(page, f"book-{lang}")

    async with market(live_server) as (m, runtime), runtime.db.transaction(m.tenant.record.id) as s:
        quote = await _offer(s, m, booking_id)
    await page.reload()
    await page.click(f"article.quote[data-quote='{quote.id}'] button[name=accept]")
    await page.locator(f"article.quote[data-quote='{quote.id}'][data-state=accepted]").wait_for()
    assert await page.locator("button[name=accept]").count() == 0
    await screenshot(page, f"quote-accept-{lang}")
    async with market(live_server) as (m, runtime), runtime.db.transaction(m.tenant.record.id) as s:
        assert (await quotes.accepted_quote(s, booking_id)).id == quote.id


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_approve_extra_work_the_provider_asks_for(open_phone, sign_in_browser, live_server, screenshot, lang):
    async with market(live_server) as (m, runtime), runtime.db.transaction(m.tenant.record.id) as s:
        booking = await _book(s, m)
        await quotes.accept_quote(s, m.customer, (await _offer(s, m, booking.id)).id, actor="customer", now=utcnow())
        await bookings.provider_move(s, bookings.party_of(m.provider), booking.id, Move.START, now=utcnow())
        change = await change_requests.raise_change(
            s, m.tenant, m.provider, booking.id,
            change_requests.ExtraWork(description="Replace the worn front brake pads",
                                      reason="The pads are below 2 mm", labour_minor=4_000_000),
            actor="staff:pars-app", now=utcnow())
    page = await _open(open_phone, sign_in_browser, lang, f"/my/bookings/{booking.id}")
    card = page.locator(f"article.change[data-change='{change.id}']")
    assert "Replace the worn front brake pads" in await card.inner_text()
    await card.locator("textarea[name=note]").fill("OK")
    await card.locator("button[name=approve]").click()
    await page.locator(f"article.change[data-change='{change.id}'][data-state=approved]").wait_for()
    await screenshot(page, f"extra-work-{lang}")
    async with market(live_server) as (m, runtime), runtime.db.transaction(m.tenant.record.id) as s:
        decided = await change_requests.changes_of(s, m.customer, booking.id)
    assert [(c.state, c.decision_note) for c in decided] == [("approved", "OK")]


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_rate_the_provider_after_a_paid_job(open_phone, sign_in_browser, live_server, screenshot, lang):
    async with market(live_server) as (m, runtime), runtime.db.transaction(m.tenant.record.id) as s:
        booking = await _book(s, m)
        await quotes.accept_quote(s, m.customer, (await _offer(s, m, booking.id)).id, actor="customer", now=utcnow())
        party = bookings.party_of(m.provider)
        for move in (Move.START, Move.COMPLETE):
            await bookings.provider_move(s, party, booking.id, move, now=utcnow())
        await charges.charge_job(s, m.provider, booking.id, amount_minor=None, actor="staff:pars-app", now=utcnow())
        await settlement.pay_job(s, live_server.settings, m.customer, booking.id, provider="offline", method="cash",
                                 reference=None, actor="customer", now=utcnow())
    page = await _open(open_phone, sign_in_browser, lang, f"/my/bookings/{booking.id}")
    await page.locator("section.rating form").wait_for()
    await page.click("label:has(input[name=stars][value='5'])")
    await page.fill("#comment", "On time and honest" if lang == "en" else "سر وقت و درستکار")
    await page.click("section.rating button[type=submit]")
    await page.locator("section.rating[data-rating-status=counted]").wait_for()
    await screenshot(page, f"rate-{lang}")
