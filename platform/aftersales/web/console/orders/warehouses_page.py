"""The tenant's warehouses in the console (``/console/warehouses``, ``warehouses:manage``): the list, and adding one
(code, name, central or regional, and its province chosen from the tenant country's ISO 3166-2 subdivisions,
named in the reader's language where ``pycountry``'s translations have them). Adding goes through the service the
API's ``POST /api/v1/warehouses`` calls; a refusal shows the form again with each field's reason (422), a taken
code with 409, and nothing is written."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry
from litestar import Request, get, post
from litestar.response import Redirect, Template

from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.orders.fulfilment import warehouses
from aftersales.orders.fulfilment.models import WarehouseKind
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import console_page, show
from aftersales.web.console.orders import access
from aftersales.web.console.orders.refusals import field_reasons
from aftersales.web.console.orders.words import OrderLabels
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

FIELDS = ("code", "name", "kind", "province")


@dataclass(frozen=True)
class Province:
    """A subdivision a warehouse may serve: its ISO 3166-2 code and its name in the reader's language."""

    code: str
    name: str


@cache
def _names(locale: str) -> gettext.NullTranslations:
    """``pycountry``'s ISO 3166-2 names in ``locale`` (English where it has none)."""
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def provinces(country: str, locale: str) -> list[Province]:
    """The country's subdivisions that can hold a warehouse (not their own subdivisions), by code."""
    found = pycountry.subdivisions.get(country_code=country.upper()) or []
    names = _names(locale)
    return sorted((Province(s.code, names.gettext(s.name)) for s in found if s.parent_code is None),
                  key=lambda p: p.code)


async def _page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: Any, viewer: Viewer, *,
                status_code: int = 200, typed: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                refusal: str = "") -> Template:
    page, clock = console_page(request, tenant, viewer)
    return show(request, page, clock, "console/orders/warehouses.html", status_code=status_code,
                section="warehouses", warehouses=await warehouses.list_warehouses(session),
                provinces=provinces(tenant.context.country, page.locale), kinds=list(WarehouseKind),
                order_labels=OrderLabels(page.translations), typed=typed or {"kind": WarehouseKind.CENTRAL.value},
                errors=errors or {}, refusal=refusal)


class ConsoleWarehousesController(PageController):
    """The warehouses page."""

    @get("/console/warehouses")
    async def list_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """Every warehouse of the tenant, and the form to add one."""
        viewer.staff(access.WAREHOUSES_SCOPE)
        return await _page(request, tenant, session, viewer)

    @post("/console/warehouses")
    async def add(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template | Redirect:
        """Add a warehouse; the form again with the reasons when it is refused."""
        viewer.staff(access.WAREHOUSES_SCOPE)
        page, clock = console_page(request, tenant, viewer)
        typed = await form_fields(request, *FIELDS)
        try:
            async with session.begin_nested():
                await warehouses.create_warehouse(session, tenant, warehouses.NewWarehouse(**typed))
        except InvalidInput as exc:
            return await _page(request, tenant, session, viewer, status_code=422, typed=typed,
                               errors=field_reasons(clock, exc))
        except Conflict:
            _ = page.translations.gettext
            return await _page(request, tenant, session, viewer, status_code=409, typed=typed, errors={
                "code": _("Another warehouse has this code.")})
        return Redirect(page.url("/console/warehouses"), status_code=303)
