"""Quotes on service requests: the tenant's own visits and paid repairs, priced by the vertical.

Staff ask for a quote on an open repair, installation or maintenance request, naming the labour hours (or a flat
labour price) and the parts from the tenant's price list; the parts reserved for or issued to the request from
stock are charged too, at the list price (:func:`~aftersales.service.quotes.price_list.held_parts`), and the
vertical decides what warranty covers of them as of any part. The core builds the job's facts from the request (its
kind, unit and warranty, the distance from the unit's site to the nearest service point, the tenant's labour and
travel rates from its price list) and stores the vertical's lines and reasons (``aftersales_quote``). The customer
accepts or declines; accepting supersedes the other quotes on offer, and the accepted quote caps what the
request's repair can be charged (:func:`charge_cap`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract import values
from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN, loaded_text, messages, stored_text
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.outbox.events import QuoteAccepted
from aftersales.outbox.webhooks import emit
from aftersales.service.clocks import services as clocks
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.quotes.models import ServiceQuote
from aftersales.service.quotes.price_list import ItemAsked, held_parts, priced_items, rates
from aftersales.service.requests import services as requests
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)

QUOTED_KINDS = ("repair", "installation", "maintenance")
"""Requests whose work the tenant prices; a complaint, a question or a return has nothing to quote."""
KIND_NAMES = {"repair": _("repair"), "installation": _("installation"), "maintenance": _("maintenance")}
"""The work a request's quote prices, as the job's ``offering`` (a flat labour line's description) names it."""
MAX_HOURS = Decimal(1000)


@dataclass(frozen=True)
class QuoteAsked:
    """What staff give for a quote: the labour hours or a flat labour price, and the parts and consumables."""

    labour_hours: Decimal | None = None
    labour_minor: int | None = None
    parts: Sequence[ItemAsked] = ()
    consumables: Sequence[ItemAsked] = ()


def _hour_errors(hours: Decimal | None) -> list[FieldError]:
    if hours is None:
        return []
    try:
        fine = hours.is_finite() and 0 < hours <= MAX_HOURS and hours == hours.quantize(Decimal("0.01"))
    except InvalidOperation:
        fine = False
    return [] if fine else [FieldError("labour_hours", f"must be more than 0 and at most {MAX_HOURS}, "
                                                       "to the hundredth of an hour")]


async def price_request(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest,
                        asked: QuoteAsked) -> tuple[values.Quote, values.JobFacts]:
    """The vertical's quote for the work ``asked`` on ``request``, with the facts it priced.

    :raises InvalidInput: every bad field at once, or the vertical's refusals.
    """
    currency = tenant.context.currency
    errors = _hour_errors(asked.labour_hours)
    if asked.labour_minor is not None and asked.labour_minor < 0:
        errors.append(FieldError("labour_minor", "must not be negative"))
    elif asked.labour_minor is not None:
        errors += beyond_cap("labour_minor", Money(asked.labour_minor, currency))
    if asked.labour_hours is None and asked.labour_minor is None:
        errors.append(FieldError("labour_hours", "give the labour hours or a flat labour price (labour_minor)"))
    parts, part_errors = await priced_items(session, asked.parts, field="parts", currency=currency)
    used, consumable_errors = await priced_items(session, asked.consumables, field="consumables", currency=currency)
    held, held_errors = await priced_items(session, await held_parts(session, request_id=request.id),
                                           field="reserved_parts", currency=currency)
    errors += part_errors + consumable_errors + held_errors
    if errors:
        raise InvalidInput("the request cannot be priced", errors)
    facts = await clocks.request_facts(session, tenant, request)
    rate = await rates(session, currency)
    job = values.JobFacts(
        offering=KIND_NAMES.get(request.kind, request.kind), labour_price=Money(asked.labour_minor or 0, currency), parts=held + parts,
        consumables_used=used, under_warranty=facts.under_warranty,
        sold_by_tenant=request.registration_id is not None, offering_category=request.kind,
        labour_hours=asked.labour_hours, visit_distance_km=facts.site_distance_km,
        distance_km=float(facts.site_distance_km or 0), labour_rate_per_hour=rate.labour_per_hour,
        travel_rate_per_km=rate.travel_per_km,
    )
    quote: values.Quote = tenant.hooks.aftersales_quote(tenant=tenant.context, job=job)
    if quote.refused:
        raise InvalidInput("the request cannot be quoted as asked",
                           [FieldError("parts", reason) for reason in quote.refused])
    return quote, job


def stored_lines(quote: values.Quote) -> list[dict[str, Any]]:
    """The vertical's lines as stored, each description as ``stored_text``."""
    return [{"kind": line.kind, "description": stored_text(line.description), "amount_minor": line.amount.amount_minor,
             "covered_by_warranty": line.covered_by_warranty} for line in quote.lines]


def shown_lines(quote: ServiceQuote) -> list[dict[str, Any]]:
    """The stored lines with their descriptions as sentences again."""
    return [{**line, "description": loaded_text(line["description"])} for line in quote.lines]


def shown_reasons(quote: ServiceQuote) -> list[str]:
    return [loaded_text(reason) for reason in quote.reasons]


async def offer_quote(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, asked: QuoteAsked, *,
                      actor: str, now: datetime) -> ServiceQuote:
    """Price the request's work and offer it to the customer.

    :raises Conflict: a request of a kind with nothing to quote, an ended one, or one with an accepted quote.
    """
    request = await requests.get_request(session, request_id)
    if request.kind not in QUOTED_KINDS:
        raise Conflict(f"request #{request.number} is a {request.kind}: only {', '.join(QUOTED_KINDS)} work is quoted")
    if RequestState(request.state) in FINAL:
        raise Conflict(f"request #{request.number} is {request.state}: it can no longer be quoted")
    if await accepted_quote(session, request.id) is not None:
        raise Conflict(f"a quote for request #{request.number} was accepted")
    priced, job = await price_request(session, tenant, request, asked)
    currency = tenant.context.currency
    total = priced.total(currency)
    if too_much := beyond_cap("parts", total, "the quote's total"):
        raise InvalidInput("the quote is too large", too_much)
    quote = ServiceQuote(request_id=request.id, state="offered", lines=stored_lines(priced),
                         total_minor=total.amount_minor, currency=currency,
                         reasons=[stored_text(r) for r in priced.reasons], labour_hours=job.labour_hours,
                         visit_distance_km=job.visit_distance_km, under_warranty=job.under_warranty, offered_by=actor,
                         offered_at=now, created_at=now)
    session.add(quote)
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="note",
                             note=_("quote offered: {total}", total=total)))
    await session.flush()
    return quote


