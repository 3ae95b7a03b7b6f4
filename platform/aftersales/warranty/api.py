"""Warranty endpoints: serial formats and suspected clones, the catalogue, and the public authenticity check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy import Row

from aftersales.db.base import utcnow
from aftersales.http.context import HOST_TENANT, TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.forwarded import client_address
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import requires_scope
from aftersales.identity.scopes import CATALOG_WRITE, SERIALS_READ, SERIALS_WRITE
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty import authenticity, catalog
from aftersales.warranty import unit_status as serial_status
from aftersales.warranty.models import ProductModel
from aftersales.warranty.registrations.api import coverage_out, item_out
from aftersales.warranty.registrations.coverage import component_cover, status_on
from aftersales.warranty.registrations.schemas import (
    CoverageOut,
    SerialDetail,
    StatusChangeIn,
)
from aftersales.warranty.schemas import (
    AuthenticityAnswer,
    AuthenticityQuery,
    ModelSummary,
    ProductModelIn,
    ProductModelOut,
    SerialFormatCheck,
    SerialFormatResult,
    SuspectedClone,
)
from aftersales.warranty.serials.lookup import Located, require_unit, require_unit_view
from aftersales.warranty.unit_status import StatusAction


class SerialController(Controller):
    path = "/api/v1/serials"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/validate", operation_id="validateSerial", status_code=200, guards=[requires_scope(SERIALS_READ)])
    async def validate(self, data: JSONBody[SerialFormatCheck], tenant: TenantDep) -> SerialFormatResult:
        """Validate and normalise a serial by the tenant's vertical rules (IMEI, VIN, model patterns)."""
        check = tenant.hooks.aftersales_validate_serial(tenant=tenant.context, serial=data.serial, product=None)
        return SerialFormatResult(valid=check.valid, normalized=check.normalized, scheme=check.scheme, reason=check.reason)

    @get("/suspected-clones", operation_id="listSuspectedClones", guards=[requires_scope(SERIALS_READ)])
    async def suspected_clones(self, session: SessionDep, limit: FromQuery[int] = DEFAULT_LIMIT,
                               cursor: FromQuery[str | None] = None) -> Page[SuspectedClone]:
        """Serials checked from unusually many clients (a copied card code, probably), newest first, a page at a
        time: pass ``next_cursor`` back as ``cursor`` for the next page."""
        after = None
        if cursor is not None:
            at, serial = decode_cursor(cursor, 2)
            try:
                after = (datetime.fromisoformat(at), str(serial))
            except (TypeError, ValueError):
                raise invalid_cursor() from None
        rows = await authenticity.suspected_clones(session, limit=check_limit(limit) + 1, after=after)
        items, next_cursor = split_page(rows, limit, lambda clone: (clone.suspected_at.isoformat(), clone.serial))
        return Page[SuspectedClone](items=items, next_cursor=next_cursor)

    @get("/{serial:str}", operation_id="lookUpSerial", guards=[requires_scope(SERIALS_READ)])
    async def look_up(self, serial: FromPath[str], runtime: RuntimeDep, tenant: TenantDep) -> SerialDetail:
        """One unit: its register entry, its active registration and current coverage (typed serials are
        normalised by the tenant's vertical, Persian digits included)."""
        async with runtime.db.reading(tenant.record.id) as connection:  # the hot path: one Core query
            facts = await require_unit_view(connection, tenant, serial)
        return _detail_of_facts(facts, tenant)

    @post("/{serial:str}/status", operation_id="changeSerialStatus", status_code=200,
          guards=[requires_scope(SERIALS_WRITE)])
    async def change_status(self, serial: FromPath[str], data: JSONBody[StatusChangeIn], session: SessionDep,
                            tenant: TenantDep) -> SerialDetail:
        """Block, recall or release one unit, with the reason the next agent will read."""
        located = await require_unit(session, tenant, serial)
        assert located.unit is not None
        await serial_status.change_status(session, located.unit, StatusAction(data.action), data.reason)
        return _detail(located, tenant)


def _detail(located: Located, tenant: CurrentTenant) -> SerialDetail:
    unit, model = located.unit, located.model
    assert unit is not None and model is not None
    return SerialDetail(
        serial=unit.serial, model=ModelSummary(sku=model.sku, name=model.name), status=unit.status,
        batch=unit.batch, manufactured_on=unit.manufactured_on, shipped_on=unit.shipped_on, seller=unit.seller,
        clone_suspected_at=unit.clone_suspected_at, status_reason=unit.status_reason,
        registration_id=located.registration_id, coverage=coverage_out(located.coverage, tenant),
    )


