"""A request's page says how it came in and which hours its clocks count (issue 19 §2.5): the console's request page
names every channel in the reader's language and, per clock, "office hours" with the tenant's week (a half-day
Thursday included) or "around the clock" for a request taken on a channel open 24/7; the customer's own request
page says the same of its promises."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.service.requests import services as service
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

TEHRAN_WEEK = {"country": "IR", "weekend_days": ["fri"], "business_hours": {"opens": "08:00", "closes": "17:00"},
               "hours_by_weekday": {"thu": {"opens": "08:00", "closes": "13:00"}},
               "around_the_clock_channels": ["hotline"]}


async def opened(runtime, tenant, channel: str, email: str = "sara@example.com"):
    async with runtime.db.platform_session() as s:
        current = bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        return await service.open_request(session, current, service.NewRequest(
            kind="inquiry", channel=channel, summary="which model suits me?",
            customer=CustomerDetails(name="Sara Ahmadi", email=email)), actor="staff:test", now=utcnow())


def counts(html: str) -> list[str]:
    return re.findall(r'data-counts="([a-z_]+)"', html)


@pytest.mark.parametrize(("channel", "label", "kind", "words"), [
    ("hotline", "24-hour hotline", "around_the_clock", "Around the clock"),
    ("phone", "Support phone", "office_hours", "Office hours: Sat–Wed 08:00–17:00 and Thu 08:00–13:00"),
    ("letter", "Letter", "office_hours", "Office hours: Sat–Wed 08:00–17:00 and Thu 08:00–13:00"),
])
async def test_the_console_request_page_names_the_channel_and_the_hours_its_clocks_count(
        pages, runtime, make_tenant, sign_in_staff, channel, label, kind, words):
    tenant = await make_tenant("acme", time_zone="Asia/Tehran", currency="IRR", calendar=TEHRAN_WEEK)
    request = await opened(runtime, tenant, channel)
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"/t/acme/console/requests/{request.id}?lang=en")
    assert page.status_code == 200
    assert re.search(rf'data-channel="{channel}">{label}', page.text)
    assert ("Open around the clock" in page.text) is (channel == "hotline")
    assert counts(page.text) and set(counts(page.text)) == {kind}
    assert words in page.text


async def test_in_persian_the_week_is_in_persian_words_and_digits(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme", time_zone="Asia/Tehran", currency="IRR", locales=["fa", "en"],
                               default_locale="fa", calendar=TEHRAN_WEEK)
    request = await opened(runtime, tenant, "walk_in")
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"/t/acme/console/requests/{request.id}?lang=fa")
    assert "حضوری" in page.text
    assert "ساعت کاری: شنبه–چهارشنبه ۰۸:۰۰–۱۷:۰۰ و پنجشنبه ۰۸:۰۰–۱۳:۰۰" in page.text


async def test_the_customer_sees_which_hours_the_promises_of_their_request_count(pages, runtime, make_tenant,
                                                                                 sign_in_customer):
    tenant = await make_tenant("acme", time_zone="Asia/Tehran", currency="IRR", calendar=TEHRAN_WEEK)
    by_phone = await opened(runtime, tenant, "phone")
    on_hotline = await opened(runtime, tenant, "hotline")
    await sign_in_customer(pages, tenant, by_phone.customer_id)
    page = await pages.get(f"/t/acme/my/requests/{by_phone.id}?lang=en")
    assert set(counts(page.text)) == {"office_hours"} and "Office hours: Sat–Wed 08:00–17:00" in page.text
    page = await pages.get(f"/t/acme/my/requests/{on_hotline.id}?lang=en")
    assert set(counts(page.text)) == {"around_the_clock"} and "Around the clock" in page.text
