"""Replace-or-refund offers (seed 000, Mehr): the unit's business days at the service centre are counted from the
claim's own requests, holds excluded, and the invoice price is the registration's; staff give only what the
experts judged (the invoice price was the market price, an assessed price, an early replacement)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import requires_scope
from aftersales.identity.scopes import CLAIMS_WRITE
from aftersales.service.clocks.in_service import business_days_in_service
from aftersales.service.clocks.services import request_facts
from aftersales.service.models import ServiceRequest
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Claim
from aftersales.warranty.registrations import claims as claim_service
from aftersales.warranty.registrations.api import claim_out
from aftersales.warranty.registrations.schemas import ClaimOut, ReplacementOfferIn


async def offer_replacement(session: AsyncSession, tenant: CurrentTenant, claim_id: UUID,
                            question: claim_service.ReplacementQuestion, *, now: datetime) -> Claim:
    """Store on the claim the ways the tenant's rules offer to end its long warranty repair, judged on the
    business days its requests have spent at the service centre by ``now``.

    :raises NotFound: no such claim. :raises Conflict: not a free warranty repair. :raises InvalidInput: a bad
    expert price.
    """
    claim = await claim_service.replaceable_claim(session, claim_id)
    requests = list(await session.scalars(select(ServiceRequest).where(ServiceRequest.claim_id == claim.id)
                                          .order_by(ServiceRequest.opened_at, ServiceRequest.id)))
    days = await business_days_in_service(session, tenant.calendar, requests, now)
    facts = await request_facts(session, tenant, requests[-1]) if requests else None
    return await claim_service.offer_replacement(session, tenant, claim, question, business_days_in_service=days,
                                                 request=facts, now=now)


class ReplacementOfferController(Controller):
    """Replace-or-refund offers on claims (beside the claim endpoints: it reads the claim's service requests)."""

    path = "/api/v1/claims"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/{claim_id:uuid}/replacement-offer", operation_id="offerReplacement", status_code=200,
          guards=[requires_scope(CLAIMS_WRITE)])
    async def replacement_offer(self, claim_id: FromPath[UUID], data: JSONBody[ReplacementOfferIn],
                                session: SessionDep, tenant: TenantDep) -> ClaimOut:
        """The ways the tenant's rules offer to end a long warranty repair (Mehr: a replacement, or a refund
        at the invoice price when it was the market price, else at the expert's price), stored on the claim.
        The business days at the service centre are counted from the claim's requests (holds and time ready
        for collection excluded) and the invoice price is the registration's; neither is taken from the body."""
        question = claim_service.ReplacementQuestion(**data.model_dump())
        claim = await offer_replacement(session, tenant, claim_id, question, now=utcnow())
        return await claim_out(session, claim)
