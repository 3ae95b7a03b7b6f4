"""Payments: start one through a provider, record what the provider says, capture, cancel, read.

A payment is written with its CHARGE entry before the provider is asked, and the provider's outcome is applied
with :func:`apply_outcome`, the same function the Stripe webhook calls when it learns an outcome later. The
ledger entries an outcome posts carry fixed operation ids (``{payment.operation_id}:capture`` and so on, see
``docs/payments/payments.md``), so the synchronous answer and a webhook delivering the same news post one entry.

What a capture sets off depends on the purpose: a wallet top-up credits the customer's wallet, a marketplace job
splits into the provider's payout and the platform's fee. Paying with store credit (method ``wallet``) debits the
wallet and captures in one transaction, never taking the wallet below zero.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.outbox.events import PaymentCaptured, PaymentFailed
from aftersales.outbox.webhooks import emit
from aftersales.payments import access
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger import splits
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import Posting
from aftersales.payments.providers.base import PROVIDERS, PaymentOrder, ProviderOutcome
from aftersales.payments.providers.registry import provider_for
from aftersales.service.quotes import services as service_quotes
from aftersales.settings import Settings

PURPOSES = ("job", "repair", "order", "wallet_top_up")
STATES = ("pending", "requires_action", "authorized", "captured", "failed", "canceled", "bounced")
LIVE_STATES = ("pending", "requires_action", "authorized", "captured")
"""A payment in one of these states is (or may become) money received: a job has at most one."""
CANCELABLE = ("pending", "requires_action", "authorized")
REQUEST_SUBJECT = "service_request"
"""The ``subject_type`` of a repair paid for a service request; its accepted quote caps what is paid."""
OFFLINE_SUGGESTION = "pay offline instead (cash, bank transfer or cheque, recorded by finance staff)"


@dataclass(frozen=True)
class NewPayment:
    """What a customer is to pay: for what, how much, through which provider and method."""

    customer_id: uuid.UUID
    purpose: str
    amount_minor: int
    currency: str
    provider: str
    method: str
    subject_type: str | None = None
    subject_id: uuid.UUID | None = None
    reference: str | None = None
    """The bank reference of a transfer or the number of a cheque (offline)."""
    details: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Started:
    """A payment just started, and what the customer may still have to do (confirm a card: ``client_secret``)."""

    payment: Payment
    client_secret: str | None = None


def payment_errors(new: NewPayment) -> list[FieldError]:
    """Every rule ``new`` breaks that does not depend on the provider's answer."""
    errors = []
    if new.purpose not in PURPOSES:
        errors.append(FieldError("purpose", f"must be one of {', '.join(PURPOSES)}"))
    if isinstance(new.amount_minor, bool) or not isinstance(new.amount_minor, int) or new.amount_minor <= 0:
        errors.append(FieldError("amount_minor", "must be a positive whole number of minor units"))
    try:
        Money(0, new.currency)
    except ValueError:
        errors.append(FieldError("currency", "is not an ISO 4217 currency code"))
    else:
        if isinstance(new.amount_minor, int) and not isinstance(new.amount_minor, bool):
            errors += beyond_cap("amount_minor", Money(new.amount_minor, new.currency))
    if new.provider not in (*PROVIDERS, "wallet"):
        errors.append(FieldError("provider", f"must be one of {', '.join((*PROVIDERS, 'wallet'))}"))
    elif (new.provider == "wallet") != (new.method == "wallet"):
        errors.append(FieldError("method", "store credit is paid with provider wallet and method wallet"))
    if new.purpose == "wallet_top_up" and new.provider == "wallet":
        errors.append(FieldError("provider", "a wallet is topped up with money from outside it, not from itself"))
    if new.method == "cheque" and new.purpose in ("wallet_top_up", "job"):
        errors.append(FieldError("method", "a cheque may bounce after it cleared: top-ups and marketplace jobs are "
                                           "paid by cash, bank transfer or card"))
    if new.method in ("bank_transfer", "cheque") and not (new.reference or "").strip():
        what = "the bank reference of the transfer" if new.method == "bank_transfer" else "the cheque's number"
        errors.append(FieldError("reference", f"must name {what}"))
    return errors


