"""Browser journey: an agent working the queue, in English (Golden Laser) and Persian (Mehr, right to left).

The agent filters the queue to promises breached or at risk, opens the most urgent request, takes it, leaves an
internal note and moves it on; the timeline tells each step. Each run opens its own agent and requests (the live
server is shared), found through a search for the run's own token.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.db.base import utcnow
from aftersales.demo.console import QueueExample, open_example
from aftersales.runtime import build_runtime
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

pytestmark = [pytest.mark.browser]


async def _agent_and_requests(live_server, slug: str, token: str) -> tuple[str, str, list[int]]:
    """A new agent of ``slug`` and two requests of the run's own customers: one breached, one at risk."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == slug))
        tenant = bind_tenant(record, runtime.plugins)
        email, name = f"agent-{token}@{slug}-demo.com", f"Agent {token}"
        async with runtime.db.transaction(record.id) as session:
            await create_staff(session, email=email, name=name, roles=["agent"], password=None)
            opened = [await open_example(session, tenant, QueueExample(
                sla, f"Journey {token} {sla}", f"journey-{token}-{sla}", summary, days), now=utcnow(),
                email_domain="journey.example")
                for sla, summary, days in (("at_risk", "the fan is loud", 5), ("breached", "no picture", 11))]
        return email, name, [r.number for r in opened]
    finally:
        await runtime.close()


@pytest.mark.parametrize(("slug", "lang"), [("golden-laser", "en"), ("mehr", "fa")])
async def test_agent_works_the_queue(live_server, open_phone, sign_in_browser, screenshot, slug, lang):
    from playwright.async_api import expect

    token = os.urandom(4).hex()
    email, name, (at_risk, breached) = await _agent_and_requests(live_server, slug, token)
    page = await open_phone(lang=lang)
    await sign_in_browser(page, slug, email=email, kind="staff")
    await page.goto(f"/t/{slug}/console/requests?lang={lang}")
    if lang == "fa":
        assert await page.get_attribute("html", "dir") == "rtl"

    await page.select_option("#sla", "attention")
    await expect(page).to_have_url(re.compile("sla=attention"))  # HTMX swapped the rows and pushed the filter
    await page.fill("#q", token)
    await expect(page).to_have_url(re.compile(f"q={token}.*sla=attention"))
    rows = page.locator("#queue tr[data-request]")
    await expect(rows).to_have_count(2)
    assert [await rows.nth(i).get_attribute("data-request") for i in range(2)] == [str(breached), str(at_risk)]
    assert await rows.first.get_attribute("data-sla") == "breached"
    await screenshot(page, f"queue-{lang}")

    await rows.first.locator("a").first.click()
    await page.wait_for_url("**/console/requests/*")
    assert await page.locator("[data-state]").first.get_attribute("data-state") == "received"

    await page.select_option("#assignee_id", "me")
    await page.locator("form[data-action=assign] button[type=submit]").click()
    await expect(page.locator("[data-assignee]")).to_contain_text(name)

    await page.fill("#note", f"called the customer {token}")
    await page.locator("form[data-action=note] button[type=submit]").click()
    await expect(page.locator("li[data-event=note]")).to_contain_text(f"called the customer {token}")

    await page.select_option("#to", "diagnosing")
    await page.locator("form[data-action=move] button[type=submit]").click()
    await expect(page.locator("span[data-state]")).to_have_attribute("data-state", "diagnosing")
    events = page.locator("ol.timeline li")
    assert [await events.nth(i).get_attribute("data-event") for i in range(await events.count())] == [
        "opened", "assigned", "note", "moved"]
    if lang == "fa":
        assert await page.get_attribute("html", "dir") == "rtl"
    await screenshot(page, f"request-detail-{lang}")