async def quotes_of(session: AsyncSession, request_id: UUID, *, customer_id: UUID | None = None) -> list[ServiceQuote]:
    """The request's quotes, oldest first; with ``customer_id``, only when the request is that customer's.

    :raises NotFound: no such request (or another customer's).
    """
    request = await _request(session, request_id, customer_id)
    return list(await session.scalars(select(ServiceQuote).where(ServiceQuote.request_id == request.id)
                                      .order_by(ServiceQuote.offered_at, ServiceQuote.id)))


async def accepted_quote(session: AsyncSession, request_id: UUID) -> ServiceQuote | None:
    """The request's accepted quote, if any."""
    return await session.scalar(select(ServiceQuote).where(ServiceQuote.request_id == request_id,
                                                           ServiceQuote.state == "accepted"))


async def _request(session: AsyncSession, request_id: UUID, customer_id: UUID | None) -> ServiceRequest:
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
    if request is None or (customer_id is not None and request.customer_id != customer_id):
        raise NotFound("no such service request")
    return request


async def _offered(session: AsyncSession, quote_id: UUID, customer_id: UUID) -> tuple[ServiceQuote, ServiceRequest]:
    quote = await session.scalar(select(ServiceQuote).where(ServiceQuote.id == quote_id).with_for_update())
    if quote is None:
        raise NotFound("no such quote")
    try:
        request = await _request(session, quote.request_id, customer_id)
    except NotFound:
        raise NotFound("no such quote") from None
    if quote.state != "offered":
        raise Conflict(f"the quote is {quote.state}, no longer on offer")
    if RequestState(request.state) in FINAL:
        raise Conflict(f"request #{request.number} is {request.state}")
    return quote, request


def _decided(accept: bool, total: Money) -> str:
    """What the request's timeline says of the customer's decision."""
    if accept:
        return _("quote accepted by the customer: {total}", total=total)
    return _("quote declined by the customer: {total}", total=total)


async def decide_quote(session: AsyncSession, quote_id: UUID, *, customer_id: UUID, accept: bool, actor: str,
                       now: datetime) -> ServiceQuote:
    """The customer accepts (the quote caps the charge, the others on offer are superseded) or declines.

    :raises NotFound: no such quote, or another customer's. :raises Conflict: no longer on offer.
    """
    quote, request = await _offered(session, quote_id, customer_id)
    if accept:
        await session.execute(update(ServiceQuote).where(ServiceQuote.request_id == request.id,
                                                         ServiceQuote.state == "offered", ServiceQuote.id != quote.id)
                              .values(state="superseded", decided_by=actor, decided_at=now)
                              .execution_options(synchronize_session="fetch"))
    quote.state, quote.decided_by, quote.decided_at = ("accepted" if accept else "declined"), actor, now
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="note",
                             note=_decided(accept, Money(quote.total_minor, quote.currency))))
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("another quote for this request was accepted") from None
    if accept:
        await emit(session, QuoteAccepted(quote_id=quote.id, booking_id=None, request_id=request.id,
                                          total_minor=quote.total_minor, currency=quote.currency, accepted_at=now),
                   key=quote.id, now=now)
    return quote


async def charge_cap(session: AsyncSession, request_id: UUID) -> Money | None:
    """What the request's repair may be charged in all: its accepted quote's total; None without one."""
    quote = await accepted_quote(session, request_id)
    return Money(quote.total_minor, quote.currency) if quote is not None else None
