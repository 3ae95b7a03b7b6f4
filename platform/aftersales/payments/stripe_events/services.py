"""Stripe webhook events: verified on the raw body, de-duplicated by event id, applied to the payment and the
ledger in any order.

An event is turned into :class:`Facts` (what Stripe says is now true of one PaymentIntent), and
:func:`apply_facts` makes the payment and the ledger agree with them. Every ledger posting uses the operation ids
of the synchronous path (``{payment.operation_id}:charge`` / ``:capture`` / ``:split``, ``refund:{request id}``
from a refund's ``metadata[operation_id]``, else ``stripe:{re_id}`` for a refund made outside us), so an event
that repeats what a response already told posts nothing new. Facts are cumulative, not deltas: a
``charge.refunded`` that arrives before ``payment_intent.succeeded`` carries the capture it implies, so the ledger
ends the same whatever the order, and a payment's state only moves forward.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import AftersalesError, Conflict
from aftersales.payments.customer_payments import services as payments
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger import splits
from aftersales.payments.ledger.models import LedgerEntry, Payment
from aftersales.payments.ledger.services import Posting
from aftersales.payments.refunds import execution as refund_execution
from aftersales.payments.stripe.models import StripeEvent
from aftersales.tenancy.current import CurrentTenant

logger = logging.getLogger("aftersales.payments.stripe")

HANDLED = frozenset({
    "payment_intent.amount_capturable_updated", "payment_intent.succeeded", "payment_intent.payment_failed",
    "payment_intent.canceled", "charge.refunded", "refund.created", "refund.updated", "charge.refund.updated",
})
STATE_RANK = {"pending": 0, "requires_action": 1, "failed": 2, "authorized": 3, "captured": 4, "canceled": 4}
"""A payment's state moves only to a higher rank: a late ``payment_failed`` never undoes a success."""
ACTOR = "stripe:webhook"


class WebhookRefused(AftersalesError):
    """A webhook delivery that is not a genuine, fresh, known Stripe event: answered 400, nothing changed."""

    title = "Webhook refused"


@dataclass(frozen=True)
class RefundFact:
    """One refund of a PaymentIntent, as Stripe reports it."""

    refund_ref: str
    amount_minor: int
    status: str
    operation_id: str | None


@dataclass(frozen=True)
class Facts:
    """What an event says is true of one PaymentIntent now (cumulative, never a delta)."""

    payment_ref: str
    state: str | None = None
    state_reason: str = ""
    authorized: bool = False
    captured_minor: int | None = None
    refunds: tuple[RefundFact, ...] = field(default=())


def verify(payload: bytes, signature: str | None, secret: str, *, tenant: str) -> dict[str, Any]:
    """The event in ``payload`` if its ``Stripe-Signature`` is valid for ``secret``, no older than the SDK's
    tolerance (300 s), and of a type we handle.

    :raises WebhookRefused: otherwise (logged).
    """
    try:
        event = stripe.Webhook.construct_event(payload, signature or "", secret)
    except stripe.SignatureVerificationError as exc:
        logger.warning("Stripe webhook refused for tenant %s: %s", tenant, exc)
        raise WebhookRefused(f"the Stripe signature is invalid or too old: {exc}") from None
    except ValueError:
        logger.warning("Stripe webhook refused for tenant %s: the body is not JSON", tenant)
        raise WebhookRefused("the body is not a JSON Stripe event") from None
    if event.type not in HANDLED:
        logger.warning("Stripe webhook refused for tenant %s: unknown event type %s (%s)", tenant, event.type,
                       event.id)
        raise WebhookRefused(f"event type {event.type!r} is not one this endpoint handles")
    return event.to_dict()


def facts_of(event: dict[str, Any]) -> Facts:
    """What ``event`` tells about its PaymentIntent."""
    kind, obj = event["type"], event["data"]["object"]
    if kind.startswith("payment_intent."):
        amount_received = obj.get("amount_received") or obj["amount"]
        if kind == "payment_intent.succeeded":
            return Facts(obj["id"], "captured", authorized=True, captured_minor=amount_received)
        if kind == "payment_intent.amount_capturable_updated":
            return Facts(obj["id"], "authorized", authorized=True)
        if kind == "payment_intent.canceled":
            return Facts(obj["id"], "canceled", obj.get("cancellation_reason") or "canceled at Stripe")
        error = obj.get("last_payment_error") or {}
        return Facts(obj["id"], "failed", str(error.get("message") or "the payment failed"))
    if kind == "charge.refunded":
        captured = obj.get("amount_captured") or (obj["amount"] if obj.get("captured") else None)
        refunds = tuple(_refund_fact(r) for r in (obj.get("refunds") or {}).get("data", []))
        return Facts(obj["payment_intent"], "captured" if captured else None, authorized=True,
                     captured_minor=captured, refunds=refunds)
    return Facts(obj["payment_intent"], refunds=(_refund_fact(obj),))


