"""Finding and booking a provider on the portal: the search near a city with ratings, distances, prices and the
day's free times; a provider's times on a day (closed on a public holiday); booking one, a time taken meanwhile,
bad input shown beside the form, and another tenant's providers and sessions kept out (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.marketplace.bookings import services as bookings
from aftersales.marketplace.models import Booking
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from support.marketplace import add_booking, add_customer, add_provider, at, working_monday
from support.pages import post_form
from support.quotes import GARAGE_SETTINGS, garage

BERLIN_PLACE = "2950159"
"""Berlin's GeoNames id: the first (biggest) city of the test tenants' country, DE."""
MUNICH = (48.137, 11.575)


def _providers(html: str) -> list[str]:
    return re.findall(r'data-provider="([0-9a-f-]+)"', html)


async def _current(runtime, tenant):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    return bind_tenant(record, runtime.plugins)


async def _booking_count(runtime, tenant, customer_id) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(Booking).where(Booking.customer_id == customer_id))


async def test_search_finds_providers_near_the_city_with_rating_distance_price_and_free_times(
        pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    near = await add_provider(runtime, tenant, name="Mitte Garage", price_minor=89_50, rating=(4.5, 2))
    far = await add_provider(runtime, tenant, name="Munich Garage", at=MUNICH)
    await sign_in_customer(pages, tenant)
    day = working_monday(runtime, tenant)

    r = await pages.get(f"/t/garage/book?offering=oil_change&place={BERLIN_PLACE}&day={day.isoformat()}")

    assert r.status_code == 200, r.text
    assert _providers(r.text) == [str(near.provider_id)] and str(far.provider_id) not in r.text
    assert "Mitte Garage" in r.text and "4.5 of 5 (2 ratings)" in r.text and "€89.50" in r.text
    assert re.search(r"0\.\d km from the centre", r.text)
    assert ">9:00\u202fAM<" in r.text and ">9:15\u202fAM<" in r.text  # the day's first free times, Berlin time


async def test_search_form_alone_offers_the_catalogue_and_the_country_s_cities(pages, runtime, make_tenant,
                                                                                sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    await add_provider(runtime, tenant)
    await sign_in_customer(pages, tenant)
    r = await pages.get("/t/garage/book")
    assert r.status_code == 200
    assert '<option value="oil_change"' in r.text and f'<option value="{BERLIN_PLACE}" selected' in r.text
    assert "data-provider" not in r.text


async def test_bad_search_shows_each_reason_beside_its_field_with_422(pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    await add_provider(runtime, tenant)
    await sign_in_customer(pages, tenant)
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    r = await pages.get(f"/t/garage/book?offering=teleport&place=nowhere&day={yesterday}")
    assert r.status_code == 422
    assert "Choose a service from the list." in r.text and "Choose a city from the list." in r.text
    assert "Choose today or a later day." in r.text and "data-provider" not in r.text
    r = await pages.get(f"/t/garage/book?offering=oil_change&place={BERLIN_PLACE}&day=soon")
    assert r.status_code == 422 and "Enter a date, for example" in r.text


async def test_a_day_beyond_the_30_day_horizon_is_refused_and_the_30th_day_is_not(pages, runtime, make_tenant,
                                                                                   sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    await add_provider(runtime, tenant)
    await sign_in_customer(pages, tenant)
    today = (await _current(runtime, tenant)).today()
    url = f"/t/garage/book?offering=oil_change&place={BERLIN_PLACE}&day="
    assert (await pages.get(url + (today + timedelta(days=30)).isoformat())).status_code == 200
    r = await pages.get(url + (today + timedelta(days=31)).isoformat())
    assert r.status_code == 422 and "Choose a day within the next 30 days." in r.text


async def test_the_booking_pages_need_a_signed_in_customer(pages, runtime, make_tenant):
    tenant = await garage(runtime, make_tenant)
    setup = await add_provider(runtime, tenant)
    for path in ("/book", f"/book/{setup.provider_id}", "/my/bookings"):
        r = await pages.get(f"/t/garage{path}")
        assert r.status_code == 303 and r.headers["location"].startswith("/t/garage/sign-in?next=")


async def test_provider_page_lists_the_day_s_free_times_without_the_booked_ones(pages, runtime, make_tenant,
                                                                                 sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    setup = await add_provider(runtime, tenant)
    day = working_monday(runtime, tenant)
    await add_booking(runtime, tenant, setup, await add_customer(runtime, tenant), starts_at=at(day, 10))
    await sign_in_customer(pages, tenant)
    r = await pages.get(f"/t/garage/book/{setup.provider_id}?offering=oil_change&day={day.isoformat()}")
    assert r.status_code == 200
    starts = re.findall(r'name="starts_at" value="([^"]+)"', r.text)
    assert starts[0] == at(day, 9).isoformat() and starts[-1] == at(day, 16).isoformat()
    assert at(day, 10).isoformat() not in starts and at(day, 9, 15).isoformat() not in starts  # 9:15 runs into 10
    assert at(day, 11).isoformat() in starts
    chosen = at(day, 11).isoformat().replace("+", "%2B")  # a time chip of the search links here with ``at``
    r = await pages.get(f"/t/garage/book/{setup.provider_id}?offering=oil_change&day={day.isoformat()}&at={chosen}")
    assert re.findall(r'value="([^"]+)" checked', r.text) == [at(day, 11).isoformat()]


async def test_a_day_the_tenant_s_calendar_closes_shows_no_times_and_points_to_the_next_free_one(
        pages, runtime, make_tenant, sign_in_customer):
    closed = working_monday(runtime, await make_tenant("probe"))
    calendar = {"country": "DE", "weekend_days": ["sat", "sun"], "closures": [closed.isoformat()],
                "business_hours": {"opens": "09:00", "closes": "17:00"}}
    tenant = await make_tenant("garage", vertical="auto_service", settings=GARAGE_SETTINGS, calendar=calendar)
    setup = await add_provider(runtime, tenant)
    await sign_in_customer(pages, tenant)
    r = await pages.get(f"/t/garage/book/{setup.provider_id}?offering=oil_change&day={closed.isoformat()}")
    assert r.status_code == 200
    assert 'name="starts_at"' not in r.text and "No free times on this day" in r.text
    assert f"day={(closed + timedelta(days=1)).isoformat()}\">Next free time:" in r.text
    r = await pages.get(f"/t/garage/book/{setup.provider_id}?offering=oil_change"
                        f"&day={(closed + timedelta(days=1)).isoformat()}")
    assert 'name="starts_at"' in r.text


async def test_booking_a_time_opens_the_booking_and_takes_the_time(pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    setup = await add_provider(runtime, tenant)
    customer_id = await sign_in_customer(pages, tenant)
    day = working_monday(runtime, tenant)
    url = f"/t/garage/book/{setup.provider_id}"
    r = await post_form(pages, url, {"offering": "oil_change", "day": day.isoformat(),
                                     "starts_at": at(day, 11).isoformat(), "note": "Side entrance"})
    assert r.status_code == 303
    async with runtime.db.transaction(tenant.id) as s:
        booking = (await s.scalars(select(Booking).where(Booking.customer_id == customer_id))).one()
    assert r.headers["location"] == f"/t/garage/my/bookings/{booking.id}"
    assert booking.starts_at == at(day, 11) and booking.note == "Side entrance" and booking.state == "booked"
    r = await pages.get(f"{url}?offering=oil_change&day={day.isoformat()}")
    assert at(day, 11).isoformat() not in re.findall(r'name="starts_at" value="([^"]+)"', r.text)


async def test_a_time_taken_meanwhile_shows_the_times_again_with_a_message_and_books_nothing(
        pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    setup = await add_provider(runtime, tenant)
    customer_id = await sign_in_customer(pages, tenant)
    day = working_monday(runtime, tenant)
    other = await add_customer(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as s:  # someone else books 11:00 while the page is open
        await bookings.book(s, await _current(runtime, tenant), bookings.Party("test", customer_id=other),
                            bookings.NewBooking(provider_id=setup.provider_id, offering_id=setup.offering_id,
                                                starts_at=at(day, 11)), now=utcnow())
    r = await post_form(pages, f"/t/garage/book/{setup.provider_id}",
                        {"offering": "oil_change", "day": day.isoformat(), "starts_at": at(day, 11).isoformat()})
    assert r.status_code == 409
    assert "Someone booked that time a moment ago" in r.text and 'name="starts_at"' in r.text
    assert await _booking_count(runtime, tenant, customer_id) == 0


async def test_booking_without_a_time_or_with_a_closed_time_is_refused_beside_the_times(
        pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    setup = await add_provider(runtime, tenant)
    customer_id = await sign_in_customer(pages, tenant)
    day = working_monday(runtime, tenant)
    url = f"/t/garage/book/{setup.provider_id}"
    r = await post_form(pages, url, {"offering": "oil_change", "day": day.isoformat()})
    assert r.status_code == 422 and 'id="starts_at-error">Choose a time.' in r.text
    r = await post_form(pages, url, {"offering": "oil_change", "day": day.isoformat(),
                                     "starts_at": at(day, 16, 15).isoformat()})  # would run past 17:00
    assert r.status_code == 422 and "That time cannot be booked any more" in r.text
    r = await post_form(pages, url, {"offering": "oil_change", "day": day.isoformat(),
                                     "starts_at": at(day, 11).isoformat(), "note": "x" * 4001})
    assert r.status_code == 422 and "Keep the note under 4,000 characters." in r.text
    assert await _booking_count(runtime, tenant, customer_id) == 0


async def test_another_tenant_s_provider_is_not_found_and_its_session_is_not_signed_in_here(
        pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    other = await garage(runtime, make_tenant, slug="rival")
    theirs = await add_provider(runtime, other, name="Rival Garage")
    await add_provider(runtime, tenant)
    await sign_in_customer(pages, tenant)
    day = working_monday(runtime, tenant)
    r = await pages.get(f"/t/garage/book/{theirs.provider_id}?offering=oil_change")
    assert r.status_code == 404 and "Rival Garage" not in r.text
    r = await post_form(pages, f"/t/garage/book/{theirs.provider_id}",
                        {"offering": "oil_change", "starts_at": at(day, 11).isoformat()})
    assert r.status_code == 404
    r = await pages.get(f"/t/garage/book?offering=oil_change&place={BERLIN_PLACE}&day={day.isoformat()}")
    assert "Rival Garage" not in r.text and len(_providers(r.text)) == 1
    r = await pages.get("/t/rival/book")  # the session cookie belongs to /t/garage only
    assert r.status_code == 303 and r.headers["location"].startswith("/t/rival/sign-in")
