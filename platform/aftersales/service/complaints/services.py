"""Complaints: filed through any channel, escalated to management, answered with the cause and an apology.

A complaint is a service request of kind ``complaint`` (its channel, customer, clocks and timeline) plus a
:class:`~aftersales.service.models.Complaint` row: the subject, whom it is against, the escalation and the
answer. Every complaint runs the ``complaint_response`` clock (48 business hours, a platform rule the vertical
may change), met when the answer is recorded. Seed 000 (Mehr): complaints about staff behaviour or handling time
go to management at once and are recorded against the employee or contractor named; the customer is told the
cause and given an apology. Seed 001 (Entekhab): a wrong or out-of-stock pro-forma is a store violation, filed
against the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer, StaffUser
from aftersales.outbox.events import ComplaintAnswered, ComplaintEscalated, ComplaintFiled
from aftersales.outbox.messages import Message, enqueue
from aftersales.outbox.webhooks import emit
from aftersales.service.clocks import services as clocks
from aftersales.service.models import Complaint, RequestEvent, ServiceRequest
from aftersales.service.requests import services as service_requests
from aftersales.service.requests.events import RequestMove
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant

Subject = Literal["staff_behaviour", "handling_time", "cost", "store_violation", "other"]
SUBJECTS: tuple[str, ...] = get_args(Subject)
ESCALATED_AT_FILING = frozenset({"staff_behaviour", "handling_time"})
"""Seed 000: these go to management the moment they are filed."""
AnswerChannel = Literal["sms", "email"]
ANSWER_CHANNELS: tuple[str, ...] = get_args(AnswerChannel)
MAX_CONTRACTOR = 200
MAX_TEXT = 4000


@dataclass(frozen=True)
class NewComplaint:
    """A complaint as an agent takes it: how it came in, about what, against whom, and whose."""

    channel: str
    subject: str
    summary: str
    registration_id: UUID | None = None
    customer: CustomerDetails | None = None
    about_request_id: UUID | None = None
    """The service request complained about, when there is one."""
    staff_id: UUID | None = None
    """The employee the complaint is against."""
    contractor: str | None = None
    """The contractor or store the complaint is against, by name."""
    site_country: str | None = None
    """The site's country (ISO 3166-1 alpha-2) when it is not the tenant's: an overseas complaint."""
    site_latitude: float | None = None
    site_longitude: float | None = None
    """Where the site is, for clocks that depend on the distance to the nearest service point."""


@dataclass(frozen=True)
class ComplaintFilter:
    """Which complaints a list shows; ``staff_id`` or ``contractor`` gives the record against someone."""

    subject: str | None = None
    answered: bool | None = None
    escalated: bool | None = None
    staff_id: UUID | None = None
    contractor: str | None = None


@dataclass(frozen=True)
class ComplaintCounts:
    """How many complaints a filter matches: all, escalated to management, answered, unanswered, by subject."""

    total: int = 0
    escalated: int = 0
    answered: int = 0
    unanswered: int = 0
    by_subject: dict[str, int] = field(default_factory=dict)


class _Refused(Exception):
    """Unwinds the savepoint of a complaint whose own fields are bad although its request could be opened."""


async def file_complaint(session: AsyncSession, tenant: CurrentTenant, new: NewComplaint, *, actor: str,
                         now: datetime) -> Complaint:
    """Open the complaint's request (its clocks start) and record the complaint; a complaint about staff
    behaviour or handling time is escalated to management at once.

    :raises InvalidInput: every bad field at once (the complaint's and the request's); nothing is written.
    """
    errors: list[FieldError] = []
    if new.subject not in SUBJECTS:
        errors.append(FieldError("subject", f"must be one of {', '.join(SUBJECTS)}"))
    contractor = " ".join((new.contractor or "").split()) or None
    if contractor is not None and len(contractor) > MAX_CONTRACTOR:
        errors.append(FieldError("contractor", f"must be at most {MAX_CONTRACTOR} characters"))
    if new.subject == "store_violation" and contractor is None:
        errors.append(FieldError("contractor", "name the store the violation is filed against"))
    if new.staff_id is not None and not await _is_staff(session, new.staff_id):
        errors.append(FieldError("staff_id", "no member of this company's staff has this id"))
    about = None
    if new.about_request_id is not None:
        about = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == new.about_request_id))
        if about is None:
            errors.append(FieldError("about_request_id", "no such service request"))
    request_errors: list[FieldError] = []
    try:
        async with session.begin_nested():
            request = await service_requests.open_request(session, tenant, service_requests.NewRequest(
                kind="complaint", channel=new.channel, summary=new.summary, registration_id=new.registration_id,
                customer=new.customer, complaint_subject=new.subject if new.subject in SUBJECTS else None,
                site_country=new.site_country, site_latitude=new.site_latitude, site_longitude=new.site_longitude,
            ), actor=actor, now=now)
            if about is not None and about.customer_id != request.customer_id:
                errors.append(FieldError("about_request_id", "is another customer's request"))
            if errors:
                raise _Refused
    except InvalidInput as exc:
        request_errors = exc.errors
    except _Refused:
        pass
    if errors or request_errors:
        raise InvalidInput("the complaint cannot be filed", errors + request_errors)
    complaint = Complaint(request_id=request.id, subject=new.subject, about_request_id=new.about_request_id,
                          staff_id=new.staff_id, contractor=contractor, escalated_to=[], escalation_note="")
    session.add(complaint)
    await session.flush()
    await emit(session, ComplaintFiled(complaint_id=complaint.id, request_id=request.id, number=request.number,
                                       subject=complaint.subject, about_request_id=complaint.about_request_id,
                                       filed_at=now), key=complaint.id, now=now)
    if new.subject in ESCALATED_AT_FILING:
        await _escalate(session, tenant, complaint, request, actor=actor, now=now,
                        note=f"a complaint about {_words(new.subject)} goes to management when it is filed")
    return complaint


async def get_complaint(session: AsyncSession, complaint_id: UUID) -> Complaint:
    """:raises NotFound: when the session's tenant has no such complaint."""
    complaint = await session.scalar(select(Complaint).where(Complaint.id == complaint_id))
    if complaint is None:
        raise NotFound("no such complaint")
    return complaint


