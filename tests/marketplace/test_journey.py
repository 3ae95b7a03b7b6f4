"""The service marketplace end to end, through the HTTP API only (issue 5, "Done when"): a customer finds a
provider, books it, accepts a binding quote, approves one change request and refuses another, is charged no more
than agreed, and rates and is rated — on SQLite and PostgreSQL.

Only the tokens are made directly (the fixtures); every other step is a request a user or an admin would send.
The tenant is Carmax-like: Asia/Tehran, whole rials, Friday weekend, a 10 % platform fee.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from haversine import Direction, inverse_haversine

API = "/api/v1/marketplace"
TEHRAN = ZoneInfo("Asia/Tehran")
WORKSHOP = (35.6997, 51.3380)
"""The provider's service point in Tehran."""
CUSTOMER_HOME = inverse_haversine(WORKSHOP, 2.0, Direction.NORTH)
"""Where the customer searches from: 2 km due north of the workshop."""

CARMAX = {
    "time_zone": "Asia/Tehran",
    "currency": "IRR",
    "calendar": {"country": "IR", "weekend_days": ["fri"], "business_hours": {"opens": "08:00", "closes": "17:00"}},
    "settings": {"auto_service": {"platform_fee_bps": 1000}},
}
"""Carmax's manifest (tenants/carmax.toml) in English: seed 002's rules, a 10 % fee, prices in whole rials."""

PRICE_LIST = {
    "OIL-5W30": ("engine oil 5W-30, litre", 450_000),
    "FILTER-OIL": ("oil filter", 350_000),
    "BRAKE-PADS": ("front brake pads, set", 1_800_000),
    "FILTER-AIR": ("air filter", 400_000),
}
OIL_CHANGE_LABOUR = 2_500_000
QUOTE_TOTAL = OIL_CHANGE_LABOUR + 350_000 + 4 * 450_000  # labour, the filter, four litres of the oil asked for
BRAKES = 1_200_000 + 1_800_000  # the approved change: labour and the pads
AIR_FILTER = 150_000 + 400_000  # the refused change: labour and the filter
CAP = QUOTE_TOTAL + BRAKES


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def local(instant: str) -> datetime:
    return datetime.fromisoformat(instant).astimezone(TEHRAN)


@dataclass
class Market:
    """An open marketplace: the tenant, its admin, one active provider with its user, and the oil change offering."""

    tenant: Any
    admin: dict[str, str]
    provider_id: str
    provider: dict[str, str]
    offering_id: str


async def open_market(client: Any, make_tenant: Any, staff_token: Any, provider_token: Any) -> Market:
    """An admin sets up a provider over the API: profile, activation, service point, week, price, price list."""
    tenant = await make_tenant("carmax", vertical="auto_service", **CARMAX)
    admin = await staff_token(tenant, "admin")
    created = ok(await client.post(f"{API}/providers/", headers=admin, json={
        "name": "Azadi Auto", "kind": "workshop", "skills": ["brakes"], "phone": "021 6600 1234"}), 201)
    assert created["status"] == "pending"
    provider_id = created["id"]
    assert ok(await client.post(f"{API}/providers/{provider_id}/status", headers=admin,
                                json={"status": "active", "reason": "licence and insurance checked"}))["status"] == "active"
    ok(await client.post(f"{API}/providers/{provider_id}/locations", headers=admin, json={
        "name": "Azadi Auto workshop", "latitude": WORKSHOP[0], "longitude": WORKSHOP[1],
        "service_radius_km": 15}), 201)
    # Saturday to Wednesday 08:00-17:00, Thursday to 13:00, Friday closed (Monday is 0)
    week = [{"weekday": d, "opens": "08:00", "closes": "17:00"} for d in (5, 6, 0, 1, 2)]
    week.append({"weekday": 3, "opens": "08:00", "closes": "13:00"})
    ok(await client.put(f"{API}/providers/{provider_id}/hours", headers=admin, json={"hours": week}))
    price = ok(await client.put(f"{API}/providers/{provider_id}/prices/oil_change", headers=admin,
                                json={"price": "2500000", "duration_minutes": 60}))
    assert (price["price_minor"], price["currency"], price["duration_minutes"]) == (OIL_CHANGE_LABOUR, "IRR", 60)
    for code, (name, price_minor) in PRICE_LIST.items():
        ok(await client.put(f"{API}/parts/{code}", headers=admin,
                            json={"name": name, "price_minor": price_minor, "currency": "IRR"}))
    offerings = ok(await client.get(f"{API}/offerings/", headers=admin))
    [oil_change] = [o for o in offerings if o["code"] == "oil_change"]  # seeded from the vertical at onboarding
    return Market(tenant, admin, provider_id, await provider_token(tenant, uuid.UUID(provider_id)),
                  oil_change["id"])


