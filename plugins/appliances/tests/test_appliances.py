"""The appliances vertical's rules, as pure functions: settings and serials (seed 001, Entekhab)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from aftersales_appliances import plugin
from aftersales_appliances.settings import AppliancesSettings
from pydantic import ValidationError

from aftersales.contract import ClaimDecision, ClaimKind, DefectType
from aftersales.contract.testing.factories import (
    make_claim_facts,
    make_coverage_item,
    make_product,
    make_sale,
)

PATTERNS = {"RF": r"^RF[0-9]{10}$", "RF-SBS": r"^SBS[0-9]{8}$", "WM": r"^WM-[0-9]{6}$"}


@pytest.fixture(scope="module")
def tenant_with(tenant_context):
    """A tenant in Iran with the given appliances settings over the defaults (the kit's ``tenant_context``)."""
    return lambda **settings: tenant_context("appliances", settings)


@pytest.fixture(scope="module")
def hooks(plugin_hooks, tenant_with):
    """The hook callers of an appliances tenant: the plugin, then the core defaults."""
    return plugin_hooks(tenant_with())


@pytest.fixture(scope="module")
def validate(tenant_with):
    """The plugin's own serial check for a tenant with Entekhab's model patterns, called as a pure function."""
    tenant = tenant_with(serial_patterns=PATTERNS)

    def check(serial: str, sku: str | None = None):
        product = make_product(sku=sku, name="a model") if sku is not None else None
        return plugin.aftersales_validate_serial(tenant=tenant, serial=serial, product=product)

    return check


# -- settings -------------------------------------------------------------------------------------------


def test_settings_defaults_follow_the_digest() -> None:
    settings = AppliancesSettings()
    assert settings.warranty_months == 24
    assert settings.parts_support_years == 10
    assert settings.proforma_valid_business_days == 7
    assert settings.unfunded_order_followup_days == 30
    assert settings.wallet_refund_below_irr == 5_000_000  # 500,000 toman
    assert settings.cash_refund_below_irr == 30_000_000  # 3,000,000 toman
    assert settings.bounced_cheque_wait_days == 14
    assert settings.authorised_technician_required is True
    assert settings.installation_damage_requires_sealed_delivery is True


def test_bad_settings_report_every_field(validate) -> None:
    with pytest.raises(ValidationError) as caught:
        AppliancesSettings.model_validate(
            {
                "warranty_months": -1,
                "wallet_refund_below_irr": 0,
                "serial_patterns": {"RF": "^RF[0-9{10}$", "": "^X$"},
                "default_serial_pattern": "(",
                "refund_below": 1,
            }
        )
    fields = {".".join(str(part) for part in error["loc"]) for error in caught.value.errors()}
    assert fields == {
        "warranty_months",
        "wallet_refund_below_irr",
        "serial_patterns.RF",
        "serial_patterns..[key]",  # the empty prefix
        "default_serial_pattern",
        "refund_below",
    }


def test_parts_support_shorter_than_the_warranty_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least the warranty") as caught:
        AppliancesSettings(warranty_months=36, parts_support_years=2)
    assert caught.value.errors()[0]["loc"] == ("parts_support_years",)


# -- serials ----------------------------------------------------------------------------------------------


def test_serial_is_checked_against_its_models_pattern(validate) -> None:
    check = validate("WM-123456", sku="WM-7KG-2024")
    assert (check.valid, check.normalized, check.scheme) == (True, "WM-123456", "pattern:WM")


def test_longest_sku_prefix_decides_the_pattern(validate) -> None:
    assert validate("SBS12345678", sku="RF-SBS-560").scheme == "pattern:RF-SBS"
    assert validate("RF1234567890", sku="RF-TOP-400").scheme == "pattern:RF"


def test_serial_of_another_models_format_is_refused(validate) -> None:
    check = validate("RF1234567890", sku="RF-SBS-560")
    assert not check.valid
    assert check.scheme == "pattern:RF-SBS"
    assert check.reason == "the serial does not have this model's format (^SBS[0-9]{8}$)"


def test_unknown_model_uses_the_default_pattern(validate) -> None:
    assert validate("AB12CD34EF", sku="OVEN-90").scheme == "pattern:default"
    assert validate("AB12CD34EF").scheme == "pattern:default"


def test_serial_is_trimmed_and_upper_cased(validate) -> None:
    assert validate("  ab12cd34ef ").normalized == "AB12CD34EF"


def test_persian_digits_are_accepted_in_a_serial(validate) -> None:
    check = validate("WM-۱۲۳۴۵۶", sku="WM-7KG")
    assert check.valid and check.normalized == "WM-123456"


def test_too_short_serial_is_refused_by_the_default_pattern(validate) -> None:
    check = validate("AB12")
    assert not check.valid and check.scheme == "pattern:default"


def test_empty_serial_is_refused(validate) -> None:
    check = validate(" ")
    assert not check.valid and check.reason == "the serial is empty"


# -- the plugin as the platform loads it ------------------------------------------------------------------


def test_plugin_is_found_through_its_entry_point(aftersales_registry) -> None:
    assert "appliances" in aftersales_registry.names
    assert "appliances" not in aftersales_registry.failures
    assert aftersales_registry.info("appliances").settings_schema is AppliancesSettings


def test_validate_serial_reaches_the_appliances_plugin(hooks, tenant_with) -> None:
    check = hooks.aftersales_validate_serial(tenant=tenant_with(), serial="ab12cd34ef", product=None)
    assert (check.valid, check.scheme) == (True, "pattern:default")


# -- warranty terms and claims (seed 001) ----------------------------------------------------------------


FRIDGE = make_product(sku="RF-500", name="Refrigerator", volume_m3=0.7, weight_kg=85)
SOLD = date(2026, 1, 10)


@pytest.fixture(scope="module")
def assess(hooks, tenant_with):
    """Assess a claim about the fridge sold on ``SOLD``, reported and assessed on ``reported_on``."""
    tenant = tenant_with()
    terms = hooks.aftersales_warranty_terms(tenant=tenant, product=FRIDGE, sale=make_sale(sold_on=SOLD))

    def assessment(kind: ClaimKind, reported_on: date, **facts: object):
        claim = make_claim_facts(kind=kind, reported_on=reported_on, product=FRIDGE, **facts)
        return hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms, today=reported_on)

    return assessment


