"""My devices: the customer's registered units and their coverage, and registering a purchase.

Registering calls the same services as ``POST /api/v1/registrations`` and ``PUT …/proof``
(:func:`~aftersales.warranty.registrations.services.register_purchase`, :func:`~aftersales.warranty.registrations.attachments.
store_attachment`), with the signed-in customer as the owner. The invoice file is checked (type by its first
bytes, size) before anything is written, so a bad file leaves no registration behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.i18n.formatting import RIAL_PER_TOMAN
from aftersales.identity.customers import CustomerDetails, customer_by_id
from aftersales.service.requests.services import requests_about_unit
from aftersales.warranty.registrations import claims as claim_service
from aftersales.warranty.registrations.attachments import check_upload, store_attachment
from aftersales.warranty.registrations.coverage import component_cover, status_on
from aftersales.warranty.registrations.services import (
    MAX_INVOICE_NUMBER,
    MAX_SELLER,
    PurchaseDetails,
    active_registration,
    register_purchase,
    units_of_customer,
)
from aftersales.warranty.serials.lookup import locate_unit
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account import mine
from aftersales.web.portal.account.forms import Upload, read_date, typed_amount, upload
from aftersales.web.portal.account.pages import customer_actor, customer_page, show
from aftersales.web.portal.rendering import Page

MAX_SERIAL = 200
MAX_PRICE = 40
UPLOAD_LIMIT = 11 * 1024 * 1024
"""The request may carry the largest invoice the attachments accept (10 MiB) and the form around it."""


@dataclass(frozen=True)
class PurchaseForm:
    """What the customer typed, kept to fill the form again."""

    serial: str = ""
    purchased_on: str = ""
    invoice_number: str = ""
    price: str = ""
    seller: str = ""


def _typed_errors(form: PurchaseForm, page: Page) -> dict[str, str]:
    """The reasons the page can give before asking the service, in the customer's language."""
    _ = page.translations.gettext
    errors = {}
    if not form.serial:
        errors["serial"] = _("Enter the serial number printed on the device or its box.")
    elif len(form.serial) > MAX_SERIAL:
        errors["serial"] = _("This is too long for a serial number.")
    if not form.purchased_on:
        errors["purchased_on"] = _("Enter the date on your invoice.")
    elif read_date(form.purchased_on) is None:
        example = page.fmt.digits("1405-02-22" if page.locale == "fa" else "2026-05-12")
        errors["purchased_on"] = _("Write the date as year-month-day, e.g. %(example)s.") % {"example": example}
    if len(form.invoice_number) > MAX_INVOICE_NUMBER:
        errors["invoice_number"] = _("This is too long for an invoice number.")
    if len(form.seller) > MAX_SELLER:
        errors["seller"] = _("This is too long for a shop name.")
    if len(form.price) > MAX_PRICE:
        errors["price"] = _("Enter the price you paid as a number.")
    return errors


def _file_error(invoice: Upload | None, page: Page) -> str | None:
    _ = page.translations.gettext
    if invoice is None:
        return None
    try:
        check_upload(invoice.content, invoice.content_type)
    except InvalidInput as exc:
        codes = {e.code for e in exc.errors}
        if "attachment.empty" in codes:
            return _("The file is empty.")
        if "attachment.too_large" in codes:
            return _("The file is too large: at most 10 MB.")
        return _("Upload a photo (JPEG or PNG) or a PDF of your invoice.")
    return None


def _service_errors(errors: list[FieldError], page: Page) -> dict[str, str]:
    """The service's reasons as the customer reads them, by form field (read by code: the English is for
    agents)."""
    _ = page.translations.gettext
    reasons: dict[str, str] = {}
    for error in errors:
        if error.field == "serial":
            reasons["serial"] = (
                _("We cannot find this serial on %(company)s's register. Check that you typed it exactly as "
                  "printed.") % {"company": page.branding.name} if error.code == "registration.unknown_serial"
                else _("This is not a valid serial number for our products."))
        elif error.field == "purchased_on":
            reasons["purchased_on"] = (
                _("The purchase date cannot be in the future.") if error.code == "registration.purchase_in_future"
                else _("The purchase date cannot be before %(earliest)s.") % {
                    "earliest": page.fmt.date(date.fromisoformat(error.params["earliest"]))}
                if error.code == "date.out_of_window"
                else _("The purchase date is before this device was made."))
        elif error.field == "price":
            reasons["price"] = _("Enter the price you paid as a number.")
        elif error.field in ("invoice_number", "seller"):
            reasons[error.field] = _("This is too long.")
        else:
            reasons["form"] = _("Your account details are incomplete; please contact support.")
    return reasons


