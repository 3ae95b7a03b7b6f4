"""Paying a completed job on ``/my/bookings/{id}/pay``: the charge shown in the tenant's money, a PaymentIntent
started by our server, the card tokenised by Stripe (our server and its calls to Stripe never carry a card
number), the payment authorised and shown paid; rials refused with the offline ways named; someone else's job
is a 404 page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.payments.ledger.models import LedgerEntry, Payment
from support.pages import post_form
from support.pay import charged_job, tokenised_card, use_stripe_at
from support.stripe import configure_stripe

CARD = "4242424242424242"
DECLINED = "4000000000000341"


async def payments_of(runtime, tenant) -> list[Payment]:
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(Payment)))


async def entries_of(runtime, tenant, payment_id) -> list[tuple[str, int]]:
    async with runtime.db.transaction(tenant.id) as s:
        rows = await s.scalars(select(LedgerEntry).where(LedgerEntry.payment_id == payment_id))
        return sorted((e.kind, e.amount_minor) for e in rows)


@pytest.fixture
async def card_shop(runtime, make_tenant, stripe_proxy):
    """A tenant taking cards in euros through Stripe Connect (localstripe behind the recording proxy)."""
    tenant = await make_tenant("cardshop")
    await configure_stripe(runtime, tenant, connect_mode="destination")
    use_stripe_at(runtime, stripe_proxy.url)
    return tenant


async def test_a_customer_pays_a_job_by_card_and_the_page_shows_it_paid(runtime, pages, sign_in_customer,
                                                                        card_shop, stripe_proxy, localstripe):
    customer_id = await sign_in_customer(pages, card_shop)
    booking_id = await charged_job(runtime, card_shop, customer_id, amount_minor=230_00, payout_account="acct_1")
    url = f"/t/cardshop/my/bookings/{booking_id}/pay"

    owed = await pages.get(url)
    assert owed.status_code == 200
    assert 'data-stage="start"' in owed.text and "€230.00" in owed.text and "Garage One" in owed.text

    started = await post_form(pages, url)
    assert started.status_code == 303 and started.headers["location"] == url
    [payment] = await payments_of(runtime, card_shop)
    assert (payment.provider, payment.state, payment.amount_minor) == ("stripe", "requires_action", 230_00)

    card_form = await pages.get(url)
    assert 'data-stage="card"' in card_form.text
    assert f'data-client-secret="{payment.provider_ref}_secret_' in card_form.text
    assert f'src="{localstripe}/js.stripe.com/v3/"' not in card_form.text  # the app's Stripe is the proxy here
    assert f'src="{stripe_proxy.url}/js.stripe.com/v3/"' in card_form.text

    card_ref = await tokenised_card(localstripe, CARD)
    confirmed = await post_form(pages, f"{url}/card", {"card": card_ref})
    assert confirmed.status_code == 200
    assert confirmed.json() == {"state": "authorized", "next": url, "client_secret": None}

    paid = await pages.get(url)
    assert 'data-outcome="paid"' in paid.text and "is authorised" in paid.text
    assert await entries_of(runtime, card_shop, payment.id) == [("charge", 230_00)]
    sent = " ".join(str(r.params) for r in stripe_proxy.requests)
    assert card_ref in sent and CARD not in sent and CARD[-4:] not in sent


async def test_a_declined_card_shows_why_and_the_customer_may_try_again(runtime, pages, sign_in_customer,
                                                                       card_shop, localstripe):
    customer_id = await sign_in_customer(pages, card_shop)
    booking_id = await charged_job(runtime, card_shop, customer_id)
    url = f"/t/cardshop/my/bookings/{booking_id}/pay"
    await post_form(pages, url)
    answer = await post_form(pages, f"{url}/card", {"card": await tokenised_card(localstripe, DECLINED)})
    assert answer.json()["state"] == "failed"
    page = await pages.get(url)
    assert 'data-outcome="failed"' in page.text and "Nothing was taken from your card" in page.text
    assert 'data-stage="start"' in page.text
    again = await post_form(pages, url)
    assert again.status_code == 303
    assert sorted(p.state for p in await payments_of(runtime, card_shop)) == ["failed", "requires_action"]


async def test_a_card_reference_that_is_not_stripes_is_refused_and_nothing_is_asked_of_stripe(
        runtime, pages, sign_in_customer, card_shop, stripe_proxy):
    customer_id = await sign_in_customer(pages, card_shop)
    booking_id = await charged_job(runtime, card_shop, customer_id)
    url = f"/t/cardshop/my/bookings/{booking_id}/pay"
    await post_form(pages, url)
    stripe_proxy.requests.clear()
    answer = await post_form(pages, f"{url}/card", {"card": CARD})
    assert answer.status_code == 422
    assert [r for r in stripe_proxy.requests if r.method == "POST"] == []


async def test_rials_are_not_taken_by_card_and_the_offline_ways_are_named(runtime, pages, sign_in_customer,
                                                                         make_tenant):
    rials = await make_tenant("rialshop", currency="IRR", locales=["fa", "en"], default_locale="fa")
    await configure_stripe(runtime, rials)
    customer_id = await sign_in_customer(pages, rials)
    booking_id = await charged_job(runtime, rials, customer_id, amount_minor=25_000_000, currency="IRR")
    url = f"/t/rialshop/my/bookings/{booking_id}/pay"
    page = await pages.get(url, params={"lang": "en"})
    assert 'data-outcome="offline"' in page.text
    assert "does not accept payments in Iranian Rial" in page.text and "bank transfer" in page.text
    assert await post_form(pages, url) and await payments_of(runtime, rials) == []
    persian = await pages.get(url, params={"lang": "fa"})
    assert 'dir="rtl"' in persian.text and "۲۵٬۰۰۰٬۰۰۰" in persian.text


async def test_a_job_not_charged_yet_has_nothing_to_pay(runtime, pages, sign_in_customer, card_shop):
    from support.marketplace import add_booking, add_provider

    customer_id = await sign_in_customer(pages, card_shop)
    booking_id = await add_booking(runtime, card_shop, await add_provider(runtime, card_shop), customer_id,
                                   state="completed")
    page = await pages.get(f"/t/cardshop/my/bookings/{booking_id}/pay")
    assert 'data-outcome="nothing_due"' in page.text
    assert await post_form(pages, f"/t/cardshop/my/bookings/{booking_id}/pay")
    assert await payments_of(runtime, card_shop) == []


async def test_someone_elses_job_is_not_found(runtime, pages, sign_in_customer, card_shop, make_tenant):
    other_customer = await sign_in_customer(pages, card_shop)
    theirs = await charged_job(runtime, card_shop, other_customer)
    await sign_in_customer(pages, card_shop)
    assert (await pages.get(f"/t/cardshop/my/bookings/{theirs}/pay")).status_code == 404
    assert (await post_form(pages, f"/t/cardshop/my/bookings/{theirs}/pay")).status_code == 404
    other_tenant = await make_tenant("othershop")
    await sign_in_customer(pages, other_tenant)
    page = await pages.get(f"/t/othershop/my/bookings/{theirs}/pay")
    assert page.status_code == 404 and "Garage One" not in page.text
    assert await payments_of(runtime, card_shop) == []


async def test_paying_needs_a_signed_in_customer(pages, card_shop):
    import uuid

    answer = await pages.get(f"/t/cardshop/my/bookings/{uuid.uuid4()}/pay")
    assert answer.status_code == 303 and "/t/cardshop/sign-in?next=" in answer.headers["location"]
