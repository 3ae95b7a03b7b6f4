"""``make demo``'s Carmax providers: active, in Tehran, open Saturday to Thursday, priced in rials, bookable."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

from aftersales.demo.marketplace import seed_demo_marketplace
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.settings import REPO_ROOT


async def test_demo_carmax_providers_have_rial_prices_and_free_slots(runtime, client, staff_token, customer_token):
    async with runtime.db.transaction(None) as session:
        carmax, _ = await onboard(session, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / "carmax.toml"))
    assert await seed_demo_marketplace(runtime, carmax) == 3
    assert await seed_demo_marketplace(runtime, carmax) == 0  # idempotent
    admin = await staff_token(carmax, "admin")
    listed = (await client.get("/api/v1/marketplace/providers/", params={"status": "active"}, headers=admin)).json()
    assert len(listed["items"]) == 3 and all(p["phone"].startswith("+9821") for p in listed["items"])
    pars = next(p for p in listed["items"] if p["name"].startswith("Pars"))
    day = datetime.now(ZoneInfo("Asia/Tehran")).date() + timedelta(days=1)
    while day.weekday() in (3, 4) or day in holidays.country_holidays("IR", years=day.year):
        day += timedelta(days=1)  # a full working day: not Thursday (half day), Friday or a holiday
    _, customer = await customer_token(carmax)
    slots = (await client.get(f"/api/v1/marketplace/providers/{pars['id']}/slots",
                              params={"offering": "brake_service", "day": str(day)}, headers=customer)).json()
    assert slots["currency"] == "IRR" and slots["price_minor"] == 6_500_000
    assert len(slots["starts"]) == 29  # 08:00 … 15:00 for a two-hour brake service
