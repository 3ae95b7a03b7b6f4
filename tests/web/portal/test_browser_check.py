"""Journeys in a real browser on a phone: a customer checks a genuine serial and a fake one, in English and in
Persian, with JavaScript (HTMX swaps the result in place) and without (the form posts the whole page).

Screenshots: ``tests/artifacts/check-{genuine,fake}-{en,fa}.png`` and ``check-genuine-fa-nojs.png``.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TENANT = "mehr"  # Persian by default, English offered; IMEI serials
FAKE_SERIAL = "352099009999994"  # a valid IMEI that is on nobody's register


async def _check(page, serial: str) -> None:
    await page.fill("#serial", serial)
    await page.click("button[type=submit]")
    await page.wait_for_selector("#check-result [data-outcome]")


async def _fits_the_phone(page) -> bool:
    return await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def test_genuine_serial_in_english(open_phone, live_server, screenshot):
    page = await open_phone("en")
    await page.goto(f"/t/{TENANT}/check?lang=en")
    assert await page.get_attribute("html", "dir") == "ltr"
    await _check(page, live_server.serials[TENANT][0])
    result = page.locator("#check-result [data-outcome]")
    assert await result.get_attribute("data-outcome") == "genuine"
    assert "Genuine" in await result.inner_text()
    assert re.search(r"Covered until \w+ \d{1,2}, \d{4}", await page.locator(".coverage").inner_text())
    assert await _fits_the_phone(page)
    await screenshot(page, "check-genuine-en")


async def test_fake_serial_in_english(open_phone, screenshot):
    page = await open_phone("en")
    await page.goto(f"/t/{TENANT}/check?lang=en")
    await _check(page, FAKE_SERIAL)
    result = page.locator("#check-result [data-outcome]")
    assert await result.get_attribute("data-outcome") == "not_registered"
    assert "Not registered" in await result.inner_text()
    assert await _fits_the_phone(page)
    await screenshot(page, "check-fake-en")


async def test_genuine_serial_in_persian_right_to_left_with_jalali_date(open_phone, live_server, screenshot):
    page = await open_phone("fa")
    await page.goto(f"/t/{TENANT}/check")
    assert await page.get_attribute("html", "dir") == "rtl" and await page.get_attribute("html", "lang") == "fa"
    await _check(page, live_server.serials[TENANT][0])
    assert await page.locator("#check-result [data-outcome]").get_attribute("data-outcome") == "genuine"
    coverage = await page.locator(".coverage").inner_text()
    assert coverage.startswith("تحت پوشش تا ")
    assert re.search("[۰-۹]{4}$", coverage) and not re.search("[0-9]", coverage)  # a Jalali year in Persian digits
    assert await _fits_the_phone(page)
    await screenshot(page, "check-genuine-fa")


async def test_fake_serial_in_persian(open_phone, screenshot):
    page = await open_phone("fa")
    await page.goto(f"/t/{TENANT}/check")
    await _check(page, FAKE_SERIAL)
    result = page.locator("#check-result [data-outcome]")
    assert await result.get_attribute("data-outcome") == "not_registered" and "ثبت نشده" in await result.inner_text()
    assert await _fits_the_phone(page)
    await screenshot(page, "check-fake-fa")


async def test_check_works_without_javascript(open_phone, live_server, screenshot):
    page = await open_phone("fa", javascript=False)
    await page.goto(f"/t/{TENANT}/check")
    await page.fill("#serial", live_server.serials[TENANT][0])
    async with page.expect_navigation():
        await page.click("button[type=submit]")
    assert page.url.endswith(f"/t/{TENANT}/check")
    assert await page.locator("#check-result [data-outcome]").get_attribute("data-outcome") == "genuine"
    assert await page.get_attribute("html", "dir") == "rtl"
    await screenshot(page, "check-genuine-fa-nojs")
