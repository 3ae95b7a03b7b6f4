"""The customer file: every activity of one customer — registrations, claims, requests and every event of their
timelines, holds, complaints, follow-up calls and surveys, recall notices — as one time-ordered list from one query (``UNION ALL`` of one SELECT per
source), filterable by kind and time, exportable as CSV or JSON.

A source is a function of the customer's id and tenant returning a SELECT of :data:`COLUMNS`; domains add
theirs to :data:`SOURCES` (payments next). Each SELECT names ``tenant_id``
explicitly, on top of the session's tenant filter and, on PostgreSQL, row-level security.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, Row, Select, String, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.sentences import Sentence
from aftersales.db.session import bound_tenant
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.http.csv_export import csv_writer
from aftersales.identity.models import Customer
from aftersales.service.followups.models import FollowUp
from aftersales.service.models import Complaint, RequestEvent, RequestHold, ServiceRequest
from aftersales.warranty.models import Claim, Coverage, ProductModel, Registration, Serial
from aftersales.warranty.recalls.models import RecallCampaign, RecallUnit

COLUMNS = ("occurred_at", "kind", "ref_id", "request_number", "title", "detail")
"""What every source selects, in this order."""
MAX_ROWS = 50_000
"""The most activities one file returns; a longer history is narrowed by time."""

_NO_NUMBER = cast(null(), Integer)
"""A typed NULL for sources with no request number (PostgreSQL types every column of a UNION)."""

_SENTENCE = Sentence()
"""A timeline note the core said is stored as its message; the union reads it as text, so it is read back here."""

Source = Callable[[UUID, UUID], Select[Any]]
"""``(tenant_id, customer_id) -> SELECT`` of :data:`COLUMNS`."""


@dataclass(frozen=True)
class Activity:
    """One thing that happened in the customer's relationship with the company."""

    occurred_at: datetime
    kind: str
    ref_id: str
    request_number: int | None
    title: str
    detail: str


