"""What belongs to the signed-in customer: the services' records narrowed to one customer.

The domain services find records by id within the tenant (what staff may see). A customer sees only their own,
as a ``customer:self`` token does elsewhere: every lookup here checks the owner and answers someone else's id
exactly like an unknown one (:class:`~aftersales.errors.NotFound`), so ids reveal nothing.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import NotFound
from aftersales.service.complaints import services as complaints
from aftersales.service.followups import services as followups
from aftersales.service.followups.models import FollowUp
from aftersales.service.models import Complaint, ServiceRequest
from aftersales.service.requests import services as service_requests
from aftersales.warranty.registrations import services as registrations
from aftersales.warranty.registrations.services import RegisteredUnit


async def device(session: AsyncSession, customer_id: UUID, registration_id: UUID) -> RegisteredUnit:
    """One of the customer's registrations. :raises NotFound: unknown, or someone else's."""
    registered = await registrations.get_registration(session, registration_id)
    if registered.registration.customer_id != customer_id:
        raise NotFound("no such registration")
    return registered


async def request(session: AsyncSession, customer_id: UUID, request_id: UUID) -> ServiceRequest:
    """One of the customer's requests. :raises NotFound: unknown, or someone else's."""
    found = await service_requests.get_request(session, request_id)
    if found.customer_id != customer_id:
        raise NotFound("no such service request")
    return found


async def complaint(session: AsyncSession, customer_id: UUID, complaint_id: UUID) -> tuple[Complaint, ServiceRequest]:
    """One of the customer's complaints with its request. :raises NotFound: unknown, or someone else's."""
    found = await complaints.get_complaint(session, complaint_id)
    return found, await request(session, customer_id, found.request_id)


async def survey(session: AsyncSession, customer_id: UUID, followup_id: UUID) -> FollowUp:
    """One survey sent to the customer. :raises NotFound: unknown, not sent yet, a call, or someone else's."""
    found = await followups.get_followup(session, followup_id)
    if (found.customer_id != customer_id or found.channel not in followups.SURVEY_CHANNELS
            or found.status not in followups.SURVEY_STATUSES):
        raise NotFound("no such survey")
    return found
