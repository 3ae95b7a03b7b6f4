"""Stripe as a payment provider: PaymentIntents (create, confirm, capture), Refunds, Connect destination charges.

Every POST carries ``Idempotency-Key: {tenant_id}:{operation_id}``, derived from our own operation id, so a retry
after a crash between the call and the ledger write repeats the request without repeating the movement. A refund
is additionally looked up by ``metadata[operation_id]`` among the PaymentIntent's refunds before it is created: the
retry then finds the first refund even where idempotency keys have expired (24 h at Stripe) or do not exist
(a local Stripe-compatible server).

The SDK's own async client (``StripeClient`` over httpx) is used on the event loop: no thread per call.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from typing import TYPE_CHECKING, Any

import stripe

from aftersales.contract.money import Money
from aftersales.db.session import bound_tenant
from aftersales.payments.providers.base import Capabilities, PaymentOrder, ProviderOutcome, RefundOrder
from aftersales.payments.stripe.accounts import StripeCredentials, credentials

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from aftersales.settings import Settings

UNSUPPORTED_CURRENCIES = frozenset({"IRR", "KPW", "SYP", "CUP", "SDG"})
"""Currencies of sanctioned countries Stripe does not process (absent from its list of presentment currencies)."""

_OUTCOMES: dict[str, str] = {
    "succeeded": "succeeded",
    "requires_capture": "succeeded",  # authorised: what a manual-capture collection asks for
    "processing": "pending",
    "requires_payment_method": "requires_action",
    "requires_confirmation": "requires_action",
    "requires_action": "requires_action",
    "canceled": "failed",
}


class StripeProvider:
    """One tenant's Stripe account, spoken to over Stripe's HTTP API."""

    name = "stripe"
    capabilities = Capabilities(refund=True, partial_refund=True, payouts=True)

    def __init__(self, client: stripe.StripeClient, tenant_id: uuid.UUID, connect_mode: str) -> None:
        self._client = client
        self._tenant_id = tenant_id
        self._connect = connect_mode == "destination"

    def refusal(self, amount: Money, method: str) -> str | None:
        if amount.currency in UNSUPPORTED_CURRENCIES:
            return (f"Stripe does not process {amount.currency}: take this payment offline "
                    f"(cash, bank transfer or cheque)")
        if method != "card":
            return f"Stripe takes card payments here, not {method}: {method} payments are recorded offline"
        return None

    def idempotency_key(self, operation_id: str) -> str:
        """The Idempotency-Key of the POST made for ``operation_id``."""
        return f"{self._tenant_id}:{operation_id}"

    def _options(self, operation_id: str) -> Any:
        return {"idempotency_key": self.idempotency_key(operation_id)}

    async def collect(self, order: PaymentOrder) -> ProviderOutcome:
        """Create the PaymentIntent (manual capture for a job); the customer confirms it in the browser with the
        returned client secret, or :meth:`confirm` confirms it with a saved payment method."""
        refused = self.refusal(order.amount, order.method)
        if refused:
            return ProviderOutcome("failed", failure_reason=refused)
        params: dict[str, Any] = {
            "amount": order.amount.amount_minor, "currency": order.amount.currency.lower(),
            "capture_method": "manual" if order.capture_manually else "automatic",
            "payment_method_types": ["card"],
            "metadata": {"payment_id": str(order.payment_id), "operation_id": order.operation_id,
                         "description": order.description[:500]},
        }
        if order.destination is not None:
            if not self._connect:
                return ProviderOutcome("failed", failure_reason="this tenant's Stripe account does not use Connect: "
                                                                "a marketplace job cannot be paid out through it")
            params["transfer_data"] = {"destination": order.destination}
            if order.application_fee is not None:
                params["application_fee_amount"] = order.application_fee.amount_minor
        intent = await self._client.v1.payment_intents.create_async(params, self._options(order.operation_id))
        return outcome_of(intent)

    async def confirm(self, payment_ref: str, payment_method: str, operation_id: str) -> ProviderOutcome:
        """Confirm a PaymentIntent server-side with a saved payment method (``pm_…``)."""
        await self._client.v1.payment_intents.update_async(
            payment_ref, {"payment_method": payment_method}, self._options(f"{operation_id}:payment_method"))
        intent = await self._client.v1.payment_intents.confirm_async(payment_ref, {},
                                                                     self._options(f"{operation_id}:confirm"))
        return outcome_of(intent)

    async def capture(self, payment_ref: str, amount: Money, operation_id: str) -> ProviderOutcome:
        """Capture ``amount`` of an authorised PaymentIntent (the rest of the authorisation is released)."""
        intent = await self._client.v1.payment_intents.capture_async(
            payment_ref, {"amount_to_capture": amount.amount_minor}, self._options(operation_id))
        return outcome_of(intent)

    async def cancel(self, payment_ref: str, operation_id: str) -> ProviderOutcome:
        """Release an authorisation that will not be captured."""
        intent = await self._client.v1.payment_intents.cancel_async(payment_ref, {}, self._options(operation_id))
        return outcome_of(intent)

    async def refund(self, order: RefundOrder) -> ProviderOutcome:
        """Refund ``order.amount`` of the PaymentIntent; a marketplace payment reverses the transfer and the
        application fee in proportion. A refund already made for ``order.operation_id`` is returned, not
        repeated."""
        if order.payment_ref is None:
            raise ValueError("a Stripe refund needs the PaymentIntent it gives money back from")
        existing = await self.refund_made_for(order.payment_ref, order.operation_id)
        if existing is not None:
            return _refund_outcome(existing)
        params: dict[str, Any] = {
            "payment_intent": order.payment_ref, "amount": order.amount.amount_minor,
            "metadata": {"operation_id": order.operation_id, "payment_id": str(order.payment_id),
                         "reason": order.reason[:500]},
        }
        if order.reverse_transfer and self._connect:
            params["reverse_transfer"] = True
            params["refund_application_fee"] = True
        refund = await self._client.v1.refunds.create_async(params, self._options(order.operation_id))
        return _refund_outcome(refund)

    async def refund_made_for(self, payment_ref: str, operation_id: str) -> Any | None:
        """The PaymentIntent's refund carrying ``metadata[operation_id]``, if one was made."""
        refunds = await self._client.v1.refunds.list_async({"payment_intent": payment_ref, "limit": 100})
        async for refund in refunds.auto_paging_iter():
            if (refund.to_dict().get("metadata") or {}).get("operation_id") == operation_id:
                return refund
        return None


