"""Importing stock from a CSV file (``/console/stock/import``, ``stock:write``): receipts arrive, a stock-take
writes the differences; a bad row is listed with its line, column and reason in the reader's language and
nothing is written; tenants kept apart."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aftersales.parts.models import StockMovement
from aftersales.parts.reservations import available
from support.pages import post_form
from support.stock_pages import add_location, add_part, receive, stock_desk

PAGE = "/t/entekhab-test/console/stock/import"


async def _desk(runtime, make_tenant, slug: str = "entekhab-test"):
    tenant = await stock_desk(make_tenant, slug)
    pump = await add_part(runtime, tenant, "PUMP-7", "Drain pump")
    central = await add_location(runtime, tenant, "THR-C")
    return tenant, pump, central


async def _upload(pages, text: str, *, mode: str = "receipt", reason: str = "delivery note 4471", url: str = PAGE):
    return await post_form(pages, url, {"mode": mode, "reason": reason},
                           files={"file": ("stock.csv", text.encode(), "text/csv")})


async def _movements(runtime, tenant) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(StockMovement))


async def _available(runtime, tenant, part_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await available(s, part_id)


async def test_a_receipt_file_puts_its_quantities_in_stock(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    form = await pages.get(PAGE)
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    done = await _upload(pages, "part,location,quantity,condition\nPUMP-7,THR-C,5,new\nPUMP-7,THR-C,2,used\n")
    assert done.status_code == 200 and 'data-imported="2"' in done.text
    assert await _available(runtime, tenant, pump) == 7


async def test_a_stock_take_writes_the_difference_as_an_adjustment(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, central = await _desk(runtime, make_tenant)
    await receive(runtime, tenant, pump, central, 5)
    await sign_in_staff(pages, tenant, "technician")
    done = await _upload(pages, "part,location,quantity,condition\nPUMP-7,THR-C,3,\n", mode="count",
                         reason="stock-take of Azar")
    assert done.status_code == 200
    assert await _available(runtime, tenant, pump) == 3
    ledger = await pages.get("/t/entekhab-test/console/stock/movements?kind=adjust")
    assert "stock-take of Azar" in ledger.text


async def test_every_bad_row_is_listed_in_the_readers_language_and_nothing_is_written(pages, runtime, make_tenant,
                                                                                      sign_in_staff):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await _upload(pages, "part,location,quantity,condition\nPUMP-7,THR-C,5,new\nNOPE,THR-C,1,new\n"
                                   "PUMP-7,MARS,-2,shiny\n", url=f"{PAGE}?lang=fa")
    assert refused.status_code == 422 and 'id="refused"' in refused.text
    assert 'data-row="3" data-column="part"' in refused.text
    assert 'data-row="4" data-column="location"' in refused.text
    assert 'data-row="4" data-column="quantity"' in refused.text and 'data-row="4" data-column="condition"' in refused.text
    assert "۱٬۰۰۰٬۰۰۰" in refused.text  # the quantity's limit in Persian digits
    assert await _movements(runtime, tenant) == 0


@pytest.mark.parametrize(("text", "reason"), [
    ("quantity,part\n5,PUMP-7\n", "The first line must be the header part,location,quantity,condition."),
    ("part,location,quantity,condition\n", "The file has no rows."),
    ("", "The first line must be the header part,location,quantity,condition."),
])
async def test_a_file_that_is_not_a_stock_file_is_refused(pages, runtime, make_tenant, sign_in_staff, text, reason):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await _upload(pages, text)
    assert refused.status_code == 422 and 'id="file-error"' in refused.text and reason in refused.text
    assert await _movements(runtime, tenant) == 0


async def test_a_file_that_is_not_utf8_is_refused(pages, runtime, make_tenant, sign_in_staff):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await post_form(pages, PAGE, {"mode": "receipt", "reason": "x"},
                              files={"file": ("stock.csv", b"part,location\xff\n", "text/csv")})
    assert refused.status_code == 422 and "UTF-8" in refused.text
    assert await _movements(runtime, tenant) == 0


async def test_a_row_with_a_nul_is_refused_beside_its_column(pages, runtime, make_tenant, sign_in_staff):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await _upload(pages, "part,location,quantity,condition\nPUMP-7\x00,THR-C,1,new\n")
    assert refused.status_code == 422 and 'data-row="2" data-column="part"' in refused.text
    assert await _movements(runtime, tenant) == 0


@pytest.mark.parametrize(("form", "field"), [
    ({"mode": "steal"}, "mode"), ({"mode": ""}, "mode"), ({"reason": ""}, "reason"), ({"reason": "r" * 501}, "reason"),
])
async def test_a_bad_mode_or_reason_is_refused_beside_it(pages, runtime, make_tenant, sign_in_staff, form, field):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await post_form(pages, PAGE, {"mode": "receipt", "reason": "note", **form},
                              files={"file": ("stock.csv", b"part,location,quantity,condition\nPUMP-7,THR-C,1,new\n",
                                              "text/csv")})
    assert refused.status_code == 422 and f'id="{field}-error"' in refused.text
    assert await _movements(runtime, tenant) == 0


async def test_no_file_chosen_is_said(pages, runtime, make_tenant, sign_in_staff):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await post_form(pages, PAGE, {"mode": "receipt", "reason": "note"},
                              files={"file": ("", b"", "text/csv")})
    assert refused.status_code == 422 and "Choose the CSV file to import." in refused.text


async def test_staff_without_stock_write_cannot_import(pages, runtime, make_tenant, sign_in_staff):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    assert (await pages.get(PAGE)).status_code == 403
    assert 'href="/t/entekhab-test/console/stock/import"' not in (await pages.get("/t/entekhab-test/console/stock")).text
    refused = await _upload(pages, "part,location,quantity,condition\nPUMP-7,THR-C,5,new\n")
    assert refused.status_code == 403
    assert await _movements(runtime, tenant) == 0


async def test_another_tenants_file_cannot_name_this_tenants_parts_or_locations(pages, runtime, make_tenant,
                                                                                sign_in_staff):
    tenant, _pump, _central = await _desk(runtime, make_tenant)
    other = await stock_desk(make_tenant, "other-test")
    await sign_in_staff(pages, other, "admin")
    refused = await _upload(pages, "part,location,quantity,condition\nPUMP-7,THR-C,5,new\n",
                            url="/t/other-test/console/stock/import")
    assert refused.status_code == 422 and 'data-column="part"' in refused.text and 'data-column="location"' in refused.text
    assert await _movements(runtime, tenant) == 0 and await _movements(runtime, other) == 0
