"""Browser journey "answer the survey link" on a phone with JavaScript off, in English and Persian: the link of
the follow-up SMS the job queued opens the survey in mehr's branding and the customer's language; the customer
picks a score, writes a comment and sees the thanks."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.outbox.models import OutboxMessage
from aftersales.runtime import build_runtime
from aftersales.service.followups.delivery import send_due_followups
from aftersales.service.followups.models import FollowUp
from aftersales.tenancy.models import Tenant

pytestmark = [pytest.mark.browser]

SLUG = "mehr"


async def _survey_link(live_server, locale: str) -> str:
    """A new customer's follow-up SMS, sent by the real job in the live server's database: its link's path."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            tenant = await session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        now = utcnow()
        async with runtime.db.transaction(tenant.id) as session:
            unique = secrets.randbelow(10**7)
            customer = Customer(name="Survey Customer", phone=f"+98912{unique:07d}", locale=locale)
            session.add(customer)
            await session.flush()
            followup = FollowUp(
                customer_id=customer.id, source_event=f"request_closed:browser:{customer.id}",
                event_kind="request_closed", event_at=now - timedelta(days=2), plan_name="satisfaction_survey",
                channel="sms", questionnaire=["Was your device fixed the first time?"], after={"days": 1},
                occurrence=1, due_at=now - timedelta(minutes=1), status="scheduled")
            session.add(followup)
            await session.flush()
            key = f"followup:{followup.id}"
        assert await send_due_followups(runtime, tenant.id, now) >= 1
        async with runtime.db.transaction(tenant.id) as session:
            message = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    finally:
        await runtime.close()
    parts = urlsplit(message.payload["link"])
    return f"{parts.path}?{parts.query}"


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_answer_the_survey_link_without_javascript(open_phone, screenshot, live_server, lang):
    link = await _survey_link(live_server, lang)
    assert link.endswith(f"?lang={lang}")
    page = await open_phone(lang="en", javascript=False)  # the link's language wins over the phone's
    await page.goto(link)
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    await page.get_by_text("Was your device fixed the first time?").wait_for()
    await screenshot(page, f"survey-link-{lang}")

    await page.locator("label.score", has_text="۵" if lang == "fa" else "5").click()
    await page.locator("#comment").fill("Fixed in one visit.")
    await page.locator("main form button[type=submit]").click()
    thanks = page.locator("[data-answered=true]")
    await thanks.wait_for()
    assert "Fixed in one visit." in await thanks.inner_text()
    assert await page.locator("input[name=csat]").count() == 0
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")  # kept after the redirect
    await screenshot(page, f"survey-link-answered-{lang}")
