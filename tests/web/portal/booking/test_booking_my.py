"""The customer's bookings on the portal: the list, a booking's quote (lines and total in the tenant's money)
accepted or declined, extra work approved or refused, charges and the pay link, and the rating after the job, as
the plugin's rules allow; someone else's booking, quote or change request is not found (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from aftersales.db.base import utcnow
from aftersales.demo.marketplace import seed_demo_marketplace
from aftersales.demo.units import seed_demo_units
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.changes import services as change_requests
from aftersales.marketplace.models import Booking, ChangeRequest, JobCharge, Quote, Rating
from aftersales.marketplace.quotes import services as quotes
from aftersales.marketplace.quotes.parts import ItemAsked
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from support.marketplace import add_booking, add_customer, add_provider
from support.pages import post_form
from support.payments import add_job_payment
from support.quotes import garage


def _provider(tenant, provider_id) -> Principal:
    """The provider's user, as the provider's app would act."""
    return Principal(kind="staff", subject="provider-user", tenant_id=tenant.id, provider_id=provider_id)


async def _current(runtime, tenant):
    async with runtime.db.platform_session() as s:
        return bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)


async def _job(runtime, make_tenant, pages, sign_in_customer, *, state="booked", slug="garage"):
    """A garage tenant, its provider, and a booking of the signed-in customer."""
    tenant = await garage(runtime, make_tenant, slug=slug)
    setup = await add_provider(runtime, tenant, name="Mitte Garage", price_minor=100_00)
    customer_id = await sign_in_customer(pages, tenant)
    booking_id = await add_booking(runtime, tenant, setup, customer_id, state=state)
    return tenant, setup, customer_id, booking_id


async def _offer(runtime, tenant, setup, booking_id, parts=()) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        quote = await quotes.offer_quote(s, await _current(runtime, tenant), _provider(tenant, setup.provider_id),
                                         booking_id, parts=list(parts), consumables=[], actor="provider",
                                         now=utcnow())
        return quote.id


async def _raise(runtime, tenant, setup, booking_id) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        await s.execute(update(Booking).where(Booking.id == booking_id).values(state="in_progress"))
        change = await change_requests.raise_change(
            s, await _current(runtime, tenant), _provider(tenant, setup.provider_id), booking_id,
            change_requests.ExtraWork(description="Replace the brake seal", reason="It leaks", labour_minor=30_00,
                                      parts=[ItemAsked("SEAL", 1)]), actor="provider", now=utcnow())
        return change.id


async def _state(runtime, tenant, model, record_id) -> str:
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalars(select(model.state).where(model.id == record_id))).one()


async def test_my_bookings_lists_only_the_customer_s_own_bookings(pages, runtime, make_tenant, sign_in_customer):
    tenant, setup, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer)
    theirs = await add_booking(runtime, tenant, setup, await add_customer(runtime, tenant),
                               starts_at=utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=2))
    r = await pages.get("/t/garage/my/bookings")
    assert r.status_code == 200
    assert re.findall(r'data-booking="([0-9a-f-]+)"', r.text) == [str(booking_id)] and str(theirs) not in r.text
    assert "Mitte Garage" in r.text and 'data-state="booked"' in r.text


async def test_no_bookings_yet_invites_to_book(pages, runtime, make_tenant, sign_in_customer):
    tenant = await garage(runtime, make_tenant)
    await sign_in_customer(pages, tenant)
    r = await pages.get("/t/garage/my/bookings")
    assert "You have no bookings yet." in r.text and 'href="/t/garage/book"' in r.text


async def test_the_quote_shows_its_lines_and_total_in_the_tenant_s_money_and_accepting_binds_it(
        pages, runtime, make_tenant, sign_in_customer):
    tenant, setup, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer)
    quote_id = await _offer(runtime, tenant, setup, booking_id, parts=[ItemAsked("SEAL", 2)])
    url = f"/t/garage/my/bookings/{booking_id}"
    r = await pages.get(url)
    assert r.status_code == 200
    assert "hydraulic seal" in r.text and "€100.00" in r.text and "-€10.00" in r.text and "€40.00" in r.text
    assert "Total: €130.00" in r.text and f"{url}/quotes/{quote_id}/accept" in r.text
    r = await post_form(pages, f"{url}/quotes/{quote_id}/accept")
    assert r.status_code == 303 and r.headers["location"] == url
    assert await _state(runtime, tenant, Quote, quote_id) == "accepted"
    r = await pages.get(url)
    assert f"{url}/quotes/{quote_id}/accept" not in r.text and 'data-state="accepted"' in r.text


async def test_declining_a_quote_and_deciding_it_again_says_it_was_decided(pages, runtime, make_tenant,
                                                                           sign_in_customer):
    tenant, setup, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer)
    quote_id = await _offer(runtime, tenant, setup, booking_id)
    url = f"/t/garage/my/bookings/{booking_id}"
    assert (await post_form(pages, f"{url}/quotes/{quote_id}/decline")).status_code == 303
    assert await _state(runtime, tenant, Quote, quote_id) == "declined"
    r = await post_form(pages, f"{url}/quotes/{quote_id}/accept")
    assert r.status_code == 409 and "This was already decided" in r.text
    assert await _state(runtime, tenant, Quote, quote_id) == "declined"


async def test_extra_work_shows_why_and_its_price_and_the_customer_approves_it_with_a_note(
        pages, runtime, make_tenant, sign_in_customer):
    tenant, setup, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer)
    change_id = await _raise(runtime, tenant, setup, booking_id)
    url = f"/t/garage/my/bookings/{booking_id}"
    r = await pages.get(url)
    assert "Replace the brake seal" in r.text and "It leaks" in r.text and "Extra cost: €47.00" in r.text
    r = await post_form(pages, f"{url}/changes/{change_id}/approve", {"note": "Go ahead"})
    assert r.status_code == 303
    async with runtime.db.transaction(tenant.id) as s:
        change = (await s.scalars(select(ChangeRequest).where(ChangeRequest.id == change_id))).one()
    assert change.state == "approved" and change.decision_note == "Go ahead"
    assert change.decided_by.startswith("customer:")


async def test_refusing_extra_work_and_a_too_long_note_is_refused_beside_the_note(pages, runtime, make_tenant,
                                                                                 sign_in_customer):
    tenant, setup, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer)
    change_id = await _raise(runtime, tenant, setup, booking_id)
    url = f"/t/garage/my/bookings/{booking_id}/changes/{change_id}"
    r = await post_form(pages, f"{url}/refuse", {"note": "n" * 4001})
    assert r.status_code == 422 and "Keep the note under 4,000 characters." in r.text
    assert await _state(runtime, tenant, ChangeRequest, change_id) == "pending"
    assert (await post_form(pages, f"{url}/refuse", {"note": "n" * 4000})).status_code == 303
    assert await _state(runtime, tenant, ChangeRequest, change_id) == "refused"


async def test_a_due_charge_shows_the_pay_link_and_a_captured_payment_shows_paid(pages, runtime, make_tenant,
                                                                                 sign_in_customer):
    tenant, _, customer_id, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer,
                                                    state="completed")
    url = f"/t/garage/my/bookings/{booking_id}"
    assert f'href="{url}/pay"' not in (await pages.get(url)).text  # nothing charged yet
    async with runtime.db.transaction(tenant.id) as s:
        s.add(JobCharge(booking_id=booking_id, outcome="created", amount_minor=120_00, cap_minor=120_00,
                        currency="EUR", requested_by="test", provider_payout_minor=108_00, platform_fee_minor=12_00))
    r = await pages.get(url)
    assert f'href="{url}/pay"' in r.text and "A payment of €120.00 is due." in r.text
    await add_job_payment(runtime, tenant, booking_id, customer_id, 120_00)
    r = await pages.get(url)
    assert f'href="{url}/pay"' not in r.text and "Paid. Thank you." in r.text


async def test_a_paid_job_is_rated_once_and_the_rating_counts(pages, runtime, make_tenant, sign_in_customer):
    tenant, _, customer_id, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer,
                                                    state="completed")
    await add_job_payment(runtime, tenant, booking_id, customer_id, 100_00)
    url = f"/t/garage/my/bookings/{booking_id}"
    assert 'name="stars"' in (await pages.get(url)).text
    r = await post_form(pages, f"{url}/rating", {"stars": "5", "comment": "Quick and honest"})
    assert r.status_code == 303
    r = await pages.get(url)
    assert 'data-rating-status="counted"' in r.text and "Quick and honest" in r.text and 'name="stars"' not in r.text
    r = await post_form(pages, f"{url}/rating", {"stars": "4"})
    assert r.status_code == 409
    async with runtime.db.transaction(tenant.id) as s:
        assert [r.stars for r in await s.scalars(select(Rating))] == [5]


async def test_an_unpaid_job_s_rating_is_held_for_review_by_the_plugin_s_rule(pages, runtime, make_tenant,
                                                                             sign_in_customer):
    *_, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer, state="completed")
    url = f"/t/garage/my/bookings/{booking_id}"
    assert (await post_form(pages, f"{url}/rating", {"stars": "2"})).status_code == 303
    r = await pages.get(url)
    assert 'data-rating-status="held"' in r.text and "once the company has reviewed it" in r.text


async def test_stars_outside_1_to_5_and_a_long_comment_are_refused_beside_the_form(pages, runtime, make_tenant,
                                                                                   sign_in_customer):
    tenant, _, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer, state="completed")
    url = f"/t/garage/my/bookings/{booking_id}/rating"
    for stars in ("0", "6", "", "five"):
        r = await post_form(pages, url, {"stars": stars, "comment": "kept"})
        assert r.status_code == 422 and 'id="stars-error">Choose from 1 to 5 stars.' in r.text
        assert ">kept</textarea>" in r.text
    r = await post_form(pages, url, {"stars": "1", "comment": "c" * 2001})
    assert r.status_code == 422 and "Keep the comment under 2,000 characters." in r.text
    async with runtime.db.transaction(tenant.id) as s:
        assert list(await s.scalars(select(Rating))) == []


async def test_a_job_not_completed_has_no_rating_form_and_cannot_be_rated(pages, runtime, make_tenant,
                                                                          sign_in_customer):
    _, _, _, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer, state="in_progress")
    url = f"/t/garage/my/bookings/{booking_id}"
    assert 'name="stars"' not in (await pages.get(url)).text
    r = await post_form(pages, f"{url}/rating", {"stars": "5"})
    assert r.status_code == 409


async def test_another_customer_s_booking_quote_and_change_request_are_not_found(pages, runtime, make_tenant,
                                                                                  sign_in_customer):
    tenant, setup, _, mine = await _job(runtime, make_tenant, pages, sign_in_customer)
    theirs = await add_booking(runtime, tenant, setup, await add_customer(runtime, tenant, name="Other Person"),
                               starts_at=utcnow().replace(minute=0, second=0, microsecond=0)
                               + timedelta(days=3))
    their_quote = await _offer(runtime, tenant, setup, theirs)
    their_change = await _raise(runtime, tenant, setup, theirs)
    r = await pages.get(f"/t/garage/my/bookings/{theirs}")
    assert r.status_code == 404 and "Mitte Garage" not in r.text
    for path in (f"/my/bookings/{theirs}/quotes/{their_quote}/accept",
                 f"/my/bookings/{mine}/quotes/{their_quote}/accept",  # their quote under my booking
                 f"/my/bookings/{mine}/changes/{their_change}/approve",
                 f"/my/bookings/{theirs}/rating"):
        assert (await post_form(pages, f"/t/garage{path}")).status_code == 404, path
    assert await _state(runtime, tenant, Quote, their_quote) == "offered"
    assert await _state(runtime, tenant, ChangeRequest, their_change) == "pending"


async def test_another_tenant_s_session_is_not_signed_in_on_this_tenant_s_bookings(pages, runtime, make_tenant,
                                                                                   sign_in_customer):
    *_, booking_id = await _job(runtime, make_tenant, pages, sign_in_customer, slug="rival")
    other = await garage(runtime, make_tenant)
    r = await pages.get(f"/t/{other.slug}/my/bookings/{booking_id}")
    assert r.status_code == 303 and r.headers["location"].startswith(f"/t/{other.slug}/sign-in")
    await sign_in_customer(pages, other)  # signed in on the other tenant too: its customer has no such booking
    r = await pages.get(f"/t/{other.slug}/my/bookings/{booking_id}")
    assert r.status_code == 404


async def test_the_demo_customer_finds_a_booking_in_each_state_in_persian(pages, runtime, sign_in_customer):
    async with runtime.db.transaction(None) as s:
        carmax, _ = await onboard(s, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / "carmax.toml"))
    await seed_demo_units(runtime, carmax)
    await seed_demo_marketplace(runtime, carmax)
    async with runtime.db.transaction(carmax.id) as s:
        customer_id = await s.scalar(select(Customer.id).where(Customer.email == "customer@carmax-demo.com"))
    await sign_in_customer(pages, carmax, customer_id)
    r = await pages.get("/t/carmax/my/bookings")
    assert r.status_code == 200 and '<html lang="fa" dir="rtl">' in r.text
    assert sorted(re.findall(r'<span class="badge state-\w+" data-state="(\w+)"', r.text)) == [
        "booked", "cancelled", "completed", "in_progress"]
    details = [(await pages.get(f"/t/carmax/my/bookings/{b}")).text
               for b in re.findall(r'data-booking="([0-9a-f-]+)"', r.text)]
    assert any("پذیرفتن پیش‌فاکتور" in d for d in details)  # a quote to accept
    assert any("تأیید کار اضافه" in d for d in details)  # extra work to approve
    due = next(d for d in details if "/pay\"" in d)
    assert "تومان" in due and re.search("[۰-۹]", due) and "ثبت امتیاز" in due  # toman, Persian digits, rating form
