"""Shared set-up for the Stripe tests: a tenant's Stripe account, Stripe payments, and events signed the way
Stripe signs them (``Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.payments.ledger.models import LedgerEntry, Payment
from aftersales.payments.providers.stripe import StripeProvider, stripe_provider
from aftersales.payments.stripe import accounts as stripe_accounts

SECRET_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
PUBLISHABLE_KEY = "pk_test_TYooMQauvdEDq54NiTphI7jx"
TEST_CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}


def webhook_secret(tenant: Any) -> str:
    return f"whsec_{tenant.slug}_{'x' * 24}"


async def configure_stripe(runtime: Any, tenant: Any, *, connect_mode: str = "off") -> str:
    """Give ``tenant`` Stripe test keys; returns its webhook signing secret."""
    secret = webhook_secret(tenant)
    async with runtime.db.transaction(tenant.id) as s:
        await stripe_accounts.set_credentials(s, stripe_accounts.credentials_box(runtime.settings),
                                              secret_key=SECRET_KEY, webhook_secret=secret,
                                              publishable_key=PUBLISHABLE_KEY, connect_mode=connect_mode,
                                              actor="test", now=utcnow())
    return secret


async def provider(runtime: Any, tenant: Any, api_base: str) -> StripeProvider:
    """The tenant's Stripe provider, talking to ``api_base``."""
    async with runtime.db.transaction(tenant.id) as s:
        return await stripe_provider(s, replace(runtime.settings, stripe_api_base=api_base))


async def add_stripe_payment(runtime: Any, tenant: Any, customer_id: uuid.UUID, amount_minor: int,
                             payment_ref: str, *, purpose: str = "repair", details: dict[str, Any] | None = None,
                             currency: str = "EUR") -> Payment:
    """A Stripe payment row as the payment service writes it before Stripe answers (no ledger entries yet)."""
    async with runtime.db.transaction(tenant.id) as s:
        payment = Payment(customer_id=customer_id, provider="stripe", method="card", purpose=purpose,
                          amount_minor=amount_minor, currency=currency, state="pending", provider_ref=payment_ref,
                          operation_id=f"pay-{uuid.uuid4()}", created_by="test", details=details or {})
        s.add(payment)
        await s.flush()
        return payment


async def ledger_of(runtime: Any, tenant: Any, payment_id: uuid.UUID) -> list[tuple[str, int, str]]:
    """The payment's entries as (kind, amount, operation id), sorted (order of arrival aside)."""
    async with runtime.db.transaction(tenant.id) as s:
        rows = await s.scalars(select(LedgerEntry).where(LedgerEntry.payment_id == payment_id))
        return sorted((e.kind, e.amount_minor, e.operation_id) for e in rows)


async def payment_state(runtime: Any, tenant: Any, payment_id: uuid.UUID) -> str:
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalar(select(Payment.state).where(Payment.id == payment_id))) or ""


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header for ``payload``, made at ``timestamp`` (now by default)."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(kind: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """A Stripe event around ``obj``."""
    return {"id": event_id or f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": kind,
            "api_version": "2025-03-31.basil", "created": int(time.time()), "livemode": False,
            "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None}, "data": {"object": obj}}


def intent(pi: str, amount: int, status: str, *, received: int = 0, capture_method: str = "manual",
           error: str | None = None) -> dict[str, Any]:
    return {"id": pi, "object": "payment_intent", "amount": amount, "amount_received": received,
            "amount_capturable": amount if status == "requires_capture" else 0, "currency": "eur",
            "capture_method": capture_method, "status": status, "latest_charge": f"ch_{pi[3:]}",
            "last_payment_error": {"message": error} if error else None, "metadata": {}}


def refund_obj(pi: str, re: str, amount: int, operation_id: str | None = None, status: str = "succeeded") -> dict:
    return {"id": re, "object": "refund", "amount": amount, "charge": f"ch_{pi[3:]}", "currency": "eur",
            "payment_intent": pi, "status": status,
            "metadata": {"operation_id": operation_id} if operation_id else {}}


def charge_obj(pi: str, amount: int, captured: int, refunds: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": f"ch_{pi[3:]}", "object": "charge", "amount": amount, "amount_captured": captured,
            "amount_refunded": sum(r["amount"] for r in refunds), "captured": True, "currency": "eur",
            "payment_intent": pi, "refunded": sum(r["amount"] for r in refunds) == captured, "status": "succeeded",
            "refunds": {"object": "list", "data": refunds, "has_more": False}}


async def post_event(client: Any, tenant: Any, body: dict[str, Any], secret: str,
                     timestamp: int | None = None) -> Any:
    """Deliver ``body`` to the tenant's webhook endpoint as Stripe does."""
    payload = json.dumps(body).encode()
    return await client.post(f"/api/v1/payments/stripe/webhook/{tenant.id}", content=payload,
                             headers={"Stripe-Signature": sign(payload, secret, timestamp),
                                      "Content-Type": "application/json"})
