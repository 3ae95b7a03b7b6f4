"""What belongs to the signed-in customer: the services' records narrowed to one customer.

The domain services find records by id within the tenant (what staff may see). A customer sees only their own,
as a ``customer:self`` token does elsewhere: every lookup here checks the owner and answers someone else's id
exactly like an unknown one (:class:`~aftersales.errors.NotFound`), so ids reveal nothing.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import NotFound
from aftersales.service.complaints import services as complaints
from aftersales.service.followups import services as followups
from aftersales.service.followups.models import FollowUp
from aftersales.service.models import Complaint, ServiceRequest
from aftersales.service.requests import services as service_requests
from aftersales.warranty.models import ProductModel, Registration, RegistrationStatus, Serial
from aftersales.warranty.registrations import services as registrations
from aftersales.warranty.registrations.coverage import current_coverage
from aftersales.warranty.registrations.services import RegisteredUnit

SURVEY_CHANNELS = ("portal", "sms", "email")
"""Follow-ups the customer answers themselves; a ``call`` is answered by the agent who makes it."""
SURVEY_STATUSES = ("sent", "answered")
"""A survey is the customer's to answer once it is sent, and stays on their list once answered."""


async def devices(session: AsyncSession, customer_id: UUID) -> list[RegisteredUnit]:
    """The customer's registered units (their active registrations), newest purchase first."""
    rows = (await session.execute(
        select(Registration, Serial, ProductModel)
        .join(Serial, (Serial.tenant_id == Registration.tenant_id) & (Serial.id == Registration.serial_id))
        .join(ProductModel, (ProductModel.tenant_id == Serial.tenant_id) & (ProductModel.id == Serial.model_id))
        .where(Registration.customer_id == customer_id, Registration.status == RegistrationStatus.ACTIVE)
        .order_by(Registration.purchased_on.desc(), Registration.id)
    )).all()
    return [RegisteredUnit(registration, unit, model, await current_coverage(session, registration))
            for registration, unit, model in rows]


async def device(session: AsyncSession, customer_id: UUID, registration_id: UUID) -> RegisteredUnit:
    """One of the customer's registrations. :raises NotFound: unknown, or someone else's."""
    registered = await registrations.get_registration(session, registration_id)
    if registered.registration.customer_id != customer_id:
        raise NotFound("no such registration")
    return registered


async def requests(session: AsyncSession, customer_id: UUID) -> list[ServiceRequest]:
    """The customer's service requests (complaints have their own list), newest first."""
    return list(await session.scalars(
        select(ServiceRequest).where(ServiceRequest.customer_id == customer_id, ServiceRequest.kind != "complaint")
        .order_by(ServiceRequest.number.desc())))


async def request(session: AsyncSession, customer_id: UUID, request_id: UUID) -> ServiceRequest:
    """One of the customer's requests. :raises NotFound: unknown, or someone else's."""
    found = await service_requests.get_request(session, request_id)
    if found.customer_id != customer_id:
        raise NotFound("no such service request")
    return found


async def requests_of_device(session: AsyncSession, customer_id: UUID, registration_id: UUID) -> list[ServiceRequest]:
    """The customer's requests about one of their units, newest first."""
    return list(await session.scalars(
        select(ServiceRequest).where(ServiceRequest.customer_id == customer_id,
                                     ServiceRequest.registration_id == registration_id)
        .order_by(ServiceRequest.number.desc())))


async def complaints_of(session: AsyncSession, customer_id: UUID) -> list[tuple[Complaint, ServiceRequest]]:
    """The customer's complaints with their requests, newest first."""
    rows = await session.execute(
        select(Complaint, ServiceRequest).join(ServiceRequest, ServiceRequest.id == Complaint.request_id)
        .where(ServiceRequest.customer_id == customer_id).order_by(ServiceRequest.number.desc()))
    return [(complaint, filed) for complaint, filed in rows]


async def complaint(session: AsyncSession, customer_id: UUID, complaint_id: UUID) -> tuple[Complaint, ServiceRequest]:
    """One of the customer's complaints with its request. :raises NotFound: unknown, or someone else's."""
    found = await complaints.get_complaint(session, complaint_id)
    return found, await request(session, customer_id, found.request_id)


async def surveys(session: AsyncSession, customer_id: UUID) -> list[FollowUp]:
    """The surveys sent to the customer, those waiting for an answer first, then newest first."""
    found = list(await session.scalars(
        select(FollowUp).where(FollowUp.customer_id == customer_id, FollowUp.channel.in_(SURVEY_CHANNELS),
                               FollowUp.status.in_(SURVEY_STATUSES))
        .order_by(FollowUp.due_at.desc(), FollowUp.id)))
    return sorted(found, key=lambda f: f.status != "sent")


async def survey(session: AsyncSession, customer_id: UUID, followup_id: UUID) -> FollowUp:
    """One survey sent to the customer. :raises NotFound: unknown, not sent yet, a call, or someone else's."""
    found = await followups.get_followup(session, followup_id)
    if (found.customer_id != customer_id or found.channel not in SURVEY_CHANNELS
            or found.status not in SURVEY_STATUSES):
        raise NotFound("no such survey")
    return found
