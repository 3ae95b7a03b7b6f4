"""Opening service requests, moving them through their life, assigning them, and their timeline.

Every change writes a timeline event in the same transaction, so the timeline is the full story of a request:
who opened it, every move with the state before and after, every assignment and note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.identity.customers import CustomerDetails, find_or_create_customer, validate_customer
from aftersales.identity.models import StaffUser
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.states import FINAL, RequestState, check_move
from aftersales.tenancy.services import CurrentTenant
from aftersales.warranty.models import Claim, Registration

KINDS = ("repair", "installation", "maintenance", "return", "exchange", "complaint", "inquiry")
CHANNELS = ("phone", "portal", "email", "walk_in", "social", "letter")
MAX_SUMMARY = 2000
MAX_NOTE = 4000
NUMBER_ATTEMPTS = 5


@dataclass(frozen=True)
class NewRequest:
    """A request as an agent takes it: what, how it came in, and whose (a registration, or the customer)."""

    kind: str
    channel: str
    summary: str
    registration_id: UUID | None = None
    claim_id: UUID | None = None
    customer: CustomerDetails | None = None


async def open_request(session: AsyncSession, tenant: CurrentTenant, new: NewRequest, *, actor: str,
                       now: datetime) -> ServiceRequest:
    """Open a request and its timeline. The customer is the registration's owner, else found or created from
    the details given.

    :raises InvalidInput: every bad field at once; nothing is written.
    """
    errors: list[FieldError] = []
    summary = new.summary.strip()
    if not summary:
        errors.append(FieldError("summary", "say what the customer needs"))
    elif len(summary) > MAX_SUMMARY:
        errors.append(FieldError("summary", f"must be at most {MAX_SUMMARY} characters"))
    customer_id = None
    if new.registration_id is not None:
        registration = await session.scalar(select(Registration).where(Registration.id == new.registration_id))
        if registration is None:
            errors.append(FieldError("registration_id", "no such registration"))
        else:
            customer_id = registration.customer_id
    if new.claim_id is not None:
        claim = await session.scalar(select(Claim).where(Claim.id == new.claim_id))
        if claim is None:
            errors.append(FieldError("claim_id", "no such claim"))
        elif new.registration_id is not None and claim.registration_id != new.registration_id:
            errors.append(FieldError("claim_id", "belongs to another registration"))
    details = None
    if customer_id is None:
        if new.customer is None:
            errors.append(FieldError("customer", "give the customer, or the registration of their unit"))
        else:
            details, customer_errors = validate_customer(new.customer, tenant.context.country, "customer")
            errors += customer_errors
    if errors:
        raise InvalidInput("the request cannot be opened", errors)
    if details is not None:
        customer_id = (await find_or_create_customer(session, details)).id
    assert customer_id is not None
    request = await _insert_numbered(session, ServiceRequest(
        kind=new.kind, channel=new.channel, state=RequestState.RECEIVED.value, customer_id=customer_id,
        registration_id=new.registration_id, claim_id=new.claim_id, summary=summary, opened_at=now,
    ))
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="opened",
                             to_state=RequestState.RECEIVED.value, note=summary))
    await session.flush()
    return request


async def _insert_numbered(session: AsyncSession, request: ServiceRequest) -> ServiceRequest:
    """Insert with the tenant's next number; a concurrent insert that took it first makes this one retry."""
    for _ in range(NUMBER_ATTEMPTS):
        request.number = (await session.scalar(select(func.max(ServiceRequest.number))) or 0) + 1
        try:
            async with session.begin_nested():
                session.add(request)
                await session.flush()
            return request
        except IntegrityError:
            continue
    raise Conflict("too many requests were opened at once; try again")


async def get_request(session: AsyncSession, request_id: UUID) -> ServiceRequest:
    """:raises NotFound: when the session's tenant has no such request."""
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
    if request is None:
        raise NotFound("no such service request")
    return request


async def move_request(session: AsyncSession, request_id: UUID, target: RequestState, *, actor: str, note: str,
                       now: datetime) -> ServiceRequest:
    """Move a request to ``target``. :raises IllegalTransition: a move its life does not allow."""
    request = await get_request(session, request_id)
    current = RequestState(request.state)
    check_move(current, target)
    request.state = target.value
    if target in FINAL:
        request.closed_at = now
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="moved",
                             from_state=current.value, to_state=target.value, note=_note(note)))
    await session.flush()
    return request


async def assign_request(session: AsyncSession, request_id: UUID, assignee_id: UUID, *, actor: str, note: str,
                         now: datetime) -> ServiceRequest:
    """Give a request to a member of staff (agent, technician). :raises InvalidInput: no such active staff."""
    request = await get_request(session, request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the request is {request.state}; an ended request is not assigned")
    staff = await session.scalar(select(StaffUser).where(StaffUser.id == assignee_id, StaffUser.active.is_(True)))
    if staff is None:
        raise InvalidInput("cannot assign", [FieldError("assignee_id", "no active staff member with this id")])
    request.assignee_id = staff.id
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="assigned",
                             note=_note(note) or f"assigned to {staff.name}"))
    await session.flush()
    return request


async def add_note(session: AsyncSession, request_id: UUID, *, actor: str, note: str, now: datetime) -> RequestEvent:
    """Add a note to the timeline. :raises InvalidInput: an empty note."""
    request = await get_request(session, request_id)
    text = _note(note)
    if not text:
        raise InvalidInput("empty note", [FieldError("note", "must not be empty")])
    event = RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="note", note=text)
    session.add(event)
    await session.flush()
    return event


async def timeline(session: AsyncSession, request_id: UUID) -> list[RequestEvent]:
    """Every event of a request, oldest first."""
    await get_request(session, request_id)
    return list(await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request_id)
                                      .order_by(RequestEvent.occurred_at, RequestEvent.id)))


def _note(note: str) -> str:
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput("note too long", [FieldError("note", f"must be at most {MAX_NOTE} characters")])
    return text
