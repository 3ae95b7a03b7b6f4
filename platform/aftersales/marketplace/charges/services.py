"""The job's charge: never more than the customer agreed to (seed 002), with the provider's payout and the
platform's fee.

After completion the charge is created from the accepted quote plus the approved change requests: the cap is the
accepted quote's total plus the approved changes' totals. A request above the cap, or naming work recorded
without the customer's approval, is refused with the reason, and the refusal is kept as a ``refused`` charge
(evidence, even though the request failed). The accepted quote's terms (the vertical's, when it was quoted) can
loosen this: a quote that is not ``binding`` is an estimate, so a charge above the cap is created with the reason
kept; one whose extra work needs no consent makes recorded extra work chargeable and adds it to the cap. A created charge splits into the platform's fee — the quote's rate
in basis points, rounded half up to a minor unit — and the provider's payout, the rest, so the two always add up
to the charge. The payments code reads a created charge with :func:`charge_due` and moves the money.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.changes.services import chargeable
from aftersales.marketplace.models import Booking, ChangeRequest, JobCharge, Provider, WorkItem
from aftersales.marketplace.quotes.services import accepted_quote


def platform_fee(amount_minor: int, basis_points: int) -> int:
    """The platform's share of ``amount_minor`` at ``basis_points`` (1/100 %), rounded half up to a minor unit."""
    return (amount_minor * basis_points + 5_000) // 10_000


async def approved_changes_total(session: AsyncSession, booking_id: uuid.UUID) -> int:
    """What the customer approved on top of the accepted quote."""
    total = await session.scalar(select(func.coalesce(func.sum(ChangeRequest.amount_minor), 0))
                                 .where(ChangeRequest.booking_id == booking_id, ChangeRequest.state == "approved"))
    return int(total or 0)


async def charge_job(session: AsyncSession, principal: Principal, booking_id: uuid.UUID, *, amount_minor: int | None,
                     work_item_ids: Sequence[uuid.UUID] = (), actor: str, now: datetime) -> JobCharge:
    """Charge a completed job ``amount_minor`` (by default the whole cap), for the work items named if any.

    Returns the charge, ``created`` or ``refused`` with the reason; the caller commits a refusal too. A job not
    completed, without an accepted quote or already charged is a :class:`Conflict`, and bad input (a negative
    amount, a work item of another job) an :class:`InvalidInput`: neither is recorded.
    """
    booking = await visible_booking(session, principal, booking_id, lock=True)
    if booking.state != "completed":
        raise Conflict(f"the booking is {booking.state}: a job is charged after completion")
    quote = await accepted_quote(session, booking.id)
    if quote is None:
        raise Conflict("no quote was accepted for this booking: there is nothing the customer agreed to pay")
    if await _created(session, booking.id) is not None:
        raise Conflict("this job was already charged")
    items = await _work_items(session, booking, work_item_ids)
    if amount_minor is not None and amount_minor < 0:
        raise InvalidInput("the charge is invalid", [FieldError("amount_minor", "must not be negative")])
    changes = await approved_changes_total(session, booking.id)
    unasked = 0 if quote.extra_work_needs_consent else await _work_without_consent_total(session, booking.id)
    cap = quote.total_minor + changes + unasked
    amount = cap if amount_minor is None else amount_minor
    reasons = [f"work item {item.id} ({item.description}) was recorded without the customer's approval"
               for item in items if not chargeable(item, quote)]
    agreed = (f"{Money(cap, booking.currency)} (accepted quote {Money(quote.total_minor, booking.currency)}"
              f" plus approved changes {Money(changes, booking.currency)}"
              + (f" plus extra work recorded {Money(unasked, booking.currency)})" if unasked else ")"))
    if amount > cap and quote.binding:
        reasons.insert(0, f"{Money(amount, booking.currency)} is more than the customer agreed to: {agreed}")
    charge = JobCharge(booking_id=booking.id, quote_id=quote.id, amount_minor=amount, cap_minor=cap,
                       currency=booking.currency, requested_by=actor, requested_at=now)
    if reasons:
        charge.outcome, charge.reason = "refused", "; ".join(reasons)
    else:
        fee = platform_fee(amount, quote.fee_basis_points)
        charge.outcome, charge.platform_fee_minor, charge.provider_payout_minor = "created", fee, amount - fee
        if amount > cap:
            charge.reason = f"the quote was an estimate, not binding: {Money(amount, booking.currency)} " \
                            f"is more than {agreed}"
    session.add(charge)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("this job was already charged") from None
    return charge


async def _work_without_consent_total(session: AsyncSession, booking_id: uuid.UUID) -> int:
    """Extra work recorded on the job that neither the quote nor an approved change request covers."""
    total = await session.scalar(select(func.coalesce(func.sum(WorkItem.amount_minor), 0)).where(
        WorkItem.booking_id == booking_id, WorkItem.from_quote.is_(False), WorkItem.change_request_id.is_(None)))
    return int(total or 0)


async def _work_items(session: AsyncSession, booking: Booking, ids: Sequence[uuid.UUID]) -> Sequence[WorkItem]:
    if not ids:
        return []
    items = (await session.scalars(select(WorkItem).where(WorkItem.booking_id == booking.id,
                                                          WorkItem.id.in_(set(ids))))).all()
    found = {item.id for item in items}
    errors = [FieldError(f"work_item_ids.{i}", "no such work item on this booking")
              for i, item_id in enumerate(ids) if item_id not in found]
    if errors:
        raise InvalidInput("the charge is invalid", errors)
    return items


async def _created(session: AsyncSession, booking_id: uuid.UUID) -> JobCharge | None:
    return await session.scalar(select(JobCharge).where(JobCharge.booking_id == booking_id,
                                                        JobCharge.outcome == "created"))


async def charges_of(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> Sequence[JobCharge]:
    """Every charge attempt on a booking, created and refused, oldest first."""
    booking = await visible_booking(session, principal, booking_id)
    return (await session.scalars(select(JobCharge).where(JobCharge.booking_id == booking.id)
                                  .order_by(JobCharge.requested_at, JobCharge.id))).all()


@dataclass(frozen=True)
class ChargeDue:
    """A created charge as the payments code needs it: who pays, how much, and how it splits."""

    charge_id: uuid.UUID
    booking_id: uuid.UUID
    customer_id: uuid.UUID
    provider_id: uuid.UUID
    provider_payout_account: str | None
    amount: Money
    provider_payout: Money
    platform_fee: Money


async def charge_due(session: AsyncSession, booking_id: uuid.UUID) -> ChargeDue | None:
    """The booking's created charge, for the payments code to collect and pay out; None if not charged yet."""
    charge = await _created(session, booking_id)
    if charge is None:
        return None
    booking = (await session.scalars(select(Booking).where(Booking.id == booking_id))).one()
    provider = (await session.scalars(select(Provider).where(Provider.id == booking.provider_id))).one()
    currency = charge.currency
    return ChargeDue(charge.id, booking.id, booking.customer_id, provider.id, provider.payout_account,
                     Money(charge.amount_minor, currency), Money(charge.provider_payout_minor, currency),
                     Money(charge.platform_fee_minor, currency))