async def free_day(client: Any, market: Market, customer: dict[str, str]) -> tuple[date, list[str]]:
    """A day at least three days ahead (tenant time) with free starts, as the customer's app would find it."""
    day = datetime.now(TEHRAN).date() + timedelta(days=3)
    slots = ok(await client.get(f"{API}/providers/{market.provider_id}/slots", headers=customer,
                                params={"offering": "oil_change", "day": day.isoformat()}))
    if not slots["starts"]:  # a Friday or a holiday: the answer points at the next free start
        day = local(slots["next_free_start"]).date()
        slots = ok(await client.get(f"{API}/providers/{market.provider_id}/slots", headers=customer,
                                    params={"offering": "oil_change", "day": day.isoformat()}))
    assert (slots["duration_minutes"], slots["price_minor"], slots["currency"]) == (60, OIL_CHANGE_LABOUR, "IRR")
    return day, slots["starts"]


async def job_in_progress(client: Any, market: Market, customer: dict[str, str], starts_at: str) -> tuple[str, dict]:
    """The customer books ``starts_at`` asking for 5W-30 oil, accepts the provider's quote; the work starts."""
    booking = ok(await client.post(f"{API}/bookings", headers=customer, json={
        "provider_id": market.provider_id, "offering_id": market.offering_id, "starts_at": starts_at,
        "consumables": ["OIL-5W30"], "note": "the car pulls a little to the left"}), 201)
    booking_id = booking["id"]
    quote = ok(await client.post(f"{API}/bookings/{booking_id}/quotes", headers=market.provider, json={
        "parts": [{"code": "FILTER-OIL"}], "consumables": [{"code": "OIL-5W30", "quantity": 4}]}), 201)
    accepted = ok(await client.post(f"{API}/quotes/{quote['id']}/accept", headers=customer, json={}))
    ok(await client.post(f"{API}/bookings/{booking_id}/arrival", headers=market.provider))
    ok(await client.post(f"{API}/bookings/{booking_id}/start", headers=market.provider))
    return booking_id, accepted


async def raise_change(client: Any, market: Market, booking_id: str, description: str, reason: str,
                       labour_minor: int, part: str) -> dict:
    return ok(await client.post(f"{API}/bookings/{booking_id}/change-requests", headers=market.provider, json={
        "description": description, "reason": reason, "labour_minor": labour_minor, "parts": [{"code": part}]}),
        201)


async def record_work(client: Any, market: Market, booking_id: str, description: str, amount_minor: int,
                      **cover: Any) -> dict:
    return ok(await client.post(f"{API}/bookings/{booking_id}/work-items", headers=market.provider,
                                json={"description": description, "amount_minor": amount_minor, **cover}), 201)


