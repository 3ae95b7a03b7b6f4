"""The warehouses page (``warehouses:manage``): the list, adding a central or regional warehouse with its province
chosen from the tenant country's ISO 3166-2 subdivisions, the link in the console's navigation for admins only,
refusals beside the field (an unknown province, a taken code) with nothing written, and tenants kept apart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.orders.fulfilment.models import Warehouse
from support.fulfilment import add_warehouse
from support.order_pages import order_desk
from support.pages import post_form

PAGE = "/t/entekhab-test/console/warehouses"


async def _codes(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return sorted(await s.scalars(select(Warehouse.code)))


async def test_an_admin_adds_a_regional_warehouse_of_a_province_of_iran(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "admin")
    console = await pages.get("/t/entekhab-test/console/")
    assert 'href="/t/entekhab-test/console/warehouses"' in console.text
    form = await pages.get(f"{PAGE}?lang=zh")
    assert form.status_code == 200
    assert '<option value="IR-23">德黑兰 (IR-23)</option>' in form.text  # ISO 3166-2 names in the reader's language
    assert 'value="DE-BE"' not in form.text
    made = await post_form(pages, PAGE, {"code": "R-TEH", "name": "انبار تهران", "kind": "regional",
                                         "province": "IR-23"})
    assert made.status_code == 303 and made.headers["location"].endswith("/console/warehouses")
    listed = await pages.get(PAGE)
    assert 'data-warehouse="R-TEH" data-kind="regional"' in listed.text and "انبار تهران" in listed.text
    async with runtime.db.transaction(tenant.id) as s:
        warehouse = await s.scalar(select(Warehouse))
    assert (warehouse.kind, warehouse.province) == ("regional", "IR-23")


@pytest.mark.parametrize(("form", "field", "reason"), [
    ({"province": "XX-99"}, "province", "Not a province code"),
    ({"province": "DE-BE"}, "province", "This province is not in the company&#39;s country."),
    ({"province": "IR-99999"}, "province", "Not a province code"),
    ({"kind": "satellite"}, "kind", "Choose central or regional."),
    ({"code": ""}, "code", "Give a code of at most 40 characters."),
    ({"name": "n" * 201}, "name", "Give a name of at most 200 characters."),
])
async def test_a_bad_field_is_refused_beside_it_and_nothing_is_written(pages, runtime, make_tenant, sign_in_staff,
                                                                       form, field, reason):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "admin")
    refused = await post_form(pages, PAGE, {"code": "C-1", "name": "Central", "kind": "central",
                                            "province": "IR-23", **form})
    assert refused.status_code == 422 and f'id="{field}-error"' in refused.text and reason in refused.text
    assert await _codes(runtime, tenant) == []


async def test_a_nul_or_a_taken_code_writes_nothing(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await add_warehouse(runtime, tenant, code="C-1")
    await sign_in_staff(pages, tenant, "admin")
    nul = await post_form(pages, PAGE, {"code": "C-2\x00", "name": "Central", "kind": "central", "province": "IR-23"})
    assert nul.status_code == 422
    taken = await post_form(pages, PAGE, {"code": "C-1", "name": "Again", "kind": "central", "province": "IR-23"})
    assert taken.status_code == 409 and 'id="code-error"' in taken.text
    assert await _codes(runtime, tenant) == ["C-1"]


@pytest.mark.parametrize("role", ["agent", "technician", "finance"])
async def test_staff_without_warehouses_manage_get_no_link_and_a_403(pages, runtime, make_tenant, sign_in_staff,
                                                                      role):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, role)
    console = await pages.get("/t/entekhab-test/console/")
    assert "/console/warehouses" not in console.text
    assert (await pages.get(PAGE)).status_code == 403
    refused = await post_form(pages, PAGE, {"code": "C-1", "name": "Central", "kind": "central", "province": "IR-23"})
    assert refused.status_code == 403
    assert await _codes(runtime, tenant) == []


async def test_another_tenants_admin_neither_sees_nor_adds_to_this_tenants_warehouses(pages, runtime, make_tenant,
                                                                                       sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await add_warehouse(runtime, tenant, code="MINE-1")
    other = await order_desk(make_tenant, runtime, "other-test")
    await sign_in_staff(pages, other, "admin")
    listed = await pages.get("/t/other-test/console/warehouses")
    assert listed.status_code == 200 and "MINE-1" not in listed.text
    made = await post_form(pages, "/t/other-test/console/warehouses",
                           {"code": "MINE-1", "name": "Theirs", "kind": "central", "province": "IR-23"})
    assert made.status_code == 303  # the code is free in the other tenant: the warehouse is theirs
    assert await _codes(runtime, tenant) == ["MINE-1"] and await _codes(runtime, other) == ["MINE-1"]
    across = await post_form(pages, PAGE, {"code": "X-1", "name": "X", "kind": "central", "province": "IR-23"})
    assert across.status_code == 303 and "/sign-in" in across.headers["location"]  # not signed in there
    assert await _codes(runtime, tenant) == ["MINE-1"]
