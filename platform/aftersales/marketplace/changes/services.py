"""Extra work needs consent first (seed 002): change requests the customer approves or refuses, and the work a
provider records, chargeable only when the accepted quote or an approved change request covers it — unless the
accepted quote was given under terms that need no consent (the vertical's ``Quote.extra_work_needs_consent``,
auto_service's ``extra_work_needs_consent`` setting), when work the provider records is chargeable as it is.

A provider raises a change request (what, why, and the price the vertical gives it) on a job in progress.
Nothing of it joins the job until the customer approves; approval and refusal are timestamped with who decided.
A request is decided once: approving twice, or deciding a withdrawn one, is a conflict and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.models import Booking, ChangeRequest, Quote, WorkItem
from aftersales.marketplace.quotes.parts import ItemAsked
from aftersales.marketplace.quotes.services import OPEN_STATES, accepted_quote, lines_of, price_job
from aftersales.tenancy.current import CurrentTenant

WORK_STATES = ("arrived", "in_progress", "completed")
"""Booking states in which work done can be recorded."""


@dataclass(frozen=True)
class ExtraWork:
    """What a provider asks consent for: what and why, its labour, and the parts and consumables it needs."""

    description: str
    reason: str
    labour_minor: int = 0
    parts: Sequence[ItemAsked] = ()
    consumables: Sequence[ItemAsked] = ()


async def raise_change(session: AsyncSession, tenant: CurrentTenant, principal: Principal, booking_id: uuid.UUID,
                       work: ExtraWork, *, actor: str, now: datetime) -> ChangeRequest:
    """A provider asks the customer's consent for extra work on a job in progress, priced by the vertical
    (parts at list prices, no second travel charge)."""
    booking = await visible_booking(session, principal, booking_id, lock=True)
    if booking.state != "in_progress":
        raise Conflict(f"the booking is {booking.state}: extra work is asked for on a job in progress")
    if too_much := beyond_cap("labour_minor", Money(work.labour_minor, booking.currency)):
        raise InvalidInput("the extra work is too large", too_much)
    priced = await price_job(session, tenant, booking, labour=Money(work.labour_minor, booking.currency),
                             parts=work.parts, consumables=work.consumables,
                             consumables_requested=[c.code for c in work.consumables],
                             offering_label=work.description, travel=False)
    if too_much := beyond_cap("labour_minor", priced.total(booking.currency), "the extra work's total"):
        raise InvalidInput("the extra work is too large", too_much)
    change = ChangeRequest(booking_id=booking.id, description=work.description, reason=work.reason,
                           lines=lines_of(priced), amount_minor=priced.total(booking.currency).amount_minor,
                           currency=booking.currency, state="pending", raised_by=actor, raised_at=now)
    session.add(change)
    await session.flush()
    return change


async def changes_of(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> Sequence[ChangeRequest]:
    """A booking's change requests, oldest first."""
    booking = await visible_booking(session, principal, booking_id)
    return (await session.scalars(select(ChangeRequest).where(ChangeRequest.booking_id == booking.id)
                                  .order_by(ChangeRequest.raised_at, ChangeRequest.id))).all()


async def _pending(session: AsyncSession, principal: Principal, change_id: uuid.UUID) -> tuple[ChangeRequest, Booking]:
    change = await session.scalar(select(ChangeRequest).where(ChangeRequest.id == change_id))
    if change is None:
        raise NotFound("no such change request")
    try:
        booking = await visible_booking(session, principal, change.booking_id, lock=True)
    except NotFound:
        raise NotFound("no such change request") from None
    await session.refresh(change)
    if change.state != "pending":
        raise Conflict(f"the change request was already {change.state}")
    return change, booking


async def decide_change(session: AsyncSession, principal: Principal, change_id: uuid.UUID, *, approve: bool,
                        note: str, actor: str, now: datetime) -> ChangeRequest:
    """The customer approves or refuses a pending change request, once; the decision is kept with who and when."""
    change, booking = await _pending(session, principal, change_id)
    if booking.state not in OPEN_STATES:
        raise Conflict(f"the booking is {booking.state}")
    change.state = "approved" if approve else "refused"
    change.decided_by, change.decided_at, change.decision_note = actor, now, note
    await session.flush()
    return change


async def withdraw_change(session: AsyncSession, principal: Principal, change_id: uuid.UUID, *, actor: str,
                          now: datetime) -> ChangeRequest:
    """The provider withdraws a change request the customer has not decided."""
    change, _ = await _pending(session, principal, change_id)
    change.state, change.decided_by, change.decided_at = "withdrawn", actor, now
    await session.flush()
    return change


@dataclass(frozen=True)
class WorkDone:
    """Work a provider records: what, for how much, and what covers it (the accepted quote or a change request)."""

    description: str
    amount_minor: int
    from_quote: bool = False
    change_request_id: uuid.UUID | None = None


def chargeable(item: WorkItem, quote: Quote | None) -> bool:
    """Whether the item may be charged: covered by the accepted quote ``quote`` or an approved change request, or
    any work when ``quote`` was given under terms that need no consent for extra work."""
    return (item.from_quote or item.change_request_id is not None
            or (quote is not None and not quote.extra_work_needs_consent))


async def record_work(session: AsyncSession, principal: Principal, booking_id: uuid.UUID, work: WorkDone, *,
                      actor: str, now: datetime) -> tuple[WorkItem, str]:
    """Record work done on a job. It is always kept; it is chargeable only if, when recorded, the accepted quote
    covers it or the change request it names was approved. Returns the item and why it is or is not chargeable."""
    booking = await visible_booking(session, principal, booking_id, lock=True)
    if booking.state not in WORK_STATES:
        raise Conflict(f"the booking is {booking.state}: no work is recorded on it")
    errors = []
    if work.amount_minor < 0:
        errors.append(FieldError("amount_minor", "must not be negative"))
    change = None
    if work.change_request_id is not None:
        change = await session.scalar(select(ChangeRequest).where(ChangeRequest.id == work.change_request_id,
                                                                  ChangeRequest.booking_id == booking.id))
        if change is None:
            errors.append(FieldError("change_request_id", "no such change request on this booking"))
    if errors:
        raise InvalidInput("the work item is invalid", errors)
    quote = await accepted_quote(session, booking.id)
    from_quote = work.from_quote and quote is not None
    approved = change is not None and change.state == "approved"
    if approved:
        why = "covered by the approved change request"
    elif from_quote:
        why = "covered by the accepted quote"
    elif quote is not None and not quote.extra_work_needs_consent:
        why = "extra work: the accepted quote's terms need no consent first, so it is chargeable"
    elif change is not None:
        why = f"the change request is {change.state}, not approved: kept on record, never charged"
    elif work.from_quote:
        why = "no quote was accepted: kept on record, never charged"
    else:
        why = "not covered by the accepted quote or an approved change request: kept on record, never charged"
    item = WorkItem(booking_id=booking.id, description=work.description, amount_minor=work.amount_minor,
                    currency=booking.currency, change_request_id=change.id if approved and change else None,
                    from_quote=from_quote and not approved, recorded_by=actor, recorded_at=now)
    session.add(item)
    await session.flush()
    return item, why


async def work_of(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> Sequence[WorkItem]:
    """The work recorded on a booking, oldest first."""
    booking = await visible_booking(session, principal, booking_id)
    return (await session.scalars(select(WorkItem).where(WorkItem.booking_id == booking.id)
                                  .order_by(WorkItem.recorded_at, WorkItem.id))).all()
