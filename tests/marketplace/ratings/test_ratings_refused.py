"""A vertical's refusal reaches the rater as 422 with the policy's reasons, and nothing is written."""

from __future__ import annotations

import pytest

from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.values import PluginSettings, RatingDecision, VerticalInfo
from aftersales.plugins import build_plugin_registry
from support.marketplace import add_provider
from support.ratings import completed_job, provider_row, rating_count


class StrictRatings:
    """A third-party vertical: a one-star rating must say why."""

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="strict", title="Strict", version="1.0", description="one star needs a reason",
                            settings_schema=PluginSettings)

    @hookimpl
    def aftersales_rating_policy(self, tenant, rating):
        if rating.stars == 1 and not rating.comment:
            return RatingDecision(accepted=False, reasons=("a one-star rating must say what went wrong",))
        return None


@pytest.fixture
def plugins():
    return build_plugin_registry(extra_plugins=[("strict", StrictRatings())])


async def test_a_rating_the_policy_refuses_is_422_with_its_reasons_and_nothing_is_written(
        runtime, client, make_tenant, customer_token):
    tenant = await make_tenant("strict-test", vertical="strict")
    garage = await add_provider(runtime, tenant)
    customer_id, header = await customer_token(tenant)
    job = await completed_job(runtime, tenant, garage, customer_id)
    url = f"/api/v1/marketplace/bookings/{job}/rating"

    refused = await client.post(url, json={"stars": 1, "comment": "   "}, headers=header)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "rating", "reason": "a one-star rating must say what went wrong"}]
    assert await rating_count(runtime, tenant) == 0
    assert (await provider_row(runtime, tenant, garage.provider_id)).rating_count == 0

    given = await client.post(url, json={"stars": 1, "comment": "the car came back dirtier"}, headers=header)
    assert given.status_code == 201 and given.json()["status"] == "counted"
