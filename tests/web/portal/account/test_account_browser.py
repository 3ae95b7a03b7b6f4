"""Browser journey "open and follow a request" on a phone, in English and Persian: the demo customer sees their
device and its coverage, asks for service on it, and follows the request's timeline with the promised date.
The request form also works with JavaScript switched off."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.browser]

SLUG = "mehr"
CUSTOMER = "customer@mehr-demo.com"


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_open_and_follow_a_request(open_phone, sign_in_browser, screenshot, live_server, lang):
    page = await open_phone(lang=lang)
    await sign_in_browser(page, SLUG, email=CUSTOMER)
    await page.goto(f"/t/{SLUG}/my/devices?lang={lang}")
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    serial = live_server.serials[SLUG][0]
    device = page.locator("li.device", has_text=serial)
    await device.locator("[data-coverage]").wait_for()
    await screenshot(page, f"devices-{lang}")

    await device.locator("h2 a").click()
    await page.locator("a.action[href*='/my/requests/new?device=']").click()
    summary = f"The screen flickers ({lang}, {os.urandom(3).hex()})"
    await page.locator("#summary").fill(summary)
    assert await page.locator("input[name=device]:checked").count() == 1  # the device came along
    await screenshot(page, f"request-open-{lang}")
    await page.locator("main form button[type=submit]").click()

    await page.wait_for_url(f"**/t/{SLUG}/my/requests/*")
    await page.locator("[data-event=opened]").wait_for()
    assert summary in await page.locator(".summary").inner_text()
    promised = page.locator(".promise .when").first
    await promised.wait_for()
    when = await promised.inner_text()
    if lang == "fa":
        assert any(digit in when for digit in "۰۱۲۳۴۵۶۷۸۹")  # Jalali date in Persian digits
    await screenshot(page, f"request-timeline-{lang}")

    await page.goto(f"/t/{SLUG}/my/requests")
    listed = page.locator("li.request", has_text=summary)
    await listed.wait_for()
    assert await listed.get_attribute("data-state") == "received"


async def test_request_form_works_without_javascript(open_phone, sign_in_browser, live_server):
    page = await open_phone(lang="en", javascript=False)
    await sign_in_browser(page, SLUG, email=CUSTOMER)
    await page.goto(f"/t/{SLUG}/my/requests/new?lang=en")
    await page.locator("input[name=device]").first.check()
    summary = f"No-JS request {os.urandom(3).hex()}"
    await page.locator("#summary").fill(summary)
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_url(f"**/t/{SLUG}/my/requests/*")
    assert summary in await page.locator(".summary").inner_text()
    assert await page.locator("[data-event=opened]").count() == 1