async def complaints_of_customer(session: AsyncSession, customer_id: UUID) -> list[tuple[Complaint, ServiceRequest]]:
    """The customer's complaints with their requests, newest first."""
    rows = await session.execute(
        select(Complaint, ServiceRequest).join(ServiceRequest, ServiceRequest.id == Complaint.request_id)
        .where(ServiceRequest.customer_id == customer_id).order_by(ServiceRequest.number.desc()))
    return [(complaint, filed) for complaint, filed in rows]


async def escalate_complaint(session: AsyncSession, tenant: CurrentTenant, complaint_id: UUID, *, actor: str,
                             note: str, now: datetime) -> Complaint:
    """Escalate a complaint to management by hand (those about staff or handling time already are).

    :raises Conflict: it was escalated already. :raises InvalidInput: a note that is too long.
    """
    complaint = await get_complaint(session, complaint_id)
    if complaint.escalated_at is not None:
        when = complaint.escalated_at.isoformat()
        raise Conflict(f"the complaint was already escalated to management at {when}")
    text = note.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput("cannot escalate", [FieldError("note", f"must be at most {MAX_TEXT} characters")])
    request = await service_requests.get_request(session, complaint.request_id)
    await _escalate(session, tenant, complaint, request, actor=actor, now=now, note=text or "escalated by staff")
    return complaint