def price_unit(page: Page, currency: str) -> str:
    """The unit the customer types the price in: toman where the tenant counts rial so, else the currency."""
    return "toman" if currency == "IRR" and page.fmt.irr_as_toman else currency


def _price_in_currency(typed: str, page: Page, currency: str) -> str | None:
    """The typed price in the tenant's currency (toman × 10 = rial); a non-number is passed on for the service
    to refuse."""
    amount = typed_amount(typed)
    if not amount:
        return None
    if price_unit(page, currency) == "toman":
        try:
            return str(Decimal(amount) * RIAL_PER_TOMAN)
        except InvalidOperation:
            return amount
    return amount


async def _conflict_reason(session: Any, tenant: Any, serial: str, customer_id: UUID, page: Page) -> str:
    """Why the unit cannot be registered: already the customer's, someone else's, or out of service."""
    _ = page.translations.gettext
    located = await locate_unit(session, tenant, serial)
    owner = await active_registration(session, located.unit) if located.unit is not None else None
    if owner is not None and owner.customer_id == customer_id:
        return _("This device is already registered to you.")
    if owner is not None:
        return _("This device is already registered to another owner. If you bought it second-hand, ask the "
                 "seller to transfer it to you, or contact support.")
    return _("This device cannot be registered. Please contact support.")


class DevicesController(PageController):
    """``/my/devices``: the signed-in customer's units, one unit's coverage and claims, and registering one."""

    @get("/my/devices")
    async def devices(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                      viewer: ViewerDep) -> Template:
        """Every registered unit with its coverage status and end dates."""
        page, customer_id = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/devices.html", devices=await units_of_customer(session, customer_id),
                    today=tenant.today(), status_on=status_on)

    @get("/my/devices/register")
    async def register_form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The empty purchase form."""
        page, _ = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/register.html", form=PurchaseForm(), errors={},
                    price_unit=price_unit(page, tenant.context.currency))

    @post("/my/devices/register", request_max_body_size=UPLOAD_LIMIT)
    async def register(self, request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                       session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Register the purchase to the signed-in customer, with the invoice when one is attached; the form
        again with each field's reason (422) or why the unit is not theirs to register (409)."""
        page, customer_id = customer_page(request, tenant, viewer)
        posted = await request.form()
        form = PurchaseForm(**fields(posted, *PurchaseForm.__dataclass_fields__))
        invoice = await upload(posted, "invoice")
        errors = _typed_errors(form, page)
        if (file_error := _file_error(invoice, page)) is not None:
            errors["invoice"] = file_error
        if errors:
            return show(page, tenant, "account/register.html", status_code=422, form=form, errors=errors,
                        price_unit=price_unit(page, tenant.context.currency))
        customer = await customer_by_id(session, customer_id)
        assert customer is not None  # the session's customer
        purchased_on = read_date(form.purchased_on)
        assert purchased_on is not None  # checked above
        try:
            registered = await register_purchase(session, tenant, PurchaseDetails(
                serial=form.serial, purchased_on=purchased_on, invoice_number=form.invoice_number,
                price=_price_in_currency(form.price, page, tenant.context.currency), seller=form.seller,
                owner=CustomerDetails(name=customer.name, phone=customer.phone, email=customer.email),
            ), registered_by=customer_actor(customer_id), now=utcnow())
        except InvalidInput as exc:
            return show(page, tenant, "account/register.html", status_code=422, form=form,
                        errors=_service_errors(exc.errors, page), price_unit=price_unit(page, tenant.context.currency))
        except Conflict:
            reason = await _conflict_reason(session, tenant, form.serial, customer_id, page)
            return show(page, tenant, "account/register.html", status_code=409, form=form,
                        errors={"serial": reason}, price_unit=price_unit(page, tenant.context.currency))
        if invoice is not None:
            proof = await store_attachment(session, runtime.settings.data_dir, tenant.record.id, invoice.content,
                                           invoice.content_type, invoice.filename)
            registered.registration.proof_id = proof.id
            await session.flush()
        return Redirect(page.url(f"/my/devices/{registered.registration.id}"), status_code=303)

    @get("/my/devices/{registration_id:uuid}")
    async def device(self, request: Request[Any, Any, Any], registration_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """One unit: its coverage dates (each component's own) and the rules behind them, its installation, its
        claims, its requests, and the way to ask for service."""
        page, customer_id = customer_page(request, tenant, viewer)
        registered = await mine.device(session, customer_id, registration_id)
        coverage, today = registered.coverage, tenant.today()
        return show(page, tenant, "account/device.html", device=registered, today=today, status_on=status_on,
                    components=component_cover(coverage.items, coverage, today) if coverage else [],
                    claims=await claim_service.claims_of(session, registration_id),
                    requests=await requests_about_unit(session, customer_id, registration_id))
