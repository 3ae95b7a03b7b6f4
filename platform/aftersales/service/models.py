"""Service request tables: the request itself and its timeline, which is only ever appended to."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow
from aftersales.db.sentences import Sentence


class ServiceRequest(TenantOwned, Base):
    """What a customer asked for — a repair, an installation, a complaint — and where it stands."""

    __tablename__ = "service_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        ForeignKeyConstraint(["tenant_id", "claim_id"], ["claims.tenant_id", "claims.id"]),
        ForeignKeyConstraint(["tenant_id", "assignee_id"], ["staff_users.tenant_id", "staff_users.id"]),
        Index("ix_service_requests_state", "tenant_id", "state", "opened_at"),
        Index("ix_service_requests_customer", "tenant_id", "customer_id"),
    )

    number: Mapped[int] = mapped_column(Integer)
    """Per-tenant running number, what a customer reads out on the phone."""
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[uuid.UUID] = mapped_column()
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    claim_id: Mapped[uuid.UUID | None] = mapped_column()
    assignee_id: Mapped[uuid.UUID | None] = mapped_column()
    summary: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    """0 normal, 1 high, 2 urgent; a breached clock may raise it."""
    promised_at: Mapped[datetime | None] = mapped_column()
    """The result date the intake receipt promises (the due time of the request's ``result`` clock)."""
    site_latitude: Mapped[float | None] = mapped_column(Float)
    site_longitude: Mapped[float | None] = mapped_column(Float)
    """Where the unit is, for on-site clocks that depend on the distance to the nearest service point."""
    site_country: Mapped[str | None] = mapped_column(String(2))
    """The unit's country (ISO 3166-1 alpha-2) when it is not the tenant's: an overseas customer."""
    complaint_subject: Mapped[str | None] = mapped_column(String(30))
    """A complaint's subject, which its clocks may depend on (``RequestFacts.complaint_subject``)."""
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RequestCounter(TenantOwned, Base):
    """The last request number a tenant gave out: one row per tenant, bumped in the transaction that opens a
    request (``INSERT … ON CONFLICT DO UPDATE … RETURNING``). On PostgreSQL the bumped row stays locked until
    that transaction ends, so concurrent openers of one tenant take numbers in turn, without gaps or retries,
    and never wait for another tenant's."""

    __tablename__ = "request_counters"

    id = None  # type: ignore[assignment]  # one row per tenant: tenant_id alone is the key
    created_at = None  # type: ignore[assignment]
    last_number: Mapped[int] = mapped_column(Integer)


class RequestEvent(TenantOwned, Base):
    """One entry of a request's timeline: who did what, when, with an optional note. Never updated or
    deleted (the database refuses it on PostgreSQL and SQLite alike)."""

    __tablename__ = "request_events"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        Index("ix_request_events_request", "tenant_id", "request_id", "occurred_at"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    """``opened``, ``moved``, ``assigned``, ``note``, ``contacted``, ``on_site``, ``held``, ``released``,
    ``sla_breached``, ``escalated`` …"""
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Sentence, default="")


AT_RISK_PENDING = ("at_risk_handled_at IS NULL AND breach_handled_at IS NULL AND met_at IS NULL "
                   "AND at_risk_at IS NOT NULL")
"""The clocks the at-risk sweep may still announce (the partial index ``ix_sla_clocks_at_risk``)."""


class SlaClock(TenantOwned, Base):
    """One promise on a request (``aftersales_sla_targets``): when it started, how much of its budget is used,
    when it is due, and whether it was met or breached and the breach acted on.

    A running clock has ``running_since`` and ``due_at``; a paused one neither (its used time is in
    ``used_seconds``). Budgets and used time are in the clock's own seconds: opening-hours seconds for
    business clocks, plain seconds for calendar clocks.
    """

    __tablename__ = "sla_clocks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "request_id", "name"),
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        Index("ix_sla_clocks_due", "tenant_id", "due_at",
              sqlite_where=text("breach_handled_at IS NULL AND met_at IS NULL AND due_at IS NOT NULL"),
              postgresql_where=text("breach_handled_at IS NULL AND met_at IS NULL AND due_at IS NOT NULL")),
        Index("ix_sla_clocks_at_risk", "tenant_id", "at_risk_at", sqlite_where=text(AT_RISK_PENDING),
              postgresql_where=text(AT_RISK_PENDING)),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    name: Mapped[str] = mapped_column(String(60))
    clock: Mapped[str] = mapped_column(String(20))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[str] = mapped_column(String(60))
    met_on: Mapped[list[str]] = mapped_column(JSON)
    pauses_on: Mapped[list[str]] = mapped_column(JSON)
    on_breach: Mapped[str] = mapped_column(String(30))
    at_risk_fraction: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Sentence, default="")
    """The vertical's reason for the clock, as its message (:class:`~aftersales.db.sentences.Sentence`)."""
    started_at: Mapped[datetime | None] = mapped_column()
    budget_seconds: Mapped[int | None] = mapped_column(Integer)
    used_seconds: Mapped[int] = mapped_column(Integer, default=0)
    running_since: Mapped[datetime | None] = mapped_column()
    due_at: Mapped[datetime | None] = mapped_column()
    paused_for: Mapped[str | None] = mapped_column(String(60))
    met_at: Mapped[datetime | None] = mapped_column()
    breached_at: Mapped[datetime | None] = mapped_column()
    breach_handled_at: Mapped[datetime | None] = mapped_column()
    at_risk_at: Mapped[datetime | None] = mapped_column()
    """When a running clock reaches its at-risk share of its budget (None while paused, before it starts)."""
    at_risk_handled_at: Mapped[datetime | None] = mapped_column()
    """When the worker announced the clock at risk (``sla.at_risk``): once per clock."""