async def answer_complaint(session: AsyncSession, tenant: CurrentTenant, complaint_id: UUID, *, cause: str,
                           apology: str, channel: str | None, actor: str, now: datetime) -> Complaint:
    """Record the answer, send it to the customer (SMS when they have a phone, else e-mail, unless ``channel``
    says which) and meet the complaint's response clock.

    :raises Conflict: already answered, or the complaint was withdrawn. :raises InvalidInput: an empty cause
        or apology, or a channel the customer cannot be reached on; nothing is written.
    """
    complaint = await get_complaint(session, complaint_id)
    if complaint.answered_at is not None:
        raise Conflict(f"the complaint was already answered at {complaint.answered_at.isoformat()}")
    request = await service_requests.get_request(session, complaint.request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the complaint's request is {request.state}; an ended complaint is not answered")
    customer = await session.scalar(select(Customer).where(Customer.id == request.customer_id))
    assert customer is not None
    cause, apology = cause.strip(), apology.strip()
    errors = [FieldError(name, "must not be empty") for name, text in (("cause", cause), ("apology", apology))
              if not text]
    errors += [FieldError(name, f"must be at most {MAX_TEXT} characters")
               for name, text in (("cause", cause), ("apology", apology)) if len(text) > MAX_TEXT]
    channel = channel or ("sms" if customer.phone else "email")
    recipient = {"sms": customer.phone, "email": customer.email}.get(channel)
    if channel not in ANSWER_CHANNELS:
        errors.append(FieldError("channel", f"must be one of {', '.join(ANSWER_CHANNELS)}"))
    elif not recipient:
        missing = "phone number" if channel == "sms" else "e-mail"
        errors.append(FieldError("channel", f"the customer has no {missing}"))
    if errors:
        raise InvalidInput("the complaint cannot be answered", errors)
    assert recipient is not None
    company = tenant.record.branding.get("display_name") or tenant.record.name
    message = await enqueue(session, Message(
        channel=channel, recipient=recipient, event="complaint.answered", key=f"complaint-answer:{complaint.id}",
        subject=f"{company}: your complaint #{request.number}",
        body=f"{company}, about your complaint #{request.number}:\n{cause}\n{apology}",
        payload={"complaint_id": str(complaint.id), "request_id": str(request.id), "number": request.number,
                 "cause": cause, "apology": apology},
    ), now=now)
    complaint.cause, complaint.apology, complaint.answered_at, complaint.answered_by = cause, apology, now, actor
    complaint.answer_channel, complaint.answer_message_id = channel, message.id
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="answered",
                             note=f"answered by {channel} to {recipient}. Cause: {cause} Apology: {apology}"))
    await clocks.reach(session, tenant, request, ["answered"], now)
    await session.flush()
    await emit(session, ComplaintAnswered(complaint_id=complaint.id, request_id=request.id, number=request.number,
                                          channel=channel, cause=cause, apology=apology, answered_at=now),
               key=complaint.id, now=now)
    return complaint


async def refuse_unanswered_end(move: RequestMove) -> None:
    """A complaint ends answered: it may be withdrawn (cancelled) but not closed or otherwise ended first.

    Subscribed to every request's *moving* (:mod:`aftersales.service.requests.events`). :raises Conflict: with
    the reason.
    """
    session, request, target = move.session, move.request, move.target
    if request.kind != "complaint" or target not in FINAL or target is RequestState.CANCELLED:
        return
    complaint = await session.scalar(select(Complaint).where(Complaint.request_id == request.id))
    if complaint is not None and complaint.answered_at is None:
        raise Conflict(f"complaint #{request.number} has not been answered: send the customer the cause and an "
                       f"apology before it is {target.value}")


async def list_complaints(session: AsyncSession, which: ComplaintFilter, *, limit: int,
                          before: UUID | None = None) -> list[tuple[Complaint, ServiceRequest]]:
    """Complaints newest first with their requests, ``limit`` of them after the complaint ``before``."""
    query = _filtered(select(Complaint, ServiceRequest).join(
        ServiceRequest, ServiceRequest.id == Complaint.request_id), which)
    if before is not None:
        query = query.where(Complaint.id < before)
    rows = await session.execute(query.order_by(Complaint.id.desc()).limit(limit))
    return [(complaint, request) for complaint, request in rows]


