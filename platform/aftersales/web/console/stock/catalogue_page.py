"""The parts catalogue in the console (``/console/stock/parts``): each part's number, name in the reader's
language, compatible models, whether it is a wear part, supplier and list price; and, to staff who keep the price
list (``marketplace:manage``, as ``PUT /api/v1/marketplace/parts/{code}``), adding a part and editing one — its
names in the platform's languages, models (one a line), wear part, supplier, price typed in the tenant's currency
in the reader's digits, active. Reading needs ``stock:read``. The catalogue's own rules (languages, models of the
tenant's catalogue, the money cap) are :func:`aftersales.marketplace.quotes.parts.set_price`'s; a refusal is said
beside its field (422), a part number taken with 409, and nothing is written. The price list's rates
(``labour_hour``, ``travel_km``) are not parts and are kept through the API."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from babel import Locale
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.i18n.catalogues import SUPPORTED_LOCALES
from aftersales.identity.scopes import MARKETPLACE_MANAGE
from aftersales.marketplace.quotes import parts as catalogue
from aftersales.service.quotes.models import PartPrice
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, show
from aftersales.web.console.stock import access
from aftersales.web.console.stock.choices import part_name, parts_by_id
from aftersales.web.console.stock.refusals import field_reason
from aftersales.web.forms import fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.forms import typed_minor
from aftersales.web.portal.rendering import Page

MAX_CODE = 60
MAX_TEXT = 200
MAX_MODEL = 80
NAME_FIELDS = tuple(f"name_{locale}" for locale in SUPPORTED_LOCALES)
FIELDS = ("code", "name", *NAME_FIELDS, "compatible_models", "wear_part", "supplier", "price", "active")


def _typed_of(part: PartPrice, page: Page) -> dict[str, str]:
    """The form filled with ``part`` as it is."""
    return {"code": part.code, "name": part.name,
            **{f"name_{locale}": (part.names or {}).get(locale, "") for locale in SUPPORTED_LOCALES},
            "compatible_models": "\n".join(part.compatible_models or ()), "wear_part": "yes" if part.wear_part else "",
            "supplier": part.supplier or "",
            "price": page.fmt.digits(str(Decimal(part.price_minor).scaleb(-Money.minor_digits(part.currency)))),
            "active": "yes" if part.active else ""}


def _read(typed: dict[str, str], page: Page, currency: str, *, new: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """What the form asks for, and what of it cannot be read (before the catalogue is asked)."""
    _ = page.translations.gettext
    n = page.fmt.number
    errors = {}
    if new and not 0 < len(typed["code"]) <= MAX_CODE:
        errors["code"] = _("Give the part number, at most %(count)s characters.") % {"count": n(MAX_CODE)}
    if not 0 < len(typed["name"]) <= MAX_TEXT:
        errors["name"] = _("Give the part's name, at most %(count)s characters.") % {"count": n(MAX_TEXT)}
    if len(typed["supplier"]) > MAX_TEXT:
        errors["supplier"] = _("Too long: at most %(count)s characters.") % {"count": n(MAX_TEXT)}
    models = [line.strip() for line in typed["compatible_models"].replace(",", "\n").splitlines() if line.strip()]
    if any(len(model) > MAX_MODEL for model in models):
        errors["compatible_models"] = _("A model's code is at most %(count)s characters.") % {"count": n(MAX_MODEL)}
    price = typed_minor(typed["price"], currency, page.locale) if typed["price"] else None
    if price is None or price < 0:
        errors["price"] = _("Enter the amount as a number, for example %(example)s.") % {
            "example": page.fmt.money(Money(12_500_000, currency))}
    asked = {"name": typed["name"], "price": Money(price or 0, currency), "active": typed["active"] == "yes",
             "facts": catalogue.CatalogueFacts(
                 names={locale: typed[f"name_{locale}"] for locale in SUPPORTED_LOCALES if typed[f"name_{locale}"]},
                 compatible_models=models, wear_part=typed["wear_part"] == "yes", supplier=typed["supplier"])}
    return asked, errors


def _service_reasons(page: Any, clock: Any, exc: InvalidInput) -> dict[str, str]:
    """The catalogue's refusal, each reason under the form's field."""
    _ = page.translations.gettext
    reasons: dict[str, str] = {}
    for error in exc.errors:
        head, _dot, rest = error.field.partition(".")
        if head == "names":
            name, words = f"name_{rest}", _("Give the name, at most %(count)s characters.") % {
                "count": page.fmt.number(MAX_TEXT)}
        elif head == "compatible_models":
            name = head
            words = (_("%(sku)s is not a model of the company's catalogue.") % {"sku": error.params["sku"]}
                     if error.code == "catalogue.unknown_model" else field_reason(clock, error))
        elif head == "price_minor":
            name, words = "price", field_reason(clock, error)
        else:
            name, words = head, field_reason(clock, error)
        reasons.setdefault(name, words)
    return reasons


async def _list(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer) -> Template:
    staff = access.reader(viewer)
    page, clock = console_page(request, tenant, viewer)
    parts = list((await parts_by_id(session)).values())
    return show(request, page, clock, "console/stock/parts.html", section="stock", tab="parts", parts=parts,
                names={p.id: part_name(p, page.locale) for p in parts},
                prices={p.id: Money(p.price_minor, p.currency) for p in parts},
                can_edit=staff.has_scope(MARKETPLACE_MANAGE))


async def _form(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer, *, part: PartPrice | None,
                typed: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                status_code: int = 200) -> Template:
    page, clock = console_page(request, tenant, viewer)
    filled = typed if typed is not None else (_typed_of(part, page) if part else {"active": "yes"})
    return show(request, page, clock, "console/stock/part_form.html", status_code=status_code, section="stock",
                tab="parts", part=part, typed=filled, errors=errors or {},
                locales=[(code, Locale.parse(code).get_display_name(code) or code) for code in SUPPORTED_LOCALES],
                currency=part.currency if part else tenant.record.currency)


async def _part(session: AsyncSession, part_id: uuid.UUID) -> PartPrice:
    """:raises NotFound: the tenant has no such part."""
    found = (await parts_by_id(session, [part_id])).get(part_id)
    if found is None:
        raise NotFound("no such part")
    return found


async def _save(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                part: PartPrice | None) -> Template | Redirect:
    staff = viewer.staff(MARKETPLACE_MANAGE)
    page, clock = console_page(request, tenant, viewer)
    _ = page.translations.gettext
    typed = fields(await request.form(), *FIELDS)
    if part is not None:
        typed["code"] = part.code
    asked, errors = _read(typed, page, part.currency if part else tenant.record.currency, new=part is None)
    if errors:
        return await _form(request, tenant, viewer, part=part, typed=typed, errors=errors, status_code=422)
    if part is None and any(p.code == typed["code"] for p in (await catalogue.price_list(session))):
        return await _form(request, tenant, viewer, part=None, typed=typed, status_code=409, errors={
            "code": _("Another part has this number: edit that part instead.")})
    try:
        async with session.begin_nested():
            saved = await catalogue.set_price(session, code=typed["code"], name=asked["name"], price=asked["price"],
                                              active=asked["active"], actor=actor_of(staff), facts=asked["facts"])
    except InvalidInput as exc:
        return await _form(request, tenant, viewer, part=part, typed=typed, status_code=422,
                           errors=_service_reasons(page, clock, exc))
    return Redirect(page.url(f"/console/stock/parts#part-{saved.id}"), status_code=303)


class ConsolePartsCatalogueController(PageController):
    """The parts catalogue: the list, a new part and a part's form."""

    @get("/console/stock/parts")
    async def parts_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template:
        """Every part of the catalogue, by part number."""
        return await _list(request, tenant, session, viewer)

    @get("/console/stock/parts/new")
    async def new_part(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The form for a new part."""
        viewer.staff(MARKETPLACE_MANAGE)
        return await _form(request, tenant, viewer, part=None)

    @post("/console/stock/parts/new")
    async def add_part(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                       viewer: ViewerDep) -> Template | Redirect:
        """Add a part; the form again with the reasons when it is refused."""
        return await _save(request, tenant, session, viewer, None)

    @get("/console/stock/parts/{part_id:uuid}")
    async def edit_part(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep, part_id: FromPath[uuid.UUID]) -> Template:
        """A part's form, filled as it is."""
        viewer.staff(MARKETPLACE_MANAGE)
        return await _form(request, tenant, viewer, part=await _part(session, part_id))

    @post("/console/stock/parts/{part_id:uuid}")
    async def save_part(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep, part_id: FromPath[uuid.UUID]) -> Template | Redirect:
        """Change a part; the form again with the reasons when it is refused."""
        viewer.staff(MARKETPLACE_MANAGE)
        return await _save(request, tenant, session, viewer, await _part(session, part_id))
