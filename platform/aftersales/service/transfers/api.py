"""Transfer endpoints: send a request's unit to another service point, receive it there, list its legs and every
missing unit; and where a unit is (staff, and the request's own customer)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from aftersales.db.base import utcnow
from aftersales.errors import NotFound
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, check_limit
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import CUSTOMER_SELF, REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.models import UnitTransfer
from aftersales.service.requests.location import location_of
from aftersales.service.requests.services import get_request
from aftersales.service.transfers import services as transfers
from aftersales.service.transfers.schemas import (
    LocationOut,
    ReceiveIn,
    TransferIn,
    TransferOut,
    location_out,
    transfer_out,
)


class RequestTransferController(Controller):
    """The legs of a request's unit between service points, and where it is."""

    path = "/api/v1/requests"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @post("/{request_id:uuid}/transfers", operation_id="sendUnit", guards=[requires_scope(REQUESTS_WRITE)])
    async def send(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[TransferIn],
                   session: SessionDep, tenant: TenantDep) -> TransferOut:
        """Send the unit from the point it is at to another, with its waybill and carrier; expected within the
        vertical's business days. 409 when it was never taken in, is on its way, or the request ended."""
        sent = await transfers.send_unit(session, tenant, request_id, transfers.TransferAsked(
            to_point_id=data.to_point_id, waybill=data.waybill, carrier=data.carrier, sent_at=data.sent_at),
            actor=actor(request), now=utcnow())
        return transfer_out(sent)

    @post("/{request_id:uuid}/transfers/{transfer_id:uuid}/receive", operation_id="receiveUnit", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE)])
    async def receive(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], transfer_id: FromPath[UUID],
                      data: JSONBody[ReceiveIn], session: SessionDep, tenant: TenantDep) -> TransferOut:
        """Record the unit's arrival at the leg's destination; 409 when it was received already."""
        received = await transfers.receive_unit(session, tenant, request_id, transfer_id,
                                                received_at=data.received_at, actor=actor(request), now=utcnow())
        return transfer_out(received)

    @get("/{request_id:uuid}/transfers", operation_id="listRequestTransfers", guards=[requires_scope(REQUESTS_READ)])
    async def list_transfers(self, request_id: FromPath[UUID], session: SessionDep) -> list[TransferOut]:
        """The unit's legs, first sent first."""
        return [transfer_out(t) for t in await transfers.transfers_of(session, request_id)]

    @get("/{request_id:uuid}/location", operation_id="getUnitLocation",
         guards=[requires_any_scope(REQUESTS_READ, CUSTOMER_SELF)])
    async def location(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], session: SessionDep,
                       tenant: TenantDep) -> LocationOut:
        """Where the unit is and since when, in the reader's language (a customer reads only their own requests)."""
        found = await get_request(session, request_id)
        customer_id = current_principal(request).customer_id
        if customer_id is not None and found.customer_id != customer_id:
            raise NotFound("no such service request")
        return location_out(await location_of(session, found), tenant.calendar.zone)


class TransferController(Controller):
    """Every leg of the tenant's units, by state."""

    path = "/api/v1/transfers"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listTransfers", guards=[requires_scope(REQUESTS_READ)])
    async def list_transfers(
            self, session: SessionDep,
            in_state: Annotated[transfers.TransferState | None, QueryParameter(name="state")] = None,
            limit: FromQuery[int] = DEFAULT_LIMIT) -> list[TransferOut]:
        """Legs on their way (``in_transit``), ``received``, or reported ``missing`` and still not received; the
        longest overdue first."""
        query = transfers.in_state(in_state).order_by(UnitTransfer.expected_by, UnitTransfer.id)
        return [transfer_out(t) for t in await session.scalars(query.limit(check_limit(limit)))]
