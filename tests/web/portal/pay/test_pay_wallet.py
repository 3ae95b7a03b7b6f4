"""``/my/wallet``: store credit in the tenant's money and a card top-up through Stripe (credited once captured);
amounts read in the reader's digits and decimal sign, refused beside the field (422, nothing written) when they
are not an amount this currency has; rials say how to top up at the office; someone else's top-up is a 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.payments.ledger.models import Payment
from support.pages import post_form
from support.pay import charged_job, tokenised_card, use_stripe_at
from support.stripe import configure_stripe


async def payments_of(runtime, tenant) -> list[Payment]:
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(Payment)))


@pytest.fixture
async def card_shop(runtime, make_tenant, localstripe):
    tenant = await make_tenant("walletshop")
    await configure_stripe(runtime, tenant)
    use_stripe_at(runtime, localstripe)
    return tenant


async def test_a_card_top_up_is_credited_to_the_store_credit(runtime, pages, sign_in_customer, card_shop,
                                                             localstripe):
    await sign_in_customer(pages, card_shop)
    empty = await pages.get("/t/walletshop/my/wallet")
    assert empty.status_code == 200 and "€0.00" in empty.text and 'name="amount"' in empty.text
    started = await post_form(pages, "/t/walletshop/my/wallet/top-ups", {"amount": "25.50"})
    assert started.status_code == 303
    top_up = started.headers["location"]
    form = await pages.get(top_up)
    assert 'data-stage="card"' in form.text and 'id="card-form"' in form.text and "€25.50" in form.text
    answer = await post_form(pages, f"{top_up}/card", {"card": await tokenised_card(localstripe)})
    assert answer.json() == {"state": "captured", "client_secret": None, "next": top_up}
    assert 'data-outcome="credited"' in (await pages.get(top_up)).text
    wallet = await pages.get("/t/walletshop/my/wallet")
    assert '<dd class="balance">€25.50</dd>' in wallet.text and "Added" in wallet.text


@pytest.mark.parametrize(("typed", "reason"), [
    ("", "Enter the amount to add."),
    ("fifty", "Enter the amount as a number"),
    ("0", "Enter an amount above zero."),
    ("10.001", "no smaller units than €0.01"),
    ("1000000", "The most you can add at once is €999,999.99."),
])
async def test_an_amount_that_is_not_one_is_refused_beside_the_field(runtime, pages, sign_in_customer, card_shop,
                                                                      typed, reason):
    await sign_in_customer(pages, card_shop)
    answer = await post_form(pages, "/t/walletshop/my/wallet/top-ups", {"amount": typed})
    assert answer.status_code == 422
    assert reason in answer.text and 'id="amount-error"' in answer.text
    assert await payments_of(runtime, card_shop) == []


async def test_the_largest_top_up_is_taken(runtime, pages, sign_in_customer, card_shop):
    await sign_in_customer(pages, card_shop)
    answer = await post_form(pages, "/t/walletshop/my/wallet/top-ups", {"amount": "999999.99"})
    assert answer.status_code == 303
    [payment] = await payments_of(runtime, card_shop)
    assert (payment.purpose, payment.amount_minor) == ("wallet_top_up", 99_999_999)


async def test_georgian_decimal_comma_is_read(runtime, pages, sign_in_customer, make_tenant, localstripe):
    lari = await make_tenant("larishop", currency="GEL", locales=["ka", "en"], default_locale="ka")
    await configure_stripe(runtime, lari)
    use_stripe_at(runtime, localstripe)
    await sign_in_customer(pages, lari)
    answer = await post_form(pages, "/t/larishop/my/wallet/top-ups", {"amount": "12,50"})
    assert answer.status_code == 303
    [payment] = await payments_of(runtime, lari)
    assert (payment.amount_minor, payment.currency) == (12_50, "GEL")


async def test_rials_are_topped_up_at_the_office(runtime, pages, sign_in_customer, make_tenant):
    rials = await make_tenant("rialwallet", currency="IRR")
    await configure_stripe(runtime, rials)
    await sign_in_customer(pages, rials)
    page = await pages.get("/t/rialwallet/my/wallet")
    assert 'data-outcome="offline"' in page.text and 'name="amount"' not in page.text
    assert (await post_form(pages, "/t/rialwallet/my/wallet/top-ups", {"amount": "500000"})).status_code == 422
    assert await payments_of(runtime, rials) == []


async def test_someone_elses_top_up_and_a_job_payment_are_not_top_ups_of_mine(runtime, pages, sign_in_customer,
                                                                             card_shop, make_tenant):
    await sign_in_customer(pages, card_shop)
    theirs = (await post_form(pages, "/t/walletshop/my/wallet/top-ups", {"amount": "5"})).headers["location"]
    me = await sign_in_customer(pages, card_shop)
    assert (await pages.get(theirs)).status_code == 404
    assert (await post_form(pages, f"{theirs}/card", {"card": "card_x"})).status_code == 404
    booking_id = await charged_job(runtime, card_shop, me)
    await post_form(pages, f"/t/walletshop/my/bookings/{booking_id}/pay")
    job = next(p for p in await payments_of(runtime, card_shop) if p.purpose == "job")
    assert (await pages.get(f"/t/walletshop/my/wallet/top-ups/{job.id}")).status_code == 404
    await sign_in_customer(pages, await make_tenant("thirdwallet"))
    payment_id = theirs.rsplit("/", 1)[1]
    assert (await pages.get(f"/t/thirdwallet/my/wallet/top-ups/{payment_id}")).status_code == 404
