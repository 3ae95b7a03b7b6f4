"""Store credit: a customer's wallet per currency, its statement, topping it up, and credit the company grants.

The balance is the sum of the wallet's ledger entries. A top-up is a payment of purpose ``wallet_top_up``
whose capture credits the wallet; credit the company owes a customer (a late delivery's compensation) is a
wallet credit of its own, with no payment behind it; spending is a payment with provider and method ``wallet`` (see
:mod:`aftersales.payments.customer_payments.services`), which never takes the wallet below zero.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import FieldError, InvalidInput
from aftersales.identity.principals import Principal
from aftersales.payments import access
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry, Wallet
from aftersales.settings import Settings


@dataclass(frozen=True)
class Statement:
    """A wallet's balance and every entry that made it, oldest first."""

    customer_id: uuid.UUID
    balance: Money
    entries: Sequence[LedgerEntry]


def _currency(currency: str) -> str:
    try:
        return Money(0, currency.upper()).currency
    except ValueError:
        raise InvalidInput("invalid currency", [FieldError("currency", "is not an ISO 4217 currency code")]) from None


async def statement(session: AsyncSession, principal: Principal, customer_id: uuid.UUID, currency: str) -> Statement:
    """The customer's store credit in ``currency`` and its entries (none for a wallet never used)."""
    currency = _currency(currency)
    await access.visible_customer(session, principal, customer_id)
    wallet_id = await session.scalar(select(Wallet.id).where(Wallet.customer_id == customer_id,
                                                             Wallet.currency == currency))
    entries = await ledger.entries(session, wallet_id=wallet_id) if wallet_id is not None else []
    return Statement(customer_id, await ledger.wallet_balance(session, customer_id, currency), entries)


async def top_up(session: AsyncSession, settings: Settings, principal: Principal, customer_id: uuid.UUID, *,
                 amount_minor: int, currency: str, provider: str, method: str, reference: str | None, actor: str,
                 now: datetime) -> service.Started:
    """Start a top-up payment: once it is captured (at once for cash and transfers) the wallet is credited."""
    await access.visible_customer(session, principal, customer_id)
    return await service.start_payment(session, settings, service.NewPayment(
        customer_id=customer_id, purpose="wallet_top_up", amount_minor=amount_minor, currency=currency.upper(),
        provider=provider, method=method, reference=reference, description="store credit top-up"),
        actor=actor, now=now)


async def grant(session: AsyncSession, customer_id: uuid.UUID, amount: Money, *, reason: str, operation_id: str,
                actor: str, now: datetime) -> LedgerEntry:
    """Credit the customer's store credit with ``amount`` the company owes them (no money was paid in), for
    ``reason``. Idempotent by ``operation_id``: granting the same thing again returns the first entry.

    :raises InvalidInput: a zero, negative or over-cap amount (nothing is written).
    """
    return await ledger.credit_wallet(session, customer_id, amount, ledger.Posting(
        actor=actor, reason=reason, operation_id=operation_id, now=now))
