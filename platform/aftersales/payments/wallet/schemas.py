"""Bodies and answers of the wallet endpoints."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from aftersales.http.bodies import AmountMinor
from aftersales.payments.customer_payments.schemas import EntryOut, StrictBody, entry_out
from aftersales.payments.wallet.services import Statement


class TopUpIn(StrictBody):
    amount_minor: AmountMinor
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217; an unknown code is refused (422).")
    provider: str = "offline"
    method: str = "cash"
    reference: str | None = Field(None, max_length=120)


class WalletOut(BaseModel):
    customer_id: UUID
    currency: str
    balance_minor: int
    balance: str
    entries: list[EntryOut]


def wallet_out(statement: Statement) -> WalletOut:
    return WalletOut(customer_id=statement.customer_id, currency=statement.balance.currency,
                     balance_minor=statement.balance.amount_minor, balance=str(statement.balance),
                     entries=[entry_out(e) for e in statement.entries])