async def start_payment(session: AsyncSession, settings: Settings, new: NewPayment, *, actor: str, now: datetime,
                        capture_manually: bool = False, destination: str | None = None,
                        application_fee: Money | None = None, idempotency_key: str | None = None) -> Started:
    """Write the payment and its CHARGE entry, ask the provider to collect it, and apply the outcome.

    With ``idempotency_key`` (the client's ``Idempotency-Key``) a retry of the same payment for the same customer
    answers the payment already made instead of paying twice; the key reused for a different payment is refused.

    :raises InvalidInput: bad input, or a provider that cannot take this amount or method (Stripe and IRR),
        with the field, the reason and the suggestion to pay offline; nothing is written.
    :raises NotFound: no such customer in this tenant.
    :raises LedgerRefused: paying from a wallet that holds less than the amount (409 naming the balance).
    :raises Conflict: the idempotency key was used for a different payment.
    """
    errors = payment_errors(new)
    if errors:
        raise InvalidInput("the payment is invalid", errors)
    if await session.scalar(select(Customer.id).where(Customer.id == new.customer_id)) is None:
        raise NotFound("no such customer")
    operation_id = f"payment:{new.customer_id}:{idempotency_key}" if idempotency_key else f"payment:{uuid.uuid4()}"
    if idempotency_key:
        earlier = await session.scalar(select(Payment).where(Payment.operation_id == operation_id))
        if earlier is not None:
            return Started(_same_payment(earlier, new))
    amount = Money(new.amount_minor, new.currency)
    if new.purpose == "repair" and new.subject_type == REQUEST_SUBJECT and new.subject_id is not None:
        await _within_quote(session, new.subject_id, amount)
    if new.provider == "wallet":
        return Started(await _pay_from_wallet(session, new, amount, operation_id, actor=actor, now=now))
    provider = await provider_for(session, settings, new.provider)
    reason = _refusal(provider, amount, new.method)
    if reason is not None:
        field_name = "currency" if reason.startswith("currency:") else "provider"
        raise InvalidInput("the payment cannot be taken this way",
                           [FieldError(field_name, reason.removeprefix("currency:").strip())])
    manual = capture_manually and provider.capabilities.payouts
    payment = await _write(session, new, operation_id, actor=actor, now=now,
                           details={**new.details, **({"capture_manually": True} if manual else {})})
    outcome = await provider.collect(PaymentOrder(
        payment_id=payment.id, operation_id=payment.operation_id, amount=amount, customer_id=payment.customer_id,
        description=new.description or f"{new.purpose} payment", method=new.method, capture_manually=manual,
        destination=destination if provider.capabilities.payouts else None,
        application_fee=application_fee if provider.capabilities.payouts else None))
    posting = Posting(actor, f"{new.purpose} payment by {new.method}", payment.operation_id, now,
                      provider_ref=outcome.provider_ref)
    if manual and outcome.state == "succeeded":
        _set_state(payment, "authorized", "", now, outcome.provider_ref)
    else:
        await apply_outcome(session, payment, outcome, posting)
    return Started(payment, outcome.client_secret)


async def _within_quote(session: AsyncSession, request_id: uuid.UUID, amount: Money) -> None:
    """A repair paid for a service request with an accepted quote stays within the quote's total, with what was
    already paid (or is on its way) for it.

    :raises InvalidInput: above the cap, naming it.
    """
    cap = await service_quotes.charge_cap(session, request_id)
    if cap is None:
        return
    taken = sum(await session.scalars(select(Payment.amount_minor).where(
        Payment.purpose == "repair", Payment.subject_type == REQUEST_SUBJECT, Payment.subject_id == request_id,
        Payment.state.in_(LIVE_STATES))), 0)
    if taken + amount.amount_minor > cap.amount_minor or amount.currency != cap.currency:
        raise InvalidInput("the payment is above the accepted quote", [FieldError(
            "amount_minor", f"the accepted quote caps this repair at {cap}; {Money(taken, cap.currency)} is paid "
                            "or on its way")])


def _refusal(provider: Any, amount: Money, method: str) -> str | None:
    currencies = provider.capabilities.currencies
    if currencies is not None and amount.currency not in currencies:
        return f"currency: {provider.name} does not take {amount.currency}; {OFFLINE_SUGGESTION}"
    reason = provider.refusal(amount, method)
    if reason is None:
        return None
    return reason if provider.name == "offline" else f"{reason}; {OFFLINE_SUGGESTION}"


def _same_payment(earlier: Payment, new: NewPayment) -> Payment:
    """The payment a retry with the same idempotency key asks for. :raises Conflict: it asked for another."""
    asked = (new.purpose, new.amount_minor, new.currency, new.provider, new.method, new.subject_id)
    if (earlier.purpose, earlier.amount_minor, earlier.currency, earlier.provider, earlier.method,
            earlier.subject_id) != asked:
        raise Conflict(f"this Idempotency-Key was used for a different payment ({earlier.id})")
    return earlier


