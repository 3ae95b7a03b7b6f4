"""Payment providers behind one interface, each with explicit capabilities (the pretix pattern).

A provider moves money outside the platform (Stripe over HTTP; finance staff counting cash or clearing a cheque)
and tells the outcome; it never writes the ledger. The payment and refund services post the ledger from the
outcome, so the same invariants hold whichever provider moved the money. Every call carries our own operation id;
a provider that talks to a remote API derives its idempotency key from it, so a retry after a crash between the
provider call and the ledger write repeats the call without repeating the movement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal, Protocol

from aftersales.contract.money import Money

PROVIDERS = ("stripe", "offline")


@dataclass(frozen=True)
class Capabilities:
    """What a provider can do; the services ask, never guess."""

    refund: bool
    partial_refund: bool
    payouts: bool
    """Can split a payment to a marketplace provider (Stripe Connect destination charges)."""
    currencies: frozenset[str] | None = None
    """The currencies it takes; None for any."""


@dataclass(frozen=True)
class PaymentOrder:
    """A payment to collect."""

    payment_id: uuid.UUID
    operation_id: str
    amount: Money
    customer_id: uuid.UUID
    description: str
    method: str
    capture_manually: bool = False
    """Authorise now, capture later (a job paid after completion)."""
    destination: str | None = None
    """A marketplace provider's payout account (Connect); with ``application_fee`` the platform's share."""
    application_fee: Money | None = None


@dataclass(frozen=True)
class RefundOrder:
    """Money to give back on a payment the provider took."""

    payment_id: uuid.UUID
    payment_ref: str | None
    operation_id: str
    amount: Money
    reason: str
    reverse_transfer: bool = False
    """A marketplace payment: take the provider's share back proportionally (Connect)."""


@dataclass(frozen=True)
class ProviderOutcome:
    """What the provider did: ``succeeded``, ``pending`` (it will tell later: a webhook, a cheque clearing),
    ``requires_action`` (the customer must act: 3-D Secure), or ``failed`` with the reason."""

    state: Literal["succeeded", "pending", "requires_action", "failed"]
    provider_ref: str | None = None
    client_secret: str | None = None
    """For a card payment the customer confirms in the browser (Stripe.js)."""
    failure_reason: str = ""


class PaymentProvider(Protocol):
    """The interface each provider implements."""

    name: str
    capabilities: Capabilities

    def refusal(self, amount: Money, method: str) -> str | None:
        """Why this provider cannot take ``amount`` by ``method`` (Stripe and IRR), or None."""

    async def collect(self, order: PaymentOrder) -> ProviderOutcome:
        """Start collecting a payment (create and confirm a PaymentIntent; record an offline promise)."""

    async def capture(self, payment_ref: str, amount: Money, operation_id: str) -> ProviderOutcome:
        """Capture an authorised payment."""

    async def refund(self, order: RefundOrder) -> ProviderOutcome:
        """Give money back on a payment."""


