"""Bodies and answers of the refund and refund-identity endpoints.

Amounts are integer minor units with their currency, and a formatted ``amount`` beside them. Rules (positive
amounts, valid national IDs and IBANs) are checked by the services, so every broken field is reported together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.money import Money
from aftersales.http.bodies import CurrencyCode, OptionalAmountMinor
from aftersales.http.language import Said
from aftersales.payments.refunds.identity import iban_owner_matches, identity_verified
from aftersales.payments.refunds.models import CustomerIdentity, Refund, RefundEvent
from aftersales.payments.refunds.services import RefundAsk


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RefundIn(_Body):
    source: Literal["payment", "return", "wallet_balance", "replacement_refund"] = Field(
        description="What is refunded: a payment, a return of goods, the wallet's balance, or a device refunded "
                    "instead of replaced.")
    customer_id: UUID | None = Field(default=None, description="Staff: whose refund. A customer: themselves.")
    payment_id: UUID | None = None
    amount_minor: OptionalAmountMinor = Field(default=None, description="Omitted: everything refundable.")
    currency: CurrencyCode | None = Field(default=None,
                                          description="A wallet's currency (default: the tenant's).")
    method: Literal["original_payment", "wallet", "bank_transfer"] | None = Field(
        default=None, description="Omitted: the first method the policy offers.")
    note: str = Field(default="", max_length=4000, description="Why the customer asks.")
    service_request_id: UUID | None = None
    claim_id: UUID | None = Field(default=None, description="The warranty claim the refund comes from (default: "
                                                            "the service request's); its decision and the unit's "
                                                            "installation are facts of the refund policy.")
    invoice_price_minor: OptionalAmountMinor = Field(default=None, description="Staff, for a replacement refund.")
    invoice_price_was_market_price: bool | None = Field(default=None, description="Staff, for a replacement refund.")
    expert_price_minor: OptionalAmountMinor = Field(default=None, description="Staff, for a replacement refund.")

    def ask(self) -> RefundAsk:
        return RefundAsk(**self.model_dump())


class DecisionIn(_Body):
    note: str = Field(default="", max_length=4000)


class ExecuteIn(_Body):
    reference: str | None = Field(default=None, max_length=120,
                                  description="The bank's reference of a transfer (required for bank_transfer).")


class RefundEventOut(BaseModel):
    occurred_at: datetime
    actor: str
    kind: str
    note: str


class RefundOut(BaseModel):
    id: UUID
    customer_id: UUID
    source: str
    payment_id: UUID | None
    service_request_id: UUID | None
    claim_id: UUID | None
    state: str
    requested_minor: int
    amount_minor: int
    currency: str
    amount: str
    method: str | None
    offered_methods: list[str]
    reasons: list[Said]
    requirements: list[str] = Field(description="What the customer must bring first, e.g. iban, identity_verified.")
    needs_finance_approval: bool
    note: str
    requested_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    executed_by: str | None
    executed_at: datetime | None
    reference: str | None
    timeline: list[RefundEventOut] | None = None


def refund_out(refund: Refund, events: Sequence[RefundEvent] | None = None) -> RefundOut:
    return RefundOut(
        id=refund.id, customer_id=refund.customer_id, source=refund.source, payment_id=refund.payment_id,
        service_request_id=refund.service_request_id, claim_id=refund.claim_id, state=refund.state, requested_minor=refund.requested_minor,
        amount_minor=refund.amount_minor, currency=refund.currency,
        amount=str(Money(refund.amount_minor, refund.currency)), method=refund.method,
        offered_methods=refund.offered_methods, reasons=refund.reasons, requirements=refund.requirements,
        needs_finance_approval=refund.needs_finance_approval, note=refund.note, requested_by=refund.requested_by,
        created_at=refund.created_at, decided_by=refund.decided_by, decided_at=refund.decided_at,
        decision_note=refund.decision_note, executed_by=refund.executed_by, executed_at=refund.executed_at,
        reference=refund.reference,
        timeline=None if events is None else [RefundEventOut(occurred_at=e.occurred_at, actor=e.actor, kind=e.kind,
                                                             note=e.note) for e in events])


class IdentityIn(_Body):
    national_id: str | None = Field(default=None, max_length=20, description="Iranian national code (10 digits).")
    identity_verified: bool | None = Field(default=None, description="Staff checked the customer's identity.")
    iban: str | None = Field(default=None, max_length=40)
    iban_owner_national_id: str | None = Field(default=None, max_length=20,
                                               description="Whose the bank confirms the IBAN is.")


class IbanIn(_Body):
    iban: str = Field(max_length=40)


class IdentityOut(BaseModel):
    customer_id: UUID
    national_id: str | None
    identity_verified: bool
    identity_verified_by: str | None
    identity_verified_at: datetime | None
    iban: str | None
    iban_owner_national_id: str | None
    iban_owner_matches_national_id: bool


def identity_out(customer_id: UUID, record: CustomerIdentity | None) -> IdentityOut:
    if record is None:
        return IdentityOut(customer_id=customer_id, national_id=None, identity_verified=False,
                           identity_verified_by=None, identity_verified_at=None, iban=None,
                           iban_owner_national_id=None, iban_owner_matches_national_id=False)
    return IdentityOut(customer_id=customer_id, national_id=record.national_id,
                       identity_verified=identity_verified(record), identity_verified_by=record.identity_verified_by,
                       identity_verified_at=record.identity_verified_at, iban=record.iban,
                       iban_owner_national_id=record.iban_owner_national_id,
                       iban_owner_matches_national_id=iban_owner_matches(record))
