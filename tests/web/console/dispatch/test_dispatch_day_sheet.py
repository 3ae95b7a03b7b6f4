"""The technician's day sheet (``/console/technician/day``): the day's visits in route order with the customer,
the address and its maps link, the window and the parts to bring; arrive → start → finish with the parts used
and the customer's signature (a PNG data URL) and name; refusals with nothing written; a technician sees and
moves only their own visits, a dispatcher reads anyone's sheet, and tenants are kept apart."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from aftersales.db.base import utcnow
from support.dispatch_pages import add_reservation, add_technician, add_visit, reservation_state, visit_of
from support.order_pages import order_desk
from support.pages import post_form

OWN = "/t/entekhab-test/console/technician/day"
VISITS = "/t/entekhab-test/console/visits"
PNG = "data:image/png;base64," + base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8ffff3f0005fe02fe"
    "a7d6a4c00000000049454e44ae426082")).decode()


def _today():
    return (utcnow() + timedelta(hours=3, minutes=30)).date()  # Tehran's today


async def _technician_signed_in(pages, runtime, tenant, sign_in_staff, name="Reza Ahmadi"):
    staff_id = await sign_in_staff(pages, tenant, "technician")
    return await add_technician(runtime, tenant, name, staff_id=staff_id)


async def test_the_technician_reads_their_route_in_order_with_address_and_maps_link(pages, runtime, make_tenant,
                                                                                   sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    tech = await _technician_signed_in(pages, runtime, tenant, sign_in_staff)
    second, _ = await add_visit(runtime, tenant, _today(), customer="Sara Mohammadi", phone="+989121234567",
                                technician_id=tech.technician_id, state="fixed", window=(13, 15))
    first, _ = await add_visit(runtime, tenant, _today(), customer="Maryam Karimi",
                               technician_id=tech.technician_id, state="fixed", window=(9, 11))
    console = await pages.get("/t/entekhab-test/console/")
    assert 'href="/t/entekhab-test/console/technician/day"' in console.text
    sheet = await pages.get(OWN)
    assert sheet.status_code == 200
    text = sheet.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert text.index(f'data-visit="{first}"') < text.index(f'data-visit="{second}"')
    assert "Maryam Karimi" in text and "خیابان ونک" in text
    assert "https://www.google.com/maps/search/?api=1&amp;query=35.76,51.415" in text
    assert 'href="tel:+989121234567"' in text
    assert text.count('data-action="arrive"') == 2


async def test_arrive_start_and_finish_with_the_customers_signature(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    tech = await _technician_signed_in(pages, runtime, tenant, sign_in_staff)
    visit_id, _ = await add_visit(runtime, tenant, _today(), technician_id=tech.technician_id, state="fixed")
    for move, state in (("arrive", "arrived"), ("start", "started")):
        moved = await post_form(pages, f"{VISITS}/{visit_id}/{move}")
        assert moved.status_code == 303 and moved.headers["location"].endswith(f"#visit-{visit_id}")
        assert (await visit_of(runtime, tenant, visit_id)).state == state
    sheet = await pages.get(OWN)
    assert 'data-action="finish"' in sheet.text and "<canvas" in sheet.text
    finished = await post_form(pages, f"{VISITS}/{visit_id}/finish", {"signed_by": "Maryam Karimi",
                                                                      "signature": PNG})
    assert finished.status_code == 303
    visit = await visit_of(runtime, tenant, visit_id)
    assert (visit.state, visit.signed_by, visit.signature_png) == ("finished", "Maryam Karimi", PNG)
    assert visit.arrived_at <= visit.started_at <= visit.finished_at
    shown = await pages.get(OWN)
    assert "data-signature" in shown.text


@pytest.mark.parametrize(("form", "field"), [
    ({"signature": ""}, "signature"),
    ({"signature": "data:text/html;base64,PHNjcmlwdD4="}, "signature"),
    ({"signed_by": ""}, "signed_by"),
    ({"signed_by": "n" * 201}, "signed_by"),
])
async def test_a_finish_without_a_signature_or_name_is_refused_and_nothing_is_written(pages, runtime, make_tenant,
                                                                                      sign_in_staff, form, field):
    tenant = await order_desk(make_tenant, runtime)
    tech = await _technician_signed_in(pages, runtime, tenant, sign_in_staff)
    visit_id, _ = await add_visit(runtime, tenant, _today(), technician_id=tech.technician_id, state="fixed")
    await post_form(pages, f"{VISITS}/{visit_id}/arrive")
    await post_form(pages, f"{VISITS}/{visit_id}/start")
    refused = await post_form(pages, f"{VISITS}/{visit_id}/finish", {"signed_by": "Maryam Karimi", "signature": PNG,
                                                                     **form})
    assert refused.status_code == 422 and f'id="{visit_id}-{field}-error"' in refused.text
    visit = await visit_of(runtime, tenant, visit_id)
    assert (visit.state, visit.signature_png, visit.finished_at) == ("started", None, None)


async def test_a_move_out_of_order_is_refused_by_its_code(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    tech = await _technician_signed_in(pages, runtime, tenant, sign_in_staff)
    visit_id, _ = await add_visit(runtime, tenant, _today(), technician_id=tech.technician_id, state="fixed")
    refused = await post_form(pages, f"{VISITS}/{visit_id}/start?lang=fa")
    assert refused.status_code == 409 and f'data-refused="{visit_id}"' in refused.text
    assert (await visit_of(runtime, tenant, visit_id)).state == "fixed"


async def test_a_technician_cannot_open_or_move_another_technicians_visits(pages, runtime, make_tenant,
                                                                           sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    other = await add_technician(runtime, tenant, "Ali Rostami")
    theirs, _ = await add_visit(runtime, tenant, _today(), customer="Sara Mohammadi",
                                technician_id=other.technician_id, state="fixed")
    await _technician_signed_in(pages, runtime, tenant, sign_in_staff)
    assert (await pages.get(f"/t/entekhab-test/console/technicians/{other.technician_id}/day")).status_code == 403
    own = await pages.get(OWN)
    assert own.status_code == 200 and "Sara Mohammadi" not in own.text
    for move in ("arrive", "start", "finish"):
        refused = await post_form(pages, f"{VISITS}/{theirs}/{move}", {"signed_by": "x", "signature": PNG})
        assert refused.status_code == 404
    assert (await visit_of(runtime, tenant, theirs)).state == "fixed"


async def test_staff_who_are_no_technician_have_no_sheet(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "technician")  # the role, but no technician record
    assert (await pages.get(OWN)).status_code == 404


async def test_a_dispatcher_reads_a_technicians_sheet(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    await add_visit(runtime, tenant, _today(), customer="Maryam Karimi", technician_id=tech.technician_id, state="fixed")
    await sign_in_staff(pages, tenant, "agent")
    sheet = await pages.get(f"/t/entekhab-test/console/technicians/{tech.technician_id}/day?lang=zh")
    assert sheet.status_code == 200 and "Maryam Karimi" in sheet.text and "Reza Ahmadi" in sheet.text


async def test_another_tenants_technician_cannot_move_this_tenants_visit(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    mine = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, _ = await add_visit(runtime, tenant, _today(), technician_id=mine.technician_id,
                                  state="fixed")
    other = await order_desk(make_tenant, runtime, "other-test")
    staff_id = await sign_in_staff(pages, other, "technician")
    await add_technician(runtime, other, "Their Technician", staff_id=staff_id)
    moved = await post_form(pages, f"/t/other-test/console/visits/{visit_id}/arrive")
    assert moved.status_code == 404
    assert (await visit_of(runtime, tenant, visit_id)).state == "fixed"


async def test_the_parts_to_bring_are_listed_and_the_parts_used_sent_at_finish(pages, runtime, make_tenant,
                                                                              sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    tech = await _technician_signed_in(pages, runtime, tenant, sign_in_staff)
    visit_id, _ = await add_visit(runtime, tenant, _today(), technician_id=tech.technician_id, state="fixed")
    held = await add_reservation(runtime, tenant, visit_id, tech.technician_id, quantity=2)
    sheet = await pages.get(f"{OWN}?lang=fa")
    assert "۲ × <bdi>کمپرسور</bdi>" in sheet.text
    await post_form(pages, f"{VISITS}/{visit_id}/arrive")
    await post_form(pages, f"{VISITS}/{visit_id}/start")
    started = await pages.get(OWN)
    assert f'name="used-{held}"' in started.text and 'max="2"' in started.text
    for typed in ("3", "two"):
        refused = await post_form(pages, f"{VISITS}/{visit_id}/finish", {
            "signed_by": "Maryam Karimi", "signature": PNG, f"used-{held}": typed})
        assert refused.status_code == 422 and f'id="{visit_id}-parts_used-error"' in refused.text
        assert (await visit_of(runtime, tenant, visit_id)).state == "started"
        assert await reservation_state(runtime, tenant, held) == "open"
    finished = await post_form(pages, f"{VISITS}/{visit_id}/finish", {
        "signed_by": "Maryam Karimi", "signature": PNG, f"used-{held}": "۱"})
    assert finished.status_code == 303
    assert (await visit_of(runtime, tenant, visit_id)).state == "finished"
    assert await reservation_state(runtime, tenant, held) == "issued"
