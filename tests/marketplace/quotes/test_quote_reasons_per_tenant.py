"""A booking's quote gives the tenant's own reasons (issue 19 §2.2): Carmax (seed 002) charges the provider's
prices and never says Yizhongyi's (seed 003) "not sold by the company: travel in full, parts at the list price,
labour at a discount"; Yizhongyi, on the same vertical, says each of its rules. Both onboard their real manifest's
settings (in the test tenants' euro)."""

from __future__ import annotations

import pytest

from aftersales.onboarding.manifest import read_manifest_file
from aftersales.settings import REPO_ROOT
from support.quotes import add_price_list, new_job

SEAL = {"parts": [{"code": "SEAL", "quantity": 2}]}
REASONS = {
    "carmax": ["the work is charged at the provider's prices"],
    "yizhongyi": ["not sold by the company: the work is charged", "travel is charged in full, by distance",
                  "parts at the manufacturer's list price", "labour at a negotiated discount of 10 %"],
}
LINES = {"carmax": ["labour", "part"], "yizhongyi": ["labour", "discount", "part", "travel"]}


@pytest.mark.parametrize("slug", ["carmax", "yizhongyi"])
async def test_a_quote_on_a_car_the_tenant_did_not_sell_gives_its_own_reasons(slug, runtime, make_tenant, client,
                                                                              provider_token, customer_token):
    settings = read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml")["settings"]
    tenant = await make_tenant(slug, vertical="auto_service", settings=settings)
    await add_price_list(runtime, tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token, distance_km=12.5)
    response = await client.post(f"/api/v1/marketplace/bookings/{job.booking_id}/quotes", json=SEAL,
                                 headers=job.provider)
    assert response.status_code == 201, response.text
    quote = response.json()
    assert quote["reasons"] == REASONS[slug]
    assert [line["kind"] for line in quote["lines"]] == LINES[slug]
