"""Bodies and answers of the follow-up, survey and training sign-off endpoints."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.language import Said
from aftersales.identity.models import Customer
from aftersales.service.followups.models import FollowUp, FollowUpFailure, TrainingSignOff
from aftersales.service.followups.routing import reason_of


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemIn(_Body):
    summary: str = Field(max_length=8000, description="The problem in the customer's words; it opens a request.")


class AnswersIn(_Body):
    """An agent's record of a follow-up call (or of a customer answering a message by phone)."""

    answers: list[str] = Field(default_factory=list, max_length=50,
                               description="One answer per question of the questionnaire, in order.")
    csat: int | None = Field(default=None, description="Satisfaction from 1 (very dissatisfied) to 5.")
    comment: str = Field(default="", max_length=8000)
    problem: ProblemIn | None = None


class SurveyAnswerIn(_Body):
    """A customer's answer through the link of an SMS, e-mail or portal survey."""

    csat: int = Field(description="Satisfaction from 1 (very dissatisfied) to 5 (very satisfied).")
    comment: str = Field(default="", max_length=8000)
    answers: list[str] = Field(default_factory=list, max_length=50)
    problem: ProblemIn | None = None


class SignOffIn(_Body):
    signed_by: str = Field(max_length=400, description="The name of the customer who signed the training off.")
    note: str = Field(default="", max_length=8000)


class ContactOut(BaseModel):
    name: str
    phone: str | None
    email: str | None


class FollowUpOut(BaseModel):
    id: UUID
    customer_id: UUID
    customer: ContactOut | None = Field(description="Who to call.")
    request_id: UUID | None
    registration_id: UUID | None
    event_kind: str
    event_at: datetime
    plan_name: str
    channel: str
    questionnaire: list[Said]
    occurrence: int
    due_at: datetime
    status: str = Field(description="scheduled, sent, answered, missed or cancelled")
    status_reason: str
    sent_at: datetime | None
    answers: list[str] | None
    csat: int | None
    comment: str
    answered_at: datetime | None
    answered_by: str | None
    problem_request_id: UUID | None = Field(description="The request opened for a problem the answers reported.")
    step: str | None = Field(description="For a routed step: engineer, rnd (R&D, by a work contact letter) or "
                                         "call_back; None for a plan's own follow-up.")
    routed_from_id: UUID | None = Field(description="The answered follow-up this step was routed from.")
    routing: list[str] = Field(description="The steps taken so far, up to and including this one.")
    assignee_id: UUID | None = Field(description="Whom the step is for (the engineer); None: the agents' list.")
    routed_to: str | None = Field(description="Once answered: the next step the vertical chose, or close.")
    routing_reason: str | None = Field(description="Why it was routed there.")


class SignOffOut(BaseModel):
    request_id: UUID
    signed_by: str
    signed_at: datetime
    note: str
    recorded_by: str
    followups: list[FollowUpOut] = Field(description="The follow-ups the sign-off scheduled.")


class SurveyOut(BaseModel):
    """A survey as its link shows it: no personal data, only the company and the questions."""

    company: str
    questions: list[str]
    answered: bool


class CsatOut(BaseModel):
    count: int
    average: float | None = Field(description="Mean score, two decimals; None when nobody answered.")
    distribution: dict[str, int] = Field(description="How many answers gave each score, 1 to 5.")


def followup_out(f: FollowUp, customer: Customer | None) -> FollowUpOut:
    contact = ContactOut(name=customer.name, phone=customer.phone, email=customer.email) if customer else None
    return FollowUpOut(
        id=f.id, customer_id=f.customer_id, customer=contact, request_id=f.request_id,
        registration_id=f.registration_id, event_kind=f.event_kind, event_at=f.event_at, plan_name=f.plan_name,
        channel=f.channel, questionnaire=list(f.questionnaire), occurrence=f.occurrence, due_at=f.due_at,
        status=f.status, status_reason=f.status_reason, sent_at=f.sent_at,
        answers=list(f.answers) if f.answers is not None else None, csat=f.csat, comment=f.comment,
        answered_at=f.answered_at, answered_by=f.answered_by, problem_request_id=f.problem_request_id,
        step=f.step, routed_from_id=f.routed_from_id, routing=list(f.routing or ()), assignee_id=f.assignee_id,
        routed_to=f.routed_to, routing_reason=reason_of(f),
    )


def signoff_out(s: TrainingSignOff, followups: list[FollowUpOut]) -> SignOffOut:
    return SignOffOut(request_id=s.request_id, signed_by=s.signed_by, signed_at=s.signed_at, note=s.note,
                      recorded_by=s.recorded_by, followups=followups)


class FollowUpFailureOut(BaseModel):
    """A service event whose follow-ups a failing plugin could not plan yet; the worker keeps trying."""

    id: UUID
    source_event: str = Field(description="The event: its kind and what it happened to (``repaired:request:<id>``).")
    event_kind: str
    event_at: datetime
    request_id: UUID | None
    registration_id: UUID | None
    plugin: str = Field(description="The plugin that failed.")
    hook: str
    error_id: str = Field(description="The id the failure was logged under; empty when the vertical is disabled.")
    reason: str
    attempts: int
    failed_at: datetime
    next_attempt_at: datetime | None = Field(description="When the worker tries again; null once resolved.")
    resolved_at: datetime | None


def failure_out(failure: FollowUpFailure) -> FollowUpFailureOut:
    return FollowUpFailureOut(
        id=failure.id, source_event=failure.source_event, event_kind=failure.event_kind, event_at=failure.event_at,
        request_id=failure.request_id, registration_id=failure.registration_id, plugin=failure.plugin,
        hook=failure.hook, error_id=failure.error_id, reason=failure.reason, attempts=failure.attempts,
        failed_at=failure.failed_at, next_attempt_at=failure.next_attempt_at, resolved_at=failure.resolved_at,
    )
