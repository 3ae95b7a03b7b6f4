"""``/my/bookings`` and ``/my/bookings/{id}``: the customer's jobs, and each one's quote, extra work, charges,
payment and rating, with the decisions the customer takes there.

Decisions call the API's services as the customer (:mod:`~aftersales.marketplace.quotes.services`,
:mod:`~aftersales.marketplace.changes.services`, :mod:`~aftersales.marketplace.ratings.services`); each answers with a
redirect to the booking's page, or the page again with the reason: 409 when the thing was decided meanwhile,
422 for a rating that breaks a rule. A quote or change request of another booking is not found (404).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.marketplace.changes import services as change_requests
from aftersales.marketplace.quotes import services as quotes
from aftersales.marketplace.ratings import services as ratings
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.forms import field
from aftersales.web.i18n.moments import Moments
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.booking.views import booking_view, my_bookings
from aftersales.web.portal.rendering import Page, page_for, render

BOOKING = "/my/bookings/{booking_id:uuid}"
MAX_NOTE = 4000


def _actor(principal: Principal) -> str:
    return f"{principal.kind}:{principal.subject}"


async def _detail(page: Page, session: AsyncSession, tenant: CurrentTenant, principal: Principal,
                  booking_id: uuid.UUID, *, status_code: int = 200, problem: str | None = None,
                  errors: dict[str, str] | None = None, rating_form: dict[str, str] | None = None) -> Template:
    view = await booking_view(session, principal, booking_id)
    return render(page, "booking/detail.html", status_code=status_code, view=view, problem=problem,
                  errors=errors or {}, rating_form=rating_form or {"stars": "", "comment": ""},
                  clock=Moments(page.fmt, tenant.calendar.zone))


def _back(page: Page, booking_id: uuid.UUID) -> Redirect:
    return Redirect(page.url(f"/my/bookings/{booking_id}"), status_code=303)


def _decided_meanwhile(page: Page) -> str:
    return page.translations.gettext("This was already decided, or the job has moved on. Here is where it stands.")


class MyBookingsController(PageController):
    """The customer's bookings and their decisions."""

    @get("/my/bookings")
    async def list_bookings(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                            viewer: ViewerDep) -> Template:
        """The customer's bookings, latest first."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        return render(page, "booking/list.html", bookings=await my_bookings(session, principal),
                      clock=Moments(page.fmt, tenant.calendar.zone))

    @get(BOOKING)
    async def detail(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """One booking: state, provider, time, quotes, extra work, charges, the pay link, the rating."""
        principal = viewer.customer()
        return await _detail(page_for(request, tenant, viewer), session, tenant, principal, booking_id)

    @post(f"{BOOKING}/quotes/{{quote_id:uuid}}/{{decision:str}}", status_code=200)
    async def decide_quote(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], quote_id: FromPath[uuid.UUID],
                           decision: FromPath[str], tenant: TenantDep, session: SessionDep,
                           viewer: ViewerDep) -> Template | Redirect:
        """Accept or decline a quote on offer (``decision`` is ``accept`` or ``decline``)."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        view = await booking_view(session, principal, booking_id)
        if decision not in ("accept", "decline") or quote_id not in {q.id for q in view.quotes}:
            raise NotFound("no such quote")
        decide = quotes.accept_quote if decision == "accept" else quotes.decline_quote
        try:
            await decide(session, principal, quote_id, actor=_actor(principal), now=utcnow())
        except Conflict:
            return await _detail(page, session, tenant, principal, booking_id, status_code=409,
                                 problem=_decided_meanwhile(page))
        return _back(page, booking_id)

    @post(f"{BOOKING}/changes/{{change_id:uuid}}/{{decision:str}}", status_code=200)
    async def decide_change(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], change_id: FromPath[uuid.UUID],
                            decision: FromPath[str], tenant: TenantDep, session: SessionDep,
                            viewer: ViewerDep) -> Template | Redirect:
        """Approve or refuse extra work the provider asked for (``decision`` is ``approve`` or ``refuse``)."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        view = await booking_view(session, principal, booking_id)
        if decision not in ("approve", "refuse") or change_id not in {c.id for c in view.changes}:
            raise NotFound("no such change request")
        note = str((await request.form()).get("note") or "").strip()
        if len(note) > MAX_NOTE:
            message = page.translations.gettext("Keep the note under %(count)s characters.")
            return await _detail(page, session, tenant, principal, booking_id, status_code=422,
                                 errors={f"note-{change_id}": message % {"count": page.fmt.number(MAX_NOTE)}})
        try:
            await change_requests.decide_change(session, principal, change_id, approve=decision == "approve",
                                                note=note, actor=_actor(principal), now=utcnow())
        except Conflict:
            return await _detail(page, session, tenant, principal, booking_id, status_code=409,
                                 problem=_decided_meanwhile(page))
        return _back(page, booking_id)

    @post(f"{BOOKING}/rating", status_code=200)
    async def rate(self, request: Request[Any, Any, Any], booking_id: FromPath[uuid.UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Rate the provider of a completed job: 1–5 stars and an optional comment, once."""
        principal = viewer.customer()
        page = page_for(request, tenant, viewer)
        _ = page.translations.gettext
        await booking_view(session, principal, booking_id)
        posted = await request.form()
        form = {"stars": field(posted, "stars"), "comment": field(posted, "comment")}
        errors = {}
        stars = int(form["stars"]) if form["stars"].isdigit() else 0
        if stars not in ratings.STARS:
            errors["stars"] = _("Choose from 1 to 5 stars.")
        if len(form["comment"]) > ratings.MAX_COMMENT:
            errors["comment"] = (_("Keep the comment under %(count)s characters.")
                                 % {"count": page.fmt.number(ratings.MAX_COMMENT)})
        if errors:
            return await _detail(page, session, tenant, principal, booking_id, status_code=422, errors=errors,
                                 rating_form=form)
        try:
            await ratings.rate_booking(session, tenant, ratings.Rater.of(principal), booking_id,
                                       ratings.NewRating(stars=stars, comment=form["comment"]),
                                       actor=_actor(principal), now=utcnow())
        except InvalidInput:
            return await _detail(page, session, tenant, principal, booking_id, status_code=422,
                                 errors={"stars": _("This rating cannot be accepted.")}, rating_form=form)
        except Conflict:
            return await _detail(page, session, tenant, principal, booking_id, status_code=409,
                                 problem=_decided_meanwhile(page))
        return _back(page, booking_id)
