"""The provider search endpoint: customers, staff and API clients find who can do an offering near a place."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromQuery

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, TenantDep
from aftersales.identity.guards import requires_any_scope
from aftersales.identity.scopes import BOOKINGS_WRITE, CUSTOMER_SELF, MARKETPLACE_READ
from aftersales.marketplace.search.schemas import SearchOut, search_out
from aftersales.marketplace.search.services import DEFAULT_LIMIT, SearchQuery, search_providers


class ProviderSearchController(Controller):
    """``GET /api/v1/marketplace/search``: the tenant's providers for an offering near a point, best first."""

    path = "/api/v1/marketplace/search"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="searchProviders",
         guards=[requires_any_scope(CUSTOMER_SELF, MARKETPLACE_READ, BOOKINGS_WRITE)])
    async def search(self, runtime: RuntimeDep, tenant: TenantDep, offering: FromQuery[str], lat: FromQuery[float],
                     lon: FromQuery[float], within_km: FromQuery[float | None] = None,
                     limit: FromQuery[int] = DEFAULT_LIMIT, under_warranty: FromQuery[bool] = False) -> SearchOut:
        """Active providers with a price for ``offering`` whose service radius covers (``lat``, ``lon``), no
        farther than ``within_km`` when given, ranked by the tenant's vertical, each with its distance, price,
        rating and next free slot. ``under_warranty=true`` keeps only providers authorised today when the
        offering's in-warranty jobs need the tenant's authorisation."""
        query = SearchQuery(offering=offering, latitude=lat, longitude=lon, within_km=within_km, limit=limit,
                            under_warranty=under_warranty)
        async with runtime.db.reading(tenant.record.id) as connection:  # the hot path: Core on a read connection
            result = await search_providers(connection, tenant, query, now=utcnow())
        return search_out(result)
