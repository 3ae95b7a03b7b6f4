"""``/book``: find a provider for a service near a city, with ratings, distances, prices and the day's free times.

The search is the API's (:func:`aftersales.marketplace.search.services.search_providers`, ranked by the tenant's
vertical); the free times are :func:`aftersales.marketplace.availability.slots.day_slots`, in the tenant's time zone with its
holidays closed. The form is a GET, so results can be bookmarked and work without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.http.context import SessionDep, TenantDep
from aftersales.marketplace.availability import slots
from aftersales.marketplace.availability.services import SEARCH_HORIZON_DAYS
from aftersales.marketplace.catalogue import services as catalogue
from aftersales.marketplace.search.services import ProviderHit, SearchQuery, search_providers
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.i18n.moments import Moments
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.booking.places import Place, cities_of, place_by_id
from aftersales.web.portal.rendering import Page, page_for, render

SLOTS_SHOWN = 4
"""Free times of the day shown with each provider; the provider's page has them all."""


@dataclass(frozen=True)
class SearchForm:
    """What the customer asked for, kept to fill the form again."""

    offering: str = ""
    place: str = ""
    day: str = ""


@dataclass(frozen=True)
class Result:
    """A provider found, with the first free times of the chosen day (or the next free time after it)."""

    hit: ProviderHit
    starts: list[datetime]
    next_free: datetime | None


def parse_day(text: str) -> date | None:
    """An ISO date (``2026-05-01``, as ``<input type=date>`` sends it), or None."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_errors(page: Page, text: str, today: date) -> tuple[date | None, str | None]:
    """The day asked for, or why it cannot be searched: not a date, past, or beyond the booking horizon."""
    _ = page.translations.gettext
    day = parse_day(text)
    if day is None:
        return None, _("Enter a date, for example %(example)s.") % {"example": today.isoformat()}
    if day < today:
        return None, _("Choose today or a later day.")
    if day > today + timedelta(days=SEARCH_HORIZON_DAYS):
        return None, (_("Choose a day within the next %(days)s days.")
                      % {"days": page.fmt.number(SEARCH_HORIZON_DAYS)})
    return day, None


async def _results(session: AsyncSession, tenant: CurrentTenant, offering: str, place: Place, day: date,
                   now: datetime) -> list[Result]:
    query = SearchQuery(offering=offering, latitude=place.latitude, longitude=place.longitude)
    found = await search_providers(await session.connection(), tenant, query, now=now)
    results = []
    for hit in found.hits:
        free = await slots.day_slots(session, tenant.calendar, hit.provider_id, offering, day, now=now)
        results.append(Result(hit, free.starts[:SLOTS_SHOWN], free.next_free_start))
    return results


class BookingSearchController(PageController):
    """The provider search of the portal."""

    @get("/book")
    async def search(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                     viewer: ViewerDep) -> Template:
        """The search form; with ``offering`` in the query, the providers found and their free times that day."""
        viewer.customer()
        page = page_for(request, tenant, viewer)
        _ = page.translations.gettext
        today = tenant.today()
        offerings = await catalogue.list_offerings(session, active_only=True)
        places = cities_of(tenant.record.country)
        asked = request.query_params
        form = SearchForm(offering=asked.get("offering", "").strip(),
                          place=asked.get("place", places[0].id if places else "").strip(),
                          day=asked.get("day", today.isoformat()).strip())
        context: dict[str, Any] = {"form": form, "offerings": offerings, "places": places, "errors": {},
                                   "results": None, "day": None, "place": None,
                                   "clock": Moments(page.fmt, tenant.calendar.zone)}
        if "offering" not in asked:
            return render(page, "booking/search.html", **context)
        errors = {}
        if form.offering not in {o.code for o in offerings}:
            errors["offering"] = _("Choose a service from the list.")
        place = place_by_id(tenant.record.country, form.place)
        if place is None:
            errors["place"] = _("Choose a city from the list.")
        day, day_error = day_errors(page, form.day, today)
        if day_error:
            errors["day"] = day_error
        if errors or place is None or day is None:
            return render(page, "booking/search.html", status_code=422, **{**context, "errors": errors})
        results = await _results(session, tenant, form.offering, place, day, utcnow())
        return render(page, "booking/search.html", **{**context, "results": results, "day": day, "place": place})
