"""The parts catalogue in the console (``/console/stock/parts``): the parts with their names in the reader's
language, models, wear part, supplier and list price (``stock:read``); adding and editing a part
(``marketplace:manage``), the price typed in the reader's digits; a bad field refused beside it (422), a taken
part number with 409, nothing written; tenants kept apart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.service.quotes.models import PartPrice
from aftersales.warranty.models import ProductModel
from support.pages import post_form
from support.stock_pages import add_part, stock_desk

PAGE = "/t/entekhab-test/console/stock/parts"
FORM = {"code": "PUMP-7", "name": "Drain pump", "name_fa": "پمپ تخلیه", "compatible_models": "WM-8\n",
        "wear_part": "", "supplier": "Askoll", "price": "1,500,000", "active": "yes"}


async def _desk(runtime, make_tenant, slug: str = "entekhab-test"):
    tenant = await stock_desk(make_tenant, slug)
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ProductModel(sku="WM-8", name="Washer 8 kg", list_price_minor=300_000_000))
    return tenant


async def _parts(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return [(p.code, p.name, p.names, p.compatible_models, p.wear_part, p.supplier, p.price_minor, p.active)
                for p in await s.scalars(select(PartPrice).order_by(PartPrice.code))]


async def test_an_admin_adds_a_part_and_readers_see_it_in_their_language(pages, runtime, make_tenant,
                                                                         sign_in_staff):
    tenant = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "admin")
    made = await post_form(pages, f"{PAGE}/new", FORM)
    assert made.status_code == 303 and "/console/stock/parts#part-" in made.headers["location"]
    assert await _parts(runtime, tenant) == [("PUMP-7", "Drain pump", {"fa": "پمپ تخلیه"}, ["WM-8"], False,
                                              "Askoll", 1_500_000, True)]
    await sign_in_staff(pages, tenant, "technician")
    listed = await pages.get(f"{PAGE}?lang=fa")
    assert listed.status_code == 200 and 'data-part="PUMP-7"' in listed.text and "پمپ تخلیه" in listed.text
    assert "۱٬۵۰۰٬۰۰۰" in listed.text and 'data-action="new-part"' not in listed.text


async def test_an_admin_edits_a_part_typing_the_price_in_persian_digits(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _desk(runtime, make_tenant)
    part = await add_part(runtime, tenant, "BELT-2", "Drum belt")
    await sign_in_staff(pages, tenant, "admin")
    form = await pages.get(f"{PAGE}/{part}?lang=fa")
    assert form.status_code == 200 and 'value="Drum belt"' in form.text and "۱۵۰۰۰۰۰" in form.text
    saved = await post_form(pages, f"{PAGE}/{part}?lang=fa", {**FORM, "code": "IGNORED", "name": "Drum belt",
                                                              "price": "۲٬۰۰۰٬۰۰۰", "wear_part": "yes", "active": ""})
    assert saved.status_code == 303
    assert await _parts(runtime, tenant) == [("BELT-2", "Drum belt", {"fa": "پمپ تخلیه"}, ["WM-8"], True, "Askoll",
                                              2_000_000, False)]


@pytest.mark.parametrize(("form", "field"), [
    ({"code": ""}, "code"), ({"code": "C" * 61}, "code"), ({"name": ""}, "name"), ({"name": "n" * 201}, "name"),
    ({"price": "ten"}, "price"), ({"price": "-5"}, "price"), ({"price": ""}, "price"), ({"price": "9" * 40}, "price"),
    ({"supplier": "s" * 201}, "supplier"), ({"compatible_models": "NO-SUCH-MODEL"}, "compatible_models"),
    ({"compatible_models": "M" * 81}, "compatible_models"), ({"name_zh": "名" * 201}, "name_zh"),
])
async def test_a_bad_field_is_refused_beside_it_and_nothing_is_written(pages, runtime, make_tenant, sign_in_staff,
                                                                       form, field):
    tenant = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "admin")
    refused = await post_form(pages, f"{PAGE}/new", {**FORM, **form})
    assert refused.status_code == 422 and f'id="{field}-error"' in refused.text
    assert await _parts(runtime, tenant) == []


async def test_a_taken_part_number_is_refused_and_a_nul_writes_nothing(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _desk(runtime, make_tenant)
    await add_part(runtime, tenant, "PUMP-7", "Old pump")
    await sign_in_staff(pages, tenant, "admin")
    taken = await post_form(pages, f"{PAGE}/new", FORM)
    assert taken.status_code == 409 and 'id="code-error"' in taken.text
    nul = await post_form(pages, f"{PAGE}/new", {**FORM, "code": "X\x00"})
    assert nul.status_code == 422
    assert [p[:2] for p in await _parts(runtime, tenant)] == [("PUMP-7", "Old pump")]


async def test_staff_without_marketplace_manage_read_the_catalogue_but_cannot_change_it(pages, runtime, make_tenant,
                                                                                        sign_in_staff):
    tenant = await _desk(runtime, make_tenant)
    part = await add_part(runtime, tenant, "BELT-2", "Drum belt")
    await sign_in_staff(pages, tenant, "agent")
    assert (await pages.get(PAGE)).status_code == 200
    assert (await pages.get(f"{PAGE}/new")).status_code == 403
    assert (await pages.get(f"{PAGE}/{part}")).status_code == 403
    assert (await post_form(pages, f"{PAGE}/new", FORM)).status_code == 403
    assert (await post_form(pages, f"{PAGE}/{part}", FORM)).status_code == 403
    await sign_in_staff(pages, tenant, "customer_service")
    assert (await pages.get(PAGE)).status_code == 403
    assert [p[0] for p in await _parts(runtime, tenant)] == ["BELT-2"]


async def test_another_tenants_admin_neither_sees_nor_edits_this_tenants_parts(pages, runtime, make_tenant,
                                                                               sign_in_staff):
    tenant = await _desk(runtime, make_tenant)
    part = await add_part(runtime, tenant, "BELT-2", "Drum belt")
    other = await _desk(runtime, make_tenant, "other-test")
    await sign_in_staff(pages, other, "admin")
    theirs = "/t/other-test/console/stock/parts"
    listed = await pages.get(theirs)
    assert listed.status_code == 200 and "BELT-2" not in listed.text
    assert (await pages.get(f"{theirs}/{part}")).status_code == 404
    assert (await post_form(pages, f"{theirs}/{part}", FORM)).status_code == 404
    assert [p[:2] for p in await _parts(runtime, tenant)] == [("BELT-2", "Drum belt")]
    assert await _parts(runtime, other) == []
