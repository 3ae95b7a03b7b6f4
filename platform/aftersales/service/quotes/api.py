"""Quote endpoints of service requests: staff ask for one, staff and the request's customer read them, the
customer accepts or declines."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import CUSTOMER_SELF, REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.quotes import services as quotes
from aftersales.service.quotes.schemas import ServiceQuoteIn, ServiceQuoteOut, quote_out


class ServiceQuoteController(Controller):
    """Quotes for the tenant's own work on a service request."""

    path = "/api/v1/requests"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @post("/{request_id:uuid}/quotes", operation_id="offerServiceQuote", guards=[requires_scope(REQUESTS_WRITE)])
    async def offer(self, request: Request[Any, Any, Any], request_id: FromPath[UUID],
                    data: JSONBody[ServiceQuoteIn], session: SessionDep, tenant: TenantDep) -> ServiceQuoteOut:
        """Price the request's work through the tenant's vertical and offer it to the customer. 422 for bad hours,
        parts off the price list or the vertical's refusals; 409 for a request with nothing to quote, an ended
        one, or one whose quote was accepted."""
        quote = await quotes.offer_quote(session, tenant, request_id, data.asked(), actor=actor(request),
                                         now=utcnow())
        return quote_out(quote)

    @get("/{request_id:uuid}/quotes", operation_id="listServiceQuotes",
         guards=[requires_any_scope(REQUESTS_READ, CUSTOMER_SELF)])
    async def list_quotes(self, request: Request[Any, Any, Any], request_id: FromPath[UUID],
                          session: SessionDep) -> list[ServiceQuoteOut]:
        """The request's quotes, oldest first (a customer sees only their own requests')."""
        customer_id = current_principal(request).customer_id
        return [quote_out(q) for q in await quotes.quotes_of(session, request_id, customer_id=customer_id)]

    @post("/quotes/{quote_id:uuid}/accept", operation_id="acceptServiceQuote", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def accept(self, request: Request[Any, Any, Any], quote_id: FromPath[UUID],
                     session: SessionDep) -> ServiceQuoteOut:
        """The customer accepts: the quote caps what the repair can be charged; the others on offer are
        superseded."""
        return quote_out(await _decide(request, session, quote_id, accept=True))

    @post("/quotes/{quote_id:uuid}/decline", operation_id="declineServiceQuote", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def decline(self, request: Request[Any, Any, Any], quote_id: FromPath[UUID],
                      session: SessionDep) -> ServiceQuoteOut:
        """The customer declines a quote on offer."""
        return quote_out(await _decide(request, session, quote_id, accept=False))


async def _decide(request: Request[Any, Any, Any], session: Any, quote_id: UUID, *, accept: bool) -> Any:
    principal = current_principal(request)
    assert principal.customer_id is not None  # CUSTOMER_SELF is a customer's scope
    return await quotes.decide_quote(session, quote_id, customer_id=principal.customer_id, accept=accept,
                                     actor=actor(request), now=utcnow())