def _registrations(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    return (select(Registration.created_at, literal("registration"), cast(Registration.id, String), _NO_NUMBER,
                   ProductModel.name + literal(" ") + Serial.serial,
                   literal("bought ") + cast(Registration.purchased_on, String) + literal(", invoice ")
                   + Registration.invoice_number + literal(", ") + Registration.status)
            .join(Serial, (Serial.tenant_id == Registration.tenant_id) & (Serial.id == Registration.serial_id))
            .join(ProductModel, (ProductModel.tenant_id == Serial.tenant_id) & (ProductModel.id == Serial.model_id))
            .where(Registration.tenant_id == tenant_id, Registration.customer_id == customer_id))


def _claims(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    return (select(Claim.created_at, literal("claim"), cast(Claim.id, String), _NO_NUMBER,
                   Claim.kind + literal(" claim: ") + Claim.decision, Claim.status)
            .join(Registration, (Registration.tenant_id == Claim.tenant_id) & (Registration.id == Claim.registration_id))
            .where(Claim.tenant_id == tenant_id, Registration.customer_id == customer_id))


def _request_events(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    return (select(RequestEvent.occurred_at, literal("request.") + RequestEvent.kind,
                   cast(ServiceRequest.id, String), ServiceRequest.number,
                   ServiceRequest.kind + literal(" request #") + cast(ServiceRequest.number, String),
                   RequestEvent.note)
            .join(ServiceRequest, (ServiceRequest.tenant_id == RequestEvent.tenant_id)
                  & (ServiceRequest.id == RequestEvent.request_id))
            .where(RequestEvent.tenant_id == tenant_id, ServiceRequest.customer_id == customer_id))


def _holds(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    return (select(RequestHold.started_at, literal("hold"), cast(RequestHold.id, String), ServiceRequest.number,
                   literal("on hold: ") + RequestHold.reason, RequestHold.note)
            .join(ServiceRequest, (ServiceRequest.tenant_id == RequestHold.tenant_id)
                  & (ServiceRequest.id == RequestHold.request_id))
            .where(RequestHold.tenant_id == tenant_id, ServiceRequest.customer_id == customer_id))


def _complaints(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    against = func.coalesce(Complaint.contractor, literal(""))
    return (select(Complaint.created_at, literal("complaint"), cast(Complaint.id, String), ServiceRequest.number,
                   literal("complaint: ") + Complaint.subject,
                   case((Complaint.answered_at.is_not(None), literal("answered: ") + func.coalesce(Complaint.cause, "")),
                        else_=literal("not answered yet")) + literal(" ") + against)
            .join(ServiceRequest, (ServiceRequest.tenant_id == Complaint.tenant_id)
                  & (ServiceRequest.id == Complaint.request_id))
            .where(Complaint.tenant_id == tenant_id, ServiceRequest.customer_id == customer_id))


def _followups(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    outcome = case((FollowUp.csat.is_not(None), literal("CSAT ") + cast(FollowUp.csat, String) + literal(" ")),
                   else_=literal("")) + FollowUp.comment
    return (select(func.coalesce(FollowUp.answered_at, FollowUp.sent_at, FollowUp.due_at), literal("followup"),
                   cast(FollowUp.id, String), _NO_NUMBER,
                   FollowUp.plan_name + literal(" (") + FollowUp.channel + literal("): ") + FollowUp.status, outcome)
            .where(FollowUp.tenant_id == tenant_id, FollowUp.customer_id == customer_id))


def _recalls(tenant_id: UUID, customer_id: UUID) -> Select[Any]:
    progress = case((RecallUnit.fixed_at.is_not(None), literal("fixed")),
                    (RecallUnit.acknowledged_at.is_not(None), literal("acknowledged")), else_=literal("notified"))
    return (select(func.coalesce(RecallUnit.notified_at, RecallUnit.created_at), literal("recall"),
                   cast(RecallUnit.id, String), _NO_NUMBER,
                   literal("recall: ") + RecallCampaign.title + literal(" — ") + RecallUnit.serial, progress)
            .join(RecallCampaign, (RecallCampaign.tenant_id == RecallUnit.tenant_id)
                  & (RecallCampaign.id == RecallUnit.campaign_id))
            .where(RecallUnit.tenant_id == tenant_id, RecallUnit.customer_id == customer_id))


SOURCES: dict[str, Source] = {
    "registration": _registrations,
    "claim": _claims,
    "request": _request_events,
    "hold": _holds,
    "complaint": _complaints,
    "followup": _followups,
    "recall": _recalls,
}
"""Sources by the kind prefix they produce (``request`` gives ``request.opened``, ``request.moved`` …)."""


async def customer_file(session: AsyncSession, customer_id: UUID, *, kinds: Sequence[str] = (),
                        since: datetime | None = None, until: datetime | None = None) -> list[Activity]:
    """The customer's activities, oldest first, of the given source ``kinds`` (all when empty) within
    ``[since, until)``.

    :raises NotFound: no such customer in the session's tenant. :raises InvalidInput: an unknown kind or an
        empty time range.
    """
    tenant_id = bound_tenant(session)
    assert tenant_id is not None, "the customer file is read in a tenant session"
    errors = [FieldError("kind", f"unknown kind {k!r}; kinds are {', '.join(SOURCES)}") for k in kinds
              if k not in SOURCES]
    if since is not None and until is not None and since >= until:
        errors.append(FieldError("until", "must be after since"))
    if errors:
        raise InvalidInput("the customer file cannot be filtered so", errors)
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("no such customer")
    parts = [SOURCES[k](tenant_id, customer_id) for k in (kinds or SOURCES)]
    everything = union_all(*parts).subquery("activity")
    occurred_at = everything.c[0]
    query = select(*everything.c)
    if since is not None:
        query = query.where(occurred_at >= since)
    if until is not None:
        query = query.where(occurred_at < until)
    rows = (await session.execute(query.order_by(occurred_at, everything.c[1]).limit(MAX_ROWS))).all()
    return [Activity(*_aware(row)) for row in rows]


async def customer_devices(session: AsyncSession, customer_id: UUID) -> Sequence[Row[Any]]:
    """The customer's registered devices, first registered first, as rows of the registration, its serial
    number, the model's name and the current coverage's warranty end (None when nothing covers it)."""
    return (await session.execute(
        select(Registration, Serial.serial, ProductModel.name, Coverage.warranty_end)
        .join(Serial, and_(Serial.tenant_id == Registration.tenant_id, Serial.id == Registration.serial_id))
        .join(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id, ProductModel.id == Serial.model_id))
        .outerjoin(Coverage, and_(Coverage.tenant_id == Registration.tenant_id,
                                  Coverage.registration_id == Registration.id, Coverage.superseded_at.is_(None)))
        .where(Registration.customer_id == customer_id).order_by(Registration.created_at))).all()


async def customer_requests(session: AsyncSession, customer_id: UUID) -> list[ServiceRequest]:
    """The customer's service requests (complaints included), newest first."""
    return list(await session.scalars(select(ServiceRequest).where(ServiceRequest.customer_id == customer_id)
                                      .order_by(ServiceRequest.opened_at.desc())))


async def customer_complaints(session: AsyncSession, customer_id: UUID) -> Sequence[Row[Any]]:
    """The customer's complaints, newest first, as rows of the complaint, its request's number and state."""
    return (await session.execute(
        select(Complaint, ServiceRequest.number, ServiceRequest.state)
        .join(ServiceRequest, and_(ServiceRequest.tenant_id == Complaint.tenant_id,
                                   ServiceRequest.id == Complaint.request_id))
        .where(ServiceRequest.customer_id == customer_id).order_by(Complaint.created_at.desc()))).all()


def _aware(row: Sequence[Any]) -> tuple[Any, ...]:
    """SQLite returns the union's timestamps as text or naive values: read them back as UTC instants."""
    when = row[0]
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when, *row[1:5], _SENTENCE.process_result_value(row[5], None))


def as_csv(activities: Sequence[Activity]) -> str:
    """The file as CSV with a header row (UTF-8 text, ISO 8601 times)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    for a in activities:
        writer.writerow([a.occurred_at.isoformat(), a.kind, a.ref_id,
                         "" if a.request_number is None else a.request_number, a.title, a.detail])
    return out.getvalue()


def as_json(activities: Sequence[Activity]) -> str:
    """The file as a JSON array of objects with :data:`COLUMNS` as keys."""
    return json.dumps([{**asdict(a), "occurred_at": a.occurred_at.isoformat()} for a in activities],
                      ensure_ascii=False)
