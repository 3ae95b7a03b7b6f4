"""Golden Laser's warranty terms (settings the seed leaves open), its serials, its service catalogue and the free
software upgrade, through its real hook chain."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftersales.contract import (
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    DefectType,
    JobFacts,
    JobItem,
    Money,
    ProductInfo,
    SaleInfo,
)
from aftersales.settings import REPO_ROOT

MACHINE = ProductInfo(sku="GL-F3015", name="Fibre laser cutter 3015")
SOLD = date(2026, 1, 31)


@pytest.fixture(scope="module")
def golden(manifest_context, plugin_hooks):
    """Golden Laser's hook callers and context, from its manifest."""
    tenant = manifest_context(REPO_ROOT / "tenants" / "golden-laser.toml")
    return plugin_hooks(tenant), tenant


SALE = SaleInfo(sold_on=SOLD)


def terms_of(golden, sale=SALE, product=MACHINE):
    hooks, tenant = golden
    return hooks.aftersales_warranty_terms(tenant=tenant, product=product, sale=sale)


def test_aftersales_warranty_terms_machine_12_months_laser_source_24_parts_8_years_consumables_excluded(golden):
    terms = terms_of(golden)
    assert (terms.warranty_start, terms.warranty_end, terms.parts_support_end) == (
        SOLD, date(2027, 1, 31), date(2034, 1, 31))
    assert [(i.component, i.ends_on, i.covered) for i in terms.coverage] == [
        ("machine", date(2027, 1, 31), True), ("laser_source", date(2028, 1, 31), True),
        ("parts", date(2034, 1, 31), True), ("consumables", None, False)]
    assert terms.reasons == (
        "the warranty runs from the sale on 2026-01-31",
        "12-month warranty on the machine, until 2027-01-31",
        "the laser source is under warranty for 24 months, until 2028-01-31",
        "spare parts are supplied for 8 years, until 2034-01-31",
        "software upgrades are free from the purchase date",
    )
    assert terms.item("consumables").reason == \
        "consumables (nozzles, protective lenses, ceramic rings, filters) are not covered"


def test_the_warranty_runs_from_the_training_sign_off_once_it_is_signed(golden):
    signed = terms_of(golden, SaleInfo(sold_on=SOLD, installed_on=date(2026, 3, 2),
                                       training_signed_off_on=date(2026, 3, 5)))
    assert (signed.warranty_start, signed.warranty_end) == (date(2026, 3, 5), date(2027, 3, 5))
    assert signed.item("laser_source").ends_on == date(2028, 3, 5)
    assert signed.reasons[0] == ("the warranty runs from the customer's sign-off of the installation training on "
                                 "2026-03-05")


def test_a_tenant_may_start_the_warranty_at_the_sale_and_cover_consumables(tenant_context, plugin_hooks):
    tenant = tenant_context("industrial", {"warranty_from_training_sign_off": False, "consumables_covered": True})
    terms = plugin_hooks(tenant).aftersales_warranty_terms(
        tenant=tenant, product=MACHINE, sale=SaleInfo(sold_on=SOLD, training_signed_off_on=date(2026, 3, 5)))
    assert terms.warranty_start == SOLD and terms.exclusions == ()
    assert (terms.item("consumables").covered, terms.item("consumables").ends_on) == (True, date(2027, 1, 31))


def test_a_models_own_term_overrides_the_machine_term(golden):
    model = ProductInfo(sku="GL-T6", name="Tube laser", warranty_months=18)
    assert terms_of(golden, product=model).warranty_end == date(2027, 7, 31)


@pytest.mark.parametrize(("component", "reported", "decision"), [
    (None, date(2027, 1, 31), ClaimDecision.FREE_REPAIR),
    (None, date(2027, 2, 1), ClaimDecision.PAID_REPAIR),
    ("machine", date(2027, 2, 1), ClaimDecision.PAID_REPAIR),
    ("laser_source", date(2028, 1, 31), ClaimDecision.FREE_REPAIR),
    ("laser_source", date(2028, 2, 1), ClaimDecision.PAID_REPAIR),
    ("parts", date(2033, 6, 1), ClaimDecision.FREE_REPAIR),
    ("consumables", date(2026, 2, 1), ClaimDecision.REJECT),
])
def test_aftersales_assess_claim_decides_by_the_components_own_cover(golden, component, reported, decision):
    hooks, tenant = golden
    claim = ClaimFacts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=reported, defect=DefectType.FUNCTIONAL,
                       component=component, product=MACHINE)
    assessed = hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms_of(golden), today=reported)
    assert assessed.decision is decision


def test_aftersales_validate_serial_follows_the_tenants_pattern(golden):
    hooks, tenant = golden
    assert hooks.aftersales_validate_serial(tenant=tenant, serial="gl2026ab01", product=None).normalized == \
        "GL2026AB01"
    refused = hooks.aftersales_validate_serial(tenant=tenant, serial="XX2026AB01", product=None)
    assert not refused.valid and "format" in refused.reason
    checks = hooks.aftersales_validate_serials(tenant=tenant, serials=["gl2026ab01", "XX"], products=[None, None])
    assert [c.valid for c in checks] == [True, False]


def test_without_a_pattern_the_core_checks_serials(tenant_context, plugin_hooks):
    tenant = tenant_context("industrial")
    check = plugin_hooks(tenant).aftersales_validate_serial(tenant=tenant, serial="any-serial-1", product=None)
    assert (check.valid, check.normalized, check.scheme) == (True, "ANY-SERIAL-1", "any")


def test_aftersales_service_catalogue_installation_repair_maintenance_software(golden):
    hooks, tenant = golden
    offerings = hooks.aftersales_service_catalogue(tenant=tenant)
    assert [(o.code, o.category) for o in offerings] == [
        ("installation_training", "installation"), ("onsite_repair", "repair"),
        ("maintenance_visit", "maintenance"), ("software_upgrade", "software")]
    assert offerings[0].name == "Installation and training on site"


def test_aftersales_quote_software_upgrade_labour_is_free_out_of_warranty(golden):
    hooks, tenant = golden
    cable = JobItem("dongle", "Licence dongle", 1, Money(4000, "GEL"))
    job = JobFacts(offering="software_upgrade", labour_price=Money(15000, "GEL"), parts=(cable,),
                   under_warranty=False)
    quote = hooks.aftersales_quote(tenant=tenant, job=job)
    assert [(line.kind, line.covered_by_warranty) for line in quote.lines] == [("labour", True), ("part", False)]
    travel = JobFacts(offering="software_upgrade", labour_price=Money(15000, "GEL"), visit_distance_km=Decimal(20),
                      travel_rate_per_km=Money(100, "GEL"))
    assert hooks.aftersales_quote(tenant=tenant, job=travel).total("GEL") == Money(2000, "GEL")  # travel is paid
    assert quote.total("GEL") == Money(4000, "GEL")
    assert quote.reasons == ("software upgrades are free from the purchase date",)


def test_other_jobs_and_a_tenant_without_free_upgrades_are_priced_by_the_core(golden, tenant_context):
    hooks, tenant = golden
    repair = JobFacts(offering="onsite_repair", labour_price=Money(15000, "GEL"))
    assert hooks.aftersales_quote(tenant=tenant, job=repair).total("GEL") == Money(15000, "GEL")
    paid = tenant_context("industrial", {"software_upgrades_free": False})
    upgrade = JobFacts(offering="software_upgrade", labour_price=Money(15000, "GEL"))
    assert hooks.aftersales_quote(tenant=paid, job=upgrade).total("GEL") == Money(15000, "GEL")
