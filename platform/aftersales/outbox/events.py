"""The webhook event catalogue: every event a tenant's endpoint can subscribe to, with a versioned payload schema.

Each event is a pydantic model: its class names the event (``name``), the version of its payload (``version``)
and says in its docstring when it happens. A domain service emits one in the transaction of the change that
causes it (:func:`aftersales.outbox.webhooks.emit`), so a change that rolls back queues nothing, with a key
naming the occurrence (a row id, an operation id), so the same occurrence is queued once. The payload an
endpoint receives is the webhook body's ``data``: ``version`` and the model's fields (docs/webhooks.md;
``GET /api/v1/webhook-events`` publishes the JSON schemas). Within a version a payload only gains optional
fields; renaming or removing a field is a new version.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Event(BaseModel):
    """The payload of one webhook event; a subclass per event name, in :data:`CATALOGUE`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    version: ClassVar[int] = 1

    def data(self) -> dict[str, Any]:
        """What the endpoint receives as the body's ``data``: ``version`` first, then the fields as JSON."""
        return {"version": self.version, **self.model_dump(mode="json")}


# -- service requests -------------------------------------------------------------------------------------------


class RequestOpened(Event):
    """A service request was opened (by staff, the customer on the portal, the API, or a complaint)."""

    name = "request.opened"
    request_id: uuid.UUID
    number: int = Field(description="The request's number within the company, as staff and customers quote it.")
    kind: str = Field(description="repair, installation, maintenance, complaint, return, exchange or inquiry")
    channel: str
    state: str
    customer_id: uuid.UUID
    registration_id: uuid.UUID | None
    claim_id: uuid.UUID | None
    summary: str
    promised_at: datetime | None = Field(description="When the result is promised, by the vertical's SLA targets.")
    opened_at: datetime


class RequestMoved(Event):
    """A service request moved from one state to another (every move, the final one included)."""

    name = "request.moved"
    request_id: uuid.UUID
    number: int
    kind: str
    from_state: str
    to_state: str
    moved_at: datetime


class RequestClosed(Event):
    """A service request ended: returned, replaced, refunded, closed or cancelled (after its ``request.moved``)."""

    name = "request.closed"
    request_id: uuid.UUID
    number: int
    kind: str
    outcome: str = Field(description="The final state: returned, replaced, refunded, closed or cancelled.")
    opened_at: datetime
    closed_at: datetime


class RequestAssigned(Event):
    """A service request was given to a member of staff."""

    name = "request.assigned"
    request_id: uuid.UUID
    number: int
    assignee_id: uuid.UUID
    assigned_at: datetime


class SlaAtRisk(Event):
    """An SLA clock used its at-risk share of its time (the vertical's ``at_risk_fraction``) and is not met yet."""

    name = "sla.at_risk"
    request_id: uuid.UUID
    number: int
    clock: str = Field(description="The promise, e.g. first_contact, on_site, resolution.")
    at_risk_at: datetime
    due_at: datetime


class SlaBreached(Event):
    """An SLA clock passed its due time unmet, and the worker acted on it (the clock's ``on_breach``)."""

    name = "sla.breached"
    request_id: uuid.UUID
    number: int
    clock: str
    due_at: datetime
    action: str = Field(description="What the breach did: notify, reassign, raise_priority, offer_replacement.")


# -- complaints -------------------------------------------------------------------------------------------------


class ComplaintFiled(Event):
    """A complaint was filed (its request is opened in the same transaction: ``request.opened``)."""

    name = "complaint.filed"
    complaint_id: uuid.UUID
    request_id: uuid.UUID
    number: int
    subject: str
    about_request_id: uuid.UUID | None
    filed_at: datetime


class ComplaintEscalated(Event):
    """A complaint went to management (at filing for some subjects, or when staff escalate it)."""

    name = "complaint.escalated"
    complaint_id: uuid.UUID
    request_id: uuid.UUID
    number: int
    subject: str
    escalated_at: datetime


