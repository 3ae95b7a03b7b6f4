"""Price list and quote endpoints: admins keep the parts price list; a provider (its own bookings) or staff
asks for a quote; the customer accepts or declines it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody, Parameter

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import (
    BOOKINGS_WRITE,
    CUSTOMER_SELF,
    MARKETPLACE_MANAGE,
    MARKETPLACE_READ,
    PROVIDER_WORK,
)
from aftersales.marketplace.quotes import parts
from aftersales.marketplace.quotes import services as quotes
from aftersales.marketplace.quotes.schemas import (
    PartPriceIn,
    PartPriceOut,
    QuoteIn,
    QuoteOut,
    part_price_out,
    quote_out,
)

PartCode = Annotated[str, Parameter(min_length=1, max_length=60)]


class PartPriceController(Controller):
    """The tenant's parts and consumables price list, by code."""

    path = "/api/v1/marketplace/parts"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listPartPrices", guards=[requires_any_scope(MARKETPLACE_READ, PROVIDER_WORK)])
    async def list_prices(self, session: SessionDep) -> list[PartPriceOut]:
        """Every entry of the price list, by code."""
        return [part_price_out(entry) for entry in await parts.price_list(session)]

    @put("/{code:str}", operation_id="setPartPrice", guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def set_price(self, request: Request[Any, Any, Any], code: PartCode, data: JSONBody[PartPriceIn],
                        session: SessionDep) -> PartPriceOut:
        """Add or change the catalogue entry and list price of ``code`` (422 for a negative price, a language the
        platform does not speak, or a compatible model that is not in the tenant's catalogue, named by field)."""
        entry = await parts.set_price(session, code=code, name=data.name,
                                      price=Money(data.price_minor, data.currency.upper()), active=data.active,
                                      actor=actor(request), facts=data.facts())
        return part_price_out(entry)


class QuoteController(Controller):
    """Quotes on a booking, and the customer's decision on one."""

    path = "/api/v1/marketplace"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @post("/bookings/{booking_id:uuid}/quotes", operation_id="offerQuote",
          guards=[requires_any_scope(PROVIDER_WORK, BOOKINGS_WRITE, MARKETPLACE_MANAGE)])
    async def offer(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID], data: JSONBody[QuoteIn],
                    session: SessionDep, tenant: TenantDep) -> QuoteOut:
        """Price the booking's job through the tenant's vertical and offer it to the customer. 422 for parts off
        the price list or consumables the customer did not ask for; 409 once a quote was accepted."""
        quote = await quotes.offer_quote(session, tenant, current_principal(request), booking_id,
                                         parts=[p.asked() for p in data.parts],
                                         consumables=[c.asked() for c in data.consumables], actor=actor(request),
                                         now=utcnow())
        return quote_out(quote)

    @get("/bookings/{booking_id:uuid}/quotes", operation_id="listQuotes",
         guards=[requires_any_scope(MARKETPLACE_READ, PROVIDER_WORK, CUSTOMER_SELF)])
    async def list_quotes(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                          session: SessionDep) -> list[QuoteOut]:
        """The booking's quotes, oldest first, with their lines and states."""
        return [quote_out(q) for q in await quotes.quotes_of(session, current_principal(request), booking_id)]

    @post("/quotes/{quote_id:uuid}/accept", operation_id="acceptQuote", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def accept(self, request: Request[Any, Any, Any], quote_id: FromPath[UUID], session: SessionDep) -> QuoteOut:
        """The customer accepts: the quote binds the charge and the other quotes on offer are superseded."""
        quote = await quotes.accept_quote(session, current_principal(request), quote_id, actor=actor(request),
                                          now=utcnow())
        return quote_out(quote)

    @post("/quotes/{quote_id:uuid}/decline", operation_id="declineQuote", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def decline(self, request: Request[Any, Any, Any], quote_id: FromPath[UUID],
                      session: SessionDep) -> QuoteOut:
        """The customer declines a quote on offer."""
        quote = await quotes.decline_quote(session, current_principal(request), quote_id, actor=actor(request),
                                           now=utcnow())
        return quote_out(quote)
