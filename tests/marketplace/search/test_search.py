"""Provider search: who is found (radius, status, prices, tenant), how they are ordered (the Bayesian average,
then nearness and price), their next free slot, and bad input — through the API on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from haversine import Direction, inverse_haversine
from sqlalchemy import update

from aftersales.marketplace.models import Provider, ProviderLocation, ProviderOffering
from aftersales.marketplace.search.queries import KM_PER_DEGREE_LATITUDE
from aftersales.marketplace.search.services import SearchQuery, search_providers
from aftersales.tenancy.current import bind_tenant
from support.marketplace import BERLIN, add_booking, add_customer, add_provider

URL = "/api/v1/marketplace/search"


def north_of_berlin(km: float) -> tuple[float, float]:
    """A point ``km`` due north of the test providers' workshop (along a meridian, so exactly that far)."""
    return BERLIN[0] + km / KM_PER_DEGREE_LATITUDE, BERLIN[1]


async def search(client: Any, headers: dict[str, str], *, at: tuple[float, float] = BERLIN,
                 **params: Any) -> dict[str, Any]:
    answer = await client.get(URL, params={"offering": "oil_change", "lat": at[0], "lon": at[1], **params},
                              headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def names(found: dict[str, Any]) -> list[str]:
    return [item["name"] for item in found["items"]]


async def change(runtime: Any, tenant: Any, model: Any, where: Any, **values: Any) -> None:
    async with runtime.db.transaction(tenant.id) as s:
        await s.execute(update(model).where(where).values(**values))


async def test_one_review_of_five_stars_does_not_outrank_two_hundred_of_four_point_eight(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant, name="One Review", rating=(5.0, 1))
    await add_provider(runtime, tenant, name="Two Hundred Reviews", rating=(4.8, 200))
    _, me = await customer_token(tenant)
    found = await search(client, me)
    assert names(found) == ["Two Hundred Reviews", "One Review"]
    assert found["items"][0]["rating"] == {"average": 4.8, "count": 200}
    assert found["candidates"] == 2


async def test_equal_ratings_put_the_nearer_and_then_the_cheaper_provider_first(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant, name="Far", rating=(4.5, 40), at=north_of_berlin(8))
    await add_provider(runtime, tenant, name="Near dear", rating=(4.5, 40), price_minor=60_00)
    await add_provider(runtime, tenant, name="Near cheap", rating=(4.5, 40), price_minor=45_00)
    _, me = await customer_token(tenant)
    found = await search(client, me)
    assert names(found) == ["Near cheap", "Near dear", "Far"]
    far = found["items"][2]
    assert far["distance_km"] == pytest.approx(8.0, abs=0.01)
    assert far["price"] == {"amount": "50.00", "currency": "EUR", "amount_minor": 5000}


async def test_a_service_radius_covers_a_point_just_inside_it_and_not_one_just_outside(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant, name="Ten km radius", radius_km=10)
    _, me = await customer_token(tenant)
    assert names(await search(client, me, at=north_of_berlin(9.95))) == ["Ten km radius"]
    assert names(await search(client, me, at=north_of_berlin(10.05))) == []


@pytest.mark.parametrize(("km", "found"), [(9.95, True), (10.05, False)])
async def test_the_radius_edge_holds_east_west_at_sixty_degrees_north_beside_a_wider_radius(
        client, runtime, make_tenant, customer_token, km, found):
    tenant = await make_tenant("acme")
    oslo = (59.91, 10.75)
    await add_provider(runtime, tenant, name="Fifty km radius", at=oslo, radius_km=50)  # widens the box
    await add_provider(runtime, tenant, name="Ten km radius", at=inverse_haversine(oslo, km, Direction.EAST),
                       radius_km=10)
    _, me = await customer_token(tenant)
    assert ("Ten km radius" in names(await search(client, me, at=oslo))) is found


async def test_within_km_narrows_the_search_to_the_distance_the_customer_gives(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant, name="Five km away", radius_km=25, at=north_of_berlin(5))
    _, me = await customer_token(tenant)
    assert names(await search(client, me, within_km=4.95)) == []
    assert names(await search(client, me, within_km=5.05)) == ["Five km away"]


async def test_a_search_reaches_across_the_antimeridian_and_near_the_pole(client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant, name="Fiji side", at=(-17.0, -179.95), radius_km=25)
    await add_provider(runtime, tenant, name="Polar station", at=(89.95, 120.0), radius_km=25)
    _, me = await customer_token(tenant)
    across = await search(client, me, at=(-17.0, 179.95))  # 0.1° of longitude away, on the other side of ±180°
    assert names(across) == ["Fiji side"] and across["items"][0]["distance_km"] == pytest.approx(10.6, abs=0.1)
    assert names(await search(client, me, at=(89.95, -60.0))) == ["Polar station"]  # 11 km, over the pole


async def test_the_distance_is_from_the_nearest_location_that_covers_the_point(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant, name="Two sites", radius_km=25, at=north_of_berlin(8))
    lat, lon = north_of_berlin(3)
    async with runtime.db.transaction(tenant.id) as s:  # nearer, but it only serves 1 km around it
        s.add(ProviderLocation(provider_id=setup.provider_id, name="Small counter", latitude=lat, longitude=lon,
                               service_radius_km=1))
    _, me = await customer_token(tenant)
    found = await search(client, me)
    assert [(i["location"]["name"], round(i["distance_km"])) for i in found["items"]] == [("Two sites workshop", 8)]


async def test_pending_and_suspended_providers_and_inactive_prices_or_locations_are_never_listed(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant, name="Active")
    await add_provider(runtime, tenant, name="Pending", status="pending")
    await add_provider(runtime, tenant, name="Suspended", status="suspended")
    no_price = await add_provider(runtime, tenant, name="Price withdrawn")
    closed = await add_provider(runtime, tenant, name="Location closed")
    await change(runtime, tenant, ProviderOffering, ProviderOffering.provider_id == no_price.provider_id, active=False)
    await change(runtime, tenant, ProviderLocation, ProviderLocation.id == closed.location_id, active=False)
    _, me = await customer_token(tenant)
    assert names(await search(client, me)) == ["Active"]


async def test_another_tenants_providers_are_never_listed(client, runtime, make_tenant, customer_token, staff_token):
    acme, other = await make_tenant("acme"), await make_tenant("other")
    await add_provider(runtime, acme, name="Acme Garage")
    await add_provider(runtime, other, name="Other Garage", at=north_of_berlin(300))
    _, acme_customer = await customer_token(acme)
    other_agent = await staff_token(other, "agent")
    assert names(await search(client, acme_customer)) == ["Acme Garage"]
    assert names(await search(client, other_agent)) == []  # same offering code, same place: not its provider
    assert names(await search(client, other_agent, at=north_of_berlin(300))) == ["Other Garage"]


async def test_an_in_warranty_search_lists_only_providers_authorised_today(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme", vertical="appliances")
    await add_provider(runtime, tenant, name="Authorised", authorised=True, warranty_needs_authorisation=True)
    ends_today = await add_provider(runtime, tenant, name="Authorised until today", authorised=True)
    lapsed = await add_provider(runtime, tenant, name="Authorisation lapsed", authorised=True)
    await add_provider(runtime, tenant, name="Not authorised")
    today = datetime.now(ZoneInfo(tenant.time_zone)).date()
    await change(runtime, tenant, Provider, Provider.id == ends_today.provider_id, authorised_until=today)
    await change(runtime, tenant, Provider, Provider.id == lapsed.provider_id,
                 authorised_until=today - timedelta(days=1))
    _, me = await customer_token(tenant)
    in_warranty = await search(client, me, under_warranty="true")
    assert sorted(names(in_warranty)) == ["Authorised", "Authorised until today"]
    assert all(item["authorised"] for item in in_warranty["items"])
    assert len(names(await search(client, me))) == 4  # out of warranty anyone may do the job


async def test_an_in_warranty_search_for_an_offering_anyone_may_do_lists_unauthorised_providers_too(
        client, runtime, make_tenant, customer_token):
    tenant = await make_tenant("acme", vertical="appliances")
    await add_provider(runtime, tenant, name="Authorised", authorised=True)
    await add_provider(runtime, tenant, name="Not authorised")
    _, me = await customer_token(tenant)
    assert sorted(names(await search(client, me, under_warranty="true"))) == ["Authorised", "Not authorised"]


async def test_the_next_free_slot_skips_the_time_already_booked(runtime, make_tenant):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant, name="Busy Garage")
    monday_0900_berlin = datetime(2030, 6, 3, 7, 0, tzinfo=UTC)
    customer = await add_customer(runtime, tenant)
    await add_booking(runtime, tenant, setup, customer, starts_at=monday_0900_berlin)
    current = bind_tenant(tenant, runtime.plugins)
    async with runtime.db.reading(tenant.id) as connection:
        result = await search_providers(connection, current, SearchQuery("oil_change", *BERLIN),
                                        now=monday_0900_berlin - timedelta(minutes=30))
    assert [hit.next_free_slot for hit in result.hits] == [monday_0900_berlin + timedelta(hours=1)]


@pytest.mark.parametrize(("params", "field"), [
    ({"lat": 91}, "lat"),
    ({"lat": -90.5}, "lat"),
    ({"lon": 180.5}, "lon"),
    ({"within_km": 0}, "within_km"),
    ({"within_km": -3}, "within_km"),
    ({"limit": 0}, "limit"),
    ({"limit": 51}, "limit"),
    ({"offering": "teleportation"}, "offering"),
])
async def test_bad_searches_are_refused_with_the_field_at_fault(client, runtime, make_tenant, customer_token,
                                                                params, field):
    tenant = await make_tenant("acme")
    await add_provider(runtime, tenant)
    _, me = await customer_token(tenant)
    query = {"offering": "oil_change", "lat": BERLIN[0], "lon": BERLIN[1], **params}
    answer = await client.get(URL, params=query, headers=me)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


async def test_a_latitude_that_is_not_a_number_is_a_malformed_request(client, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    _, me = await customer_token(tenant)
    answer = await client.get(URL, params={"offering": "oil_change", "lat": "north", "lon": 13.4}, headers=me)
    assert answer.status_code == 400


async def test_customers_staff_and_clients_search_but_provider_and_technician_tokens_do_not(
        client, runtime, make_tenant, customer_token, staff_token, provider_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    _, customer = await customer_token(tenant)
    for headers in (customer, await staff_token(tenant, "agent"), await staff_token(tenant, "finance")):
        assert len(names(await search(client, headers))) == 1
    for headers in (await provider_token(tenant, setup.provider_id), await staff_token(tenant, "technician")):
        answer = await client.get(URL, params={"offering": "oil_change", "lat": 52.5, "lon": 13.4}, headers=headers)
        assert answer.status_code == 403
    assert (await client.get(URL, params={"offering": "oil_change", "lat": 52.5, "lon": 13.4})).status_code == 401


@pytest.mark.parametrize(("vertical", "first"), [("auto_service", "Free at nine"), ("electronics", "Booked all day")])
async def test_carmax_puts_the_provider_free_sooner_first_where_the_core_keeps_the_better_rated(
        runtime, make_tenant, vertical, first):
    tenant = await make_tenant("acme", vertical=vertical)
    booked = await add_provider(runtime, tenant, name="Booked all day", rating=(4.7, 100))
    await add_provider(runtime, tenant, name="Free at nine", rating=(4.6, 100))
    monday_0900_berlin = datetime(2030, 6, 3, 7, 0, tzinfo=UTC)
    customer = await add_customer(runtime, tenant)
    for hour in range(8):
        await add_booking(runtime, tenant, booked, customer, starts_at=monday_0900_berlin + timedelta(hours=hour))
    async with runtime.db.reading(tenant.id) as connection:
        result = await search_providers(connection, bind_tenant(tenant, runtime.plugins),
                                        SearchQuery("oil_change", *BERLIN), now=monday_0900_berlin - timedelta(hours=1))
    assert result.hits[0].name == first
    slots = {hit.name: hit.next_free_slot for hit in result.hits}
    assert slots == {"Free at nine": monday_0900_berlin, "Booked all day": monday_0900_berlin + timedelta(days=1)}