class ComplaintAnswered(Event):
    """A complaint was answered to the customer with its cause and an apology."""

    name = "complaint.answered"
    complaint_id: uuid.UUID
    request_id: uuid.UUID
    number: int
    channel: str = Field(description="How the answer went to the customer: sms or email.")
    cause: str
    apology: str
    answered_at: datetime


# -- warranty ---------------------------------------------------------------------------------------------------


class RegistrationCreated(Event):
    """A purchase was registered: the unit has an owner and a warranty."""

    name = "registration.created"
    registration_id: uuid.UUID
    serial_id: uuid.UUID
    serial: str
    model_sku: str
    customer_id: uuid.UUID
    purchased_on: date
    coverage_ends_on: date | None
    registered_at: datetime


class RegistrationTransferred(Event):
    """A unit changed owner: its registration ended and a new one carries its warranty on."""

    name = "registration.transferred"
    registration_id: uuid.UUID
    previous_registration_id: uuid.UUID
    serial_id: uuid.UUID
    customer_id: uuid.UUID
    transferred_on: date


class ClaimDecided(Event):
    """A warranty claim was filed and the vertical decided it (return, exchange, repair, paid repair, reject)."""

    name = "claim.decided"
    claim_id: uuid.UUID
    registration_id: uuid.UUID
    serial_id: uuid.UUID
    kind: str
    decision: str
    failed_conditions: list[str] = Field(description="Each condition the claim failed, in English.")
    reasons: list[str] = Field(description="Why, in English.")
    decided_at: datetime


class RecallLaunched(Event):
    """A recall campaign was launched: its units are recalled and their owners notified."""

    name = "recall.launched"
    campaign_id: uuid.UUID
    title: str
    reason: str
    units: int = Field(description="Units in service the campaign recalled.")
    notified_owners: int
    launched_at: datetime


# -- marketplace ------------------------------------------------------------------------------------------------


class BookingCreated(Event):
    """A job was booked with a provider (a reschedule is a new booking naming the one it replaces)."""

    name = "booking.created"
    booking_id: uuid.UUID
    provider_id: uuid.UUID
    offering_id: uuid.UUID
    customer_id: uuid.UUID
    request_id: uuid.UUID | None
    starts_at: datetime
    ends_at: datetime
    price_minor: int
    currency: str
    rescheduled_from_id: uuid.UUID | None


class BookingCancelled(Event):
    """A booking was cancelled before it started (also the old booking of a reschedule)."""

    name = "booking.cancelled"
    booking_id: uuid.UUID
    cancelled_by: str
    reason: str | None
    cancelled_at: datetime


class BookingCompleted(Event):
    """The provider recorded the job completed."""

    name = "booking.completed"
    booking_id: uuid.UUID
    provider_id: uuid.UUID
    customer_id: uuid.UUID
    completed_at: datetime


class BookingNoShow(Event):
    """The provider recorded that the customer never came."""

    name = "booking.no_show"
    booking_id: uuid.UUID
    provider_id: uuid.UUID
    customer_id: uuid.UUID
    recorded_at: datetime


class QuoteAccepted(Event):
    """The customer accepted a quote: on a marketplace booking (``booking_id``) or on a service request's own
    work (``request_id``). The quote caps what the job can be charged."""

    name = "quote.accepted"
    quote_id: uuid.UUID
    booking_id: uuid.UUID | None
    request_id: uuid.UUID | None
    total_minor: int
    currency: str
    accepted_at: datetime


# -- payments ---------------------------------------------------------------------------------------------------


class PaymentCaptured(Event):
    """A payment's money was captured (card, cheque cleared, bank transfer, store credit)."""

    name = "payment.captured"
    payment_id: uuid.UUID
    customer_id: uuid.UUID
    purpose: str
    subject_type: str | None
    subject_id: uuid.UUID | None
    method: str
    provider: str
    amount_minor: int
    currency: str
    captured_at: datetime


class PaymentFailed(Event):
    """The payment provider refused a payment."""

    name = "payment.failed"
    payment_id: uuid.UUID
    customer_id: uuid.UUID
    amount_minor: int
    currency: str
    reason: str
    failed_at: datetime


