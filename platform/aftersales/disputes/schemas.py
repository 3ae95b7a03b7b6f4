"""Bodies and answers of the dispute endpoints. Codes (subject, grounds, outcome) are plain strings checked by
the service, so an unknown one is a 422 naming the field, with the others of the same body."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.disputes.models import Dispute, DisputeNote
from aftersales.disputes.services import GROUNDS, MAX_TEXT, OUTCOMES, SUBJECTS
from aftersales.http.bodies import OptionalAmountMinor, limited_text

Text = limited_text(MAX_TEXT)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DisputeIn(_Body):
    subject: str = Field(description=f"What is disputed: {', '.join(SUBJECTS)}.")
    subject_id: UUID = Field(description="The booking's, service request's or warranty claim's id.")
    grounds: str = Field(description=f"One of {', '.join(GROUNDS)}; a booking's are the provider's (the first "
                                     "five and other), a request's the company's work, a claim's its decision.")
    statement: Text = Field(description=f"The customer's side, at most {MAX_TEXT} characters.")


class AnswerIn(_Body):
    statement: Text = Field(description="The other side's statement, read by the customer.")


class NoteIn(_Body):
    body: Text = Field(description="A mediator's note; never shown to either party.")


class SettlementIn(_Body):
    terms: Text = Field(description="The settlement proposed to the customer, in words.")
    refund_minor: OptionalAmountMinor = Field(default=None, description="What the customer would be paid back.")


class SettlementAnswerIn(_Body):
    accept: bool = Field(description="true: the dispute is settled on these terms; false: mediation goes on.")


class RulingIn(_Body):
    outcome: str = Field(description=f"One of {', '.join(OUTCOMES)}.")
    reason: Text = Field(description="Why: both sides read it.")
    refund_minor: OptionalAmountMinor = Field(
        default=None, description="What the customer is owed back (none on a ruling for the other side). It is "
                                  "recorded on the dispute; the refund itself is paid by finance.")


class NoteOut(BaseModel):
    id: UUID
    author: str
    body: str
    written_at: datetime


class DisputeOut(BaseModel):
    """A dispute as its parties and staff see it; ``notes`` only for staff (null for the parties)."""

    id: UUID
    subject: str
    subject_id: UUID
    customer_id: UUID
    respondent: str = Field(description="provider (a booking's) or company.")
    provider_id: UUID | None
    grounds: str
    statement: str
    state: str = Field(description="open, answered, mediation, settlement_proposed, settled, ruled or withdrawn.")
    opened_by: str
    opened_at: datetime
    answer: str | None
    answered_at: datetime | None
    mediation_started_at: datetime | None
    settlement: str | None
    settlement_refund_minor: int | None
    settlement_answer: str | None
    outcome: str | None
    ruling_reason: str | None
    refund_owed_minor: int | None = Field(description="Owed back to the customer by the decision; null for nothing.")
    currency: str
    ended_at: datetime | None
    notes: list[NoteOut] | None = None


class DisputePage(BaseModel):
    items: list[DisputeOut]
    next_cursor: str | None


def dispute_out(dispute: Dispute, notes: list[DisputeNote] | None = None) -> DisputeOut:
    """The answer for ``dispute``; the mediation notes when the reader is staff."""
    return DisputeOut(
        id=dispute.id, subject=dispute.subject, subject_id=dispute.subject_id, customer_id=dispute.customer_id,
        respondent=dispute.respondent, provider_id=dispute.provider_id, grounds=dispute.grounds,
        statement=dispute.statement, state=dispute.state, opened_by=dispute.opened_by, opened_at=dispute.opened_at,
        answer=dispute.answer, answered_at=dispute.answered_at, mediation_started_at=dispute.mediation_started_at,
        settlement=dispute.settlement, settlement_refund_minor=dispute.settlement_refund_minor,
        settlement_answer=dispute.settlement_answer, outcome=dispute.outcome, ruling_reason=dispute.ruling_reason,
        refund_owed_minor=dispute.refund_owed_minor, currency=dispute.currency, ended_at=dispute.ended_at,
        notes=None if notes is None else [NoteOut(id=n.id, author=n.author, body=n.body, written_at=n.written_at)
                                          for n in notes],
    )