async def _write(session: AsyncSession, new: NewPayment, operation_id: str, *, actor: str, now: datetime,
                 details: dict[str, Any]) -> Payment:
    payment = Payment(customer_id=new.customer_id, provider=new.provider, method=new.method, purpose=new.purpose,
                      subject_type=new.subject_type, subject_id=new.subject_id, amount_minor=new.amount_minor,
                      currency=new.currency, state="pending", provider_ref=(new.reference or "").strip() or None,
                      operation_id=operation_id, details=details, created_by=actor, created_at=now, updated_at=now)
    session.add(payment)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("a payment with this Idempotency-Key is being made; ask again for its outcome") from None
    await ledger.post_charge(session, payment.id, payment.amount_minor,
                             Posting(actor, f"{new.purpose} payment by {new.method}",
                                     f"{payment.operation_id}:charge", now))
    return payment


async def _pay_from_wallet(session: AsyncSession, new: NewPayment, amount: Money, operation_id: str, *, actor: str,
                           now: datetime) -> Payment:
    """Store credit: the payment, its charge, the wallet debit and the capture, all or nothing."""
    payment = await _write(session, new, operation_id, actor=actor, now=now, details=new.details)
    posting = Posting(actor, f"{new.purpose} paid from store credit", payment.operation_id, now)
    await ledger.debit_wallet(session, new.customer_id, amount,
                              replace(posting, operation_id=f"{payment.operation_id}:wallet_debit"),
                              payment_id=payment.id)
    await ledger.post_capture(session, payment.id, amount.amount_minor,
                              replace(posting, operation_id=capture_operation(payment)))
    _set_state(payment, "captured", "", now, None)
    await session.flush()
    await announce_capture(session, payment, now)
    return payment


def capture_operation(payment: Payment) -> str:
    """The operation id of the payment's capture: one per presentation of a cheque, else one."""
    presentation = int(payment.details.get("presentation", 1))
    return f"{payment.operation_id}:capture" + (f":{presentation}" if presentation > 1 else "")


async def apply_outcome(session: AsyncSession, payment: Payment, outcome: ProviderOutcome, posting: Posting) -> Payment:
    """Record what the provider says about ``payment``, now or later (the Stripe webhook), any number of times.

    ``succeeded`` captures what is not captured yet (``{operation_id}:capture``) and sets off what a capture
    means for the purpose (wallet credit, job split); ``pending`` and ``requires_action`` wait; ``failed``
    records the reason. A captured payment never goes back to waiting or failed (an out-of-order event), and a
    repeated outcome posts nothing new. ``posting`` names the actor and reason; its operation id is ignored.
    """
    if payment.state == "bounced":
        pass  # a bounced cheque waits to be presented again (see aftersales.payments.providers.offline)
    elif outcome.state == "succeeded":
        totals = await ledger.payment_totals(session, payment.id)
        missing = totals.amount.amount_minor - totals.captured.amount_minor
        capture = replace(posting, operation_id=capture_operation(payment), provider_ref=outcome.provider_ref)
        if missing > 0:
            await ledger.post_capture(session, payment.id, missing, capture)
        await after_capture(session, payment, capture)
        _set_state(payment, "captured", "", posting.now, outcome.provider_ref)
        await announce_capture(session, payment, posting.now)
    elif payment.state == "captured":
        pass  # news older than the capture (an out-of-order event)
    elif outcome.state == "failed":
        _set_state(payment, "failed", outcome.failure_reason or "the provider refused the payment", posting.now,
                   outcome.provider_ref)
        await announce_failure(session, payment, posting.now)
    elif payment.state != "canceled":
        _set_state(payment, outcome.state, "", posting.now, outcome.provider_ref)
    await session.flush()
    return payment


async def after_capture(session: AsyncSession, payment: Payment, capture: Posting) -> None:
    """What a capture means for the purpose (a top-up credits the wallet, a job splits into payout and fee);
    each posting idempotent by its operation id, so the synchronous path and a webhook may both call it."""
    if payment.purpose == "wallet_top_up":
        await ledger.credit_wallet(session, payment.customer_id, Money(payment.amount_minor, payment.currency),
                                   replace(capture, operation_id=f"{payment.operation_id}:wallet_credit",
                                           reason="wallet top-up"), payment_id=payment.id)
    elif payment.purpose == "job" and "provider_id" in payment.details:
        await splits.post_split(session, payment.id, uuid.UUID(payment.details["provider_id"]),
                                    payout_minor=int(payment.details["payout_minor"]),
                                    fee_minor=int(payment.details["fee_minor"]),
                                    posting=replace(capture, operation_id=f"{payment.operation_id}:split",
                                                    reason="job payment split"))


async def announce_capture(session: AsyncSession, payment: Payment, now: datetime) -> None:
    """Tell subscribed endpoints the payment is captured; once per capture operation, so the synchronous path
    and a provider's webhook announcing the same capture queue it once."""
    await emit(session, PaymentCaptured(
        payment_id=payment.id, customer_id=payment.customer_id, purpose=payment.purpose,
        subject_type=payment.subject_type, subject_id=payment.subject_id, method=payment.method,
        provider=payment.provider, amount_minor=payment.amount_minor, currency=payment.currency, captured_at=now,
    ), key=capture_operation(payment), now=now)


