"""My complaints: what the customer complained about, the answer they were given, and filing a new one.

Filing calls the same service as ``POST /api/v1/complaints`` (:func:`~aftersales.service.complaints.services.
file_complaint`) on the ``portal`` channel: a complaint about staff behaviour or handling time goes to
management at once, and the 48-business-hour answer clock starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import CustomerDetails, customer_by_id
from aftersales.service.complaints import services as service
from aftersales.service.complaints.services import MAX_CONTRACTOR, MAX_TEXT, SUBJECTS
from aftersales.service.requests.services import requests_of_customer
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.pages import customer_actor, customer_page, show
from aftersales.web.portal.rendering import Page

PORTAL = "portal"


@dataclass(frozen=True)
class ComplaintForm:
    """What the customer chose and wrote, kept to fill the form again."""

    subject: str = ""
    summary: str = ""
    about: str = ""
    """The id of the request complained about, or empty."""
    contractor: str = ""


def _typed_errors(form: ComplaintForm, page: Page, request_ids: set[str]) -> dict[str, str]:
    _ = page.translations.gettext
    errors = {}
    if form.subject not in SUBJECTS:
        errors["subject"] = _("Choose what your complaint is about.")
    if not form.summary:
        errors["summary"] = _("Tell us what happened.")
    elif len(form.summary) > MAX_TEXT:
        errors["summary"] = _("Please keep it under %(count)s characters.") % {"count": page.fmt.number(MAX_TEXT)}
    if form.about and form.about not in request_ids:
        errors["about"] = _("Choose one of your requests.")
    if len(form.contractor) > MAX_CONTRACTOR:
        errors["contractor"] = _("This is too long.")
    elif form.subject == "store_violation" and not form.contractor:
        errors["contractor"] = _("Name the store.")
    return errors


def _service_errors(errors: list[FieldError], page: Page) -> dict[str, str]:
    _ = page.translations.gettext
    fields = {"subject": "subject", "summary": "summary", "contractor": "contractor", "about_request_id": "about"}
    return {fields.get(e.field, "form"): (_("Please check this field.") if e.field in fields else
                                         _("Your complaint could not be filed; please contact support."))
            for e in errors}


class ComplaintsController(PageController):
    """``/my/complaints``: the signed-in customer's complaints with their answers, and a new one."""

    @get("/my/complaints")
    async def complaints(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template:
        """The customer's complaints, newest first, with the cause and apology once answered."""
        page, customer_id = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/complaints.html",
                    complaints=await service.complaints_of_customer(session, customer_id))

    @get("/my/complaints/new")
    async def new(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template:
        """The complaint form; ``?about=<request id>`` names the request complained about."""
        page, customer_id = customer_page(request, tenant, viewer)
        form = ComplaintForm(about=request.query_params.get("about", ""))
        return show(page, tenant, "account/complaint_new.html", form=form, errors={}, subjects=SUBJECTS,
                    requests=await requests_of_customer(session, customer_id))

    @post("/my/complaints/new")
    async def file(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template | Redirect:
        """File the complaint and go back to the list; the form again with each field's reason (422)."""
        page, customer_id = customer_page(request, tenant, viewer)
        posted = await request.form()
        form = ComplaintForm(**fields(posted, *ComplaintForm.__dataclass_fields__))
        own_requests = await requests_of_customer(session, customer_id)
        about = next((r for r in own_requests if str(r.id) == form.about), None)
        errors = _typed_errors(form, page, {str(r.id) for r in own_requests})
        if not errors:
            customer = await customer_by_id(session, customer_id)
            assert customer is not None  # the session's customer
            try:
                await service.file_complaint(session, tenant, service.NewComplaint(
                    channel=PORTAL, subject=form.subject, summary=form.summary,
                    registration_id=about.registration_id if about else None,
                    customer=None if about and about.registration_id else CustomerDetails(
                        name=customer.name, phone=customer.phone, email=customer.email),
                    about_request_id=about.id if about else None, contractor=form.contractor or None,
                ), actor=customer_actor(customer_id), now=utcnow())
            except InvalidInput as exc:
                errors = _service_errors(exc.errors, page)
        if errors:
            return show(page, tenant, "account/complaint_new.html", status_code=422, form=form, errors=errors,
                        subjects=SUBJECTS, requests=own_requests)
        return Redirect(page.url("/my/complaints"), status_code=303)
