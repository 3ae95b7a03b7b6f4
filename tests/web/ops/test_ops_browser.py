"""Journey in a real browser on a phone: an operator onboards a tenant, in English and in Persian. The first try
has a mistake (a slug with capitals and an underscore): the form comes back with the reason beside the field and
everything else kept; fixed, the tenant is onboarded, listed, and its portal shows its own branding.

Screenshots: ``tests/artifacts/ops-onboard-{en,fa}.png`` (the form with the reason) and
``ops-tenants-{en,fa}.png`` (the tenant list with the new tenant).
"""

from __future__ import annotations

import pytest

from aftersales.demo.seed import DEMO_OPERATOR

pytestmark = [pytest.mark.browser]

RULE = {"en": "3 to 40 characters", "fa": "۳ تا ۴۰ نویسه"}
PRIMARY = "#7c3aed"


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_operator_onboards_a_tenant(open_phone, sign_in_browser, screenshot, lang):
    slug, name = f"journey-{lang}", f"Journey Repairs {lang.upper()}"
    page = await open_phone(lang=lang, expected_statuses=(422,))
    await sign_in_browser(page, kind="operator", email=DEMO_OPERATOR)
    await page.goto(f"/ops/tenants/new?lang={lang}")
    assert await page.get_attribute("html", "dir") == ("rtl" if lang == "fa" else "ltr")

    await page.fill("#slug", f"Journey_{lang}")  # the mistake
    await page.fill("#name", name)
    await page.select_option("#vertical", "electronics")
    await page.check("input[name=locales][value=fa]")
    await page.select_option("#default_locale", "en")
    await page.fill("#currency", "GEL")
    await page.fill("#time_zone", "Asia/Tbilisi")
    await page.fill("#country", "GE")
    await page.fill("#display_name", f"{name} Care")
    await page.fill("#primary_color", PRIMARY)
    await page.fill("#support_email", f"help@{slug}-demo.com")
    await page.fill("#support_phone", "+995 32 200 0000")
    async with page.expect_navigation():
        await page.click("form.onboard button[type=submit]")

    error = page.locator("#slug-error")
    await error.wait_for()
    assert RULE[lang] in await error.inner_text()
    assert await page.get_attribute("#slug", "aria-invalid") == "true"
    assert await page.input_value("#name") == name and await page.input_value("#primary_color") == PRIMARY
    await screenshot(page, f"ops-onboard-{lang}")

    await page.fill("#slug", slug)
    async with page.expect_navigation():
        await page.click("form.onboard button[type=submit]")
    assert page.url.endswith(f"/ops/tenants/{slug}")
    assert await page.locator("[data-plugin=electronics]").count() >= 1

    await page.click("nav.console-nav a[href='/ops/']")
    row = page.locator(f"tr[data-tenant={slug}]")
    await row.wait_for()
    assert name in await row.inner_text() and await row.locator("[data-status=active]").count() == 1
    assert await page.get_attribute("html", "dir") == ("rtl" if lang == "fa" else "ltr")
    await screenshot(page, f"ops-tenants-{lang}")

    await page.goto(f"/t/{slug}/?lang=en")
    assert await page.locator(".brand-name").inner_text() == f"{name} Care"
    primary = await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand-primary')")
    assert primary.strip() == PRIMARY
