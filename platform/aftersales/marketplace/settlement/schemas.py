"""Bodies and answers of the settlement endpoints: paying a job, and a provider's payouts."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from aftersales.marketplace.settlement.services import PayoutStatement
from aftersales.payments.customer_payments.schemas import EntryOut, StrictBody, entry_out


class JobPaymentIn(StrictBody):
    provider: str = Field(description="stripe (Connect: the provider's payout and the platform's fee) or offline.")
    method: str
    reference: str | None = Field(None, max_length=120)


class PayoutTotalOut(BaseModel):
    currency: str
    paid_out_minor: int
    reversed_minor: int
    net_minor: int


class PayoutStatementOut(BaseModel):
    provider_id: UUID
    totals: list[PayoutTotalOut]
    entries: list[EntryOut]


def payout_statement_out(statement: PayoutStatement) -> PayoutStatementOut:
    return PayoutStatementOut(
        provider_id=statement.provider_id,
        totals=[PayoutTotalOut(currency=t.paid_out.currency, paid_out_minor=t.paid_out.amount_minor,
                               reversed_minor=t.reversed.amount_minor, net_minor=t.net.amount_minor)
                for t in statement.totals],
        entries=[entry_out(e) for e in statement.entries])
