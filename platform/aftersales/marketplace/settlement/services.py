"""Marketplace settlement: paying a completed job, and a provider's payouts (the split itself, payout and
fee, is :mod:`aftersales.payments.ledger.splits`).

A completed job is paid from its created charge (:func:`pay_job`): one live payment per job, for exactly the
charge, split on capture. A provider's statement lists its payouts and their reversals.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, NotFound
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.charges.services import charge_due
from aftersales.marketplace.models import Provider
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger.models import LedgerEntry
from aftersales.payments.ledger.services import EntryKind
from aftersales.settings import Settings

# -- paying a job ---------------------------------------------------------------------------------------------


async def pay_job(session: AsyncSession, settings: Settings, principal: Principal, booking_id: uuid.UUID, *,
                  provider: str, method: str, reference: str | None, actor: str, now: datetime) -> service.Started:
    """Collect a completed job's charge: a payment of purpose ``job`` for exactly the charge. A provider with
    payouts (Stripe Connect) gets the provider's payout account and the platform's fee and authorises now, to be
    captured later; the split is posted when it is captured.

    :raises NotFound: no such booking (or not the caller's).
    :raises Conflict: the job has no created charge yet, or a payment of it is under way or captured.
    """
    booking = await visible_booking(session, principal, booking_id, lock=True)
    due = await charge_due(session, booking.id)
    if due is None:
        raise Conflict("the job has not been charged yet: there is nothing to pay")
    live = await service.live_job_payment(session, booking.id)
    if live is not None:
        raise Conflict(f"the job already has a payment that is {live.state} ({live.id}); it is paid once")
    details = {"provider_id": str(due.provider_id), "charge_id": str(due.charge_id),
               "payout_minor": due.provider_payout.amount_minor, "fee_minor": due.platform_fee.amount_minor}
    return await service.start_payment(session, settings, service.NewPayment(
        customer_id=due.customer_id, purpose="job", amount_minor=due.amount.amount_minor,
        currency=due.amount.currency, provider=provider, method=method, subject_type="booking",
        subject_id=booking.id, reference=reference, details=details, description=f"job {booking.id}"),
        actor=actor, now=now, capture_manually=True, destination=due.provider_payout_account,
        application_fee=due.platform_fee)


@dataclass(frozen=True)
class PayoutTotal:
    """What a provider was paid out in one currency, what was taken back, and what it keeps."""

    paid_out: Money
    reversed: Money

    @property
    def net(self) -> Money:
        return self.paid_out - self.reversed


@dataclass(frozen=True)
class PayoutStatement:
    provider_id: uuid.UUID
    totals: Sequence[PayoutTotal]
    entries: Sequence[LedgerEntry]


PAYOUT_KINDS = (EntryKind.PROVIDER_PAYOUT.value, EntryKind.PAYOUT_REVERSAL.value)


async def payout_statement(session: AsyncSession, principal: Principal, provider_id: uuid.UUID) -> PayoutStatement:
    """A provider's payouts and their reversals, oldest first, with totals per currency. A provider user sees
    only its own provider's. :raises NotFound: no such provider, or another provider's."""
    if principal.provider_id is not None and principal.provider_id != provider_id:
        raise NotFound("no such provider")
    if await session.scalar(select(Provider.id).where(Provider.id == provider_id)) is None:
        raise NotFound("no such provider")
    found = (await session.scalars(select(LedgerEntry).where(
        LedgerEntry.provider_id == provider_id, LedgerEntry.kind.in_(PAYOUT_KINDS))
        .order_by(LedgerEntry.occurred_at, LedgerEntry.id))).all()
    sums: dict[str, list[int]] = {}
    for entry in found:
        pair = sums.setdefault(entry.currency, [0, 0])
        pair[entry.kind == EntryKind.PAYOUT_REVERSAL.value] += entry.amount_minor
    totals = [PayoutTotal(Money(paid, currency), Money(back, currency))
              for currency, (paid, back) in sorted(sums.items())]
    return PayoutStatement(provider_id, totals, found)
