"""A signed-in browser on the live server: the Secure, HTTP-only session cookie works on a local address, the
header shows the way out, and signing out ends the session on the server."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_signed_in_customer_signs_out(open_phone, sign_in_browser, screenshot, lang):
    page = await open_phone(lang=lang)
    await sign_in_browser(page, "mehr", email="customer@mehr-demo.com")
    await page.goto("/t/mehr/")
    sign_out = page.locator("nav.account button[type=submit]")
    await sign_out.wait_for()
    cookies = {c["name"]: c for c in await page.context.cookies()}
    assert cookies["as_session"]["httpOnly"] and cookies["as_session"]["secure"]
    assert cookies["as_csrf"]["httpOnly"]
    await screenshot(page, f"signed-in-{lang}")
    await sign_out.click()
    await page.wait_for_url("**/t/mehr/")
    assert await page.locator("nav.account a[href='/t/mehr/sign-in']").count() == 1
    assert "as_session" not in {c["name"] for c in await page.context.cookies()}
