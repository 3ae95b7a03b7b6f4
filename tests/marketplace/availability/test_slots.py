"""Free slots through the API: any tenant token sees an active provider's free starts for an offering it offers
on a day, minus what bookings hold; a day without any names the next free start; holidays close the marketplace
unless the provider opens that day (Carmax, Tehran: Nowruz)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.settings import REPO_ROOT
from support.marketplace import add_booking, add_customer, add_provider

API = "/api/v1/marketplace/providers"
BERLIN, TEHRAN = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tehran")


def at(zone, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def next_monday(after_days=2):
    """A Monday at least ``after_days`` ahead in Berlin, and not a German public holiday (Easter, Whit Monday)."""
    day = datetime.now(BERLIN).date() + timedelta(days=after_days)
    while day.weekday() != 0 or day in holidays.country_holidays("DE", years=day.year):
        day += timedelta(days=1)
    return day


def parsed(starts):
    return [datetime.fromisoformat(s) for s in starts]


async def test_an_hour_long_job_can_start_every_quarter_hour_that_no_booking_holds(runtime, client, make_tenant,
                                                                                   customer_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)  # Monday to Friday 09:00-17:00, one hour for an oil change
    monday = next_monday()
    _, customer = await customer_token(tenant)
    url = f"{API}/{setup.provider_id}/slots"
    free = (await client.get(url, params={"offering": "oil_change", "day": str(monday)}, headers=customer)).json()
    assert len(free["starts"]) == 29  # 09:00 … 16:00
    assert parsed(free["starts"])[0] == at(BERLIN, monday, 9) and parsed(free["starts"])[-1] == at(BERLIN, monday, 16)
    assert free["next_free_start"] is None and free["price_minor"] == 50_00 and free["duration_minutes"] == 60
    await add_booking(runtime, tenant, setup, await add_customer(runtime, tenant), starts_at=at(BERLIN, monday, 10))
    held = parsed((await client.get(url, params={"offering": "oil_change", "day": str(monday)},
                                    headers=customer)).json()["starts"])
    assert len(held) == 22
    assert at(BERLIN, monday, 9) in held and at(BERLIN, monday, 9, 15) not in held
    assert at(BERLIN, monday, 10, 45) not in held and at(BERLIN, monday, 11) in held


async def test_a_closed_day_names_the_next_free_start(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    admin = await staff_token(tenant, "admin")
    monday = next_monday()
    await client.put(f"{API}/{setup.provider_id}/exceptions/{monday}", json={"intervals": [], "reason": "inventory"},
                     headers=admin)
    await client.put(f"{API}/{setup.provider_id}/exceptions/{monday + timedelta(days=1)}", headers=admin,
                     json={"intervals": [{"opens": "13:00", "closes": "15:00"}]})
    closed = (await client.get(f"{API}/{setup.provider_id}/slots", params={"offering": "oil_change", "day": str(monday)},
                               headers=admin)).json()
    assert closed["starts"] == []
    assert datetime.fromisoformat(closed["next_free_start"]) == at(BERLIN, monday + timedelta(days=1), 13)


async def test_nowruz_closes_carmax_providers_unless_they_open_that_day(runtime, client, staff_token,
                                                                        customer_token):
    async with runtime.db.transaction(None) as session:
        carmax, _ = await onboard(session, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / "carmax.toml"))
    admin = await staff_token(carmax, "admin")
    provider = (await client.post(f"{API}/", json={"name": "Tehran Auto", "kind": "workshop"}, headers=admin)).json()
    pid = provider["id"]
    await client.post(f"{API}/{pid}/status", json={"status": "active", "reason": "licence checked"}, headers=admin)
    week = [{"weekday": d, "opens": "09:00", "closes": "17:00"} for d in (0, 1, 2, 3, 5, 6)]  # Saturday to Thursday
    assert (await client.put(f"{API}/{pid}/hours", json={"hours": week}, headers=admin)).status_code == 200
    price = await client.put(f"{API}/{pid}/prices/oil_change", json={"price": "1500000"}, headers=admin)
    assert price.json()["duration_minutes"] == 45  # the auto_service catalogue's usual oil change
    year = datetime.now(TEHRAN).year + 1
    iran = holidays.country_holidays("IR", years=year)
    nowruz = sorted(d for d, name in iran.items() if name.startswith("Nowruz") and d.weekday() != 4)
    day = nowruz[1]
    after = day + timedelta(days=1)
    while after in iran or after.weekday() == 4:
        after += timedelta(days=1)
    _, customer = await customer_token(carmax)
    url = f"{API}/{pid}/slots"
    closed = (await client.get(url, params={"offering": "oil_change", "day": str(day)}, headers=customer)).json()
    assert closed["starts"] == [] and closed["price_minor"] == 1_500_000 and closed["currency"] == "IRR"
    assert datetime.fromisoformat(closed["next_free_start"]) == at(TEHRAN, after, 9)
    opened = await client.put(f"{API}/{pid}/exceptions/{day}", headers=admin,
                              json={"intervals": [{"opens": "10:00", "closes": "12:00"}], "reason": "Nowruz shift"})
    assert opened.status_code == 200
    shift = parsed((await client.get(url, params={"offering": "oil_change", "day": str(day)},
                                     headers=customer)).json()["starts"])
    assert shift == [at(TEHRAN, day, 10, minute) for minute in (0, 15, 30, 45)] + [at(TEHRAN, day, 11, 0),
                                                                                   at(TEHRAN, day, 11, 15)]


async def test_only_active_providers_offering_an_active_offering_have_slots(runtime, client, make_tenant,
                                                                            staff_token, customer_token):
    tenant = await make_tenant("acme")
    pending = await add_provider(runtime, tenant, status="pending")
    active = await add_provider(runtime, tenant, name="Active")
    admin = await staff_token(tenant, "admin")
    _, customer = await customer_token(tenant)
    day = str(next_monday())

    async def slots(provider, offering="oil_change", who=customer):
        return await client.get(f"{API}/{provider.provider_id}/slots", params={"offering": offering, "day": day},
                                headers=who)

    assert (await slots(pending)).status_code == 404
    assert (await slots(pending, who=admin)).status_code == 404
    assert (await slots(active)).status_code == 200
    assert (await slots(active, offering="diagnostics")).status_code == 404
    await client.post(f"{API}/{active.provider_id}/status", json={"status": "suspended", "reason": "complaints"},
                      headers=admin)
    assert (await slots(active)).status_code == 404
    await client.post(f"{API}/{active.provider_id}/status", json={"status": "active", "reason": "resolved"},
                      headers=admin)
    await client.put(f"{API}/{active.provider_id}/prices/oil_change", json={"price": "50", "active": False},
                     headers=admin)
    assert (await slots(active)).status_code == 404


async def test_a_past_day_is_refused_and_today_starts_from_now(runtime, client, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    _, customer = await customer_token(tenant)
    url = f"{API}/{setup.provider_id}/slots"
    yesterday = datetime.now(BERLIN).date() - timedelta(days=1)
    past = await client.get(url, params={"offering": "oil_change", "day": str(yesterday)}, headers=customer)
    assert past.status_code == 422 and past.json()["errors"] == [{"field": "day", "reason": "is in the past"}]
    today = await client.get(url, params={"offering": "oil_change", "day": str(yesterday + timedelta(days=1))},
                             headers=customer)
    assert today.status_code == 200
    now = datetime.now(UTC)
    assert all(start >= now - timedelta(seconds=5) for start in parsed(today.json()["starts"]))
    assert (await client.get(url, params={"offering": "oil_change", "day": "someday"}, headers=customer)).status_code == 400


async def test_another_tenant_sees_no_slots(runtime, client, make_tenant, customer_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    _, stranger = await customer_token(await make_tenant("rival"))
    params = {"offering": "oil_change", "day": str(next_monday())}
    assert (await client.get(f"{API}/{setup.provider_id}/slots", params=params, headers=stranger)).status_code == 404
    assert (await client.get(f"{API}/{setup.provider_id}/slots", params=params)).status_code == 401
