"""In a real browser, the vertical's warranty reason on a Persian page reads right to left in its Persian order:
the first word ("گارانتی") rightmost, then the number of months, then "ماهه" — not the old English sentence
whose leading "18-" the bidi algorithm carried to the far end ("month warranty from the sale-18")."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]

SLUG = "mehr"
CUSTOMER = "customer@mehr-demo.com"
WHERE = """li => {
    const text = li.firstChild, said = text.data, digits = said.match(/[۰-۹]+/)[0];
    const left = (word) => {
        const range = document.createRange(), at = said.indexOf(word);
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        return range.getBoundingClientRect().left;
    };
    return {said, warranty: left("گارانتی"), months: left(digits), word: left("ماهه")};
}"""


async def test_persian_warranty_reason_reads_right_to_left_with_its_number_in_place(open_phone, sign_in_browser,
                                                                                    live_server):
    page = await open_phone(lang="fa")
    await sign_in_browser(page, SLUG, email=CUSTOMER)
    await page.goto(f"/t/{SLUG}/my/devices?lang=fa")
    await page.locator("li.device", has_text=live_server.serials[SLUG][0]).locator("h2 a").click()
    reason = page.locator("ul.reasons li").first
    await reason.wait_for()
    shown = await reason.evaluate(WHERE)
    assert shown["said"].startswith("گارانتی ") and "month" not in shown["said"]
    assert shown["warranty"] > shown["months"] > shown["word"], shown
