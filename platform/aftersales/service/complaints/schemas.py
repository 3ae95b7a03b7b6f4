"""Bodies and answers of the complaint endpoints."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.calendar import BusinessCalendar
from aftersales.http.bodies import limited_text
from aftersales.service.clocks.services import view
from aftersales.service.complaints.services import (
    MAX_CONTRACTOR,
    MAX_TEXT,
    AnswerChannel,
    ComplaintCounts,
    Subject,
)
from aftersales.service.models import Complaint, ServiceRequest, SlaClock
from aftersales.service.requests.schemas import Channel, ClockOut, Summary, clock_out
from aftersales.warranty.registrations.schemas import CustomerIn

StaffText = limited_text(MAX_TEXT)
"""A cause, an apology or an escalation note: as long as the service takes."""

class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComplaintIn(_Body):
    channel: Channel = Field(description="How it came in: in person (walk_in), phone, the website form (portal), "
                                         "social, e-mail, letter or fax.")
    subject: Subject
    summary: Summary = Field(description="What the customer complains about, in their words.")
    registration_id: UUID | None = None
    customer: CustomerIn | None = Field(default=None, description="Needed when no registration is given.")
    about_request_id: UUID | None = Field(default=None, description="The service request complained about.")
    staff_id: UUID | None = Field(default=None, description="The employee the complaint is against.")
    contractor: str | None = Field(default=None, json_schema_extra={"maxLength": MAX_CONTRACTOR},
                                   description="The contractor or store the complaint is against, by name "
                                               "(needed for a store_violation).")
    site_country: str | None = Field(default=None, min_length=2, max_length=2,
                                     description="The country (ISO 3166-1 alpha-2) of the site complained from when "
                                                 "it is not the company's: an overseas complaint, on its own clock "
                                                 "where the vertical says so.")
    site_latitude: float | None = Field(default=None, description="Where the site is (distance clocks).")
    site_longitude: float | None = None


class AnswerIn(_Body):
    cause: StaffText = Field(description="What caused what the customer complained about.")
    apology: StaffText
    channel: AnswerChannel | None = Field(
        default=None, description="How to send it; by default SMS when the customer has a phone, else e-mail.")


class EscalateIn(_Body):
    note: StaffText = ""


class ComplaintOut(BaseModel):
    id: UUID
    request_id: UUID
    number: int = Field(description="The number of the complaint's service request.")
    channel: str
    state: str
    customer_id: UUID
    subject: str
    summary: str
    filed_at: datetime
    site_country: str | None = Field(description="The site's country when it is not the company's (overseas).")
    site_latitude: float | None
    site_longitude: float | None
    about_request_id: UUID | None
    staff_id: UUID | None
    contractor: str | None
    order_id: UUID | None = Field(default=None, description="The order a store violation is about (the order desk "
                                                            "files one on a mismatched pro-forma).")
    escalated_at: datetime | None
    escalated_by: str | None
    escalated_to: list[str]
    escalation_note: str
    answered_at: datetime | None
    answered_by: str | None
    cause: str | None
    apology: str | None
    answer_channel: str | None
    answer_message_id: UUID | None = Field(description="The outbox message carrying the answer.")


class ComplaintDetailOut(ComplaintOut):
    clocks: list[ClockOut]


class ComplaintCountsOut(BaseModel):
    total: int
    escalated: int
    answered: int
    unanswered: int
    by_subject: dict[str, int]


class ComplaintPage(BaseModel):
    """One page of complaints, the next page's cursor, and the counts of all complaints the filter matches."""

    items: list[ComplaintOut]
    next_cursor: str | None
    counts: ComplaintCountsOut


def complaint_out(c: Complaint, r: ServiceRequest) -> ComplaintOut:
    return ComplaintOut(
        id=c.id, request_id=r.id, number=r.number, channel=r.channel, state=r.state, customer_id=r.customer_id,
        subject=c.subject, summary=r.summary, filed_at=r.opened_at, site_country=r.site_country,
        site_latitude=r.site_latitude, site_longitude=r.site_longitude, about_request_id=c.about_request_id,
        staff_id=c.staff_id, contractor=c.contractor, order_id=c.order_id, escalated_at=c.escalated_at, escalated_by=c.escalated_by,
        escalated_to=list(c.escalated_to), escalation_note=c.escalation_note, answered_at=c.answered_at,
        answered_by=c.answered_by, cause=c.cause, apology=c.apology, answer_channel=c.answer_channel,
        answer_message_id=c.answer_message_id,
    )


def complaint_detail_out(c: Complaint, r: ServiceRequest, clocks: list[SlaClock], calendar: BusinessCalendar,
                         now: datetime) -> ComplaintDetailOut:
    return ComplaintDetailOut(**complaint_out(c, r).model_dump(),
                              clocks=[clock_out(view(k, calendar, now)) for k in clocks])


def counts_out(counts: ComplaintCounts) -> ComplaintCountsOut:
    return ComplaintCountsOut(total=counts.total, escalated=counts.escalated, answered=counts.answered,
                              unanswered=counts.unanswered, by_subject=dict(counts.by_subject))
