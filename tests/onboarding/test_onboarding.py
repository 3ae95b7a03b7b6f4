"""Onboarding from TOML manifests (CLI), through the operator API, and the seed companies' manifests."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aftersales.accounts.services import create_operator
from aftersales.errors import InvalidInput
from aftersales.onboarding.services import onboard, validate_manifest
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.current import tenant_context
from aftersales.tenancy.models import Tenant
from conftest import minimal_manifest

SEED_MANIFESTS = sorted((REPO_ROOT / "tenants").glob("*.toml"))
EXPECTED_SEEDS = {
    "mehr": ("electronics", "IRR", "IR", "fa"),
    "entekhab": ("appliances", "IRR", "IR", "fa"),
    "carmax": ("auto_service", "IRR", "IR", "fa"),
    "yizhongyi": ("auto_service", "CNY", "CN", "zh"),
    "golden-laser": ("industrial", "GEL", "GE", "ka"),
}


def test_the_five_seed_companies_have_valid_manifests(plugins):
    found = {}
    for path in SEED_MANIFESTS:
        manifest, settings = validate_manifest(plugins, tomllib.loads(path.read_text()))
        found[manifest.slug] = (manifest.vertical, manifest.currency, manifest.calendar.country, manifest.default_locale)
    assert found == EXPECTED_SEEDS


def test_seed_settings_carry_the_digest_numbers(plugins):
    def settings(slug):
        raw = tomllib.loads((REPO_ROOT / "tenants" / f"{slug}.toml").read_text())
        return validate_manifest(plugins, raw)[1][raw["vertical"]]

    mehr, entekhab, yizhongyi, laser = (settings(s) for s in ("mehr", "entekhab", "yizhongyi", "golden-laser"))
    assert (mehr.repair_result_business_days, mehr.replacement_after_business_days) == (7, 30)
    assert (mehr.complaint_response_business_hours, mehr.low_satisfaction_score) == (48, 2)
    assert (entekhab.wallet_refund_below_irr, entekhab.cash_refund_below_irr) == (5_000_000, 30_000_000)
    assert (entekhab.warranty_months, entekhab.parts_support_years, entekhab.bounced_cheque_wait_days) == (24, 10, 14)
    assert (yizhongyi.return_days, yizhongyi.exchange_days, yizhongyi.parts_wait_max_days) == (7, 15, 5)
    assert (yizhongyi.large_item_volume_m3, yizhongyi.large_item_weight_kg) == (1.0, 100.0)
    assert laser.onsite_radius_km == 300
    assert (laser.onsite_hours_within_radius, laser.onsite_hours_beyond_radius) == (24, 72)
    assert (laser.overseas_reply_hours, laser.overseas_repair_hours) == (10, 72)


async def test_onboarding_twice_updates_and_never_duplicates(runtime):
    async with runtime.db.transaction(None) as s:
        first, created = await onboard(s, runtime.plugins, minimal_manifest("alpha"))
    async with runtime.db.transaction(None) as s:
        second, created_again = await onboard(s, runtime.plugins, minimal_manifest("alpha", name="Alpha Renamed"))
    async with runtime.db.transaction(None) as s:
        rows = (await s.scalars(select(Tenant).where(Tenant.slug == "alpha"))).all()
    assert (created, created_again) == (True, False)
    assert [t.name for t in rows] == ["Alpha Renamed"] and first.id == second.id


async def test_a_bad_manifest_lists_every_field_error_and_writes_nothing(runtime):
    bad = minimal_manifest(
        "Bad Slug!",
        vertical="rockets",
        currency="XXQ",
        time_zone="Mars/Olympus",
        default_locale="fr",
        calendar={"country": "ZZ", "weekend_days": ["caturday"], "business_hours": {"opens": "18:00", "closes": "09:00"}},
        settings={"electronics": {"warranty_months": -3}},
    )
    bad["branding"]["support_email"] = "not an email"
    with pytest.raises(InvalidInput) as caught:
        async with runtime.db.transaction(None) as s:
            await onboard(s, runtime.plugins, bad)
    fields = {e.field for e in caught.value.errors}
    assert {"slug", "vertical", "currency", "time_zone", "default_locale", "calendar.country",
            "calendar.weekend_days.0", "calendar.business_hours", "branding.support_email",
            "settings.electronics"} <= fields
    async with runtime.db.transaction(None) as s:
        assert await s.scalar(select(func.count()).select_from(Tenant)) == 0


async def test_plugin_settings_are_validated_against_the_verticals_schema(runtime):
    bad = minimal_manifest("alpha", vertical="appliances", settings={"appliances": {"warranty_months": "two years",
                                                                                   "no_such_setting": 1}})
    with pytest.raises(InvalidInput) as caught:
        validate_manifest(runtime.plugins, bad)
    fields = {e.field for e in caught.value.errors}
    assert {"settings.appliances.warranty_months", "settings.appliances.no_such_setting"} <= fields


async def test_tenant_context_carries_the_validated_vertical_settings(runtime, make_tenant):
    tenant = await make_tenant("alpha", vertical="appliances", settings={"appliances": {"warranty_months": 36}})
    context = tenant_context(tenant, runtime.plugins)
    assert context.settings.warranty_months == 36
    assert context.settings.parts_support_years == 10  # the default from the digest
    assert context.calendar.weekend_days == (6, 7)


async def test_operator_api_onboards_lists_and_suspends(client, runtime):
    async with runtime.db.transaction(None) as s:
        await create_operator(s, email="ops@platform-demo.com", name="Ops", password="correct horse battery")
    login = await client.post("/operator/login", json={"email": "ops@platform-demo.com",
                                                       "password": "correct horse battery"})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    created = await client.post("/api/v1/operator/tenants", json=minimal_manifest("alpha"), headers=headers)
    assert created.status_code == 201 and created.json()["created"] is True
    updated = await client.post("/api/v1/operator/tenants", json=minimal_manifest("alpha", name="A2"), headers=headers)
    assert updated.status_code == 200 and updated.json()["tenant"]["name"] == "A2"
    bad = await client.post("/api/v1/operator/tenants", json=minimal_manifest("beta", currency="???"), headers=headers)
    assert bad.status_code == 422
    assert any(e["field"] == "currency" for e in bad.json()["errors"])
    listed = await client.get("/api/v1/operator/tenants", headers=headers)
    assert [t["slug"] for t in listed.json()] == ["alpha"]
    too_long = await client.post("/api/v1/operator/tenants/alpha/status",
                                 json={"status": "suspended", "reason": "x" * 501}, headers=headers)
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "reason"
    assert (await client.get("/api/v1/operator/tenants/alpha", headers=headers)).json()["status"] == "active"
    suspended = await client.post("/api/v1/operator/tenants/alpha/status",
                                  json={"status": "suspended", "reason": "x" * 500}, headers=headers)
    assert suspended.json()["status"] == "suspended" and suspended.json()["status_reason"] == "x" * 500
    assert suspended.json()["status_changed_by"].startswith("operator:")
    missing = await client.get("/api/v1/operator/tenants/nobody", headers=headers)
    assert missing.status_code == 404
    plugins = await client.get("/api/v1/operator/plugins", headers=headers)
    assert {"electronics", "appliances", "auto_service"} <= {p["name"] for p in plugins.json() if p["loaded"]}



def test_cli_onboards_the_seed_tenants_and_lists_them(cli):
    first = cli("onboard", *map(str, SEED_MANIFESTS))
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("created") == 5
    again = cli("onboard", *map(str, SEED_MANIFESTS))
    assert again.stdout.count("updated") == 5
    listed = cli("tenants", "list")
    assert sorted(line.split()[0] for line in listed.stdout.splitlines()) == sorted(EXPECTED_SEEDS)


def test_cli_refuses_a_bad_manifest_with_one_line_and_writes_nothing(cli, tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('slug = "ok-slug"\nname = "X"\nvertical = "rockets"\n')
    good = SEED_MANIFESTS[0]
    result = cli("onboard", str(good), str(bad))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "bad.toml" in result.stderr and "vertical" in result.stderr
    assert cli("tenants", "list").stdout.startswith("no tenants yet")


def test_cli_refuses_broken_toml_and_missing_files(cli, tmp_path: Path):
    broken = tmp_path / "broken.toml"
    broken.write_text("slug = \n")
    for path in (broken, tmp_path / "missing.toml"):
        result = cli("onboard", str(path))
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