def _refund_fact(refund: dict[str, Any]) -> RefundFact:
    return RefundFact(refund["id"], refund["amount"], refund["status"],
                      (refund.get("metadata") or {}).get("operation_id"))


async def receive(session: AsyncSession, tenant: CurrentTenant, event: dict[str, Any], now: datetime) -> str:
    """Apply a verified event once: a repeated event id changes nothing.

    :raises Conflict: the event names a payment not (yet) recorded, the ledger refuses it (a refund of money not
        yet known to be captured), or another delivery of it is being applied right now; nothing is written, and
        Stripe delivers it again later.
    """
    if await session.scalar(select(StripeEvent.id).where(StripeEvent.event_id == event["id"])) is not None:
        return "duplicate: already processed"
    record = StripeEvent(event_id=event["id"], type=event["type"], outcome="received", received_at=now)
    session.add(record)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"event {event['id']} is being processed by another delivery") from None
    facts = facts_of(event)
    payment = await session.scalar(select(Payment).where(Payment.provider == "stripe",
                                                         Payment.provider_ref == facts.payment_ref))
    if payment is None:
        raise Conflict(f"no payment for {facts.payment_ref} is recorded yet; deliver the event again later")
    record.payment_id = payment.id
    record.outcome = await apply_facts(session, payment, facts, actor=ACTOR,
                                       reason=f"Stripe {event['type']} {event['id']}", now=now)
    for refund in facts.refunds:
        refund_id = _refund_request_id(refund.operation_id or "")
        if refund.status == "succeeded" and refund_id is not None:
            await refund_execution.confirm_processing(session, tenant, refund_id, actor=ACTOR,
                                                      provider_ref=refund.refund_ref, now=now)
    await session.flush()
    return record.outcome


async def apply_facts(session: AsyncSession, payment: Payment, facts: Facts, *, actor: str, reason: str,
                      now: datetime) -> str:
    """Make the payment's state and ledger agree with ``facts``; what was new, in words."""
    done: list[str] = []
    if facts.state and STATE_RANK[facts.state] > STATE_RANK.get(payment.state, 0):
        payment.state, payment.state_reason, payment.updated_at = facts.state, facts.state_reason, now
        done.append(f"state {facts.state}")
        if facts.state == "failed":
            await payments.announce_failure(session, payment, now)

    def posting(operation_id: str, **extra: Any) -> Posting:
        return Posting(actor, reason, operation_id, now, **extra)

    async def post(post_fn: Any, amount: int, operation_id: str, **extra: Any) -> None:
        new = not await _posted(session, operation_id)
        await post_fn(session, payment.id, amount, posting(operation_id, **extra))  # a replay is refused if it differs
        if new:
            done.append(f"{post_fn.__name__.removeprefix('post_')} {amount}")

    if facts.authorized:
        await post(ledger.post_charge, payment.amount_minor, f"{payment.operation_id}:charge")
    if facts.captured_minor:
        await post(ledger.post_capture, facts.captured_minor, f"{payment.operation_id}:capture")
        await payments.after_capture(session, payment, posting(f"{payment.operation_id}:capture"))
        if payment.state == "captured":
            await payments.announce_capture(session, payment, now)
    for refund in facts.refunds:
        if refund.status != "succeeded":
            continue
        operation_id = refund.operation_id or f"stripe:{refund.refund_ref}"
        refund_id = _refund_request_id(operation_id)
        await post(ledger.post_refund, refund.amount_minor, operation_id, refund_id=refund_id,
                   provider_ref=refund.refund_ref)
        await splits.reverse_split(session, payment.id, posting=posting(operation_id, refund_id=refund_id))
    return ", ".join(done) or "nothing new"


async def _posted(session: AsyncSession, operation_id: str) -> bool:
    return await session.scalar(select(LedgerEntry.id).where(LedgerEntry.operation_id == operation_id)) is not None


def _refund_request_id(operation_id: str) -> uuid.UUID | None:
    prefix, _, rest = operation_id.partition(":")
    if prefix != "refund":
        return None
    try:
        return uuid.UUID(rest)
    except ValueError:
        return None
