"""Shared set-up for the pay pages' tests: a completed, charged job to pay, Stripe pointed at localstripe, and a
card tokenised the way Stripe.js does it in the browser (straight to Stripe with the publishable key)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import httpx
from sqlalchemy import update

from aftersales.marketplace.models import JobCharge, Provider
from support.marketplace import add_booking, add_provider
from support.stripe import PUBLISHABLE_KEY

FEE_SHARE = 10
"""The platform's fee in the test charges: a tenth of the charge."""


async def charged_job(runtime: Any, tenant: Any, customer_id: uuid.UUID, *, amount_minor: int = 230_00,
                      currency: str = "EUR", provider_name: str = "Garage One",
                      payout_account: str | None = None) -> uuid.UUID:
    """A completed job of a new provider for ``customer_id``, charged ``amount_minor``; the booking's id."""
    setup = await add_provider(runtime, tenant, name=provider_name, currency=currency, price_minor=amount_minor)
    booking_id = await add_booking(runtime, tenant, setup, customer_id, state="completed")
    fee = amount_minor // FEE_SHARE
    async with runtime.db.transaction(tenant.id) as s:
        if payout_account is not None:
            await s.execute(update(Provider).where(Provider.id == setup.provider_id)
                            .values(payout_account=payout_account))
        s.add(JobCharge(booking_id=booking_id, outcome="created", amount_minor=amount_minor, cap_minor=amount_minor,
                        currency=currency, platform_fee_minor=fee, provider_payout_minor=amount_minor - fee,
                        requested_by="test"))
    return booking_id


def use_stripe_at(runtime: Any, api_base: str) -> None:
    """Point the app serving ``runtime`` at a Stripe-compatible server (handlers read the runtime's settings)."""
    runtime.settings = replace(runtime.settings, stripe_api_base=api_base)


async def tokenised_card(api_base: str, number: str = "4242424242424242") -> str:
    """What Stripe.js's ``createToken`` gives the page for a card typed into Stripe's field: the card's
    reference at Stripe (``card_…``). The number goes to Stripe only."""
    async with httpx.AsyncClient(base_url=api_base) as http:
        answer = await http.post("/v1/tokens", data={"card[number]": number, "card[exp_month]": "12",
                                                     "card[exp_year]": "2034", "card[cvc]": "123",
                                                     "key": PUBLISHABLE_KEY})
        answer.raise_for_status()
        return answer.json()["card"]["id"]


async def paid_in_cash(runtime: Any, tenant: Any, customer_id: uuid.UUID, amount_minor: int, currency: str, *,
                       purpose: str = "repair") -> uuid.UUID:
    """A payment of ``customer_id`` that finance recorded in cash (captured at once); its id."""
    from aftersales.db.base import utcnow
    from aftersales.payments.customer_payments.services import NewPayment, start_payment

    async with runtime.db.transaction(tenant.id) as s:
        started = await start_payment(s, runtime.settings, NewPayment(
            customer_id=customer_id, purpose=purpose, amount_minor=amount_minor, currency=currency,
            provider="offline", method="cash"), actor="staff:finance", now=utcnow())
        return started.payment.id


async def verify_identity(runtime: Any, tenant: Any, customer_id: uuid.UUID, national_id: str, iban: str) -> None:
    """Staff verify the customer's national ID and confirm with the bank that the IBAN is theirs."""
    from aftersales.db.base import utcnow
    from aftersales.payments.refunds.identity import record_by_staff

    async with runtime.db.transaction(tenant.id) as s:
        await record_by_staff(s, customer_id, actor="staff:finance", now=utcnow(), national_id=national_id,
                              identity_verified=True, iban=iban, iban_owner_national_id=national_id)