class RequestHold(TenantOwned, Base):
    """A stretch of time the request waited on someone else (the customer above all), with its reason.

    Clocks whose ``pauses_on`` names the reason stand still while the hold is open (``ended_at`` unset).
    """

    __tablename__ = "request_holds"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        Index("ix_request_holds_request", "tenant_id", "request_id"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    actor: Mapped[str] = mapped_column(String(120))


class ServicePoint(TenantOwned, Base):
    """A place the tenant serves from (workshop, service office), with coordinates for distance clocks."""

    __tablename__ = "service_points"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    country: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(default=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kind: Mapped[str] = mapped_column(String(10), default="office", server_default="office")
    """``workshop`` (the central workshop, Mehr) or ``office`` (a service office): where a unit is sent to."""


class Complaint(TenantOwned, Base):
    """What a complaint is about and what was done with it, beside its service request (kind ``complaint``,
    which carries the channel, the customer, the clocks and the timeline).

    A complaint names whom it is against — a member of staff, and/or a contractor or store by name (free text
    until the marketplace has providers) — and counts against them. It records its escalation to management
    and its answer: the cause and the apology the customer was sent, and how.
    """

    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("tenant_id", "request_id"),
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "about_request_id"],
                             ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "staff_id"], ["staff_users.tenant_id", "staff_users.id"]),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"]),
        Index("ix_complaints_staff", "tenant_id", "staff_id"),
        Index("ix_complaints_order", "tenant_id", "order_id"),
        Index("ix_complaints_contractor", "tenant_id", "contractor"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    subject: Mapped[str] = mapped_column(String(30))
    """``staff_behaviour``, ``handling_time``, ``cost``, ``store_violation`` or ``other``."""
    about_request_id: Mapped[uuid.UUID | None] = mapped_column()
    """The service request complained about, when there is one."""
    staff_id: Mapped[uuid.UUID | None] = mapped_column()
    """The employee the complaint is against."""
    contractor: Mapped[str | None] = mapped_column(String(200))
    """The contractor or store the complaint is against, by name."""
    order_id: Mapped[uuid.UUID | None] = mapped_column()
    """The order a ``store_violation`` is about (the order desk raises one on a mismatched pro-forma)."""
    escalated_at: Mapped[datetime | None] = mapped_column()
    escalated_by: Mapped[str | None] = mapped_column(String(120))
    escalated_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The managers' e-mail addresses the escalation was sent to."""
    escalation_note: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str | None] = mapped_column(Text)
    apology: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column()
    answered_by: Mapped[str | None] = mapped_column(String(120))
    answer_channel: Mapped[str | None] = mapped_column(String(10))
    """``sms`` or ``email``: how the answer was sent."""
    answer_message_id: Mapped[uuid.UUID | None] = mapped_column()
    """The outbox message that carries the answer to the customer."""


class UnitIntake(TenantOwned, Base):
    """A unit taken in for a request (issue 20 §2): where, the vertical's checklist as asked and its answers, and
    the customer's signature on the receipt. One per request; never changed (append-only)."""

    __tablename__ = "unit_intakes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "request_id"),
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "service_point_id"], ["service_points.tenant_id", "service_points.id"]),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    service_point_id: Mapped[uuid.UUID] = mapped_column()
    """Where the unit was taken in: its first location."""
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """The items as asked (code, label as its message JSON, kind, required), so the receipt reads as signed."""
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Per item code: a bool (``yes_no``), a text, or the photos (``sha256``, ``content_type``, ``size``)."""
    signer_name: Mapped[str] = mapped_column(String(200))
    signature_sha256: Mapped[str] = mapped_column(String(64))
    """The drawn signature (PNG), kept by content hash in the tenant's attachments folder."""
    signed_at: Mapped[datetime] = mapped_column()
    taken_by: Mapped[str] = mapped_column(String(120))
    taken_at: Mapped[datetime] = mapped_column()


OPEN_TRANSFER = "received_at IS NULL"
"""A transfer on its way (the partial indexes of ``unit_transfers``)."""


class UnitTransfer(TenantOwned, Base):
    """One leg of a unit's journey between two service points: the waybill and carrier, who sent and who received
    it and when, and when it is expected (the vertical's business days); ``missing_at`` once the worker reported
    it missing. At most one leg of a request is on its way at a time."""

    __tablename__ = "unit_transfers"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        ForeignKeyConstraint(["tenant_id", "from_point_id"], ["service_points.tenant_id", "service_points.id"]),
        ForeignKeyConstraint(["tenant_id", "to_point_id"], ["service_points.tenant_id", "service_points.id"]),
        Index("ix_unit_transfers_request", "tenant_id", "request_id", "sent_at"),
        Index("uq_unit_transfers_one_open", "tenant_id", "request_id", unique=True,
              sqlite_where=text(OPEN_TRANSFER), postgresql_where=text(OPEN_TRANSFER)),
        Index("ix_unit_transfers_due", "tenant_id", "expected_by",
              sqlite_where=text(f"{OPEN_TRANSFER} AND missing_at IS NULL"),
              postgresql_where=text(f"{OPEN_TRANSFER} AND missing_at IS NULL")),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    from_point_id: Mapped[uuid.UUID] = mapped_column()
    to_point_id: Mapped[uuid.UUID] = mapped_column()
    waybill: Mapped[str] = mapped_column(String(60))
    carrier: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column()
    sent_by: Mapped[str] = mapped_column(String(120))
    expected_by: Mapped[datetime] = mapped_column()
    received_at: Mapped[datetime | None] = mapped_column()
    received_by: Mapped[str | None] = mapped_column(String(120))
    missing_at: Mapped[datetime | None] = mapped_column()
    """When the worker reported the unit missing (``unit.missing``): once per transfer."""
