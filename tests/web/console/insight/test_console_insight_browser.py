"""The insight pages in Chromium, in English and Persian: the dashboard's charts, a serial import with a bad row
and its report, and the recall campaigns. Each signs in as Mehr's demo admin and writes a screenshot."""

from __future__ import annotations

import os

import pytest
from stdnum import luhn

pytestmark = [pytest.mark.browser]
ADMIN = "admin@mehr-demo.com"


def fresh_imei() -> str:
    """An IMEI no other run has imported (14 random digits and their Luhn check digit)."""
    body = "35" + str(int.from_bytes(os.urandom(6), "big") % 10**12).zfill(12)
    return body + luhn.calc_check_digit(body)


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_dashboard(open_phone, sign_in_browser, screenshot, lang):
    page = await open_phone(lang=lang)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await sign_in_browser(page, "mehr", email=ADMIN, kind="staff")
    await page.goto(f"/t/mehr/console/?lang={lang}")
    await page.locator("svg#chart-backlog").wait_for()
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    assert await page.locator("svg#chart-backlog title").first.text_content()
    await screenshot(page, f"dashboard-{lang}")


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_import_with_a_bad_row(open_phone, sign_in_browser, screenshot, lang):
    page = await open_phone(lang=lang)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await sign_in_browser(page, "mehr", email=ADMIN, kind="staff")
    await page.goto(f"/t/mehr/console/imports?lang={lang}")
    if lang == "fa":
        assert await page.locator("html").get_attribute("dir") == "rtl"
    content = f"serial,model_sku\n{fresh_imei()},DEMO-1\n{fresh_imei()},NO-SUCH-MODEL\n".encode()
    await page.locator("input[name=mode][value=valid_rows]").check()
    await page.locator("#file").set_input_files({"name": "serials.csv", "mimeType": "text/csv", "buffer": content})
    await page.locator("#import-form button[type=submit]").click()
    await page.locator("#row-errors").wait_for()
    assert "NO-SUCH-MODEL" in await page.locator("#row-errors").inner_text()
    assert await page.locator("#import-report [role=progressbar]").get_attribute("aria-valuenow") == "100"
    assert await page.locator("#errors-download").count() == 1
    await screenshot(page, f"import-{lang}")


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_recalls(open_phone, sign_in_browser, screenshot, lang):
    page = await open_phone(lang=lang)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await sign_in_browser(page, "mehr", email=ADMIN, kind="staff")
    await page.goto(f"/t/mehr/console/recalls?lang={lang}")
    await page.locator("main h1").wait_for()
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    await screenshot(page, f"recalls-{lang}")
