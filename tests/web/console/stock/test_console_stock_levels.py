"""Stock by location (``/console/stock``) and the reorder list (``/console/stock/reorder``): per location each
part's on hand, reserved and available, new and used apart, the rows below their buffer marked; filters by part
and location (an unknown one dropped and said); ``stock:read`` to read; Persian digits; tenants kept apart."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from aftersales.parts.models import StockMinimum
from support.pages import post_form
from support.stock_pages import (
    add_location,
    add_part,
    open_repair,
    receive,
    reserve,
    set_minimum,
    stock_desk,
)

PAGE = "/t/entekhab-test/console/stock"


async def _stocked(runtime, make_tenant):
    tenant = await stock_desk(make_tenant)
    pump = await add_part(runtime, tenant, "PUMP-7", "Drain pump", names={"fa": "پمپ تخلیه"}, supplier="Askoll")
    belt = await add_part(runtime, tenant, "BELT-2", "Drum belt")
    central = await add_location(runtime, tenant, "THR-C", "Tehran central")
    office = await add_location(runtime, tenant, "ISF-O", "Isfahan office")
    await receive(runtime, tenant, pump, central, 5)
    await receive(runtime, tenant, pump, central, 2, condition="used")
    await receive(runtime, tenant, belt, office, 3)
    request_id, _number = await open_repair(runtime, tenant)
    await reserve(runtime, tenant, pump, 2, request_id)
    return tenant, pump, belt, central, office


def _row(text: str, part: str, condition: str = "new") -> str:
    start = text.index(f'data-part="{part}" data-condition="{condition}"')
    return text[start:text.index("</tr>", start)]


async def test_each_location_lists_on_hand_reserved_and_available_new_and_used_apart(pages, runtime, make_tenant,
                                                                                       sign_in_staff):
    tenant, _pump, _belt, _central, _office = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    console = await pages.get("/t/entekhab-test/console/")
    assert 'href="/t/entekhab-test/console/stock"' in console.text
    listed = await pages.get(PAGE)
    assert listed.status_code == 200
    assert 'data-location="THR-C"' in listed.text and 'data-location="ISF-O"' in listed.text
    new = _row(listed.text, "PUMP-7")
    assert 'data-available="3"' in new  # 5 on hand, 2 reserved for the repair
    assert "<td data-label=\"On hand\">5</td>" in new and "<td data-label=\"Reserved\">2</td>" in new
    assert 'data-available="2"' in _row(listed.text, "PUMP-7", "used")
    assert "Drain pump" in new and "data-below-minimum" not in new


async def test_a_part_below_its_minimum_is_marked_and_on_the_reorder_list_with_the_quantity_to_order(
        pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, belt, central, office = await _stocked(runtime, make_tenant)
    await set_minimum(runtime, tenant, pump, central, 6)  # 3 new + 2 used available: one short
    await set_minimum(runtime, tenant, belt, office, 3, reorder_quantity=10)  # 3 available: at the minimum
    await sign_in_staff(pages, tenant, "finance")
    listed = await pages.get(PAGE)
    assert "data-below-minimum" in _row(listed.text, "PUMP-7") and "Below minimum" in _row(listed.text, "PUMP-7")
    assert "data-below-minimum" not in _row(listed.text, "BELT-2")
    reorder = await pages.get(f"{PAGE}/reorder")
    assert reorder.status_code == 200
    assert 'data-part="PUMP-7" data-location="THR-C" data-suggested="1"' in reorder.text and "Askoll" in reorder.text
    assert 'data-part="BELT-2"' not in reorder.text


async def test_a_buffer_with_nothing_left_is_listed_with_zeros(pages, runtime, make_tenant, sign_in_staff):
    tenant, _pump, belt, central, _office = await _stocked(runtime, make_tenant)
    await set_minimum(runtime, tenant, belt, central, 1, reorder_quantity=4)
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(f"{PAGE}?location={central}")
    row = _row(listed.text, "BELT-2")
    assert 'data-available="0"' in row and "data-below-minimum" in row
    reorder = await pages.get(f"{PAGE}/reorder")
    assert 'data-part="BELT-2" data-location="THR-C" data-suggested="4"' in reorder.text


async def test_the_filters_narrow_by_part_and_location(pages, runtime, make_tenant, sign_in_staff):
    tenant, _pump, belt, central, _office = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    by_part = await pages.get(f"{PAGE}?part={belt}")
    assert 'data-part="BELT-2"' in by_part.text and 'data-part="PUMP-7"' not in by_part.text
    by_place = await pages.get(f"{PAGE}?location={central}", headers={"HX-Request": "true"})
    assert by_place.status_code == 200 and "<html" not in by_place.text  # the rows alone
    assert 'data-location="THR-C"' in by_place.text and 'data-location="ISF-O"' not in by_place.text


@pytest.mark.parametrize("query", ["part=nope", "part=dbbe737e-9f70-46d3-8079-b8bf6dd96ce0", "location=%E2%80%AE", "location=1"])
async def test_an_unknown_filter_is_dropped_and_said(pages, runtime, make_tenant, sign_in_staff, query):
    tenant, *_ = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    refused = await pages.get(f"{PAGE}?{query}")
    name = query.split("=")[0]
    assert refused.status_code == 422 and f'id="{name}-error"' in refused.text
    assert 'data-location="THR-C"' in refused.text  # everything, unfiltered


async def test_persian_reads_persian_digits_and_the_parts_persian_name(pages, runtime, make_tenant, sign_in_staff):
    tenant, *_ = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(f"{PAGE}?lang=fa")
    assert 'dir="rtl"' in listed.text and "پمپ تخلیه" in listed.text
    assert "<td data-label=\"موجودی\">۵</td>" in _row(listed.text, "PUMP-7")


@pytest.mark.parametrize("role", ["customer_service"])
async def test_staff_without_stock_read_get_no_link_and_a_403(pages, runtime, make_tenant, sign_in_staff, role):
    tenant, *_ = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, role)
    console = await pages.get("/t/entekhab-test/console/")
    assert "/console/stock" not in console.text
    assert (await pages.get(PAGE)).status_code == 403
    assert (await pages.get(f"{PAGE}/reorder")).status_code == 403


async def test_another_tenants_staff_see_none_of_this_tenants_stock(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, _belt, central, _office = await _stocked(runtime, make_tenant)
    await set_minimum(runtime, tenant, pump, central, 50)
    other = await stock_desk(make_tenant, "other-test")
    await sign_in_staff(pages, other, "admin")
    listed = await pages.get("/t/other-test/console/stock")
    assert listed.status_code == 200 and "THR-C" not in listed.text and "PUMP-7" not in listed.text
    assert "PUMP-7" not in (await pages.get("/t/other-test/console/stock/reorder")).text
    filtered = await pages.get(f"/t/other-test/console/stock?location={central}&part={pump}")
    assert filtered.status_code == 422 and "THR-C" not in filtered.text  # another tenant's ids are unknown here
    buffer = await post_form(pages, "/t/other-test/console/stock/reorder",
                             {"part_id": str(pump), "location_id": str(central), "minimum": "1"})
    assert buffer.status_code == 422 and 'id="part_id-error"' in buffer.text and 'id="location_id-error"' in buffer.text
    across = await pages.get(PAGE)
    assert across.status_code == 303 and "/sign-in" in across.headers["location"]  # not signed in there


async def test_a_writer_sets_a_buffer_on_the_reorder_page_and_the_part_is_listed(pages, runtime, make_tenant,
                                                                                 sign_in_staff):
    tenant, pump, _belt, central, _office = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    set_ = await post_form(pages, f"{PAGE}/reorder?lang=fa", {"part_id": str(pump), "location_id": str(central),
                                                              "minimum": "۶", "reorder_quantity": "۱۰"})
    assert set_.status_code == 303
    reorder = await pages.get(f"{PAGE}/reorder")
    assert 'data-part="PUMP-7" data-location="THR-C" data-suggested="10"' in reorder.text
    unset = await post_form(pages, f"{PAGE}/reorder", {"part_id": str(pump), "location_id": str(central),
                                                       "minimum": "0", "reorder_quantity": ""})
    assert unset.status_code == 303
    assert 'data-part="PUMP-7"' not in (await pages.get(f"{PAGE}/reorder")).text


@pytest.mark.parametrize(("form", "field"), [
    ({"minimum": "-1"}, "minimum"), ({"minimum": ""}, "minimum"), ({"minimum": "1000001"}, "minimum"),
    ({"minimum": "9" * 30}, "minimum"), ({"reorder_quantity": "0"}, "reorder_quantity"),
    ({"reorder_quantity": "x"}, "reorder_quantity"), ({"part_id": "nope"}, "part_id"),
    ({"part_id": str(uuid.UUID(int=7))}, "part_id"), ({"location_id": str(uuid.UUID(int=7))}, "location_id"),
])
async def test_a_bad_buffer_is_refused_beside_its_field_and_nothing_is_written(pages, runtime, make_tenant,
                                                                               sign_in_staff, form, field):
    tenant, pump, _belt, central, _office = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await post_form(pages, f"{PAGE}/reorder", {"part_id": str(pump), "location_id": str(central),
                                                         "minimum": "6", "reorder_quantity": "", **form})
    assert refused.status_code == 422 and f'id="{field}-error"' in refused.text
    async with runtime.db.transaction(tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(StockMinimum)) == 0


async def test_a_reader_cannot_set_a_buffer(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, _belt, central, _office = await _stocked(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "finance")
    assert 'data-action="set-buffer"' not in (await pages.get(f"{PAGE}/reorder")).text
    refused = await post_form(pages, f"{PAGE}/reorder", {"part_id": str(pump), "location_id": str(central),
                                                         "minimum": "6"})
    assert refused.status_code == 403
