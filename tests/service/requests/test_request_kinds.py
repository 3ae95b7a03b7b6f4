"""Each tenant takes the request kinds its vertical offers (issue 19 §2.2, ``aftersales_request_kinds``): Carmax
(seed 002) gives no return or exchange, so the API refuses such a request with a 422 naming ``kind`` and the reason
in the reader's language, writing nothing, and the console's kind list leaves them out; Yizhongyi (seed 003), on
the same vertical, takes both. Both onboard their real manifest's settings."""

from __future__ import annotations

import re

import pytest

from aftersales.contract import REQUEST_KINDS
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.service.requests.services import KINDS
from aftersales.settings import REPO_ROOT

WALK_IN = {"channel": "walk_in", "summary": "wants to bring it back",
           "customer": {"name": "Sara Ahmadi", "email": "sara@example.com"}}
NO_RETURN = "returns are not offered: a unit is not taken back for a refund"
NO_EXCHANGE = "exchanges are not offered: a unit is not swapped for a new one"


async def seed(make_tenant, slug: str):
    settings = read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml")["settings"]
    return await make_tenant(slug, vertical="auto_service", settings=settings, locales=["fa", "en"],
                             default_locale="fa")


def test_the_api_takes_exactly_the_contracts_kinds():
    assert KINDS == REQUEST_KINDS


@pytest.mark.parametrize(("kind", "reason"), [("return", NO_RETURN), ("exchange", NO_EXCHANGE)])
async def test_carmax_refuses_a_return_or_exchange_request_that_yizhongyi_takes(client, make_tenant, staff_token,
                                                                                 kind, reason):
    carmax, yizhongyi = await seed(make_tenant, "carmax"), await seed(make_tenant, "yizhongyi")
    agent = await staff_token(carmax, "agent")
    refused = await client.post("/api/v1/requests/", headers=agent, json={**WALK_IN, "kind": kind})
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert (error["field"], error["reason"], error["code"], error["params"]) == (
        "kind", reason, "request.kind_not_offered", {"kind": kind})
    assert (await client.get("/api/v1/requests/", headers=agent)).json()["items"] == []
    taken = await client.post("/api/v1/requests/", headers=await staff_token(yizhongyi, "agent"),
                              json={**WALK_IN, "kind": kind})
    assert taken.status_code == 201, taken.text


async def test_the_refusal_is_said_in_the_readers_language(client, make_tenant, staff_token):
    carmax = await seed(make_tenant, "carmax")
    headers = {**await staff_token(carmax, "agent"), "Accept-Language": "fa"}
    refused = await client.post("/api/v1/requests/", headers=headers, json={**WALK_IN, "kind": "return"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["reason"] == "مرجوعی ارائه نمی‌شود: کالا برای بازپرداخت پس گرفته نمی‌شود"


async def test_carmax_still_takes_a_repair_and_the_core_default_takes_every_kind(client, make_tenant, staff_token):
    carmax = await seed(make_tenant, "carmax")
    repair = await client.post("/api/v1/requests/", headers=await staff_token(carmax, "agent"),
                               json={**WALK_IN, "kind": "repair"})
    assert repair.status_code == 201, repair.text
    mehr = await make_tenant("acme")  # electronics: the core default
    returned = await client.post("/api/v1/requests/", headers=await staff_token(mehr, "agent"),
                                 json={**WALK_IN, "kind": "return"})
    assert returned.status_code == 201, returned.text


async def test_the_console_lists_only_the_kinds_the_tenant_takes(pages, make_tenant, sign_in_staff):
    listed = {}
    for slug in ("carmax", "yizhongyi"):
        tenant = await seed(make_tenant, slug)
        await sign_in_staff(pages, tenant, "agent")
        page = await pages.get(f"/t/{slug}/console/requests?lang=en")
        assert page.status_code == 200
        select = re.search(r'<select id="kind".*?</select>', page.text, re.DOTALL).group(0)
        listed[slug] = re.findall(r'<option value="(\w+)"', select)
    assert listed["yizhongyi"] == list(REQUEST_KINDS)
    assert listed["carmax"] == [kind for kind in REQUEST_KINDS if kind not in ("return", "exchange")]
