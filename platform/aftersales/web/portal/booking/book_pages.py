"""``/book/{provider_id}``: a provider's free times for a service on a day, and booking one of them.

Slots are :func:`aftersales.marketplace.availability.slots.day_slots` (the tenant's time zone; public holidays closed unless
the provider opens); booking is :func:`aftersales.marketplace.bookings.services.book`, as the API books for a customer.
A time someone else took a moment earlier is answered with the day's times again and a plain message (409),
never an error page; any other reason the time cannot be booked is shown beside the times (422).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.marketplace.availability import slots
from aftersales.marketplace.bookings import services as bookings
from aftersales.marketplace.models import Offering, Provider, ProviderOffering
from aftersales.marketplace.providers import prices
from aftersales.marketplace.providers.services import get_provider
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.forms import fields
from aftersales.web.i18n.moments import Moments
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.booking.search_pages import day_errors
from aftersales.web.portal.rendering import Page, page_for, render

MAX_NOTE = 4000


@dataclass(frozen=True)
class BookForm:
    """The provider page's choices: the service, the day, the time chosen and a note for the provider."""

    offering: str = ""
    day: str = ""
    starts_at: str = ""
    note: str = ""


async def _offered(session: AsyncSession, provider_id: uuid.UUID) -> tuple[Provider, list[tuple[ProviderOffering,
                                                                                                 Offering]]]:
    """The active provider and what it offers now. :raises NotFound: no such provider, or not taking bookings."""
    provider = await get_provider(session, provider_id)
    if provider.status != "active":
        raise NotFound("no such provider")
    offered = [(price, offering) for price, offering in await prices.prices_of(session, provider_id)
               if price.active and offering.active]
    return provider, offered


async def _show(request: Request[Any, Any, Any], page: Page, session: AsyncSession, tenant: CurrentTenant,
                provider_id: uuid.UUID, form: BookForm, *, status_code: int = 200, errors: dict[str, str] | None = None,
                problem: str | None = None) -> Template:
    """The provider's page for ``form``'s service and day (422 with the reason for a day that cannot be shown)."""
    provider, offered = await _offered(session, provider_id)
    if not offered:
        raise NotFound("no such provider")
    codes = {offering.code: (price, offering) for price, offering in offered}
    code = form.offering if form.offering in codes else offered[0][1].code
    errors = dict(errors or {})
    today = tenant.today()
    day, day_error = day_errors(page, form.day or today.isoformat(), today)
    if day_error:
        errors["day"] = day_error
        status_code = 422
    day = day or today
    found = await slots.day_slots(session, tenant.calendar, provider_id, code, day, now=utcnow())
    return render(page, "booking/provider.html", status_code=status_code, provider=provider, offered=offered,
                  chosen=codes[code], code=code, day=day, slots=found, form=form, errors=errors, problem=problem,
                  previous_day=day - timedelta(days=1) if day > today else None, next_day=day + timedelta(days=1),
                  clock=Moments(page.fmt, tenant.calendar.zone), price_money=price_of)


def price_of(price: ProviderOffering) -> Money:
    """A provider's price for an offering, as money."""
    return Money(price.price_minor, price.currency)


def _starts_at(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class BookProviderController(PageController):
    """A provider's free times and booking one."""

    @get("/book/{provider_id:uuid}")
    async def times(self, request: Request[Any, Any, Any], provider_id: FromPath[uuid.UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template:
        """The provider's free times for ``?offering=`` on ``?day=`` (default: its first service, today)."""
        viewer.customer()
        page = page_for(request, tenant, viewer)
        asked = request.query_params
        form = BookForm(offering=asked.get("offering", ""), day=asked.get("day", ""), starts_at=asked.get("at", ""))
        return await _show(request, page, session, tenant, provider_id, form)

    @post("/book/{provider_id:uuid}", status_code=200)
    async def book(self, request: Request[Any, Any, Any], provider_id: FromPath[uuid.UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Book the chosen time; then the booking's page. A time just taken: the times again with a message."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        _ = page.translations.gettext
        posted = await request.form()
        form = BookForm(**fields(posted, "offering", "day", "starts_at", "note"))
        _provider, offered = await _offered(session, provider_id)
        offering = next((o for _p, o in offered if o.code == form.offering), None)
        starts_at = _starts_at(form.starts_at)
        errors = {}
        if offering is None:
            errors["offering"] = _("Choose a service from the list.")
        if starts_at is None:
            errors["starts_at"] = _("Choose a time.")
        if len(form.note) > MAX_NOTE:
            errors["note"] = _("Keep the note under %(count)s characters.") % {"count": page.fmt.number(MAX_NOTE)}
        if errors or offering is None or starts_at is None:
            return await _show(request, page, session, tenant, provider_id, form, status_code=422, errors=errors)
        new = bookings.NewBooking(provider_id=provider_id, offering_id=offering.id, starts_at=starts_at,
                                  note=form.note)
        try:
            booking = await bookings.book(session, tenant, bookings.party_of(principal), new, now=utcnow())
        except Conflict:
            return await _show(request, page, session, tenant, provider_id, form, status_code=409,
                               problem=_("Someone booked that time a moment ago. Please choose another time."))
        except InvalidInput:
            return await _show(request, page, session, tenant, provider_id, form, status_code=422,
                               errors={"starts_at": _("That time cannot be booked any more. Please choose another.")})
        return Redirect(page.url(f"/my/bookings/{booking.id}"), status_code=303)

