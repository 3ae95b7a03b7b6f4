"""After booking: cancelling (a customer up to two hours before, a provider with a reason, never once work
started) frees the time and records an accepted quote as cancelled; rescheduling is one move that leaves the old
booking untouched when the new time is taken; the provider's arrival, start, completion and no-show (only 15
minutes after the booked time); the provider's day with on-time customers first (Carmax); the lists."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.marketplace.bookings import services as bookings
from aftersales.marketplace.bookings.states import Move
from aftersales.marketplace.models import BookedSlot, Booking, Quote
from support.marketplace import add_booking, add_customer, add_provider, at, working_monday

BOOKINGS = "/api/v1/marketplace/bookings"
HALF_HOUR = timedelta(minutes=30)



async def held_units(runtime, tenant, booking_id: uuid.UUID) -> list[datetime]:
    async with runtime.db.transaction(tenant.id) as s:
        return sorted(await s.scalars(select(BookedSlot.starts_at).where(BookedSlot.booking_id == booking_id)))


async def load(runtime, tenant, booking_id) -> Booking:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Booking).where(Booking.id == booking_id))


async def as_party(runtime, tenant, party, call):
    async with runtime.db.transaction(tenant.id) as s:
        return await call(s, party)


async def test_a_customer_cancels_and_the_time_and_the_accepted_quote_are_released(client, runtime, make_tenant,
                                                                                    customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    customer_id, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    booking = await add_booking(runtime, acme, garage, customer_id, starts_at=at(monday, 10))
    async with runtime.db.transaction(acme.id) as s:
        s.add(Quote(booking_id=booking, state="accepted", lines=[], total_minor=50_00, currency="EUR",
                    offered_by="test"))
        s.add(Quote(booking_id=booking, state="declined", lines=[], total_minor=90_00, currency="EUR",
                    offered_by="test"))
    response = await client.post(f"{BOOKINGS}/{booking}/cancel", json={"reason": "car sold"}, headers=me)
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert (cancelled["state"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == (
        "cancelled", f"customer:{customer_id}", "car sold")
    assert await held_units(runtime, acme, booking) == []
    async with runtime.db.transaction(acme.id) as s:
        assert sorted(await s.scalars(select(Quote.state))) == ["cancelled", "declined"]
    _, someone = await customer_token(acme)
    again = await client.post(BOOKINGS, headers=someone, json={
        "provider_id": str(garage.provider_id), "offering_id": str(garage.offering_id),
        "starts_at": at(monday, 10).isoformat()})
    assert again.status_code == 201, again.text
    twice = await client.post(f"{BOOKINGS}/{booking}/cancel", json={}, headers=me)
    assert twice.status_code == 409 and "is cancelled" in twice.json()["detail"]


async def test_a_customer_may_cancel_until_two_hours_before_not_one_minute_later(runtime, make_tenant):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    customer = await add_customer(runtime, acme)
    starts = (utcnow() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    late = await add_booking(runtime, acme, garage, customer, starts_at=starts)
    on_time = await add_booking(runtime, acme, garage, customer, starts_at=starts + timedelta(hours=2))
    me = bookings.Party(f"customer:{customer}", customer_id=customer)
    with pytest.raises(Conflict, match="up to 2 hours before"):
        await as_party(runtime, acme, me, lambda s, p: bookings.cancel(
            s, p, late, reason="", now=starts - timedelta(hours=2) + timedelta(minutes=1)))
    await as_party(runtime, acme, me, lambda s, p: bookings.cancel(
        s, p, on_time, reason="", now=starts))  # exactly two hours before its start
    assert (await load(runtime, acme, on_time)).state == "cancelled"
    staff = bookings.Party("staff:desk")
    await as_party(runtime, acme, staff, lambda s, p: bookings.cancel(
        s, p, late, reason="customer phoned", now=starts - timedelta(minutes=5)))
    assert (await load(runtime, acme, late)).state == "cancelled"


async def test_a_provider_cancels_only_with_a_reason_and_no_one_cancels_started_work(client, runtime, make_tenant,
                                                                                      provider_token, staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    customer = await add_customer(runtime, acme)
    booking = await add_booking(runtime, acme, garage, customer)
    started = await add_booking(runtime, acme, garage, customer, state="in_progress",
                                starts_at=at(working_monday(runtime, acme), 10))
    mine = await provider_token(acme, garage.provider_id)
    silent = await client.post(f"{BOOKINGS}/{booking}/cancel", json={"reason": "  "}, headers=mine)
    assert silent.status_code == 422 and silent.json()["errors"][0]["field"] == "reason"
    assert (await load(runtime, acme, booking)).state == "booked"
    said = await client.post(f"{BOOKINGS}/{booking}/cancel", json={"reason": "lift broken"}, headers=mine)
    assert said.status_code == 200 and said.json()["cancel_reason"] == "lift broken"
    admin = await staff_token(acme, "admin")
    refused = await client.post(f"{BOOKINGS}/{started}/cancel", json={"reason": "x"}, headers=admin)
    assert refused.status_code == 409 and "not started" in refused.json()["detail"]
    assert len(await held_units(runtime, acme, started)) == 4


async def test_rescheduling_moves_the_booking_and_a_taken_time_leaves_it_as_it_was(client, runtime, make_tenant,
                                                                                    customer_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    customer_id, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    booking = await add_booking(runtime, acme, garage, customer_id, starts_at=at(monday, 10))
    await add_booking(runtime, acme, garage, await add_customer(runtime, acme), starts_at=at(monday, 14))

    taken = await client.post(f"{BOOKINGS}/{booking}/reschedule", json={"starts_at": at(monday, 14, 30).isoformat()},
                              headers=me)
    assert taken.status_code == 409 and taken.json()["detail"] == "that time was just taken"
    off_hours = await client.post(f"{BOOKINGS}/{booking}/reschedule", json={"starts_at": at(monday, 17).isoformat()},
                                  headers=me)
    assert off_hours.status_code == 422 and off_hours.json()["errors"][0]["field"] == "starts_at"
    assert (await load(runtime, acme, booking)).state == "booked"
    assert await held_units(runtime, acme, booking) == [at(monday, 10, m) for m in (0, 15, 30, 45)]

    moved = await client.post(f"{BOOKINGS}/{booking}/reschedule", json={"starts_at": at(monday, 10, 30).isoformat()},
                              headers=me)  # overlaps its own old time, which it gives up
    assert moved.status_code == 201, moved.text
    new = moved.json()
    assert new["rescheduled_from_id"] == str(booking) and new["state"] == "booked"
    assert datetime.fromisoformat(new["starts_at"]) == at(monday, 10, 30)
    old = await load(runtime, acme, booking)
    assert old.state == "cancelled" and old.cancel_reason.startswith("rescheduled to")
    assert await held_units(runtime, acme, booking) == []
    assert await held_units(runtime, acme, uuid.UUID(new["id"])) == [at(monday, 10, m) for m in (30, 45)] + [
        at(monday, 11, m) for m in (0, 15)]


async def test_the_provider_records_arrival_start_and_completion_in_that_order(client, runtime, make_tenant,
                                                                               provider_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    booking = await add_booking(runtime, acme, garage, await add_customer(runtime, acme))
    mine = await provider_token(acme, garage.provider_id)
    early = await client.post(f"{BOOKINGS}/{booking}/completion", headers=mine)
    assert early.status_code == 409 and "this booking is booked" in early.json()["detail"]
    for action, state in (("arrival", "arrived"), ("start", "in_progress"), ("completion", "completed")):
        response = await client.post(f"{BOOKINGS}/{booking}/{action}", headers=mine)
        assert response.status_code == 200 and response.json()["state"] == state, response.text
    done = (await client.get(f"{BOOKINGS}/{booking}", headers=mine)).json()
    assert done["arrived_at"] and done["started_at"] and done["completed_at"]
    assert (await client.post(f"{BOOKINGS}/{booking}/start", headers=mine)).status_code == 409


async def test_a_no_show_is_recorded_from_15_minutes_after_the_booked_time_and_frees_the_rest(runtime, make_tenant):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    monday = working_monday(runtime, acme)
    booking = await add_booking(runtime, acme, garage, await add_customer(runtime, acme), starts_at=at(monday, 10))
    provider = bookings.Party("staff:garage-user", provider_id=garage.provider_id)
    with pytest.raises(Conflict, match="15 minutes after"):
        await as_party(runtime, acme, provider, lambda s, p: bookings.provider_move(
            s, p, booking, Move.NO_SHOW, now=at(monday, 10, 14)))
    await as_party(runtime, acme, provider, lambda s, p: bookings.provider_move(
        s, p, booking, Move.NO_SHOW, now=at(monday, 10, 15)))
    recorded = await load(runtime, acme, booking)
    assert (recorded.state, recorded.no_show_at) == ("no_show", at(monday, 10, 15))
    assert await held_units(runtime, acme, booking) == [at(monday, 10, 0)]  # the quarter already gone stays held


async def test_the_day_view_serves_on_time_customers_first_then_the_rest_in_booked_order(client, runtime,
                                                                                        make_tenant, provider_token,
                                                                                        staff_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme, duration_minutes=30)
    monday = working_monday(runtime, acme)
    customers = [await add_customer(runtime, acme, name) for name in ("Late", "OnTime", "NotYet", "Gone")]
    late, on_time, not_yet, gone = [await add_booking(runtime, acme, garage, c, starts_at=at(monday, 10) + i * HALF_HOUR)
                                    for i, c in enumerate(customers)]
    provider = bookings.Party("staff:garage-user", provider_id=garage.provider_id)

    async def arrive(booking, moment):
        await as_party(runtime, acme, provider, lambda s, p: bookings.provider_move(s, p, booking, Move.ARRIVE,
                                                                                     now=moment))

    await arrive(late, at(monday, 10, 16))  # booked 10:00: one minute past the 15-minute grace
    await arrive(on_time, at(monday, 10, 45))  # booked 10:30: the last minute of its grace
    await as_party(runtime, acme, provider, lambda s, p: bookings.cancel(s, p, gone, reason="closed",
                                                                         now=at(monday, 8)))
    mine = await provider_token(acme, garage.provider_id)
    url = f"/api/v1/marketplace/providers/{garage.provider_id}/day"
    response = await client.get(url, params={"date": monday.isoformat()}, headers=mine)
    assert response.status_code == 200, response.text
    day = response.json()["bookings"]
    assert [b["id"] for b in day] == [str(on_time), str(late), str(not_yet)]
    assert [b["arrived_on_time"] for b in day] == [True, False, False]
    staff = await client.get(url, params={"date": monday.isoformat()}, headers=await staff_token(acme, "finance"))
    assert [b["id"] for b in staff.json()["bookings"]] == [str(on_time), str(late), str(not_yet)]
    rival = await add_provider(runtime, acme, name="Rival")
    other = await client.get(url, params={"date": monday.isoformat()},
                             headers=await provider_token(acme, rival.provider_id))
    assert other.status_code == 404
    bad = await client.get(url, params={"date": "2026-13-01"}, headers=mine)
    assert bad.status_code == 400


async def test_lists_show_customers_and_providers_their_own_and_staff_filter(client, runtime, make_tenant,
                                                                            customer_token, provider_token,
                                                                            staff_token):
    acme = await make_tenant("acme")
    garage, rival = await add_provider(runtime, acme), await add_provider(runtime, acme, name="Rival")
    monday = working_monday(runtime, acme)
    me, _ = await customer_token(acme)
    someone = await add_customer(runtime, acme)
    mine = await add_booking(runtime, acme, garage, me, starts_at=at(monday, 10))
    theirs = await add_booking(runtime, acme, rival, someone, starts_at=at(monday, 11))
    tuesday = await add_booking(runtime, acme, garage, someone, starts_at=at(monday + timedelta(days=1), 9),
                                state="completed")

    async def ids(headers, **params):
        response = await client.get(BOOKINGS, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids((await customer_token(acme, me))[1]) == [str(mine)]
    assert await ids(await provider_token(acme, garage.provider_id)) == [str(mine), str(tuesday)]
    agent = await staff_token(acme, "agent")
    assert await ids(agent) == [str(mine), str(theirs), str(tuesday)]
    assert await ids(agent, provider_id=str(rival.provider_id)) == [str(theirs)]
    assert await ids(agent, customer_id=str(someone), state="completed") == [str(tuesday)]
    assert await ids(agent, day=monday.isoformat()) == [str(mine), str(theirs)]
    first = (await client.get(BOOKINGS, params={"limit": 2}, headers=agent)).json()
    rest = (await client.get(BOOKINGS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=agent)).json()
    assert [i["id"] for i in first["items"] + rest["items"]] == [str(mine), str(theirs), str(tuesday)]
    assert rest["next_cursor"] is None
    assert (await client.get(BOOKINGS, params={"cursor": "nonsense"}, headers=agent)).status_code == 422


async def test_a_provider_cannot_reschedule_and_a_customer_cannot_record_work(client, runtime, make_tenant,
                                                                              customer_token, provider_token):
    acme = await make_tenant("acme")
    garage = await add_provider(runtime, acme)
    customer, me = await customer_token(acme)
    booking = await add_booking(runtime, acme, garage, customer)
    mine = await provider_token(acme, garage.provider_id)
    moved = await client.post(f"{BOOKINGS}/{booking}/reschedule", headers=mine,
                              json={"starts_at": at(working_monday(runtime, acme), 10).isoformat()})
    assert moved.status_code == 403
    assert (await client.post(f"{BOOKINGS}/{booking}/arrival", headers=me)).status_code == 403
    assert (await load(runtime, acme, booking)).state == "booked"