class RefundDecided(Event):
    """A refund was decided: by the vertical's policy when asked (``approved``, ``awaiting_approval`` or
    ``refused``), then by finance (``approved`` or ``rejected``)."""

    name = "refund.decided"
    refund_id: uuid.UUID
    customer_id: uuid.UUID
    payment_id: uuid.UUID | None
    service_request_id: uuid.UUID | None
    state: str
    decided_by: str = Field(description="policy (the vertical's rules) or finance (a person).")
    requested_minor: int
    amount_minor: int = Field(description="What is allowed back (0 when refused or rejected).")
    currency: str
    method: str | None
    decided_at: datetime


class RefundExecuted(Event):
    """A refund was paid out (for a card, once the provider confirmed it)."""

    name = "refund.executed"
    refund_id: uuid.UUID
    customer_id: uuid.UUID
    amount_minor: int
    currency: str
    method: str
    reference: str | None
    executed_at: datetime


# -- orders ----------------------------------------------------------------------------------------------------


class OrderCreated(Event):
    """An order was taken (by an agent or by the customer on the portal), awaiting its payment."""

    name = "order.created"
    order_id: uuid.UUID
    number: int
    customer_id: uuid.UUID
    channel: str
    payment_plan: str
    total_minor: int
    currency: str
    created_at: datetime


class OrderFunded(Event):
    """An order's money arrived: paid in cash, its cheque cleared, or credit's first instalment paid."""

    name = "order.funded"
    order_id: uuid.UUID
    number: int
    customer_id: uuid.UUID
    payment_plan: str
    payment_id: uuid.UUID | None
    funded_at: datetime


class OrderCancelled(Event):
    """An order was cancelled before it was funded (by staff, or by the worker once it stayed unfunded)."""

    name = "order.cancelled"
    order_id: uuid.UUID
    number: int
    customer_id: uuid.UUID
    reason: str
    cancelled_by: str = Field(description="The actor: a member of staff, or worker for the automatic cancellation.")
    cancelled_at: datetime


# -- order fulfilment -------------------------------------------------------------------------------------------


class OrderDispatched(Event):
    """An order left its warehouse: from now on its address, phone and province no longer change."""

    name = "order.dispatched"
    order_id: uuid.UUID
    number: int
    warehouse_id: uuid.UUID
    dispatched_at: datetime


class OrderDelivered(Event):
    """An order reached the customer, with whether the box was sealed and, for a late order, the compensation
    the vertical gives for the days it was late (owed; 0 or null otherwise)."""

    name = "order.delivered"
    order_id: uuid.UUID
    number: int
    delivered_sealed: bool
    days_late: int
    compensation_minor: int | None
    currency: str
    delivered_at: datetime


class OrderInstalled(Event):
    """An authorised technician installed a delivered order: its units' warranty registrations exist, and each
    festival card promised at sale was issued or refused."""

    name = "order.installed"
    order_id: uuid.UUID
    number: int
    registration_ids: list[uuid.UUID]
    booking_id: uuid.UUID | None
    installed_on: date
    invoice_date: date
    cards_issued: int
    cards_refused: int
    installed_at: datetime


class OrderDeliveryLate(Event):
    """An undelivered order passed its promised date and the customer was told (once per order), with the
    production date and the compensation the vertical gives so far."""

    name = "order.delivery_late"
    order_id: uuid.UUID
    number: int
    customer_id: uuid.UUID
    promised_on: date
    production_on: date | None
    days_late: int
    compensation_minor: int
    currency: str
    noticed_at: datetime


# -- the endpoints themselves -----------------------------------------------------------------------------------


# -- disputes ---------------------------------------------------------------------------------------------------


class DisputeOpened(Event):
    """A customer (or staff for them) opened a dispute about a booking, a service request or a warranty claim."""

    name = "dispute.opened"
    dispute_id: uuid.UUID
    subject: str = Field(description="booking, request or claim.")
    subject_id: uuid.UUID
    customer_id: uuid.UUID
    respondent: str = Field(description="The other side: provider (a booking's) or company.")
    provider_id: uuid.UUID | None
    grounds: str
    opened_at: datetime