def outcome_of(intent: Any) -> ProviderOutcome:
    """Our outcome for a PaymentIntent's status."""
    state = _OUTCOMES.get(intent.status, "pending")
    error = intent.to_dict().get("last_payment_error") or {}
    reason = "canceled at Stripe" if intent.status == "canceled" else str(error.get("message") or "")
    return ProviderOutcome(state, provider_ref=intent.id, client_secret=intent.client_secret,  # type: ignore[arg-type]
                           failure_reason=reason)


def _refund_outcome(refund: Any) -> ProviderOutcome:
    state = {"succeeded": "succeeded", "pending": "pending", "requires_action": "requires_action"}.get(
        refund.status, "failed")
    reason = "" if state != "failed" else str(refund.to_dict().get("failure_reason") or f"refund {refund.status}")
    return ProviderOutcome(state, provider_ref=refund.id, failure_reason=reason)  # type: ignore[arg-type]


_HTTP_CLIENTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, stripe.HTTPXClient] = weakref.WeakKeyDictionary()


def _http_client() -> stripe.HTTPXClient:
    """One pooled HTTP client per event loop, shared by every tenant's Stripe client (keys travel per request)."""
    loop = asyncio.get_running_loop()
    if loop not in _HTTP_CLIENTS:
        _HTTP_CLIENTS[loop] = stripe.HTTPXClient()
    return _HTTP_CLIENTS[loop]


def client_for(settings: Settings, creds: StripeCredentials) -> stripe.StripeClient:
    """An async Stripe client for one tenant's key, at the configured API base. The SDK retries a failed
    connection twice with the same idempotency key."""
    return stripe.StripeClient(creds.secret_key, base_addresses={"api": settings.stripe_api_base},
                               http_client=_http_client(), max_network_retries=2)


async def stripe_provider(session: AsyncSession, settings: Settings) -> StripeProvider:
    """The session's tenant's Stripe provider.

    :raises aftersales.errors.Conflict: the tenant has not configured Stripe.
    """
    creds = await credentials(session, settings)
    tenant_id = bound_tenant(session)
    assert tenant_id is not None, "a Stripe provider belongs to one tenant"
    return StripeProvider(client_for(settings, creds), tenant_id, creds.connect_mode)