async def test_a_customer_finds_books_agrees_is_charged_no_more_than_agreed_and_rates_and_is_rated(
        client, make_tenant, staff_token, provider_token, customer_token):
    market = await open_market(client, make_tenant, staff_token, provider_token)
    customer_id, customer = await customer_token(market.tenant)

    # Find: the provider is 2 km away, at its price, with a free slot to offer.
    found = ok(await client.get(f"{API}/search", headers=customer, params={
        "offering": "oil_change", "lat": CUSTOMER_HOME[0], "lon": CUSTOMER_HOME[1]}))
    assert found["candidates"] == 1
    [hit] = found["items"]
    assert (hit["provider_id"], hit["name"]) == (market.provider_id, "Azadi Auto")
    assert hit["distance_km"] == pytest.approx(2.0, abs=0.01)
    assert hit["price"]["amount_minor"] == OIL_CHANGE_LABOUR and hit["price"]["currency"] == "IRR"
    assert hit["rating"]["count"] == 0 and hit["next_free_slot"] is not None

    # Read a working day's slots: every 15 minutes from 08:00 Tehran time, the last hour-long job by closing.
    day, starts = await free_day(client, market, customer)
    assert local(starts[0]).time() == time(8, 0)
    assert local(starts[-1]).time() in (time(16, 0), time(12, 0))  # 17:00 closing, 13:00 on Thursdays
    assert datetime.fromisoformat(hit["next_free_slot"]) <= datetime.fromisoformat(starts[0])
    [ten] = [s for s in starts if local(s).time() == time(10, 0)]

    # Book 10:00; the same hour is then taken for anyone else.
    booking_id, quote = await job_in_progress(client, market, customer, ten)
    booking = ok(await client.get(f"{API}/bookings/{booking_id}", headers=customer))
    assert (booking["customer_id"], booking["price_minor"]) == (str(customer_id), OIL_CHANGE_LABOUR)
    assert local(booking["starts_at"]) == datetime.combine(day, time(10), TEHRAN)
    assert local(booking["ends_at"]) == datetime.combine(day, time(11), TEHRAN)
    _, someone_else = await customer_token(market.tenant)
    taken = await client.post(f"{API}/bookings", headers=someone_else, json={
        "provider_id": market.provider_id, "offering_id": market.offering_id, "starts_at": ten})
    assert taken.status_code == 409, taken.text
    slots_after = ok(await client.get(f"{API}/providers/{market.provider_id}/slots", headers=someone_else,
                                      params={"offering": "oil_change", "day": day.isoformat()}))
    assert ten not in slots_after["starts"]

    # The quote the customer accepted: itemised, binding, 10 % fee for the platform.
    assert (quote["state"], quote["total_minor"], quote["currency"]) == ("accepted", QUOTE_TOTAL, "IRR")
    assert quote["fee_basis_points"] == 1000
    assert {(line["kind"], line["amount_minor"]) for line in quote["lines"]} == {
        ("labour", OIL_CHANGE_LABOUR), ("part", 350_000), ("consumable", 1_800_000)}
    assert ok(await client.get(f"{API}/bookings/{booking_id}", headers=customer))["state"] == "in_progress"

    # Extra work: two change requests; the customer approves the brakes and refuses the air filter.
    brakes = await raise_change(client, market, booking_id, "replace the front brake pads",
                                "worn to 2 mm: the car pulls to the left", 1_200_000, "BRAKE-PADS")
    air = await raise_change(client, market, booking_id, "replace the air filter", "dusty", 150_000, "FILTER-AIR")
    assert (brakes["state"], brakes["amount_minor"]) == ("pending", BRAKES)
    assert (air["state"], air["amount_minor"]) == ("pending", AIR_FILTER)
    approved = ok(await client.post(f"{API}/change-requests/{brakes['id']}/approve", headers=customer,
                                    json={"note": "yes, please"}))
    refused = ok(await client.post(f"{API}/change-requests/{air['id']}/refuse", headers=customer,
                                   json={"note": "I will do it myself"}))
    assert approved["state"] == "approved" and approved["decided_at"] is not None
    assert refused["state"] == "refused" and refused["decided_at"] is not None
    again = await client.post(f"{API}/change-requests/{air['id']}/approve", headers=customer, json={})
    assert again.status_code == 409  # decided once

    # Work done: the quoted job, the approved brakes, and the refused filter (kept on record, never charged).
    quoted = await record_work(client, market, booking_id, "oil and filter change", QUOTE_TOTAL, from_quote=True)
    pads = await record_work(client, market, booking_id, "front brake pads", BRAKES, change_request_id=brakes["id"])
    filter_ = await record_work(client, market, booking_id, "air filter", AIR_FILTER, change_request_id=air["id"])
    assert (quoted["chargeable"], pads["chargeable"], filter_["chargeable"]) == (True, True, False)
    assert "not approved" in filter_["why"] and "never charged" in filter_["why"]

    # Completion and the charge: one rial above what was agreed is refused and kept; exactly that is charged.
    assert ok(await client.post(f"{API}/bookings/{booking_id}/completion", headers=market.provider))["state"] == (
        "completed")
    charges_url = f"{API}/bookings/{booking_id}/charges"
    too_much = await client.post(charges_url, headers=market.provider, json={"amount_minor": CAP + 1})
    assert too_much.status_code == 422, too_much.text
    [error] = too_much.json()["errors"]
    assert error["field"] == "amount_minor"
    charged = ok(await client.post(charges_url, headers=market.provider,
                                   json={"amount_minor": CAP, "work_item_ids": [quoted["id"], pads["id"]]}), 201)
    assert (charged["outcome"], charged["amount_minor"], charged["cap_minor"]) == ("created", CAP, CAP)
    assert charged["platform_fee_minor"] == CAP // 10
    assert charged["provider_payout_minor"] + charged["platform_fee_minor"] == CAP
    seen = ok(await client.get(charges_url, headers=customer))
    assert [(c["outcome"], c["amount_minor"]) for c in seen] == [("refused", CAP + 1), ("created", CAP)]
    assert seen[0]["id"] in too_much.json()["detail"]

    # Finance records the customer's cash for exactly the charge: captured, split into payout and fee.
    paid = ok(await client.post(f"{API}/bookings/{booking_id}/payment", headers=market.admin,
                                json={"provider": "offline", "method": "cash"}), 201)
    assert (paid["state"], paid["amount_minor"], paid["captured_minor"]) == ("captured", CAP, CAP)

    # Ratings both ways, counted (the job was paid through the app); the provider's public page shows it.
    rating = ok(await client.post(f"{API}/bookings/{booking_id}/rating", headers=customer, json={
        "stars": 5, "comment": "Ready at the booked hour, asked before the brakes.",
        "criteria": {"punctuality": 5, "honesty": 5}}), 201)
    assert (rating["direction"], rating["status"]) == ("customer_rates_provider", "counted")
    back = ok(await client.post(f"{API}/bookings/{booking_id}/rating", headers=market.provider,
                                json={"stars": 4, "criteria": {"punctuality": 5, "payment": 5}}), 201)
    assert (back["direction"], back["status"], back["customer_id"]) == (
        "provider_rates_customer", "counted", str(customer_id))
    public = ok(await client.get(f"{API}/providers/{market.provider_id}/ratings", headers=someone_else))
    assert (public["rating_average"], public["rating_count"]) == (5.0, 1)
    assert [(r["stars"], r["rated_by"]) for r in public["items"]] == [(5, "Test C.")]
    found = ok(await client.get(f"{API}/search", headers=someone_else, params={
        "offering": "oil_change", "lat": CUSTOMER_HOME[0], "lon": CUSTOMER_HOME[1]}))
    assert found["items"][0]["rating"] == {"average": 5.0, "count": 1}