def _detail_of_facts(facts: Row[Any], tenant: CurrentTenant) -> SerialDetail:
    """:func:`_detail` from a :data:`~aftersales.warranty.serials.lookup.UNIT_FACTS` row."""
    coverage = None
    if facts.warranty_start is not None:
        today = tenant.today()
        coverage = CoverageOut(
            status=status_on(facts, today),
            warranty_start=facts.warranty_start, warranty_end=facts.warranty_end,
            parts_support_end=facts.parts_support_end, return_until=facts.return_until,
            exchange_until=facts.exchange_until, restarts_on_exchange=facts.restarts_on_exchange,
            exclusions=list(facts.exclusions or ()), reasons=list(facts.reasons or ()),
            items=[item_out(c) for c in component_cover(facts.coverage_items, facts, today)], cause=facts.cause,
            computed_at=facts.coverage_computed_at,
        )
    return SerialDetail(
        serial=facts.serial, model=ModelSummary(sku=facts.sku, name=facts.name), status=facts.status,
        batch=facts.batch, manufactured_on=facts.manufactured_on, shipped_on=facts.shipped_on, seller=facts.seller,
        clone_suspected_at=facts.clone_suspected_at, status_reason=facts.status_reason,
        registration_id=facts.registration_id, coverage=coverage,
    )


def _model_out(model: ProductModel) -> ProductModelOut:
    return ProductModelOut(
        sku=model.sku, name=model.name, category=model.category, volume_m3=model.volume_m3,
        weight_kg=model.weight_kg, warranty_months=model.warranty_months, attributes=model.attributes or {},
        active=model.active, in_stock=model.in_stock, list_price_minor=model.list_price_minor,
    )


class CatalogController(Controller):
    """The tenant's product models, by SKU."""

    path = "/api/v1/catalog"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @get("/models", operation_id="listProductModels", guards=[requires_scope(SERIALS_READ)])
    async def list_models(self, session: SessionDep) -> list[ProductModelOut]:
        """Every model in the caller's tenant's catalogue, by SKU."""
        return [_model_out(m) for m in await catalog.list_models(session)]

    @post("/models", operation_id="saveProductModel", guards=[requires_scope(CATALOG_WRITE)],
          responses={200: ResponseSpec(ProductModelOut, description="The model with this SKU, replaced")})
    async def save_model(self, data: JSONBody[ProductModelIn], session: SessionDep) -> Response[ProductModelOut]:
        """Create a model, or replace the one with this SKU (201 when created, 200 when updated)."""
        model, created = await catalog.save_model(session, catalog.ModelDescription(**data.model_dump()))
        return Response(_model_out(model), status_code=201 if created else 200)

    @get("/models/{sku:str}", operation_id="getProductModel", guards=[requires_scope(SERIALS_READ)])
    async def get_model(self, sku: FromPath[str], session: SessionDep) -> ProductModelOut:
        """One model of the caller's tenant."""
        return _model_out(await catalog.get_model(session, sku))


async def _check(request: Request[Any, Any, Any], data: AuthenticityQuery, runtime: RuntimeDep, tenant: TenantDep,
                 session: SessionDep) -> AuthenticityAnswer:
    return await authenticity.check_authenticity(
        session, code_key=runtime.code_key, tenant=tenant, serial=data.serial,
        card_code=data.card_code, hologram_code=data.hologram_code,
        client_address=client_address(request), now=utcnow(),
    )


class PublicWarrantyController(Controller):
    """The public authenticity check (no account): tenant from the host, or from ``/public/t/{slug}/``."""

    tags = ["public"]

    @post("/public/warranty/check", operation_id="checkWarranty", status_code=200, dependencies=HOST_TENANT,
          exclude_from_auth=True)
    async def check(self, request: Request[Any, Any, Any], data: JSONBody[AuthenticityQuery], runtime: RuntimeDep,
                    tenant: TenantDep, session: SessionDep) -> AuthenticityAnswer:
        """Is this serial genuine, blocked or recalled, and do its card and hologram codes match? Rate-limited per
        client (429 with Retry-After); the answer carries no personal data."""
        return await _check(request, data, runtime, tenant, session)

    @post("/public/t/{tenant_slug:str}/warranty/check", operation_id="checkWarrantyByPath", status_code=200,
          dependencies=HOST_TENANT, exclude_from_auth=True)
    async def check_by_path(self, request: Request[Any, Any, Any], data: JSONBody[AuthenticityQuery],
                            runtime: RuntimeDep, tenant: TenantDep, session: SessionDep) -> AuthenticityAnswer:
        """The same check; the tenant is the ``/public/t/{slug}/`` path (local use, no wildcard DNS)."""
        return await _check(request, data, runtime, tenant, session)
