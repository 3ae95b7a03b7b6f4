"""Disputes: opened by the customer (or staff for them) with the grounds and a statement, answered by the other
side, mediated by staff, ruled by customer service with a reason both sides read.

Seed 003 (Yizhongyi): staff mediate; the customer-service department gives the final ruling. Seed 002 (Carmax)
gives the grounds a customer has against a provider: charged more than the accepted price, work without
consent, consumables not as requested, the provider absent at the booked time. One live dispute per subject
(a partial unique index decides a race). A provider user reaches only disputes about its own bookings, a
customer only their own, anyone else's answers 404. A ruling may say the customer is owed money back: the
amount is recorded on the dispute (``refund_owed_minor``); the refund flow (``payments/refunds``) decides
refunds of payments and returns by the vertical's policy and has no dispute source, so finance pays it from
there by hand.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.disputes import notices
from aftersales.disputes.models import Dispute, DisputeNote
from aftersales.disputes.states import FINAL, DisputeState, check_move
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from aftersales.http.bodies import beyond_cap
from aftersales.identity.principals import Principal
from aftersales.marketplace import access
from aftersales.marketplace.models import Booking
from aftersales.outbox.events import DisputeAnswered, DisputeDecided, DisputeOpened
from aftersales.outbox.webhooks import emit
from aftersales.service.models import ServiceRequest
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Claim, Registration

Subject = Literal["booking", "request", "claim"]
SUBJECTS: tuple[str, ...] = get_args(Subject)
Grounds = Literal["charged_more_than_accepted", "work_without_consent", "consumables_not_as_requested",
                  "provider_absent", "poor_workmanship", "claim_decision", "other"]
GROUNDS: tuple[str, ...] = get_args(Grounds)
GROUNDS_BY_SUBJECT: dict[str, tuple[str, ...]] = {
    "booking": ("charged_more_than_accepted", "work_without_consent", "consumables_not_as_requested",
                "provider_absent", "poor_workmanship", "other"),
    "request": ("charged_more_than_accepted", "work_without_consent", "poor_workmanship", "other"),
    "claim": ("claim_decision", "other"),
}
"""Which grounds fit which subject: Carmax's four are a provider's (a booking's); a claim is disputed for its
decision."""
Outcome = Literal["for_customer", "partly", "for_respondent"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
MAX_TEXT = 4000
"""The longest statement, answer, note, settlement or reason (characters, once trimmed)."""


@dataclass(frozen=True)
class NewDispute:
    """A dispute as the customer (or staff for them) opens it."""

    subject: str
    subject_id: uuid.UUID
    grounds: str
    statement: str


@dataclass(frozen=True)
class Ruling:
    """Customer service's decision: the outcome, the reason both sides read, and what the customer is owed."""

    outcome: str
    reason: str
    refund_minor: int | None = None


def _text_errors(**texts: str) -> list[FieldError]:
    errors = []
    for name, value in texts.items():
        if not value:
            errors.append(FieldError(name, "must not be empty", code="dispute.empty"))
        elif len(value) > MAX_TEXT:
            errors.append(FieldError(name, f"must be at most {MAX_TEXT} characters", code="dispute.too_long",
                                     params={"limit": MAX_TEXT}))
    return errors


def _refund_errors(field: str, refund_minor: int | None, currency: str) -> list[FieldError]:
    if refund_minor is None:
        return []
    if refund_minor < 0:
        return [FieldError(field, "must not be negative", code="dispute.negative_refund")]
    return beyond_cap(field, Money(refund_minor, currency))


def visible(query: Select[tuple[Dispute]], who: Principal) -> Select[tuple[Dispute]]:
    """``query`` narrowed to the disputes ``who`` may see: a provider's about its bookings, a customer's own (the
    marketplace's reach rule, on the dispute's own parties)."""
    return access.visible(query, who, Dispute)


async def get_dispute(session: AsyncSession, who: Principal, dispute_id: uuid.UUID, *, lock: bool = False) -> Dispute:
    """The dispute, when ``who`` may see it. :raises NotFound: no such dispute, or someone else's."""
    query = visible(select(Dispute).where(Dispute.id == dispute_id), who)
    dispute = await session.scalar(query.with_for_update() if lock else query)
    if dispute is None:
        raise NotFound("no such dispute")
    return dispute


@dataclass(frozen=True)
class _Subject:
    customer_id: uuid.UUID
    provider_id: uuid.UUID | None
    currency: str
    starts_at: datetime | None = None
    """A booking's booked time."""


async def _subject(session: AsyncSession, tenant: CurrentTenant, who: Principal, subject: str,
                   subject_id: uuid.UUID) -> _Subject:
    """Whose the subject is and against whom. :raises NotFound: no such subject, or not the customer's own."""
    found: _Subject | None = None
    if subject == "booking":
        booking = await session.scalar(select(Booking).where(Booking.id == subject_id))
        if booking is not None:
            found = _Subject(booking.customer_id, booking.provider_id, booking.currency, booking.starts_at)
    elif subject == "request":
        row = (await session.execute(select(ServiceRequest.customer_id, Registration.currency)
                                     .outerjoin(Registration, Registration.id == ServiceRequest.registration_id)
                                     .where(ServiceRequest.id == subject_id))).first()
        if row is not None:
            found = _Subject(row.customer_id, None, row.currency or tenant.record.currency)
    else:
        row = (await session.execute(select(Registration.customer_id, Registration.currency)
                                     .join(Claim, Claim.registration_id == Registration.id)
                                     .where(Claim.id == subject_id))).first()
        if row is not None:
            found = _Subject(row.customer_id, None, row.currency)
    if found is None or (who.customer_id is not None and found.customer_id != who.customer_id):
        raise NotFound(f"no such {subject}")
    return found


async def open_dispute(session: AsyncSession, tenant: CurrentTenant, who: Principal, new: NewDispute, *, actor: str,
                       now: datetime) -> Dispute:
    """Open a dispute about the customer's booking, request or claim; the provider of a booking is told.

    :raises InvalidInput: unknown subject or grounds, grounds that do not fit the subject, an empty or too long
        statement (every field at once; nothing written); the provider absent before the booked time has come.
    :raises NotFound: no such subject, or another customer's.
    :raises Conflict: a dispute about the subject is still live (code ``dispute.already_open``).
    """
    statement = new.statement.strip()
    errors = _text_errors(statement=statement)
    if new.subject not in SUBJECTS:
        errors.append(FieldError("subject", f"must be one of {', '.join(SUBJECTS)}"))
    elif new.grounds not in GROUNDS_BY_SUBJECT[new.subject]:
        fitting = GROUNDS_BY_SUBJECT[new.subject]
        errors.append(FieldError("grounds", f"a {new.subject} is disputed on one of {', '.join(fitting)}",
                                 code="dispute.grounds", params={"subject": new.subject}))
    if errors:
        raise InvalidInput("the dispute cannot be opened", errors)
    about = await _subject(session, tenant, who, new.subject, new.subject_id)
    if new.grounds == "provider_absent" and about.starts_at is not None and now < about.starts_at:
        raise InvalidInput("the dispute cannot be opened", [FieldError(
            "grounds", f"the booked time ({about.starts_at.isoformat()}) has not come yet",
            code="dispute.before_booked_time", params={"starts_at": about.starts_at.isoformat()})])
    live = await session.scalar(select(Dispute.id).where(
        Dispute.subject == new.subject, Dispute.subject_id == new.subject_id,
        Dispute.state.notin_([s.value for s in FINAL])))
    if live is not None:
        raise _already_open(new.subject, live)
    dispute = Dispute(
        subject=new.subject, subject_id=new.subject_id, customer_id=about.customer_id,
        booking_id=new.subject_id if new.subject == "booking" else None,
        request_id=new.subject_id if new.subject == "request" else None,
        claim_id=new.subject_id if new.subject == "claim" else None,
        respondent="provider" if about.provider_id else "company", provider_id=about.provider_id,
        grounds=new.grounds, statement=statement, opened_by=actor, opened_at=now, state=DisputeState.OPEN.value,
        currency=about.currency, updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(dispute)
            await session.flush()
    except IntegrityError:  # another dispute about the subject committed first
        raise _already_open(new.subject, None) from None
    await notices.opened(session, tenant, dispute, now=now)
    await emit(session, DisputeOpened(
        dispute_id=dispute.id, subject=dispute.subject, subject_id=dispute.subject_id, customer_id=dispute.customer_id,
        respondent=dispute.respondent, provider_id=dispute.provider_id, grounds=dispute.grounds, opened_at=now,
    ), key=dispute.id, now=now)
    return dispute


def _already_open(subject: str, live: uuid.UUID | None) -> Conflict:
    return Conflict(f"this {subject} already has a dispute under way; it must end before another is opened",
                    code="dispute.already_open", params={"dispute_id": str(live)} if live else {})


async def answer(session: AsyncSession, tenant: CurrentTenant, who: Principal, dispute_id: uuid.UUID, text: str, *,
                 actor: str, now: datetime) -> Dispute:
    """The other side's statement: the provider's own user for a booking, staff for the company. The customer
    is told.

    :raises NotFound: not a dispute the caller reaches. :raises PermissionDenied: staff answering for a provider.
    :raises Conflict: already answered, or past answering. :raises InvalidInput: an empty or too long answer.
    """
    dispute = await get_dispute(session, who, dispute_id, lock=True)
    if who.provider_id is None and dispute.respondent == "provider":
        raise PermissionDenied("the provider answers a dispute about its booking itself")
    check_move(dispute.state, DisputeState.ANSWERED)
    text = text.strip()
    if errors := _text_errors(answer=text):
        raise InvalidInput("the dispute cannot be answered", errors)
    dispute.answer, dispute.answered_by, dispute.answered_at = text, actor, now
    dispute.state, dispute.updated_at = DisputeState.ANSWERED.value, now
    await session.flush()
    await notices.answered(session, tenant, dispute, now=now)
    await emit(session, DisputeAnswered(dispute_id=dispute.id, respondent=dispute.respondent,
                                        provider_id=dispute.provider_id, answered_at=now), key=dispute.id, now=now)
    return dispute


async def start_mediation(session: AsyncSession, dispute_id: uuid.UUID, *, staff: Principal, actor: str,
                          now: datetime) -> Dispute:
    """Staff take the dispute into mediation (answered, or open when the other side stays silent).

    :raises Conflict: it is already in mediation or ended.
    """
    dispute = await get_dispute(session, staff, dispute_id, lock=True)
    if dispute.state == DisputeState.SETTLEMENT_PROPOSED:
        raise Conflict("the dispute is already in mediation, with a settlement proposed",
                       code="dispute.wrong_state", params={"state": dispute.state, "to": "mediation"})
    check_move(dispute.state, DisputeState.MEDIATION)
    dispute.state, dispute.mediator, dispute.mediation_started_at = DisputeState.MEDIATION.value, actor, now
    dispute.updated_at = now
    await session.flush()
    return dispute


async def add_note(session: AsyncSession, dispute_id: uuid.UUID, body: str, *, staff: Principal, actor: str,
                   now: datetime) -> DisputeNote:
    """A mediator's note, kept from both parties. :raises InvalidInput: empty or too long."""
    await get_dispute(session, staff, dispute_id)
    body = body.strip()
    if errors := _text_errors(body=body):
        raise InvalidInput("the note cannot be kept", errors)
    note = DisputeNote(dispute_id=dispute_id, author=actor, body=body, written_at=now)
    session.add(note)
    await session.flush()
    return note


async def notes_of(session: AsyncSession, dispute_id: uuid.UUID) -> list[DisputeNote]:
    """A dispute's mediation notes, oldest first (staff only)."""
    return list(await session.scalars(select(DisputeNote).where(DisputeNote.dispute_id == dispute_id)
                                      .order_by(DisputeNote.written_at, DisputeNote.id)))


async def propose_settlement(session: AsyncSession, tenant: CurrentTenant, dispute_id: uuid.UUID, terms: str,
                             refund_minor: int | None, *, staff: Principal, actor: str, now: datetime) -> Dispute:
    """The mediator proposes a settlement the customer may accept; the customer is told.

    :raises Conflict: not in mediation. :raises InvalidInput: empty terms, a negative or impossible amount.
    """
    dispute = await get_dispute(session, staff, dispute_id, lock=True)
    check_move(dispute.state, DisputeState.SETTLEMENT_PROPOSED)
    terms = terms.strip()
    errors = _text_errors(terms=terms) + _refund_errors("refund_minor", refund_minor, dispute.currency)
    if errors:
        raise InvalidInput("the settlement cannot be proposed", errors)
    dispute.settlement, dispute.settlement_refund_minor = terms, refund_minor or None
    dispute.settlement_proposed_at, dispute.settlement_answer = now, None
    dispute.state, dispute.updated_at = DisputeState.SETTLEMENT_PROPOSED.value, now
    await session.flush()
    await notices.settlement_proposed(session, tenant, dispute, now=now)
    return dispute


async def answer_settlement(session: AsyncSession, tenant: CurrentTenant, who: Principal, dispute_id: uuid.UUID,
                            accept: bool, *, now: datetime) -> Dispute:
    """The customer accepts the proposed settlement (the dispute is settled, both sides told) or declines it
    (back to mediation). :raises Conflict: no settlement is waiting for an answer."""
    dispute = await get_dispute(session, who, dispute_id, lock=True)
    if dispute.state != DisputeState.SETTLEMENT_PROPOSED:
        raise Conflict("no settlement is waiting for the customer's answer", code="dispute.wrong_state",
                       params={"state": dispute.state, "to": "settled"})
    dispute.settlement_answer, dispute.updated_at = ("accepted" if accept else "declined"), now
    if not accept:
        dispute.state = DisputeState.MEDIATION.value
        await session.flush()
        return dispute
    dispute.state, dispute.outcome, dispute.ended_at = DisputeState.SETTLED.value, "settled", now
    dispute.refund_owed_minor = dispute.settlement_refund_minor
    await session.flush()
    await _decided(session, tenant, dispute, now=now)
    return dispute


async def rule(session: AsyncSession, tenant: CurrentTenant, dispute_id: uuid.UUID, ruling: Ruling, *,
               staff: Principal, actor: str, now: datetime) -> Dispute:
    """Customer service's final ruling, with the reason both sides read; both sides are told.

    :raises Conflict: not answered and not in mediation yet (the other side is heard first), or ended.
    :raises InvalidInput: unknown outcome, empty reason, a refund on a ruling for the other side, a negative or
        impossible amount.
    """
    dispute = await get_dispute(session, staff, dispute_id, lock=True)
    if dispute.state == DisputeState.OPEN:
        raise Conflict("the other side has not answered: take the dispute into mediation before ruling",
                       code="dispute.not_heard", params={"state": dispute.state})
    check_move(dispute.state, DisputeState.RULED)
    reason = ruling.reason.strip()
    errors = _text_errors(reason=reason) + _refund_errors("refund_minor", ruling.refund_minor, dispute.currency)
    if ruling.outcome not in OUTCOMES:
        errors.append(FieldError("outcome", f"must be one of {', '.join(OUTCOMES)}"))
    elif ruling.outcome == "for_respondent" and ruling.refund_minor:
        errors.append(FieldError("refund_minor", "a ruling for the other side owes the customer nothing",
                                 code="dispute.refund_not_owed"))
    if errors:
        raise InvalidInput("the dispute cannot be ruled on", errors)
    dispute.state, dispute.outcome, dispute.ruling_reason = DisputeState.RULED.value, ruling.outcome, reason
    dispute.refund_owed_minor, dispute.ruled_by = ruling.refund_minor or None, actor
    dispute.ended_at = dispute.updated_at = now
    await session.flush()
    await _decided(session, tenant, dispute, now=now)
    return dispute


async def _decided(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, *, now: datetime) -> None:
    await notices.decided(session, tenant, dispute, now=now)
    await emit(session, DisputeDecided(
        dispute_id=dispute.id, subject=dispute.subject, subject_id=dispute.subject_id,
        customer_id=dispute.customer_id, respondent=dispute.respondent, provider_id=dispute.provider_id,
        outcome=dispute.outcome or "", reason=dispute.ruling_reason or dispute.settlement or "",
        refund_owed_minor=dispute.refund_owed_minor, currency=dispute.currency, decided_at=now,
    ), key=dispute.id, now=now)


async def withdraw(session: AsyncSession, who: Principal, dispute_id: uuid.UUID, *, now: datetime) -> Dispute:
    """The customer (or staff for them) withdraws the dispute. :raises Conflict: it has ended."""
    dispute = await get_dispute(session, who, dispute_id, lock=True)
    check_move(dispute.state, DisputeState.WITHDRAWN)
    dispute.state, dispute.ended_at, dispute.updated_at = DisputeState.WITHDRAWN.value, now, now
    await session.flush()
    return dispute


async def list_disputes(session: AsyncSession, who: Principal, *, state: str | None = None, limit: int,
                        before: uuid.UUID | None = None) -> list[Dispute]:
    """Disputes ``who`` may see, newest first, ``limit`` of them after ``before``; only ``state`` when given."""
    query = visible(select(Dispute), who)
    if state is not None:
        query = query.where(Dispute.state == state)
    if before is not None:
        query = query.where(Dispute.id < before)
    return list(await session.scalars(query.order_by(Dispute.id.desc()).limit(limit)))