async def announce_failure(session: AsyncSession, payment: Payment, now: datetime) -> None:
    """Tell subscribed endpoints the provider refused the payment (once per payment)."""
    await emit(session, PaymentFailed(payment_id=payment.id, customer_id=payment.customer_id,
                                      amount_minor=payment.amount_minor, currency=payment.currency,
                                      reason=payment.state_reason, failed_at=now), key=payment.id, now=now)


def _set_state(payment: Payment, state: str, reason: str, now: datetime, provider_ref: str | None) -> None:
    payment.state, payment.state_reason, payment.updated_at = state, reason, now
    if provider_ref and not payment.provider_ref:
        payment.provider_ref = provider_ref


async def capture_payment(session: AsyncSession, settings: Settings, principal: Principal, payment_id: uuid.UUID,
                          *, actor: str, now: datetime) -> Payment:
    """Capture an authorised payment (a marketplace job paid by card after completion) through its provider.

    :raises Conflict: the payment is not authorised (already captured, pending, failed or canceled).
    """
    payment = await get_payment(session, principal, payment_id, lock=True)
    if payment.state != "authorized":
        raise Conflict(f"the payment is {payment.state}: only an authorised payment is captured")
    provider = await provider_for(session, settings, payment.provider)
    outcome = await provider.capture(payment.provider_ref or "", Money(payment.amount_minor, payment.currency),
                                     capture_operation(payment))
    return await apply_outcome(session, payment, outcome,
                               Posting(actor, "authorised payment captured", payment.operation_id, now))


async def cancel_payment(session: AsyncSession, principal: Principal, payment_id: uuid.UUID, *, reason: str,
                         now: datetime) -> Payment:
    """Cancel a payment no money has arrived for yet (pending, waiting for the customer, or authorised).

    :raises Conflict: money arrived (captured) or the payment already ended.
    """
    payment = await get_payment(session, principal, payment_id, lock=True)
    if payment.state not in CANCELABLE:
        raise Conflict(f"the payment is {payment.state}: only a payment no money arrived for is canceled")
    _set_state(payment, "canceled", reason.strip() or "canceled", now, None)
    await session.flush()
    return payment


# -- reading ----------------------------------------------------------------------------------------------------


async def get_payment(session: AsyncSession, principal: Principal, payment_id: uuid.UUID, *,
                      lock: bool = False) -> Payment:
    """The payment, when ``principal`` may see it. :raises NotFound: no such payment, or someone else's."""
    query = access.narrowed(select(Payment).where(Payment.id == payment_id), Payment.customer_id, principal)
    payment = await session.scalar(query.with_for_update() if lock else query)
    if payment is None:
        raise NotFound("no such payment")
    return payment


async def list_payments(session: AsyncSession, principal: Principal, *, customer_id: uuid.UUID | None = None,
                        state: str | None = None, purpose: str | None = None, limit: int,
                        before: tuple[datetime, uuid.UUID] | None = None) -> Sequence[Payment]:
    """Payments newest first, filtered; a customer's own only. ``before`` is the last row of the previous page."""
    query = access.narrowed(select(Payment), Payment.customer_id, principal)
    if customer_id is not None:
        query = query.where(Payment.customer_id == customer_id)
    if state is not None:
        query = query.where(Payment.state == state)
    if purpose is not None:
        query = query.where(Payment.purpose == purpose)
    if before is not None:
        created, last = before
        query = query.where(or_(Payment.created_at < created,
                                and_(Payment.created_at == created, Payment.id < last)))
    query = query.order_by(Payment.created_at.desc(), Payment.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def payments_of_customer(session: AsyncSession, customer_id: uuid.UUID) -> list[Payment]:
    """Every payment of the customer, newest first (the customer file in the staff console)."""
    return list(await session.scalars(
        select(Payment).where(Payment.customer_id == customer_id).order_by(Payment.created_at.desc())))


async def latest_job_payment(session: AsyncSession, booking_id: uuid.UUID) -> Payment | None:
    """The booking's latest job payment, in whatever state, if any."""
    return await session.scalar(select(Payment).where(
        Payment.purpose == "job", Payment.subject_type == "booking", Payment.subject_id == booking_id)
        .order_by(Payment.created_at.desc(), Payment.id.desc()).limit(1))


async def live_job_payment(session: AsyncSession, booking_id: uuid.UUID) -> Payment | None:
    """The booking's job payment that is under way or captured, if any."""
    return await session.scalar(select(Payment).where(
        Payment.purpose == "job", Payment.subject_type == "booking", Payment.subject_id == booking_id,
        Payment.state.in_(LIVE_STATES)).limit(1))
