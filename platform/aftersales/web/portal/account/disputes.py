"""My disputes: opening one about a booking or a service request, following it, and the ruling with its reason.

The same services as ``/api/v1/disputes`` (:mod:`aftersales.disputes.services`) as the signed-in customer: a
booking or request of someone else's is not found (404); the other side's answer, a proposed settlement (which
the customer accepts or declines here) and customer service's ruling are shown; mediators' notes never are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.disputes import services as disputes
from aftersales.disputes.models import Dispute
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.service.requests.services import requests_of_customer
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.dispute_words import DISPUTE_WORDS
from aftersales.web.portal.account.pages import customer_actor, show
from aftersales.web.portal.booking.views import my_bookings
from aftersales.web.portal.rendering import Page, page_for

DISPUTE = "/my/disputes/{dispute_id:uuid}"
PORTAL_SUBJECTS = ("booking", "request")
"""What the portal opens a dispute about (a claim's dispute is opened by staff, or through the API)."""


@dataclass(frozen=True)
class DisputeForm:
    """What the customer chose and wrote, kept to fill the form again."""

    subject: str = ""
    subject_id: str = ""
    grounds: str = ""
    statement: str = ""


def _page(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Any) -> tuple[Page, Principal]:
    return page_for(request, tenant, viewer), viewer.customer()


def _render(page: Page, tenant: CurrentTenant, template: str, *, status_code: int = 200, **context: Any) -> Template:
    return show(page, tenant, template, status_code=status_code, dwords=DISPUTE_WORDS, **context)


async def _choices(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    assert principal.customer_id is not None
    return {"bookings": await my_bookings(session, principal),
            "requests": await requests_of_customer(session, principal.customer_id)}


def _parse_id(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _field_errors(page: Page, exc: InvalidInput) -> dict[str, str]:
    _ = page.translations.gettext
    return {e.field: _(DISPUTE_WORDS.refusals[e.code or ""]) for e in exc.errors}


class DisputesController(PageController):
    """``/my/disputes``: the signed-in customer's disputes, a new one, and each one with its ruling."""

    @get("/my/disputes")
    async def disputes(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                       viewer: ViewerDep) -> Template:
        """The customer's disputes, newest first, each with where it stands."""
        page, principal = _page(request, tenant, viewer)
        return _render(page, tenant, "account/disputes.html",
                       disputes=await disputes.list_disputes(session, principal, limit=200))

    @get("/my/disputes/new")
    async def new(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template:
        """The dispute form; ``?booking=<id>`` or ``?request=<id>`` names what is disputed."""
        page, principal = _page(request, tenant, viewer)
        subject = next((s for s in PORTAL_SUBJECTS if request.query_params.get(s)), "")
        form = DisputeForm(subject=subject, subject_id=request.query_params.get(subject, "") if subject else "")
        return _render(page, tenant, "account/dispute_new.html", form=form, errors={},
                       grounds=disputes.GROUNDS_BY_SUBJECT, **await _choices(session, principal))

    @post("/my/disputes/new")
    async def open(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template | Redirect:
        """Open the dispute and show it; the form again with each field's reason (422), or why not (409)."""
        page, principal = _page(request, tenant, viewer)
        form = DisputeForm(**fields(await request.form(), *DisputeForm.__dataclass_fields__))
        _ = page.translations.gettext
        errors: dict[str, str] = {}
        subject_id = _parse_id(form.subject_id)
        if form.subject not in PORTAL_SUBJECTS or subject_id is None:
            errors["subject_id"] = _("Choose the booking or request you dispute.")
        status_code = 422
        if not errors:
            assert subject_id is not None
            try:
                async with session.begin_nested():
                    dispute = await disputes.open_dispute(session, tenant, principal, disputes.NewDispute(
                        subject=form.subject, subject_id=subject_id, grounds=form.grounds, statement=form.statement,
                    ), actor=customer_actor(principal.customer_id), now=utcnow())
                return Redirect(page.url(f"/my/disputes/{dispute.id}"), status_code=303)
            except InvalidInput as exc:
                errors = _field_errors(page, exc)
            except NotFound:
                errors["subject_id"] = _("Choose the booking or request you dispute.")
            except Conflict as exc:
                errors["form"], status_code = _(DISPUTE_WORDS.refusals[exc.code or ""]), 409
        return _render(page, tenant, "account/dispute_new.html", status_code=status_code, form=form, errors=errors,
                       grounds=disputes.GROUNDS_BY_SUBJECT, **await _choices(session, principal))

    @get(DISPUTE)
    async def dispute(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template:
        """One dispute: both statements, a settlement waiting for an answer, the ruling and its reason."""
        page, principal = _page(request, tenant, viewer)
        return _detail(page, tenant, await disputes.get_dispute(session, principal, dispute_id))

    @post(f"{DISPUTE}/settlement")
    async def settlement(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                         session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Accept (``answer=accept``) or decline the proposed settlement; 409 with where it stands when none waits."""
        page, principal = _page(request, tenant, viewer)
        accept = fields(await request.form(), "answer")["answer"] == "accept"
        return await _step(page, tenant, session, principal, dispute_id, lambda: disputes.answer_settlement(
            session, tenant, principal, dispute_id, accept, now=utcnow()))

    @post(f"{DISPUTE}/withdrawal")
    async def withdraw(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                       session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Withdraw the dispute; 409 with where it stands once it has ended."""
        page, principal = _page(request, tenant, viewer)
        return await _step(page, tenant, session, principal, dispute_id,
                           lambda: disputes.withdraw(session, principal, dispute_id, now=utcnow()))


async def _step(page: Page, tenant: CurrentTenant, session: AsyncSession, principal: Principal,
                dispute_id: uuid.UUID, act: Any) -> Template | Redirect:
    try:
        async with session.begin_nested():
            await act()
    except Conflict as exc:
        dispute = await disputes.get_dispute(session, principal, dispute_id)
        return _detail(page, tenant, dispute, status_code=409,
                       problem=page.translations.gettext(DISPUTE_WORDS.refusals[exc.code or ""]))
    return Redirect(page.url(f"/my/disputes/{dispute_id}"), status_code=303)


def _detail(page: Page, tenant: CurrentTenant, dispute: Dispute, *, status_code: int = 200,
            problem: str | None = None) -> Template:
    money = {name: Money(amount, dispute.currency) for name, amount in
             (("settlement", dispute.settlement_refund_minor), ("owed", dispute.refund_owed_minor)) if amount}
    return _render(page, tenant, "account/dispute.html", status_code=status_code, dispute=dispute, money=money,
                   problem=problem)
