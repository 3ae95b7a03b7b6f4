"""Booking through the API: a customer for themself and the call centre for a customer; the provider's price and
duration; the time checked at its edges (past, off the grid, ending at closing or after it); a held time
refused to the next booking; the service radius (24.9 vs 25.1 km); in-warranty jobs only for a provider
authorised on the day (Entekhab); bad input that writes nothing; tenant, customer and provider isolation."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from haversine import Direction, inverse_haversine
from sqlalchemy import func, select, update

from aftersales.marketplace.models import BookedSlot, Booking, Provider
from aftersales.warranty.models import Coverage, Registration, Serial
from support.marketplace import BERLIN, add_booking, add_customer, add_provider, at, working_monday
from support.warranty import add_unit, imei

BOOKINGS = "/api/v1/marketplace/bookings"
SERIALS = itertools.count(1)



async def count(runtime, tenant, model) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model))


async def post_booking(client, headers, setup, starts_at: datetime, **extra):
    body = {"provider_id": str(setup.provider_id), "offering_id": str(setup.offering_id),
            "starts_at": starts_at.isoformat(), **extra}
    return await client.post(BOOKINGS, json=body, headers=headers)


def field_errors(response) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


async def test_a_customer_books_for_themself_at_the_providers_price_and_holds_its_units(
        client, runtime, make_tenant, customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme, price_minor=45_00, duration_minutes=50)
    customer_id, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    response = await post_booking(client, me, garage, at(monday, 10), consumables=["5W-30 oil"])
    assert response.status_code == 201, response.text
    booked = response.json()
    assert (booked["state"], booked["customer_id"], booked["price_minor"], booked["currency"]) == (
        "booked", str(customer_id), 45_00, "EUR")
    assert datetime.fromisoformat(booked["ends_at"]) == at(monday, 10, 50)
    assert booked["booked_by"] == f"customer:{customer_id}" and booked["consumables"] == ["5W-30 oil"]
    assert await count(runtime, acme, BookedSlot) == 4  # 50 minutes hold four 15-minute units


async def test_the_call_centre_books_for_a_customer_it_names(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    agent = await staff_token(acme, "agent")
    customer = await add_customer(runtime, acme)
    monday = working_monday(runtime, acme)
    missing = await post_booking(client, agent, garage, at(monday, 10))
    assert missing.status_code == 422 and "required" in field_errors(missing)["customer_id"]
    booked = await post_booking(client, agent, garage, at(monday, 10), customer_id=str(customer))
    assert booked.status_code == 201, booked.text
    assert booked.json()["customer_id"] == str(customer) and booked.json()["booked_by"].startswith("staff:")


async def test_times_are_refused_in_the_past_off_the_grid_and_past_closing(client, runtime, make_tenant,
                                                                          customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)  # 60 minutes, Monday to Friday 09:00-17:00
    _, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    past = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    refusals = {past: "in the past", at(monday, 10, 1): "15-minute grid", at(monday, 16, 15): "past closing",
                at(monday - timedelta(days=1), 10): "does not work then"}
    for starts_at, reason in refusals.items():
        response = await post_booking(client, me, garage, starts_at)
        assert response.status_code == 422, response.text
        assert reason in field_errors(response)["starts_at"]
    naive = await post_booking(client, me, garage, at(monday, 10).replace(tzinfo=None))
    assert naive.status_code == 422 and "UTC offset" in field_errors(naive)["starts_at"]
    assert await count(runtime, acme, Booking) == 0 and await count(runtime, acme, BookedSlot) == 0
    ends_at_closing = await post_booking(client, me, garage, at(monday, 16))
    assert ends_at_closing.status_code == 201, ends_at_closing.text


async def test_a_held_time_is_refused_to_the_next_booking_even_when_it_only_overlaps(client, runtime, make_tenant,
                                                                                    customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    _, first = await customer_token(acme)
    _, second = await customer_token(acme)
    monday = working_monday(runtime, acme)
    assert (await post_booking(client, first, garage, at(monday, 10))).status_code == 201
    for starts_at in (at(monday, 10), at(monday, 10, 45), at(monday, 9, 15)):
        taken = await post_booking(client, second, garage, starts_at)
        assert taken.status_code == 409 and taken.json()["detail"] == "that time was just taken"
    assert await count(runtime, acme, Booking) == 1 and await count(runtime, acme, BookedSlot) == 4
    assert (await post_booking(client, second, garage, at(monday, 11))).status_code == 201  # right after it
    assert (await post_booking(client, second, garage, at(monday, 9))).status_code == 201  # ends as it starts


async def test_only_an_active_provider_and_an_offering_it_offers_can_be_booked(client, runtime, make_tenant,
                                                                              customer_token):
    acme = await make_tenant("acme")
    suspended = await add_provider(runtime, acme, status="suspended")
    other = await add_provider(runtime, acme, name="Tyre Shop", offering_code="tyre_change")
    _, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    response = await post_booking(client, me, suspended, at(monday, 10))
    assert response.status_code == 422 and "suspended" in field_errors(response)["provider_id"]
    mismatched = {"provider_id": str(other.provider_id), "offering_id": str(suspended.offering_id),
                  "starts_at": at(monday, 10).isoformat()}
    response = await client.post(BOOKINGS, json=mismatched, headers=me)
    assert response.status_code == 422 and field_errors(response)["offering_id"] == "the provider does not offer this"
    assert await count(runtime, acme, Booking) == 0


async def test_a_site_must_lie_within_the_service_radius_24_9_km_yes_25_1_km_no(client, runtime, make_tenant,
                                                                                customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme, radius_km=25.0)
    _, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    near = inverse_haversine(BERLIN, 24.9, Direction.SOUTH)
    far = inverse_haversine(BERLIN, 25.1, Direction.SOUTH)
    refused = await post_booking(client, me, garage, at(monday, 10), site={"latitude": far[0], "longitude": far[1]})
    assert refused.status_code == 422
    assert "outside the provider's service area: 25.1 km" in field_errors(refused)["site"]
    booked = await post_booking(client, me, garage, at(monday, 10), site={"latitude": near[0], "longitude": near[1]})
    assert booked.status_code == 201, booked.text
    assert abs(booked.json()["distance_km"] - 24.9) < 0.01 and booked.json()["location_id"] == str(garage.location_id)
    bad = await post_booking(client, me, garage, at(monday, 11), site={"latitude": 91, "longitude": 0})
    assert bad.status_code == 422 and "site" in field_errors(bad)


async def register_unit(runtime, tenant, customer_id, *, warranty_end: date) -> str:
    """A unit registered to the customer, covered from a year ago until ``warranty_end``."""
    serial = imei(next(SERIALS))
    await add_unit(runtime, tenant, serial, status="sold")
    async with runtime.db.transaction(tenant.id) as s:
        unit = await s.scalar(select(Serial).where(Serial.serial == serial))
        registration = Registration(serial_id=unit.id, customer_id=customer_id, purchased_on=warranty_end.replace(
            year=warranty_end.year - 1), currency="EUR", owned_from=warranty_end, registered_by="test")
        s.add(registration)
        await s.flush()
        s.add(Coverage(registration_id=registration.id, warranty_start=registration.purchased_on,
                       warranty_end=warranty_end, cause="registered"))
        return str(registration.id)


async def test_in_warranty_installation_goes_only_to_a_provider_authorised_on_the_day(client, runtime, make_tenant,
                                                                                     customer_token):
    acme = await make_tenant("acme", vertical="appliances")
    technician = await add_provider(runtime, acme, offering_code="installation", authorised=True,
                                    warranty_needs_authorisation=True)
    customer_id, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    covered = await register_unit(runtime, acme, customer_id, warranty_end=monday + timedelta(days=30))

    async def authorised_until(day: date) -> None:
        async with runtime.db.transaction(acme.id) as s:
            await s.execute(update(Provider).where(Provider.id == technician.provider_id).values(authorised_until=day))

    await authorised_until(monday - timedelta(days=1))
    refused = await post_booking(client, me, technician, at(monday, 10), registration_id=covered)
    assert refused.status_code == 422, refused.text
    assert "only by a provider the company has authorised" in field_errors(refused)["provider_id"]
    assert await count(runtime, acme, Booking) == 0

    await authorised_until(monday)
    booked = await post_booking(client, me, technician, at(monday, 10), registration_id=covered)
    assert booked.status_code == 201, booked.text
    assert booked.json()["under_warranty"] is True


async def test_a_unit_whose_warranty_ended_the_day_before_is_not_under_warranty(client, runtime, make_tenant,
                                                                               customer_token):
    acme = await make_tenant("acme", vertical="appliances")
    unauthorised = await add_provider(runtime, acme, offering_code="installation", warranty_needs_authorisation=True)
    customer_id, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    expired = await register_unit(runtime, acme, customer_id, warranty_end=monday - timedelta(days=1))
    booked = await post_booking(client, me, unauthorised, at(monday, 10), registration_id=expired)
    assert booked.status_code == 201, booked.text
    assert booked.json()["under_warranty"] is False
    covered = await register_unit(runtime, acme, customer_id, warranty_end=monday)  # the last day still counts
    refused = await post_booking(client, me, unauthorised, at(monday, 14), registration_id=covered)
    assert refused.status_code == 422 and "provider_id" in field_errors(refused)


async def test_someone_elses_registration_cannot_be_named(client, runtime, make_tenant, customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    other_customer = await add_customer(runtime, acme)
    theirs = await register_unit(runtime, acme, other_customer, warranty_end=date(2099, 1, 1))
    _, me = await customer_token(acme)
    response = await post_booking(client, me, garage, at(working_monday(runtime, acme), 10), registration_id=theirs)
    assert response.status_code == 422 and "registration_id" in field_errors(response)
    assert await count(runtime, acme, Booking) == 0


async def test_a_customer_cannot_book_for_someone_else_and_a_provider_cannot_book(client, runtime, make_tenant,
                                                                                 customer_token, provider_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    other_customer = await add_customer(runtime, acme)
    _, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    response = await post_booking(client, me, garage, at(monday, 10), customer_id=str(other_customer))
    assert response.status_code == 422 and "themself" in field_errors(response)["customer_id"]
    provider = await provider_token(acme, garage.provider_id)
    response = await post_booking(client, provider, garage, at(monday, 10), customer_id=str(other_customer))
    assert response.status_code == 403
    assert await count(runtime, acme, Booking) == 0


async def test_another_tenant_reaches_none_of_the_bookings_or_providers(client, runtime, make_tenant, staff_token):
    acme, other = await make_tenant("acme"), await make_tenant("other")
    garage = await add_provider(runtime, acme)
    booking = await add_booking(runtime, acme, garage, await add_customer(runtime, acme))
    outsider = await staff_token(other, "admin")
    their_customer = await add_customer(runtime, other)
    monday = working_monday(runtime, acme)
    response = await post_booking(client, outsider, garage, at(monday, 10), customer_id=str(their_customer))
    assert response.status_code == 422 and field_errors(response)["provider_id"] == "no such provider"
    assert (await client.get(f"{BOOKINGS}/{booking}", headers=outsider)).status_code == 404
    for action in ("cancel", "arrival", "start", "completion", "no-show"):
        body = {"reason": "x"} if action == "cancel" else None
        response = await client.post(f"{BOOKINGS}/{booking}/{action}", json=body, headers=outsider)
        assert response.status_code == 404, (action, response.text)
    moved = await client.post(f"{BOOKINGS}/{booking}/reschedule", json={"starts_at": at(monday, 11).isoformat()},
                              headers=outsider)
    assert moved.status_code == 404
    day = await client.get(f"/api/v1/marketplace/providers/{garage.provider_id}/day",
                           params={"date": monday.isoformat()}, headers=outsider)
    assert day.status_code == 404
    assert (await client.get(BOOKINGS, headers=outsider)).json()["items"] == []
    async with runtime.db.transaction(acme.id) as s:
        assert (await s.get(Booking, (acme.id, booking))).state == "booked"
    assert await count(runtime, other, Booking) == 0


async def test_another_customer_and_another_provider_get_404_for_a_booking(client, runtime, make_tenant,
                                                                          customer_token, provider_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    rival = await add_provider(runtime, acme, name="Rival Garage")
    owner = await add_customer(runtime, acme)
    booking = await add_booking(runtime, acme, garage, owner)
    _, stranger = await customer_token(acme)
    _, owner_token = await customer_token(acme, owner)
    rival_user = await provider_token(acme, rival.provider_id)
    garage_user = await provider_token(acme, garage.provider_id)
    for headers in (stranger, rival_user):
        assert (await client.get(f"{BOOKINGS}/{booking}", headers=headers)).status_code == 404
        cancel = await client.post(f"{BOOKINGS}/{booking}/cancel", json={"reason": "no"}, headers=headers)
        assert cancel.status_code == 404
    assert (await client.post(f"{BOOKINGS}/{booking}/arrival", headers=rival_user)).status_code == 404
    assert (await client.get(f"{BOOKINGS}/{booking}", headers=owner_token)).status_code == 200
    assert (await client.get(f"{BOOKINGS}/{booking}", headers=garage_user)).status_code == 200


async def test_a_booking_links_only_a_service_request_of_the_same_customer(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    agent = await staff_token(acme, "agent")
    opened = await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "phone", "summary": "engine light on",
        "customer": {"name": "Sara Example", "phone": "+49 30 901820"}})
    assert opened.status_code == 201, opened.text
    request = opened.json()
    monday = working_monday(runtime, acme)
    stranger = await add_customer(runtime, acme)
    refused = await post_booking(client, agent, garage, at(monday, 10), customer_id=str(stranger),
                                 request_id=request["id"])
    assert refused.status_code == 422 and "request_id" in field_errors(refused)
    booked = await post_booking(client, agent, garage, at(monday, 10), customer_id=request["customer_id"],
                                request_id=request["id"])
    assert booked.status_code == 201 and booked.json()["request_id"] == request["id"]
