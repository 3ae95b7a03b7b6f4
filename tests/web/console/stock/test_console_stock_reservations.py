"""Reservations in the console (``/console/stock/reservations``): the open ones by job, reserving parts for a
request by its number (available drops), issuing them to the job or releasing them, the short part refused with
how many are available (409) and a bad field beside it (422), nothing written either way; ``stock:write`` to act;
tenants kept apart."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select

from aftersales.parts.models import StockReservation
from aftersales.parts.reservations import available
from support.pages import post_form
from support.stock_pages import add_location, add_part, open_repair, receive, reserve, stock_desk

PAGE = "/t/entekhab-test/console/stock/reservations"


async def _desk(runtime, make_tenant, *, on_hand: int = 3):
    tenant = await stock_desk(make_tenant)
    pump = await add_part(runtime, tenant, "PUMP-7", "Drain pump")
    central = await add_location(runtime, tenant, "THR-C")
    await receive(runtime, tenant, pump, central, on_hand)
    request_id, number = await open_repair(runtime, tenant)
    return tenant, pump, central, request_id, number


async def _available(runtime, tenant, part_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await available(s, part_id)


async def _states(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return sorted((r.state, r.quantity) for r in await s.scalars(select(StockReservation)))


async def test_a_technician_reserves_parts_for_a_request_by_its_number_and_available_drops(
        pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, central, request_id, number = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    made = await post_form(pages, PAGE, {"request_number": f"#{number}", "part_id": str(pump),
                                         "location_id": str(central), "condition": "new", "quantity": "2"})
    assert made.status_code == 303 and made.headers["location"].endswith("/console/stock/reservations")
    assert await _available(runtime, tenant, pump) == 1
    listed = await pages.get(PAGE)
    assert f'href="/t/entekhab-test/console/requests/{request_id}" data-job="request">Request #{number}' in listed.text
    assert 'data-part="PUMP-7"' in listed.text and 'data-action="issue"' in listed.text


async def test_persian_digits_are_read_in_the_request_number_and_quantity(pages, runtime, make_tenant,
                                                                          sign_in_staff):
    tenant, pump, _central, _request_id, number = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    made = await post_form(pages, f"{PAGE}?lang=fa", {"request_number": str(number).translate(persian),
                                                      "part_id": str(pump), "quantity": "۳"})
    assert made.status_code == 303
    assert await _available(runtime, tenant, pump) == 0


async def test_the_last_unit_then_one_more_is_refused_with_how_many_are_available(pages, runtime, make_tenant,
                                                                                  sign_in_staff):
    tenant, pump, _central, _request_id, number = await _desk(runtime, make_tenant, on_hand=2)
    await sign_in_staff(pages, tenant, "technician")
    form = {"request_number": str(number), "part_id": str(pump), "quantity": "2"}
    assert (await post_form(pages, PAGE, form)).status_code == 303  # the last two units
    refused = await post_form(pages, f"{PAGE}?lang=fa", {**form, "quantity": "1"})
    assert refused.status_code == 409 and 'id="refusal"' in refused.text
    assert "PUMP-7" in refused.text and "۰" in refused.text  # none available, in Persian digits
    assert await _states(runtime, tenant) == [("open", 2)]


async def test_two_reservations_racing_for_the_last_unit_one_gets_it(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, _central, _request_id, number = await _desk(runtime, make_tenant, on_hand=1)
    await sign_in_staff(pages, tenant, "technician")
    form = {"request_number": str(number), "part_id": str(pump), "quantity": "1"}
    answers = await asyncio.gather(*(post_form(pages, PAGE, form) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [303, 409, 409, 409]
    assert await _states(runtime, tenant) == [("open", 1)]


@pytest.mark.parametrize(("form", "field", "reason"), [
    ({"request_number": "999999"}, "request_number", "There is no request with this number."),
    ({"request_number": "x"}, "request_number", "There is no request with this number."),
    ({"request_number": "9" * 40}, "request_number", "There is no request with this number."),
    ({"part_id": "not-a-part"}, "part_id", "Choose a part of the catalogue."),
    ({"part_id": str(uuid.UUID(int=7))}, "part_id", "Choose a part of the catalogue."),
    ({"location_id": str(uuid.UUID(int=7))}, "location_id", "Choose an open stock location."),
    ({"condition": "shiny"}, "condition", "Choose new or used."),
    ({"quantity": "0"}, "quantity", "Give a whole number from 1 to 1,000,000."),
    ({"quantity": "-1"}, "quantity", "Give a whole number from 1 to 1,000,000."),
    ({"quantity": "1000001"}, "quantity", "Give a whole number from 1 to 1,000,000."),
    ({"quantity": "9" * 30}, "quantity", "Give a whole number from 1 to 1,000,000."),
])
async def test_a_bad_field_is_refused_beside_it_and_nothing_is_written(pages, runtime, make_tenant, sign_in_staff,
                                                                       form, field, reason):
    tenant, pump, _central, _request_id, number = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await post_form(pages, PAGE, {"request_number": str(number), "part_id": str(pump),
                                            "quantity": "1", **form})
    assert refused.status_code == 422 and f'id="{field}-error"' in refused.text and reason in refused.text
    assert await _states(runtime, tenant) == []
    assert await _available(runtime, tenant, pump) == 3


async def test_a_nul_writes_nothing(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, _central, _request_id, number = await _desk(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "technician")
    refused = await post_form(pages, PAGE, {"request_number": f"{number}\x00", "part_id": str(pump), "quantity": "1"})
    assert refused.status_code == 422
    assert await _states(runtime, tenant) == []


async def test_issuing_takes_the_parts_out_of_stock_and_releasing_gives_them_back(pages, runtime, make_tenant,
                                                                                  sign_in_staff):
    tenant, pump, _central, request_id, _number = await _desk(runtime, make_tenant)
    used = await reserve(runtime, tenant, pump, 1, request_id)
    spare = await reserve(runtime, tenant, pump, 1, request_id)
    await sign_in_staff(pages, tenant, "technician")
    assert (await post_form(pages, f"{PAGE}/{used}/issue")).status_code == 303
    assert (await post_form(pages, f"{PAGE}/{spare}/release")).status_code == 303
    assert await _states(runtime, tenant) == [("issued", 1), ("released", 1)]
    assert await _available(runtime, tenant, pump) == 2  # 3 received, 1 used on the repair
    listed = await pages.get(PAGE)
    assert 'data-reservation=' not in listed.text and "No reservation is open." in listed.text
    again = await post_form(pages, f"{PAGE}/{used}/release?lang=zh")
    assert again.status_code == 409 and 'id="refusal"' in again.text
    assert await _available(runtime, tenant, pump) == 2


async def test_staff_with_stock_read_only_see_the_reservations_but_cannot_act(pages, runtime, make_tenant,
                                                                              sign_in_staff):
    tenant, pump, _central, request_id, number = await _desk(runtime, make_tenant)
    held = await reserve(runtime, tenant, pump, 1, request_id)
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(PAGE)
    assert listed.status_code == 200 and 'data-part="PUMP-7"' in listed.text
    assert 'data-action="issue"' not in listed.text and 'data-action="reserve"' not in listed.text
    assert (await post_form(pages, f"{PAGE}/{held}/issue")).status_code == 403
    refused = await post_form(pages, PAGE, {"request_number": str(number), "part_id": str(pump), "quantity": "1"})
    assert refused.status_code == 403
    assert await _states(runtime, tenant) == [("open", 1)]


async def test_another_tenants_staff_neither_see_nor_move_this_tenants_reservations(pages, runtime, make_tenant,
                                                                                    sign_in_staff):
    tenant, pump, _central, request_id, number = await _desk(runtime, make_tenant)
    held = await reserve(runtime, tenant, pump, 1, request_id)
    other = await stock_desk(make_tenant, "other-test")
    await sign_in_staff(pages, other, "admin")
    theirs = "/t/other-test/console/stock/reservations"
    listed = await pages.get(theirs)
    assert listed.status_code == 200 and "PUMP-7" not in listed.text
    assert (await post_form(pages, f"{theirs}/{held}/issue")).status_code == 404
    assert (await post_form(pages, f"{theirs}/{held}/release")).status_code == 404
    refused = await post_form(pages, theirs, {"request_number": str(number), "part_id": str(pump), "quantity": "1"})
    assert refused.status_code == 422  # neither the request nor the part is theirs
    assert await _states(runtime, tenant) == [("open", 1)]
