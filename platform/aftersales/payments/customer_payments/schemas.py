"""Bodies and answers of the payment, wallet and payout endpoints.

Money is ``amount_minor`` (integer minor units) plus ``currency``, with ``amount`` formatted for reading.
Amounts, currencies, purposes and methods are checked by the services (422 with the field and the reason), so
every bad value is reported alongside the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.money import Money
from aftersales.http.bodies import AmountMinor
from aftersales.payments.ledger.models import LedgerEntry, Payment
from aftersales.payments.ledger.services import PaymentTotals


class StrictBody(BaseModel):
    """A request body that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class PaymentIn(StrictBody):
    customer_id: UUID | None = Field(None, description="Whose payment; a customer's own token may leave it out.")
    purpose: str = Field(description="job, repair, order or wallet_top_up.")
    subject_type: str | None = Field(None, max_length=20, description="What is paid for (repair, order…).")
    subject_id: UUID | None = None
    amount_minor: AmountMinor
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217; an unknown code is refused (422).")
    provider: str = Field(description="stripe, offline or wallet.")
    method: str = Field(description="card (stripe); cash, bank_transfer or cheque (offline); wallet.")
    reference: str | None = Field(None, max_length=120,
                                  description="The bank reference of a transfer, or the cheque's number.")


class ReasonIn(StrictBody):
    reason: str = Field("", max_length=500)


class EntryOut(BaseModel):
    id: UUID
    kind: str
    amount_minor: int
    currency: str
    amount: str
    payment_id: UUID | None
    actor: str
    reason: str
    provider_ref: str | None
    occurred_at: datetime


def entry_out(entry: LedgerEntry) -> EntryOut:
    return EntryOut(id=entry.id, kind=entry.kind, amount_minor=entry.amount_minor, currency=entry.currency,
                    amount=str(Money(entry.amount_minor, entry.currency)), payment_id=entry.payment_id,
                    actor=entry.actor, reason=entry.reason, provider_ref=entry.provider_ref,
                    occurred_at=entry.occurred_at)


class ChequeOut(BaseModel):
    presentation: int
    bounces: int
    bounced_on: str | None = Field(None, description="The tenant-local day of the last bounce.")
    representable_on: str | None = Field(None, description="From this day it may be presented again.")


class PaymentOut(BaseModel):
    id: UUID
    customer_id: UUID
    purpose: str
    subject_type: str | None
    subject_id: UUID | None
    provider: str
    method: str
    amount_minor: int
    currency: str
    amount: str
    state: str
    state_reason: str
    provider_ref: str | None
    captured_minor: int
    refunded_minor: int
    refundable_minor: int
    cheque: ChequeOut | None
    client_secret: str | None = Field(None, description="Only when the payment is started and the customer must "
                                                        "confirm it in the browser (Stripe.js).")
    entries: list[EntryOut] | None = Field(None, description="The payment's ledger entries (on one payment).")
    created_by: str
    created_at: datetime
    updated_at: datetime


def payment_out(payment: Payment, totals: PaymentTotals, *, client_secret: str | None = None,
                entries: list[LedgerEntry] | None = None) -> PaymentOut:
    details: dict[str, Any] = payment.details or {}
    cheque = None
    if payment.method == "cheque":
        cheque = ChequeOut(presentation=int(details.get("presentation", 1)), bounces=int(details.get("bounces", 0)),
                           bounced_on=details.get("bounced_on"), representable_on=details.get("representable_on"))
    return PaymentOut(
        id=payment.id, customer_id=payment.customer_id, purpose=payment.purpose, subject_type=payment.subject_type,
        subject_id=payment.subject_id, provider=payment.provider, method=payment.method,
        amount_minor=payment.amount_minor, currency=payment.currency,
        amount=str(Money(payment.amount_minor, payment.currency)), state=payment.state,
        state_reason=payment.state_reason, provider_ref=payment.provider_ref,
        captured_minor=totals.captured.amount_minor, refunded_minor=totals.refunded.amount_minor,
        refundable_minor=totals.refundable.amount_minor, cheque=cheque, client_secret=client_secret,
        entries=[entry_out(e) for e in entries] if entries is not None else None, created_by=payment.created_by,
        created_at=payment.created_at, updated_at=payment.updated_at)


