"""Refund identity endpoints: a customer's national ID, its verification and the IBAN (Sheba) refunds go to.

Staff with ``refunds:write`` record all of it; a customer may read their own and put their own IBAN on file,
but never verify themselves or say whose the IBAN is (staff enter that from the bank's confirmation).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, put
from litestar.params import FromPath, JSONBody

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import CUSTOMER_SELF, PAYMENTS_READ, REFUNDS_WRITE
from aftersales.payments import access
from aftersales.payments.refunds import identity as customer_identity
from aftersales.payments.refunds.schemas import IbanIn, IdentityIn, IdentityOut, identity_out


class CustomerIdentityController(Controller):
    """A customer's identity and IBAN for refunds."""

    path = "/api/v1/customers/{customer_id:uuid}/refund-identity"
    tags = ("payments",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="getRefundIdentity", guards=[requires_any_scope(REFUNDS_WRITE, PAYMENTS_READ,
                                                                           CUSTOMER_SELF)])
    async def show(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID],
                   session: SessionDep) -> IdentityOut:
        """The customer's national ID, verification and IBAN with whether its owner matches."""
        await access.visible_customer(session, current_principal(request), customer_id)
        return identity_out(customer_id, await customer_identity.identity_of(session, customer_id))

    @put("/", operation_id="recordRefundIdentity", guards=[requires_scope(REFUNDS_WRITE)])
    async def record(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], data: JSONBody[IdentityIn],
                     session: SessionDep) -> IdentityOut:
        """Staff record the national ID, verify the identity, and record the IBAN and its owner (422 with every
        invalid field; nothing changes)."""
        await access.visible_customer(session, current_principal(request), customer_id)
        record = await customer_identity.record_by_staff(session, customer_id, actor=actor(request), now=utcnow(),
                                                         **data.model_dump())
        return identity_out(customer_id, record)

    @put("/iban", operation_id="recordOwnIban", guards=[requires_any_scope(REFUNDS_WRITE, CUSTOMER_SELF)])
    async def record_iban(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], data: JSONBody[IbanIn],
                          session: SessionDep) -> IdentityOut:
        """Put an IBAN on file (a customer their own); whose it is waits for staff to confirm with the bank."""
        await access.visible_customer(session, current_principal(request), customer_id)
        record = await customer_identity.record_iban_by_customer(session, customer_id, data.iban,
                                                                 actor=actor(request), now=utcnow())
        return identity_out(customer_id, record)