async def test_work_on_a_refused_change_request_is_never_charged_even_within_the_cap(
        client, make_tenant, staff_token, provider_token, customer_token):
    market = await open_market(client, make_tenant, staff_token, provider_token)
    _, customer = await customer_token(market.tenant)
    _, starts = await free_day(client, market, customer)
    booking_id, _ = await job_in_progress(client, market, customer, starts[0])
    brakes = await raise_change(client, market, booking_id, "front brake pads", "worn", 1_200_000, "BRAKE-PADS")
    air = await raise_change(client, market, booking_id, "air filter", "dusty", 150_000, "FILTER-AIR")
    ok(await client.post(f"{API}/change-requests/{brakes['id']}/approve", headers=customer, json={}))
    ok(await client.post(f"{API}/change-requests/{air['id']}/refuse", headers=customer, json={}))
    quoted = await record_work(client, market, booking_id, "oil change", QUOTE_TOTAL, from_quote=True)
    filter_ = await record_work(client, market, booking_id, "air filter", AIR_FILTER, change_request_id=air["id"])
    ok(await client.post(f"{API}/bookings/{booking_id}/completion", headers=market.provider))

    charges_url = f"{API}/bookings/{booking_id}/charges"
    within_cap = QUOTE_TOTAL + AIR_FILTER
    assert within_cap < CAP  # the approved brakes leave room for it
    refused = await client.post(charges_url, headers=market.provider,
                                json={"amount_minor": within_cap, "work_item_ids": [quoted["id"], filter_["id"]]})
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "work_item_ids" and "air filter" in error["reason"]
    assert [c["outcome"] for c in ok(await client.get(charges_url, headers=customer))] == ["refused"]
    charged = ok(await client.post(charges_url, headers=market.provider,
                                   json={"amount_minor": QUOTE_TOTAL, "work_item_ids": [quoted["id"]]}), 201)
    assert charged["amount_minor"] == QUOTE_TOTAL
