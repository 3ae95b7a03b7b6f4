"""Browser journey "dispute a request" on a phone, in English and Persian (issue 19 §2.7): the demo customer
opens a request, disputes it from the request's page, the company's admin answers, mediates and rules in the
console, and the customer reads the ruling and its reason."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.browser]

SLUG = "mehr"
CUSTOMER = "customer@mehr-demo.com"
ADMIN = "admin@mehr-demo.com"


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_dispute_a_request_and_read_the_ruling(open_phone, sign_in_browser, screenshot, lang):
    customer = await open_phone(lang=lang)
    await sign_in_browser(customer, SLUG, email=CUSTOMER)
    await customer.goto(f"/t/{SLUG}/my/requests/new?lang={lang}")
    await customer.locator("input[name=device]").first.check()
    await customer.locator("#summary").fill(f"Dispute journey {lang} {os.urandom(3).hex()}")
    await customer.locator("main form button[type=submit]").click()
    await customer.wait_for_url(f"**/t/{SLUG}/my/requests/*")

    await customer.locator("a[data-dispute-link]").click()
    await customer.wait_for_url("**/my/disputes/new?request=*")
    await customer.locator("#grounds").select_option("poor_workmanship")
    statement = f"The repair did not hold ({os.urandom(3).hex()})."
    await customer.locator("#statement").fill(statement)
    await customer.locator("main form button[type=submit]").click()
    await customer.wait_for_url(f"**/t/{SLUG}/my/disputes/*")
    assert await customer.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    card = customer.locator("section.dispute")
    assert await card.get_attribute("data-state") == "open"
    assert statement in await card.locator(".statement").inner_text()
    dispute_path = customer.url.split(f"/t/{SLUG}/my/disputes/")[1].split("?")[0]
    await screenshot(customer, f"dispute-open-{lang}")

    staff = await open_phone(lang=lang)
    await sign_in_browser(staff, SLUG, email=ADMIN, kind="staff")
    await staff.goto(f"/t/{SLUG}/console/disputes?lang={lang}")
    await staff.locator(f"tr[data-dispute='{dispute_path}'] a").click()
    await staff.locator("#answer").fill("The unit was repaired under warranty once already.")
    await staff.locator("[data-action=answer] button").click()
    await staff.locator("[data-action=mediate] button").click()
    await staff.locator("#body").fill("Second failure within a month.")
    await staff.locator("[data-action=note] button").click()
    await staff.locator("#outcome").select_option("for_customer")
    await staff.locator("#reason").fill("The same fault came back within a month.")
    await staff.locator("[data-action=rule] button").click()
    await staff.locator("section.ruling[data-outcome=for_customer]").wait_for()
    await screenshot(staff, f"dispute-console-{lang}")

    await customer.reload()
    ruling = customer.locator("section.ruling")
    await ruling.wait_for()
    assert "The same fault came back within a month." in await ruling.inner_text()
    assert "Second failure within a month." not in await customer.content()
    await screenshot(customer, f"dispute-ruled-{lang}")
