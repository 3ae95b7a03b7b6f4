"""Charge endpoints: charge a completed job within what the customer agreed to, and read every attempt.

A refused attempt is committed before the error is answered (its own transaction), so the record of an attempt
to charge more than agreed survives the failed request.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope
from aftersales.identity.scopes import CUSTOMER_SELF, MARKETPLACE_MANAGE, MARKETPLACE_READ, PROVIDER_WORK
from aftersales.marketplace.charges import services as charges
from aftersales.marketplace.charges.schemas import ChargeIn, ChargeOut, charge_out


class ChargeController(Controller):
    """A booking's charge attempts."""

    path = "/api/v1/marketplace/bookings/{booking_id:uuid}/charges"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="chargeJob", guards=[requires_any_scope(PROVIDER_WORK, MARKETPLACE_MANAGE)])
    async def charge(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID], data: JSONBody[ChargeIn],
                     runtime: RuntimeDep, tenant: TenantDep) -> ChargeOut:
        """Charge the completed job (by default its whole cap) with the provider's payout and the platform's fee.
        Above the cap, or for unapproved work: 422 with the reason, and the refused attempt is recorded."""
        async with runtime.db.transaction(tenant.record.id) as session:
            charge = await charges.charge_job(session, current_principal(request), booking_id,
                                              amount_minor=data.amount_minor, work_item_ids=data.work_item_ids,
                                              actor=actor(request), now=utcnow())
            answer = charge_out(charge)
        if answer.outcome == "refused":
            field = "amount_minor" if answer.amount_minor > answer.cap_minor else "work_item_ids"
            raise InvalidInput(f"charge refused and recorded as {answer.id}", [FieldError(field, answer.reason)])
        return answer

    @get("/", operation_id="listCharges", guards=[requires_any_scope(MARKETPLACE_READ, PROVIDER_WORK, CUSTOMER_SELF)])
    async def list_charges(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                           session: SessionDep) -> list[ChargeOut]:
        """Every attempt to charge the booking, created and refused, oldest first."""
        return [charge_out(c) for c in await charges.charges_of(session, current_principal(request), booking_id)]
