"""A booking quoted by the core default (a vertical without its own quote rule): travel charged by the km at the
tenant's ``travel_km`` rate when its price list has one, over the booking's distance; none without the rate."""

from __future__ import annotations

from aftersales.service.quotes.models import PartPrice
from support.marketplace import add_booking, add_customer, add_provider


async def _job(runtime, make_tenant, provider_token, *, rate: int | None):
    tenant = await make_tenant("shop", vertical="electronics")
    if rate is not None:
        async with runtime.db.transaction(tenant.id) as s:
            s.add(PartPrice(code="travel_km", name="travel", price_minor=rate, currency="EUR", updated_by="t"))
    setup = await add_provider(runtime, tenant, name="Fixers", price_minor=50_00)
    booking_id = await add_booking(runtime, tenant, setup, await add_customer(runtime, tenant), distance_km=12.46)
    return booking_id, await provider_token(tenant, setup.provider_id)


async def test_the_core_default_charges_travel_at_the_tenants_rate_per_km(client, runtime, make_tenant,
                                                                           provider_token):
    booking_id, provider = await _job(runtime, make_tenant, provider_token, rate=40)
    quote = (await client.post(f"/api/v1/marketplace/bookings/{booking_id}/quotes", json={}, headers=provider)).json()
    assert [(line["kind"], line["amount_minor"]) for line in quote["lines"]] == [("labour", 50_00), ("travel", 5_00)]
    assert quote["lines"][1]["description"] == "12.5 km of travel at 0.40 EUR a km"


async def test_without_a_rate_a_booking_is_quoted_as_before(client, runtime, make_tenant, provider_token):
    booking_id, provider = await _job(runtime, make_tenant, provider_token, rate=None)
    quote = (await client.post(f"/api/v1/marketplace/bookings/{booking_id}/quotes", json={}, headers=provider)).json()
    assert [(line["kind"], line["amount_minor"]) for line in quote["lines"]] == [("labour", 50_00)]
