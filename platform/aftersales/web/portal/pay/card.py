"""A card payment as the pay page sees it: whether the tenant's Stripe account can take an amount, where Stripe.js
is, and bringing a payment up to what Stripe says of its PaymentIntent.

The browser hands card details to Stripe.js only; our server sees a Stripe reference (``card_…``), never a card
number. What Stripe answers is applied with :func:`aftersales.payments.stripe_events.services.apply_facts`, the function
the webhook uses, so the page's return and a later webhook delivery post the same entries once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.payments.ledger.models import Payment
from aftersales.payments.providers.stripe import UNSUPPORTED_CURRENCIES, client_for, stripe_provider
from aftersales.payments.stripe import accounts as stripe_accounts
from aftersales.payments.stripe_events import services as stripe_webhooks
from aftersales.settings import STRIPE_API, Settings

STRIPE_JS = "https://js.stripe.com/v3/"
EVENT_OF_STATUS = {
    "requires_capture": "payment_intent.amount_capturable_updated",
    "succeeded": "payment_intent.succeeded",
    "canceled": "payment_intent.canceled",
}
"""A PaymentIntent's status → the webhook event that reports it (so the webhook's reading of it is reused)."""
ACTOR = "portal:card"
CARD_REF = re.compile(r"^(card|pm)_[A-Za-z0-9]{1,100}$")
"""What Stripe.js hands back for a card: a reference to it at Stripe, never its number."""
WAITING = ("pending", "requires_action")
"""A card payment in these states waits for the customer's card."""


def stripe_js_url(settings: Settings) -> str:
    """Stripe.js: Stripe's own, or ``/js.stripe.com/v3/`` of a local Stripe-compatible server (localstripe)
    when the API is not Stripe's."""
    base = settings.stripe_api_base.rstrip("/")
    return STRIPE_JS if base == STRIPE_API else f"{base}/js.stripe.com/v3/"


@dataclass(frozen=True)
class CardTerms:
    """Whether a card can pay ``currency`` here; why not (``currency``: Stripe refuses it, ``not_configured``:
    the tenant has no Stripe account); the publishable key Stripe.js needs."""

    accepted: bool
    refusal: str | None = None
    publishable_key: str = ""


async def card_terms(session: AsyncSession, currency: str) -> CardTerms:
    """Whether the session's tenant takes a card payment in ``currency``."""
    if currency in UNSUPPORTED_CURRENCIES:
        return CardTerms(False, "currency")
    account = await stripe_accounts.configured_account(session)
    if account is None:
        return CardTerms(False, "not_configured")
    return CardTerms(True, publishable_key=account.publishable_key)


async def _client(session: AsyncSession, settings: Settings) -> Any:
    return client_for(settings, await stripe_accounts.credentials(session, settings))


async def intent_of(session: AsyncSession, settings: Settings, payment: Payment) -> Any:
    """The payment's PaymentIntent as Stripe has it now."""
    client = await _client(session, settings)
    return await client.v1.payment_intents.retrieve_async(payment.provider_ref or "")


async def sync(session: AsyncSession, settings: Settings, payment: Payment, now: datetime) -> Any:
    """Ask Stripe how the payment's PaymentIntent stands and apply it to the payment and the ledger, as its
    webhook event would; returns the PaymentIntent (its ``client_secret`` for a payment still to confirm)."""
    intent = await intent_of(session, settings, payment)
    await apply_intent(session, payment, intent, now)
    return intent


async def apply_intent(session: AsyncSession, payment: Payment, intent: Any, now: datetime) -> None:
    """Apply what ``intent`` says (authorised, captured, canceled, failed) to ``payment``; nothing while it
    waits for the customer."""
    body = intent.to_dict()
    kind = EVENT_OF_STATUS.get(body["status"])
    if kind is None and body.get("last_payment_error"):
        kind = "payment_intent.payment_failed"
    if kind is None:
        return
    facts = stripe_webhooks.facts_of({"type": kind, "data": {"object": body}})
    await stripe_webhooks.apply_facts(session, payment, facts, actor=ACTOR,
                                      reason=f"card payment confirmed on the page ({body['status']})", now=now)


async def confirm_with_card(session: AsyncSession, settings: Settings, payment: Payment, card_ref: str,
                            now: datetime) -> Any:
    """Confirm the payment's PaymentIntent with the card Stripe.js tokenised (``card_…``/``pm_…``) and apply
    Stripe's answer; it may still ask for 3-D Secure (``requires_action``), which Stripe.js then handles."""
    provider = await stripe_provider(session, settings)
    await provider.confirm(payment.provider_ref or "", card_ref, f"{payment.operation_id}:card:{card_ref}")
    return await sync(session, settings, payment, now)


async def confirm_for_page(session: AsyncSession, settings: Settings, payment: Payment, card_ref: str,
                           now: datetime) -> dict[str, Any]:
    """What the page's script is told after confirming ``payment`` with ``card_ref``: the payment's state, and
    the client secret when 3-D Secure is still to do. A declined card is an answer (``failed``), not an error:
    Stripe keeps the reason on the PaymentIntent."""
    try:
        intent = await confirm_with_card(session, settings, payment, card_ref, now)
    except stripe.StripeError:
        intent = await sync(session, settings, payment, now)
    return {"state": payment.state,
            "client_secret": intent.client_secret if intent.status == "requires_action" else None}