async def count_complaints(session: AsyncSession, which: ComplaintFilter) -> ComplaintCounts:
    """The counts of every complaint ``which`` matches (all pages): the record against a person or store."""
    rows = (await session.execute(_filtered(
        select(Complaint.subject, func.count(), func.count(Complaint.escalated_at),
               func.count(Complaint.answered_at)).group_by(Complaint.subject), which))).all()
    total = sum(n for _, n, _, _ in rows)
    answered = sum(a for _, _, _, a in rows)
    return ComplaintCounts(total=total, escalated=sum(e for _, _, e, _ in rows), answered=answered,
                           unanswered=total - answered, by_subject={s: n for s, n, _, _ in rows})


def _filtered(query: Select[Any], which: ComplaintFilter) -> Select[Any]:
    if which.subject is not None:
        query = query.where(Complaint.subject == which.subject)
    if which.answered is not None:
        query = query.where(Complaint.answered_at.is_not(None) if which.answered
                            else Complaint.answered_at.is_(None))
    if which.escalated is not None:
        query = query.where(Complaint.escalated_at.is_not(None) if which.escalated
                            else Complaint.escalated_at.is_(None))
    if which.staff_id is not None:
        query = query.where(Complaint.staff_id == which.staff_id)
    if which.contractor is not None:
        query = query.where(func.lower(Complaint.contractor) == " ".join(which.contractor.split()).lower())
    return query


async def _escalate(session: AsyncSession, tenant: CurrentTenant, complaint: Complaint, request: ServiceRequest, *,
                    actor: str, note: str, now: datetime) -> None:
    """Tell management (the tenant's active admins, else its support address) by e-mail, and record it on the
    complaint and the request's timeline; each e-mail's key makes it once per complaint and recipient."""
    admins = [s for s in (await session.scalars(select(StaffUser).where(StaffUser.active.is_(True))
                                                .order_by(StaffUser.created_at, StaffUser.id))).all()
              if "admin" in s.roles]
    recipients: list[tuple[str, str]] = [(str(a.id), a.email) for a in admins]
    support = tenant.record.branding.get("support_email")
    if not recipients and support:
        recipients = [("support", support)]
    against = await _against(session, complaint)
    text = f"Complaint #{request.number} ({_words(complaint.subject)}) against {against}: {request.summary}"
    for who, email in recipients:
        await enqueue(session, Message(
            channel="email", recipient=email, event="complaint.escalated",
            key=f"complaint-escalation:{complaint.id}:{who}",
            subject=f"Complaint #{request.number}: {_words(complaint.subject)}", body=f"{text}\n\n{note}",
            payload={"complaint_id": str(complaint.id), "request_id": str(request.id), "number": request.number,
                     "subject": complaint.subject, "contractor": complaint.contractor,
                     "staff_id": str(complaint.staff_id) if complaint.staff_id else None},
        ), now=now)
    emails = [email for _, email in recipients]
    complaint.escalated_at, complaint.escalated_by = now, actor
    complaint.escalated_to, complaint.escalation_note = emails, note
    told = ", ".join(emails) if emails else "nobody: the company has no admin and no support e-mail"
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="escalated",
                             note=f"escalated to management ({told}); against {against}; {note}"))
    await session.flush()
    await emit(session, ComplaintEscalated(complaint_id=complaint.id, request_id=request.id, number=request.number,
                                           subject=complaint.subject, escalated_at=now), key=complaint.id, now=now)


async def _is_staff(session: AsyncSession, staff_id: UUID) -> bool:
    return await session.scalar(select(StaffUser.id).where(StaffUser.id == staff_id)) is not None


async def _against(session: AsyncSession, complaint: Complaint) -> str:
    named: Sequence[str] = []
    if complaint.staff_id is not None:
        staff = await session.scalar(select(StaffUser).where(StaffUser.id == complaint.staff_id))
        named = [f"{staff.name} (staff)"] if staff is not None else []
    if complaint.contractor:
        named = [*named, complaint.contractor]
    return " and ".join(named) or "nobody named"


def _words(subject: str) -> str:
    return subject.replace("_", " ")
