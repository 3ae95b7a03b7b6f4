"""Finance's steps on a refund: approve, reject, execute.

Execution moves the money and posts the ledger under the operation id ``refund:{id}``, so a retry after a
crash between the provider call and the ledger write repeats both without repeating either (the provider
derives its idempotency key from the operation id, the ledger replays the entry):

* ``original_payment``: the payment's provider refunds it, then the REFUND entry is posted (and, for a
  marketplace job, the provider's payout and the platform's fee are taken back in proportion);
* ``wallet``: a REFUND entry on the payment, if there is one, and a wallet credit (``refund:{id}:wallet``);
* ``bank_transfer``: finance sent the money to the customer's IBAN and records the bank's reference; a wallet
  balance refund debits the wallet, a payment refund posts a REFUND entry on the payment.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import RefundMethod
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import Posting
from aftersales.payments.providers.registry import provider_for
from aftersales.payments.refunds.models import Refund
from aftersales.payments.refunds.services import notify, record
from aftersales.payments.refunds.through_provider import post_refund, refund_through
from aftersales.settings import Settings
from aftersales.tenancy.current import CurrentTenant


class RefundFailed(Conflict):
    """The provider refused to refund; the failure is on the refund's timeline and nothing moved."""


async def _refund(session: AsyncSession, refund_id: uuid.UUID) -> Refund:
    refund = await session.scalar(select(Refund).where(Refund.id == refund_id))
    if refund is None:
        raise NotFound("no such refund")
    return refund


async def approve(session: AsyncSession, tenant: CurrentTenant, refund_id: uuid.UUID, *, actor: str, note: str,
                  now: datetime) -> Refund:
    """Finance approves a refund that waits for it.

    :raises Conflict: the refund is not awaiting approval.
    """
    refund = await _refund(session, refund_id)
    if refund.state != "awaiting_approval":
        raise Conflict(f"the refund is {refund.state.replace('_', ' ')}, not awaiting approval")
    _decide(refund, "approved", actor, note, now)
    await record(session, refund, actor, "approved", now, note or "approved by finance")
    await notify(session, tenant, refund, "approved", now)
    return refund


async def reject(session: AsyncSession, tenant: CurrentTenant, refund_id: uuid.UUID, *, actor: str, note: str,
                 now: datetime) -> Refund:
    """Finance rejects a refund not yet paid, saying why (the customer is told).

    :raises InvalidInput: no note. :raises Conflict: the refund is not awaiting approval or approved.
    """
    if not note.strip():
        raise InvalidInput("a rejection says why", [FieldError("note", "required when rejecting")])
    refund = await _refund(session, refund_id)
    if refund.state not in ("awaiting_approval", "approved"):
        raise Conflict(f"the refund is {refund.state.replace('_', ' ')}: it can no longer be rejected")
    _decide(refund, "rejected", actor, note, now)
    await record(session, refund, actor, "rejected", now, note)
    await notify(session, tenant, refund, "rejected", now)
    return refund


def _decide(refund: Refund, state: str, actor: str, note: str, now: datetime) -> None:
    refund.state, refund.decided_by, refund.decided_at, refund.decision_note = state, actor, now, note
    refund.updated_at = now


async def execute(session: AsyncSession, settings: Settings, tenant: CurrentTenant, refund_id: uuid.UUID, *,
                  actor: str, reference: str | None, now: datetime) -> Refund:
    """Pay an approved refund out and post the ledger.

    :raises InvalidInput: a bank transfer without its reference.
    :raises Conflict: the refund is not approved, or the payment cannot give that much back.
    :raises RefundFailed: the provider refused; the failure is recorded (commit before answering).
    """
    refund = await _refund(session, refund_id)
    if refund.state != "approved":
        raise Conflict(f"the refund is {refund.state.replace('_', ' ')}, not approved")
    method = RefundMethod(refund.method)
    if method is RefundMethod.BANK_TRANSFER and not (reference or "").strip():
        raise InvalidInput("a bank transfer is executed with its reference",
                           [FieldError("reference", "the bank's reference of the transfer to the customer")])
    amount = Money(refund.amount_minor, refund.currency)
    operation = f"refund:{refund.id}"
    posting = Posting(actor, f"refund {refund.id} ({refund.source}, {method.value})", operation, now,
                      refund_id=refund.id, provider_ref=reference)
    payment = await session.scalar(select(Payment).where(Payment.id == refund.payment_id)) if refund.payment_id else None
    if payment is not None:
        refundable = (await ledger.payment_totals(session, payment.id)).refundable
        if amount > refundable:
            raise Conflict(f"the payment can give back {refundable} at most, not {amount}")
    if method is RefundMethod.ORIGINAL_PAYMENT:
        assert payment is not None
        provider = await provider_for(session, settings, payment.provider)
        outcome = await refund_through(session, provider, payment, amount.amount_minor, posting)
        if outcome.state == "failed":
            await record(session, refund, actor, "execution_failed", now, outcome.failure_reason or "refused")
            raise RefundFailed(f"the payment provider refused the refund: {outcome.failure_reason or 'no reason'}")
        refund.reference = outcome.provider_ref
        if outcome.state != "succeeded":
            refund.state, refund.updated_at = "processing", now
            await record(session, refund, actor, "processing", now, f"the provider will confirm ({outcome.state})")
            await notify(session, tenant, refund, "processing", now)
            return refund
    elif method is RefundMethod.WALLET:
        if payment is not None:
            await post_refund(session, payment, amount.amount_minor, posting)
        await ledger.credit_wallet(session, refund.customer_id, amount,
                                   Posting(actor, posting.reason, f"{operation}:wallet", now, refund_id=refund.id),
                                   payment_id=payment.id if payment else None)
    else:
        refund.reference = reference
        if refund.source == "wallet_balance":
            await ledger.debit_wallet(session, refund.customer_id, amount, posting)
        elif payment is not None:
            await post_refund(session, payment, amount.amount_minor, posting)
    refund.state, refund.executed_by, refund.executed_at, refund.updated_at = "executed", actor, now, now
    await record(session, refund, actor, "executed", now, f"{amount} paid by {method.value}"
                 + (f", reference {refund.reference}" if refund.reference else ""))
    await notify(session, tenant, refund, "executed", now)
    return refund


async def confirm_processing(session: AsyncSession, tenant: CurrentTenant, refund_id: uuid.UUID, *, actor: str,
                             provider_ref: str | None, now: datetime) -> Refund | None:
    """The provider confirmed a refund it had left pending (a Stripe webhook, after the ledger entry under
    ``refund:{id}`` is posted): the refund is executed and the customer told. None if it was not processing."""
    refund = await session.scalar(select(Refund).where(Refund.id == refund_id))
    if refund is None or refund.state != "processing":
        return None
    refund.state, refund.executed_by, refund.executed_at, refund.updated_at = "executed", actor, now, now
    refund.reference = refund.reference or provider_ref
    await record(session, refund, actor, "executed", now,
                 f"{Money(refund.amount_minor, refund.currency)} confirmed by the payment provider"
                 + (f", reference {refund.reference}" if refund.reference else ""))
    await notify(session, tenant, refund, "executed", now)
    return refund