def test_two_years_of_warranty_and_ten_of_parts(hooks, tenant_with) -> None:
    terms = hooks.aftersales_warranty_terms(tenant=tenant_with(), product=FRIDGE, sale=make_sale(sold_on=SOLD))
    assert (terms.warranty_end, terms.parts_support_end) == (date(2028, 1, 10), date(2036, 1, 10))
    assert "damage found at installation when the box was not sealed on delivery" in terms.exclusions


def test_installation_damage_is_covered_when_delivered_sealed_and_installed_by_an_authorised_technician(assess) -> None:
    covered = assess(ClaimKind.WARRANTY_REPAIR, date(2026, 1, 12), defect=DefectType.INSTALLATION_DAMAGE,
                     delivered_sealed=True, installed_by_authorised_technician=True)
    assert covered.decision is ClaimDecision.FREE_REPAIR


def test_installation_damage_from_an_unsealed_box_is_not_covered(assess) -> None:
    paid = assess(ClaimKind.WARRANTY_REPAIR, date(2026, 1, 12), defect=DefectType.INSTALLATION_DAMAGE,
                  delivered_sealed=False, installed_by_authorised_technician=True)
    assert paid.decision is ClaimDecision.PAID_REPAIR
    assert paid.failed_conditions == ("damage found at installation is covered only if the box was sealed on delivery",)


def test_installation_by_an_unauthorised_technician_is_not_covered(assess) -> None:
    paid = assess(ClaimKind.WARRANTY_REPAIR, date(2026, 1, 12), defect=DefectType.INSTALLATION_DAMAGE,
                  delivered_sealed=True, installed_by_authorised_technician=False)
    assert paid.failed_conditions == (
        "installation or repair during the warranty must be done by an authorised technician",)


def test_unrecorded_facts_ask_the_agent_to_record_them(assess) -> None:
    paid = assess(ClaimKind.WARRANTY_REPAIR, date(2026, 1, 12), defect=DefectType.INSTALLATION_DAMAGE)
    assert paid.failed_conditions == ("record whether an authorised technician installed the unit",
                                      "record whether the box was sealed on delivery")


def test_warranty_repair_on_the_last_day_is_free_and_the_day_after_is_charged(assess) -> None:
    facts = {"defect": DefectType.FUNCTIONAL, "installed_by_authorised_technician": True}
    assert assess(ClaimKind.WARRANTY_REPAIR, date(2028, 1, 10), **facts).decision is ClaimDecision.FREE_REPAIR
    assert assess(ClaimKind.WARRANTY_REPAIR, date(2028, 1, 11), **facts).decision is ClaimDecision.PAID_REPAIR


def test_no_repair_once_parts_support_has_ended(assess) -> None:
    refused = assess(ClaimKind.PAID_REPAIR, date(2036, 1, 11), defect=DefectType.FUNCTIONAL)
    assert refused.decision is ClaimDecision.REJECT
    assert refused.failed_conditions == ("parts and support ended on 2036-01-10",)
    assert assess(ClaimKind.PAID_REPAIR, date(2036, 1, 10)).decision is ClaimDecision.PAID_REPAIR


def test_appliances_have_no_return_window(assess) -> None:
    assert assess(ClaimKind.RETURN, date(2026, 1, 11)).decision is ClaimDecision.REJECT


def test_a_repair_of_a_component_the_terms_exclude_is_left_to_the_core_which_rejects_it(hooks, tenant_with) -> None:
    tenant = tenant_with()
    seal = make_coverage_item(component="door_seal", covered=False, reason="door seals wear out: they are not covered")
    terms = replace(hooks.aftersales_warranty_terms(tenant=tenant, product=FRIDGE, sale=make_sale(sold_on=SOLD)),
                    coverage=(seal, make_coverage_item(component="compressor")))

    def assess(component: str):
        claim = make_claim_facts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=date(2026, 6, 1), product=FRIDGE,
                                 defect=DefectType.FUNCTIONAL, installed_by_authorised_technician=True,
                                 component=component)
        return hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms, today=claim.reported_on)

    rejected = assess("door_seal")
    assert (rejected.decision, rejected.failed_conditions) == (ClaimDecision.REJECT, (seal.reason,))
    assert assess("compressor").decision is ClaimDecision.FREE_REPAIR
