"""Follow-up tables: the calls, messages and surveys scheduled after service events, and training sign-offs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned
from aftersales.db.sentences import Sentences

FOLLOWUP_STATUSES = ("scheduled", "sent", "answered", "missed", "cancelled")


class FollowUp(TenantOwned, Base):
    """One occurrence of a follow-up plan (``aftersales_followups``) for one customer after one event.

    ``source_event`` names the event (``repaired:<request id>``); with the plan name and the occurrence it is
    unique, so recording an event twice schedules nothing twice. A repeated plan gets its next occurrence as a
    new row when the current one is sent. ``scheduled`` → ``sent`` (the message is queued, the call is on the
    agents' list, the survey is in the portal) → ``answered``; ``missed`` when the customer cannot be reached
    or the next occurrence came first; ``cancelled`` when the event was undone (a repaired unit went back into
    repair before its call).
    """

    __tablename__ = "followups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_event", "plan_name", "occurrence"),
        UniqueConstraint("tenant_id", "token_hash"),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        ForeignKeyConstraint(["tenant_id", "problem_request_id"],
                             ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "routed_from_id"], ["followups.tenant_id", "followups.id"]),
        ForeignKeyConstraint(["tenant_id", "assignee_id"], ["staff_users.tenant_id", "staff_users.id"]),
        Index("ix_followups_due", "tenant_id", "due_at",
              sqlite_where=text("status = 'scheduled'"), postgresql_where=text("status = 'scheduled'")),
        Index("ix_followups_list", "tenant_id", "status", "due_at"),
        Index("ix_followups_answered", "tenant_id", "answered_at"),
        Index("ix_followups_routed_from", "tenant_id", "routed_from_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column()
    request_id: Mapped[uuid.UUID | None] = mapped_column()
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    source_event: Mapped[str] = mapped_column(String(120))
    event_kind: Mapped[str] = mapped_column(String(30))
    event_at: Mapped[datetime] = mapped_column()
    """When the event happened: every occurrence's due time counts from it."""
    plan_name: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(10))
    """``call``, ``sms``, ``email`` or ``portal``."""
    questionnaire: Mapped[list[str]] = mapped_column(Sentences)
    after: Mapped[dict[str, int]] = mapped_column(JSON)
    repeat_every: Mapped[dict[str, int] | None] = mapped_column(JSON)
    """Both as relativedelta fields (``{"months": 1}``, ``{"days": 3}``)."""
    repeat_count: Mapped[int | None] = mapped_column(Integer)
    occurrence: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column()
    token_hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the customer's answer-link token; the token itself is derived under the code key."""
    answers: Mapped[list[Any] | None] = mapped_column(JSON)
    csat: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column()
    answered_by: Mapped[str | None] = mapped_column(String(120))
    problem_request_id: Mapped[uuid.UUID | None] = mapped_column()
    """The request opened for a problem the answers reported."""
    step: Mapped[str | None] = mapped_column(String(20))
    """For a step an answered follow-up was routed to (``aftersales_followup_answered``): ``engineer``, ``rnd``
    or ``call_back``; None for a plan's own follow-up."""
    routed_from_id: Mapped[uuid.UUID | None] = mapped_column()
    """The answered follow-up (or step) this step was routed from."""
    routing: Mapped[list[str] | None] = mapped_column(JSON)
    """For a step: the steps taken for the original follow-up up to and including this one, oldest first."""
    routed_to: Mapped[str | None] = mapped_column(String(20))
    """Once answered: where the vertical routed it next (a step, or ``close``)."""
    routing_reason: Mapped[Any | None] = mapped_column(JSON)
    """Once answered: why it was routed there (``stored_text``)."""
    assignee_id: Mapped[uuid.UUID | None] = mapped_column()
    """The member of staff a step is for (the engineer of the request followed up); None: the agents' list."""


class TrainingSignOff(TenantOwned, Base):
    """The customer's signature on an installation's training (seed 004): who signed, when, and a note."""

    __tablename__ = "training_signoffs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "request_id"),
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    signed_by: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(120))


class FollowUpFailure(TenantOwned, Base):
    """A service event whose follow-ups could not be planned because a plugin failed (``aftersales_followups``
    raised or answered the wrong type, or the vertical is disabled).

    Follow-ups decide nothing the user is waiting for, so such a failure never undoes the action that recorded
    the event: it is kept here, in that action's transaction, and the worker plans the event again from
    ``next_attempt_at`` (backing off) until it succeeds (``resolved_at``). Staff see it on
    ``GET /api/v1/followups/failures``. One row per event (``source_event``); a new failure updates it.
    """

    __tablename__ = "followup_failures"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_event"),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        Index("ix_followup_failures_due", "tenant_id", "next_attempt_at"),
    )

    source_event: Mapped[str] = mapped_column(String(120))
    event_kind: Mapped[str] = mapped_column(String(30))
    event_at: Mapped[datetime] = mapped_column()
    customer_id: Mapped[uuid.UUID] = mapped_column()
    request_id: Mapped[uuid.UUID | None] = mapped_column()
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    plugin: Mapped[str] = mapped_column(String(60))
    """The plugin that failed (``unknown`` when it could not be told; the vertical when it is disabled)."""
    hook: Mapped[str] = mapped_column(String(60))
    error_id: Mapped[str] = mapped_column(String(32))
    """The id the failure was logged under (``plugin failed: error_id=…``)."""
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    failed_at: Mapped[datetime] = mapped_column()
    """When the last attempt failed."""
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    """When the worker tries again; None once resolved."""
    resolved_at: Mapped[datetime | None] = mapped_column()
