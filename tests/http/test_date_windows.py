"""Dates far away are refused with the field and the window, never a 500 (``date value out of range``): a purchase
not before 1990, a schedule day or start a year back to two years ahead of the tenant's today, on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.http.date_windows import AUTHORISATION_AHEAD, EARLIEST_PURCHASE, SCHEDULE_AHEAD, SCHEDULE_PAST
from aftersales.marketplace.models import Booking
from aftersales.warranty.models import Registration
from support.marketplace import add_booking, add_customer, add_provider
from support.pages import post_form
from support.warranty import add_unit, imei, tenant_today

MARKETPLACE = "/api/v1/marketplace"
FAR = ("9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z")


def out_of_window(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "date.out_of_window")]


async def count(runtime, tenant, model) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model))


async def test_a_purchase_is_not_before_1990(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")

    async def register(serial: str, purchased_on: str):
        await add_unit(runtime, mehr, serial)
        return await client.post("/api/v1/registrations/", headers=agent, json={
            "serial": serial, "purchased_on": purchased_on, "owner": {"name": "Sara", "phone": "+49 30 901820"}})

    out_of_window(await register(imei(1), "0001-01-01"), "purchased_on")
    out_of_window(await register(imei(2), (EARLIEST_PURCHASE - timedelta(days=1)).isoformat()), "purchased_on")
    assert await count(runtime, mehr, Registration) == 0
    at_edge = await register(imei(3), EARLIEST_PURCHASE.isoformat())
    assert at_edge.status_code == 201, at_edge.text


async def test_booking_or_rescheduling_to_the_ends_of_time_is_refused(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    customer = await add_customer(runtime, acme)
    booking = await add_booking(runtime, acme, garage, customer)
    agent = await staff_token(acme, "agent")
    for starts_at in FAR:
        out_of_window(await client.post(f"{MARKETPLACE}/bookings/{booking}/reschedule", headers=agent,
                                        json={"starts_at": starts_at}), "starts_at")
        out_of_window(await client.post(f"{MARKETPLACE}/bookings", headers=agent, json={
            "provider_id": str(garage.provider_id), "offering_id": str(garage.offering_id),
            "starts_at": starts_at, "customer_id": str(customer)}), "starts_at")
    assert await count(runtime, acme, Booking) == 1
    async with runtime.db.transaction(acme.id) as s:
        assert (await s.get(Booking, (acme.id, booking))).state == "booked"


async def test_a_providers_day_slots_and_exceptions_far_away_are_refused(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    admin = await staff_token(acme, "admin")
    provider = f"{MARKETPLACE}/providers/{garage.provider_id}"
    for day in ("9999-12-31", "0001-01-01"):
        out_of_window(await client.get(f"{provider}/day", params={"date": day}, headers=admin), "date")
        out_of_window(await client.get(f"{provider}/slots", params={"offering": "oil_change", "day": day},
                                       headers=admin), "day")
        out_of_window(await client.put(f"{provider}/exceptions/{day}", json={"intervals": []}, headers=admin), "day")
        out_of_window(await client.delete(f"{provider}/exceptions/{day}", headers=admin), "day")
        out_of_window(await client.get(f"{provider}/exceptions", params={"since": day}, headers=admin), "since")


async def test_the_schedule_window_edges(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    admin = await staff_token(acme, "admin")
    provider = f"{MARKETPLACE}/providers/{garage.provider_id}"
    today = tenant_today()
    last, past_last = today + SCHEDULE_AHEAD, today + SCHEDULE_AHEAD + timedelta(days=1)
    closed = await client.put(f"{provider}/exceptions/{last.isoformat()}", json={"intervals": []}, headers=admin)
    assert closed.status_code == 200, closed.text
    out_of_window(await client.put(f"{provider}/exceptions/{past_last.isoformat()}", json={"intervals": []},
                                   headers=admin), "day")
    first, before_first = today - SCHEDULE_PAST, today - SCHEDULE_PAST - timedelta(days=1)
    since = await client.get(f"{provider}/exceptions", params={"since": first.isoformat()}, headers=admin)
    assert since.status_code == 200 and [e["day"] for e in since.json()] == [last.isoformat()]
    out_of_window(await client.get(f"{provider}/exceptions", params={"since": before_first.isoformat()},
                                   headers=admin), "since")
    assert (await client.get(f"{provider}/day", params={"date": last.isoformat()}, headers=admin)).status_code == 200
    out_of_window(await client.get(f"{provider}/day", params={"date": past_last.isoformat()}, headers=admin), "date")


async def test_a_filter_over_records_far_away_is_refused_not_moved_off_the_calendar(client, runtime, make_tenant,
                                                                                    staff_token):
    acme = await make_tenant("acme")
    admin = await staff_token(acme, "admin")
    customer = await add_customer(runtime, acme)
    filters = [(f"/api/v1/customers/{customer}/file", "since"), (f"/api/v1/customers/{customer}/file", "until"),
               ("/api/v1/followups/", "due_before"), ("/api/v1/followups/csat", "since"),
               ("/api/v1/followups/csat", "until")]
    for url, name in filters:
        for value in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1899-12-31T23:00:00Z",
                      "2201-01-01T00:00:00Z"):
            out_of_window(await client.get(url, params={name: value}, headers=admin), name)
        for value in ("1900-01-01T00:00:00Z", "2200-12-31T12:00:00Z"):
            answer = await client.get(url, params={name: value}, headers=admin)
            assert answer.status_code == 200, (url, name, value, answer.text)


async def test_the_booking_page_refuses_a_time_at_the_ends_of_time(pages, runtime, make_tenant, sign_in_customer):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    await sign_in_customer(pages, acme)
    for starts_at in ("9999-12-31T23:30:00-05:00", "0001-01-01T00:00:00+00:00"):
        page = await post_form(pages, f"/t/acme/book/{garage.provider_id}",
                               {"offering": "oil_change", "starts_at": starts_at})
        assert page.status_code == 422 and page.headers["content-type"].startswith("text/html"), page.text[:300]
    assert await count(runtime, acme, Booking) == 0


async def test_an_authorisation_runs_at_most_fifty_years(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    admin = await staff_token(acme, "admin")
    url = f"{MARKETPLACE}/providers/{garage.provider_id}/authorisation"
    last = tenant_today() + AUTHORISATION_AHEAD
    for until in ("9999-12-31", (last + timedelta(days=1)).isoformat()):
        out_of_window(await client.put(url, headers=admin, json={"authorised": True, "until": until,
                                                                  "reference": "AUTH-1"}), "until")
    at_edge = await client.put(url, headers=admin, json={"authorised": True, "until": last.isoformat(),
                                                         "reference": "AUTH-1"})
    assert at_edge.status_code == 200, at_edge.text