class DisputeAnswered(Event):
    """The other side of a dispute (the provider, or the company's staff) answered it with its statement."""

    name = "dispute.answered"
    dispute_id: uuid.UUID
    respondent: str
    provider_id: uuid.UUID | None
    answered_at: datetime


class DisputeDecided(Event):
    """A dispute ended by customer service's ruling, or by a settlement the customer accepted."""

    name = "dispute.decided"
    dispute_id: uuid.UUID
    subject: str
    subject_id: uuid.UUID
    customer_id: uuid.UUID
    respondent: str
    provider_id: uuid.UUID | None
    outcome: str = Field(description="for_customer, partly or for_respondent (a ruling); settled (a settlement).")
    reason: str = Field(description="The ruling's reason, or the settlement's terms: what both sides read.")
    refund_owed_minor: int | None = Field(description="What the customer is owed back; null for nothing.")
    currency: str
    decided_at: datetime


# -- parts ------------------------------------------------------------------------------------------------------


class StockBelowMinimum(Event):
    """A stock movement took a part's available quantity at a location below the buffer kept there: it is on the
    reorder list with the suggested quantity."""

    name = "stock.below_minimum"
    part_id: uuid.UUID
    part_code: str
    location_id: uuid.UUID
    location_code: str
    available: int
    minimum: int
    suggested_quantity: int = Field(description="What to order: the reorder quantity, else up to the minimum.")
    movement_id: uuid.UUID = Field(description="The movement that took it below.")
    occurred_at: datetime


class WebhookTest(Event):
    """Sent to one endpoint when the tenant asks for a test (``POST /api/v1/webhooks/{id}/test``), whatever the
    endpoint subscribes to."""

    name = "webhook.test"
    endpoint_id: uuid.UUID
    requested_by: str
    requested_at: datetime



# -- technician dispatch ------------------------------------------------------------------------------------


class VisitUnplannedAtCutoff(Event):
    """The plan of a day was fixed at the vertical's cut-off with this on-site visit still unplanned: it needs a
    technician (flagged on the dispatcher's list, ``GET /api/v1/visits?flagged=true``)."""

    name = "visit.unplanned_at_cutoff"
    visit_id: uuid.UUID
    request_id: uuid.UUID | None
    booking_id: uuid.UUID | None
    day: date
    window_start: str = Field(description="The window's start, local wall-clock time HH:MM.")
    window_end: str = Field(description="The window's end, local wall-clock time HH:MM.")
    cutoff_at: datetime
    flagged_at: datetime

CATALOGUE: dict[str, type[Event]] = {event.name: event for event in (
    RequestOpened, RequestMoved, RequestClosed, RequestAssigned, SlaAtRisk, SlaBreached,
    ComplaintFiled, ComplaintEscalated, ComplaintAnswered,
    RegistrationCreated, RegistrationTransferred, ClaimDecided, RecallLaunched,
    BookingCreated, BookingCancelled, BookingCompleted, BookingNoShow, QuoteAccepted,
    PaymentCaptured, PaymentFailed, RefundDecided, RefundExecuted,
    DisputeOpened, DisputeAnswered, DisputeDecided,
    OrderCreated, OrderFunded, OrderCancelled,
    OrderDispatched, OrderDelivered, OrderInstalled, OrderDeliveryLate,
    StockBelowMinimum,
    VisitUnplannedAtCutoff,
    WebhookTest,
)}
"""Every event, by name."""


def json_schema(event: type[Event]) -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``event``'s ``data``, identified by its name and version."""
    schema = event.model_json_schema(mode="serialization")
    schema["properties"] = {"version": {"const": event.version, "type": "integer"}, **schema["properties"]}
    schema["required"] = ["version", *schema.get("required", [])]
    schema["additionalProperties"] = False
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"urn:aftersales:webhook-event:{event.name}:v{event.version}",
            "title": event.name, **{k: v for k, v in schema.items() if k != "title"}}

