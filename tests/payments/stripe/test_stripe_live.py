"""Against Stripe's own test mode: what localstripe cannot show (Connect, idempotency, refund limits at Stripe).
Runs only when ``STRIPE_TEST_KEY`` (an ``sk_test_`` key of a Connect platform) is set; deselected otherwise.
``STRIPE_TEST_DESTINATION`` names a connected test account for the destination charge."""

from __future__ import annotations

import os
import uuid

import pytest
import stripe

from aftersales.contract.money import Money
from aftersales.payments.providers.base import PaymentOrder, RefundOrder
from aftersales.payments.providers.stripe import StripeProvider

pytestmark = pytest.mark.stripe_live


async def test_live_destination_charge_capture_and_idempotent_refund_at_stripe():
    client = stripe.StripeClient(os.environ["STRIPE_TEST_KEY"], http_client=stripe.HTTPXClient())
    provider = StripeProvider(client, uuid.uuid4(), "destination")
    destination = os.environ.get("STRIPE_TEST_DESTINATION")
    op = f"live-{uuid.uuid4()}"
    created = await provider.collect(PaymentOrder(uuid.uuid4(), op, Money(20_00, "EUR"), uuid.uuid4(), "live test",
                                                  "card", capture_manually=True, destination=destination,
                                                  application_fee=Money(3_00, "EUR") if destination else None))
    assert (await provider.confirm(created.provider_ref, "pm_card_visa", op)).state == "succeeded"
    assert (await provider.capture(created.provider_ref, Money(20_00, "EUR"), f"{op}:capture")).state == "succeeded"
    order = RefundOrder(uuid.uuid4(), created.provider_ref, f"refund:{uuid.uuid4()}", Money(5_00, "EUR"), "live",
                        reverse_transfer=destination is not None)
    first, second = await provider.refund(order), await provider.refund(order)
    assert first.provider_ref == second.provider_ref
    refunds = await client.v1.refunds.list_async({"payment_intent": created.provider_ref})
    assert [r.amount for r in refunds.data] == [5_00]
