"""Every stock page in each of the four languages: the page's language and direction, its words translated (no
English heading left in Persian, Chinese or Georgian), numbers in the reader's digits and moments in the reader's
calendar (Jalali in Persian)."""

from __future__ import annotations

import re

import pytest

from support.stock_pages import add_location, add_part, faulty_part, open_repair, receive, reserve, stock_desk

BASE = "/t/entekhab-test/console/stock"
PAGES = ["", "/movements", "/reservations", "/reorder", "/returns", "/import", "/parts", "/parts/new"]
HEADINGS = {"en": "Stock", "fa": "موجودی انبار", "zh": "库存", "ka": "მარაგი"}
TWELVE = {"en": "12", "fa": "۱۲", "zh": "12", "ka": "12"}


@pytest.mark.parametrize("lang", ["en", "fa", "zh", "ka"])
async def test_every_stock_page_speaks_the_readers_language(pages, runtime, make_tenant, sign_in_staff, lang):
    tenant = await stock_desk(make_tenant)
    pump = await add_part(runtime, tenant, "PUMP-7", "Drain pump", supplier="Askoll")
    central = await add_location(runtime, tenant, "THR-C")
    await receive(runtime, tenant, pump, central, 12)
    request_id, _number = await open_repair(runtime, tenant)
    await reserve(runtime, tenant, pump, 1, request_id)
    await faulty_part(runtime, tenant, pump, central)
    await sign_in_staff(pages, tenant, "admin")
    for path in PAGES:
        shown = await pages.get(f"{BASE}{path}?lang={lang}")
        assert shown.status_code == 200, path
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}">' in shown.text, path
        assert f"<h1>{HEADINGS[lang]}</h1>" in shown.text, path
    levels = (await pages.get(f"{BASE}?lang={lang}")).text
    assert f'data-label="{_label(levels)}">{TWELVE[lang]}</td>' in levels  # 12 on hand (13 received, 1 issued)
    ledger = (await pages.get(f"{BASE}/movements?lang={lang}")).text
    if lang == "fa":
        assert re.search(r"۱۴۰[۴-۹]", ledger)  # a Jalali year, in Persian digits
    else:
        assert re.search(r"202[6-9]", ledger)


def _label(text: str) -> str:
    """The on-hand column's label as the page wrote it (its third header)."""
    return re.findall(r'<th scope="col">([^<]+)</th>', text)[2]
