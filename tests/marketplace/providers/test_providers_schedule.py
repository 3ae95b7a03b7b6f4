"""A provider's weekly hours (replaced whole; on the 15-minute grid, closing after opening, no overlaps in a day),
its exceptions (a day closed or open at other hours, never a past day) and its prices (in the tenant's currency,
not negative, a duration up to 12 hours, only for offerings its skills allow)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from support.marketplace import add_provider

API = "/api/v1/marketplace/providers"
WEEKDAYS = [{"weekday": d, "opens": "09:00", "closes": "17:00"} for d in range(5)]


def berlin_today():
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


async def test_a_week_with_overlaps_or_off_grid_hours_is_refused_and_the_old_week_stays(
        runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/hours"
    bad = await client.put(url, headers=admin, json={"hours": [
        {"weekday": 0, "opens": "09:00", "closes": "13:00"},
        {"weekday": 1, "opens": "09:10", "closes": "12:00"},
        {"weekday": 0, "opens": "12:45", "closes": "17:00"},
        {"weekday": 2, "opens": "14:00", "closes": "13:00"},
        {"weekday": 7, "opens": "09:00", "closes": "10:00"},
    ]})
    assert bad.status_code == 422
    assert {(e["field"], e["reason"]) for e in bad.json()["errors"]} == {
        ("hours", "Monday: intervals of one day overlap"),
        ("hours.1", "hours are on the 15-minute grid"),
        ("hours.3", "closes before it opens (split a night shift at midnight)"),
        ("hours.4", "weekday is 0 (Monday) to 6 (Sunday)"),
    }
    kept = (await client.get(url, headers=admin)).json()
    assert len(kept) == 5 and kept[0] == {"weekday": 0, "opens": "09:00:00", "closes": "17:00:00"}


async def test_touching_intervals_do_not_overlap_and_the_week_is_replaced_whole(runtime, client, make_tenant,
                                                                                provider_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    own = await provider_token(tenant, setup.provider_id)
    url = f"{API}/{setup.provider_id}/hours"
    split = [{"weekday": 5, "opens": "13:00", "closes": "18:00"}, {"weekday": 5, "opens": "08:00", "closes": "13:00"}]
    replaced = await client.put(url, json={"hours": split}, headers=own)
    assert replaced.status_code == 200, replaced.text
    assert [(h["weekday"], h["opens"]) for h in replaced.json()] == [(5, "08:00:00"), (5, "13:00:00")]
    assert (await client.put(url, json={"hours": []}, headers=own)).json() == []


async def test_exceptions_close_a_day_or_open_it_otherwise_but_never_a_past_day(runtime, client, make_tenant,
                                                                                staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    base = f"{API}/{setup.provider_id}/exceptions"
    today, yesterday = berlin_today(), berlin_today() - timedelta(days=1)
    past = await client.put(f"{base}/{yesterday}", json={"intervals": [], "reason": "too late"}, headers=admin)
    assert past.status_code == 422 and past.json()["errors"] == [{"field": "day", "reason": "is in the past"}]
    closed = await client.put(f"{base}/{today}", json={"intervals": [], "reason": "staff training"}, headers=admin)
    assert closed.status_code == 200 and closed.json() == [
        {"day": str(today), "opens": None, "closes": None, "reason": "staff training"}]
    later = today + timedelta(days=3)
    overlapping = await client.put(f"{base}/{later}", headers=admin, json={"intervals": [
        {"opens": "10:00", "closes": "12:00"}, {"opens": "11:45", "closes": "14:00"}]})
    assert overlapping.status_code == 422 and overlapping.json()["errors"][0]["field"] == "intervals"
    opened = await client.put(f"{base}/{later}", headers=admin, json={"intervals": [
        {"opens": "14:00", "closes": "18:00"}, {"opens": "10:00", "closes": "12:00"}]})
    assert opened.status_code == 200
    listed = (await client.get(base, headers=admin)).json()
    assert [(e["day"], e["opens"]) for e in listed] == [(str(today), None), (str(later), "10:00:00"),
                                                       (str(later), "14:00:00")]
    assert (await client.delete(f"{base}/{today}", headers=admin)).status_code == 204
    assert (await client.delete(f"{base}/{yesterday}", headers=admin)).status_code == 422
    assert [e["day"] for e in (await client.get(base, headers=admin)).json()] == [str(later), str(later)]


async def test_a_price_is_never_negative_nor_finer_than_the_currency(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/prices/oil_change"

    async def price(text, **more):
        return await client.put(url, json={"price": text, **more}, headers=admin)

    assert (await price("-0.01")).json()["errors"] == [{"field": "price", "reason": "must not be negative"}]
    assert (await price("49.999")).json()["errors"] == [{"field": "price",
                                                         "reason": "EUR amounts have at most 2 decimal places"}]
    assert (await price("forty")).json()["errors"][0]["field"] == "price"
    assert (await price("0")).json()["price_minor"] == 0
    set_ = await price("49.90")
    assert set_.status_code == 200 and set_.json()["price_minor"] == 4990 and set_.json()["currency"] == "EUR"
    assert set_.json()["duration_minutes"] == 60


async def test_a_duration_is_over_0_and_at_most_12_hours(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/prices/oil_change"
    assert (await client.put(url, json={"price": "10", "duration_minutes": 0}, headers=admin)).status_code == 422
    too_long = await client.put(url, json={"price": "10", "duration_minutes": 721}, headers=admin)
    assert too_long.json()["errors"] == [{"field": "duration_minutes", "reason": "must be at most 720 minutes (12 hours)"}]
    assert (await client.put(url, json={"price": "10", "duration_minutes": 720}, headers=admin)).status_code == 200
    (kept,) = (await client.get(f"{API}/{setup.provider_id}/prices", headers=admin)).json()
    assert kept["duration_minutes"] == 720 and kept["price_minor"] == 1000


async def test_carmax_prices_are_whole_rials(runtime, client, staff_token):
    from aftersales.onboarding.manifest import read_manifest_file
    from aftersales.onboarding.services import onboard
    from aftersales.settings import REPO_ROOT

    async with runtime.db.transaction(None) as session:
        carmax, _ = await onboard(session, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / "carmax.toml"))
    admin = await staff_token(carmax, "admin")
    provider = (await client.post(f"{API}/", json={"name": "Tehran Auto", "kind": "workshop"}, headers=admin)).json()
    url = f"{API}/{provider['id']}/prices/oil_change"
    assert (await client.put(url, json={"price": "1500000.5"}, headers=admin)).status_code == 422
    rials = await client.put(url, json={"price": "۱۵۰۰۰۰۰"}, headers=admin)
    assert rials.json()["price_minor"] == 1_500_000 and rials.json()["currency"] == "IRR"


async def test_an_offering_that_needs_a_skill_is_offered_only_by_a_provider_with_it(runtime, client, make_tenant,
                                                                                   staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    await client.post("/api/v1/marketplace/offerings/", headers=admin, json={
        "code": "brake_service", "name": "Brake service", "category": "repair", "duration_minutes": 120,
        "skill": "brakes"})
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/prices/brake_service"
    refused = await client.put(url, json={"price": "120"}, headers=admin)
    assert refused.json()["errors"] == [{"field": "offering",
                                         "reason": "needs the skill 'brakes', which the provider does not have"}]
    assert (await client.get(f"{API}/{setup.provider_id}/prices", headers=admin)).json()[0]["offering"] == "oil_change"
    await client.patch(f"{API}/{setup.provider_id}", json={"skills": ["brakes"]}, headers=admin)
    assert (await client.put(url, json={"price": "120"}, headers=admin)).status_code == 200
    dropped = await client.patch(f"{API}/{setup.provider_id}", json={"skills": []}, headers=admin)
    assert dropped.status_code == 422 and dropped.json()["errors"][0]["field"] == "skills"
    assert (await client.put(url, json={"price": "120", "active": False}, headers=admin)).status_code == 200
    assert (await client.patch(f"{API}/{setup.provider_id}", json={"skills": []}, headers=admin)).status_code == 200
    unknown = await client.put(f"{API}/{setup.provider_id}/prices/teleport", json={"price": "1"}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "offering"


async def test_a_provider_user_keeps_its_own_schedule_and_prices_only(runtime, client, make_tenant, provider_token,
                                                                      staff_token):
    tenant = await make_tenant("acme")
    mine, theirs = await add_provider(runtime, tenant), await add_provider(runtime, tenant, name="Rival")
    own = await provider_token(tenant, mine.provider_id)
    assert (await client.put(f"{API}/{mine.provider_id}/prices/oil_change", json={"price": "55"},
                             headers=own)).status_code == 200
    for method, path, body in [
        ("PUT", "hours", {"hours": WEEKDAYS}), ("GET", "hours", None), ("GET", "prices", None),
        ("PUT", "prices/oil_change", {"price": "1"}), ("GET", "exceptions", None),
        ("PUT", f"exceptions/{berlin_today() + timedelta(days=1)}", {"intervals": []}),
    ]:
        response = await client.request(method, f"{API}/{theirs.provider_id}/{path}", json=body, headers=own)
        assert response.status_code == 404, (method, path)
    admin = await staff_token(tenant, "admin")
    (their_price,) = (await client.get(f"{API}/{theirs.provider_id}/prices", headers=admin)).json()
    assert their_price["price_minor"] == 50_00
    assert (await client.get(f"{API}/{theirs.provider_id}/exceptions", headers=admin)).json() == []


async def test_another_tenant_neither_reads_nor_changes_schedules_and_prices(runtime, client, make_tenant,
                                                                             staff_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    intruder = await staff_token(await make_tenant("rival"), "admin")
    for method, path, body in [
        ("PUT", "hours", {"hours": []}), ("GET", "hours", None), ("GET", "prices", None),
        ("PUT", "prices/oil_change", {"price": "1"}),
        ("PUT", f"exceptions/{berlin_today() + timedelta(days=1)}", {"intervals": []}),
    ]:
        response = await client.request(method, f"{API}/{setup.provider_id}/{path}", json=body, headers=intruder)
        assert response.status_code == 404, (method, path)
    admin = await staff_token(tenant, "admin")
    assert len((await client.get(f"{API}/{setup.provider_id}/hours", headers=admin)).json()) == 5
    (price,) = (await client.get(f"{API}/{setup.provider_id}/prices", headers=admin)).json()
    assert price["price_minor"] == 50_00
