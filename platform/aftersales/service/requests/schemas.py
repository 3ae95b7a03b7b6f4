"""Bodies and answers of the service request endpoints."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import Channel, HoldReason
from aftersales.http.bodies import limited_text
from aftersales.http.language import Said
from aftersales.service.clocks.services import ClockHours, ClockView, hours_counted, view
from aftersales.service.models import RequestEvent, RequestHold, ServiceRequest, SlaClock
from aftersales.service.requests.services import MAX_SUMMARY, Kind
from aftersales.service.states import RequestState
from aftersales.warranty.registrations.schemas import CustomerIn

Summary = limited_text(MAX_SUMMARY)
"""At most :data:`~aftersales.service.requests.services.MAX_SUMMARY` characters once trimmed (the service checks)."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestIn(_Body):
    kind: Kind
    channel: Channel = Field(description="How it came in: in person (walk_in), phone, the 24-hour hotline or call "
                                         "centre (hotline), the website form or the customer's service ticket "
                                         "(portal), social, e-mail, letter or fax.")
    summary: Summary
    registration_id: UUID | None = None
    claim_id: UUID | None = None
    customer: CustomerIn | None = Field(default=None, description="Needed when no registration is given.")
    site_latitude: float | None = Field(default=None, description="Where the unit is (for on-site clocks).")
    site_longitude: float | None = None
    site_country: str | None = Field(default=None, min_length=2, max_length=2,
                                     description="The unit's country when it is not the tenant's (overseas).")


class MoveIn(_Body):
    to: RequestState
    note: str = Field(default="", max_length=8000)


class AssignIn(_Body):
    assignee_id: UUID
    note: str = Field(default="", max_length=8000)


class NoteIn(_Body):
    note: str = Field(max_length=8000)


class OptionalNoteIn(_Body):
    note: str = Field(default="", max_length=8000)


class HoldIn(_Body):
    reason: HoldReason
    note: str = Field(default="", max_length=8000)


class ClockOut(BaseModel):
    name: str
    clock: str
    state: str = Field(description="waiting, on_track, at_risk, breached or met")
    started_at: datetime | None
    due_at: datetime | None
    remaining_seconds: int | None = Field(description="In the clock's own time (opening hours for business clocks); "
                                                      "negative when overdue.")
    paused_for: str | None
    met_at: datetime | None
    breached_at: datetime | None
    on_breach: str
    reason: Said
    counts: ClockHours = Field(description="Which hours the clock counts: the tenant's office hours (business "
                                           "clocks), or every hour (around_the_clock: a calendar clock, or a request "
                                           "opened on a channel the tenant keeps open 24/7).")


class RequestOut(BaseModel):
    id: UUID
    number: int
    kind: str
    channel: str
    state: str
    priority: int
    customer_id: UUID
    registration_id: UUID | None
    claim_id: UUID | None
    assignee_id: UUID | None
    summary: str
    opened_at: datetime
    promised_at: datetime | None = Field(description="The result date the intake receipt promises.")
    closed_at: datetime | None
    site_country: str | None = Field(default=None, description="The site's country when it is not the company's.")
    site_latitude: float | None = None
    site_longitude: float | None = None


class RequestDetailOut(RequestOut):
    clocks: list[ClockOut]


class EventOut(BaseModel):
    occurred_at: datetime
    actor: str
    kind: str
    from_state: str | None
    to_state: str | None
    note: Said = Field(description="What happened, in the reader's language when the core or a vertical said it.")


class HoldOut(BaseModel):
    id: UUID
    reason: str
    note: str
    started_at: datetime
    ended_at: datetime | None
    actor: str


class ReceiptItemOut(BaseModel):
    """One checklist item on the receipt, with what was recorded at the counter."""

    code: str
    label: Said
    kind: str
    answer: bool | str | None = Field(description="The yes_no or text answer; null for photos or when not answered.")
    photos: int = Field(description="How many photos were taken for a photos item.")


class ReceiptIntakeOut(BaseModel):
    """The intake as the receipt states it: where, the checklist's answers, and the customer's signature."""

    service_point_name: str
    items: list[ReceiptItemOut]
    signer_name: str
    signed_at: datetime
    signed: bool = Field(description="Always true: an intake is recorded only with the customer's signature.")


class ReceiptOut(BaseModel):
    """What the customer takes home at intake: the request number and the promised result date."""

    company: str
    support_phone: str | None
    support_email: str | None
    number: int
    opened_at: datetime
    kind: str
    summary: str
    customer_name: str
    serial: str | None
    model: str | None
    promised_at: datetime | None
    promised_local_date: str | None = Field(description="The promised date in the tenant's time zone (ISO).")
    intake: ReceiptIntakeOut | None = Field(default=None, description="The unit's intake; null before it is taken in.")


def request_fields(r: ServiceRequest) -> dict[str, object]:
    return dict(id=r.id, number=r.number, kind=r.kind, channel=r.channel, state=r.state, priority=r.priority,
                customer_id=r.customer_id, registration_id=r.registration_id, claim_id=r.claim_id,
                assignee_id=r.assignee_id, summary=r.summary, opened_at=r.opened_at, promised_at=r.promised_at,
                closed_at=r.closed_at, site_country=r.site_country, site_latitude=r.site_latitude,
                site_longitude=r.site_longitude)


def request_out(r: ServiceRequest) -> RequestOut:
    return RequestOut.model_validate(request_fields(r))


def clock_out(v: ClockView) -> ClockOut:
    return ClockOut(name=v.name, clock=v.clock, state=v.state, started_at=v.started_at, due_at=v.due_at,
                    remaining_seconds=int(v.remaining.total_seconds()) if v.remaining is not None else None,
                    paused_for=v.paused_for, met_at=v.met_at, breached_at=v.breached_at, on_breach=v.on_breach,
                    reason=v.reason, counts=hours_counted(v.clock))


def detail_out(r: ServiceRequest, clocks: list[SlaClock], calendar: BusinessCalendar, now: datetime) -> RequestDetailOut:
    return RequestDetailOut.model_validate({**request_fields(r),
                                            "clocks": [clock_out(view(c, calendar, now)) for c in clocks]})


def event_out(e: RequestEvent) -> EventOut:
    return EventOut(occurred_at=e.occurred_at, actor=e.actor, kind=e.kind, from_state=e.from_state,
                    to_state=e.to_state, note=e.note)


def hold_out(h: RequestHold) -> HoldOut:
    return HoldOut(id=h.id, reason=h.reason, note=h.note, started_at=h.started_at, ended_at=h.ended_at,
                   actor=h.actor)
