"""The service catalogue: each vertical's defaults seeded at onboarding (idempotently), then the tenant's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.marketplace.models import Offering
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import manifest_context, onboard
from aftersales.settings import REPO_ROOT


def test_aftersales_service_catalogue_default_is_empty_for_a_vertical_without_one(plugins):
    context = manifest_context(plugins, read_manifest_file(REPO_ROOT / "tenants" / "mehr.toml"))
    assert plugins.hooks_for([]).aftersales_service_catalogue(tenant=context) == []
    codes = [o.code for o in plugins.hooks_for(["electronics"]).aftersales_service_catalogue(tenant=context)]
    assert codes == ["diagnostics", "screen_repair", "battery_replacement"]


async def _onboard_seed(runtime, slug):
    async with runtime.db.transaction(None) as session:
        tenant, _ = await onboard(session, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
    return tenant


async def _catalogue(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return {o.code: o for o in await session.scalars(select(Offering))}


async def test_aftersales_service_catalogue_seeds_carmax_with_car_services_and_yizhongyi_with_equipment(runtime):
    carmax = await _catalogue(runtime, await _onboard_seed(runtime, "carmax"))
    assert {"oil_change", "diagnostics", "brake_service", "tyre_change"} == set(carmax)
    assert carmax["brake_service"].skill == "brakes" and carmax["oil_change"].skill is None
    yizhongyi = await _catalogue(runtime, await _onboard_seed(runtime, "yizhongyi"))
    assert {"lift_installation", "lift_repair", "equipment_diagnostics"} == set(yizhongyi)


async def test_entekhab_installation_and_repair_in_warranty_need_an_authorised_technician(runtime):
    entekhab = await _catalogue(runtime, await _onboard_seed(runtime, "entekhab"))
    assert {"install_refrigerator", "repair_refrigerator", "repair_washing_machine"} <= set(entekhab)
    assert all(o.warranty_needs_authorisation for o in entekhab.values())
    assert entekhab["repair_refrigerator"].skill == "refrigerator"


async def test_onboarding_again_adds_only_what_is_missing_and_keeps_the_admins_edits(runtime):
    tenant = await _onboard_seed(runtime, "mehr")
    async with runtime.db.transaction(tenant.id) as session:
        screen = await session.scalar(select(Offering).where(Offering.code == "screen_repair"))
        screen.active, screen.duration_minutes = False, 90
        await session.delete(await session.scalar(select(Offering).where(Offering.code == "diagnostics")))
    await _onboard_seed(runtime, "mehr")
    again = await _catalogue(runtime, tenant)
    assert set(again) == {"diagnostics", "screen_repair", "battery_replacement"}
    assert again["screen_repair"].active is False and again["screen_repair"].duration_minutes == 90


async def test_an_invalid_vertical_catalogue_is_refused_by_name_and_nothing_is_seeded(runtime, make_tenant):
    from aftersales.contract.values import OfferingSpec
    from aftersales.errors import InvalidInput
    from aftersales.marketplace.catalogue.services import seed_catalogue

    tenant = await make_tenant("acme")
    bad = [OfferingSpec("calibration", "Calibration", "repair", 30),
           OfferingSpec("overnight_burn_in", "Burn-in", "testing", 24 * 60)]
    with pytest.raises(InvalidInput) as refused:
        async with runtime.db.transaction(tenant.id) as session:
            await seed_catalogue(session, bad)
    assert [e.field for e in refused.value.errors] == ["catalogue.overnight_burn_in.duration_minutes"]
    assert "calibration" not in await _catalogue(runtime, tenant)
