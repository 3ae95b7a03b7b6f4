"""The auto-service vertical's rules, as pure functions: settings and serials (seeds 002 and 003)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from aftersales_auto_service import plugin
from aftersales_auto_service.serials import vin_check_digit
from aftersales_auto_service.settings import AutoServiceSettings
from pydantic import ValidationError

from aftersales.contract import ClaimDecision, ClaimKind, DefectType, ProductInfo
from aftersales.contract.testing.factories import (
    make_claim_facts,
    make_coverage_item,
    make_product,
    make_sale,
)

YIZHONGYI = {"serial_scheme": "pattern", "serial_pattern": "^YZY-[0-9]{4}-[0-9]{5}$"}


@pytest.fixture(scope="module")
def tenant_with(tenant_context):
    """A tenant in Iran with the given auto-service settings over the defaults (the kit's ``tenant_context``)."""
    return lambda **settings: tenant_context("auto_service", settings)


@pytest.fixture(scope="module")
def hooks(plugin_hooks, tenant_with):
    """The hook callers of an auto-service tenant: the plugin, then the core defaults."""
    return plugin_hooks(tenant_with())


@pytest.fixture(scope="module")
def validate(tenant_with):
    """The plugin's own serial check, called as the pure function it is."""
    return lambda serial, **settings: plugin.aftersales_validate_serial(tenant=tenant_with(**settings),
                                                                        serial=serial, product=None)


# -- settings -------------------------------------------------------------------------------------------


def test_settings_defaults_follow_the_digest() -> None:
    settings = AutoServiceSettings()
    assert settings.serial_scheme == "vin"
    assert (settings.return_days, settings.exchange_days) == (7, 15)
    assert settings.warranty_restarts_on_exchange is True
    assert (settings.large_item_volume_m3, settings.large_item_weight_kg) == (1.0, 100.0)
    assert (settings.onsite_hours, settings.onsite_hours_large_item_max) == (24, 48)
    assert (settings.first_contact_hours_min, settings.first_contact_hours_max) == (2, 4)
    assert (settings.inhouse_repair_hours, settings.parts_wait_max_days) == (24, 5)
    assert settings.usage_followup_months == 1
    assert settings.quote_is_binding and settings.extra_work_needs_consent
    assert settings.travel_charged_out_of_warranty is True


def test_bad_settings_report_every_field(validate) -> None:
    with pytest.raises(ValidationError) as caught:
        AutoServiceSettings.model_validate(
            {
                "serial_scheme": "imei",
                "warranty_months": -1,
                "return_days": 7,
                "exchange_days": 3,
                "large_item_weight_kg": -100,
                "first_contact_hours_min": 6,
                "first_contact_hours_max": 4,
                "callback": "same day",
            }
        )
    fields = {".".join(str(part) for part in error["loc"]) for error in caught.value.errors()}
    assert fields == {
        "serial_scheme",
        "warranty_months",
        "exchange_days",
        "large_item_weight_kg",
        "first_contact_hours_max",
        "callback",
    }


def test_exchange_window_shorter_than_the_return_window_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"must be at least return_days \(20\)") as caught:
        AutoServiceSettings(return_days=20)
    assert caught.value.errors()[0]["loc"] == ("exchange_days",)


def test_large_item_onsite_limit_below_the_usual_time_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        AutoServiceSettings(onsite_hours=72)
    assert caught.value.errors()[0]["loc"] == ("onsite_hours_large_item_max",)


def test_pattern_scheme_without_a_pattern_is_refused() -> None:
    with pytest.raises(ValidationError, match="required when serial_scheme is 'pattern'") as caught:
        AutoServiceSettings(serial_scheme="pattern")
    assert caught.value.errors()[0]["loc"] == ("serial_pattern",)


def test_pattern_that_does_not_compile_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        AutoServiceSettings(serial_scheme="pattern", serial_pattern="^YZY-(")


# -- VIN --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vin", ["1M8GDM9AXKP042788", "11111111111111111", "1HGCM82633A004352"])
def test_north_american_vin_with_right_check_digit_is_accepted(validate, vin: str) -> None:
    check = validate(vin)
    assert (check.valid, check.normalized, check.scheme, check.reason) == (True, vin, "vin", None)


def test_check_digit_ten_is_written_x() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"


def test_north_american_vin_with_wrong_check_digit_is_refused(validate) -> None:
    check = validate("1M8GDM9A1KP042788")
    assert not check.valid and check.scheme == "vin"
    assert check.reason is not None and "check digit" in check.reason


def test_european_vin_is_checked_for_structure_only(validate) -> None:
    check = validate("WVWZZZ1JZXW000001")
    assert (check.valid, check.scheme) == (True, "vin")


def test_vin_is_trimmed_and_upper_cased(validate) -> None:
    assert validate("  1m8gdm9axkp042788 ").normalized == "1M8GDM9AXKP042788"


def test_persian_digits_are_accepted_in_a_vin(validate) -> None:
    assert validate("۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱").normalized == "11111111111111111"


def test_vin_with_letter_o_is_refused(validate) -> None:
    check = validate("WVWZZZ1JZXW0O0001")
    assert not check.valid
    assert check.reason == (
        "a VIN never contains the letters I, O or Q (found O at position 13; it is probably a 1 or a 0)"
    )


def test_vin_of_16_characters_is_refused(validate) -> None:
    check = validate("1M8GDM9AXKP04278")
    assert not check.valid and check.reason == "a VIN has 17 characters, not 16"


def test_vin_with_punctuation_is_refused(validate) -> None:
    check = validate("1M8GDM9AXKP0427.8")
    assert (
        not check.valid and check.reason == "a VIN has only digits and letters A-Z (found '.' at position 16)"
    )


# -- equipment patterns (Yizhongyi) -----------------------------------------------------------------------


def test_equipment_serial_matching_the_pattern_is_accepted(validate) -> None:
    check = validate("yzy-2024-00017", **YIZHONGYI)
    assert (check.valid, check.normalized, check.scheme) == (True, "YZY-2024-00017", "pattern")


def test_equipment_serial_not_matching_the_pattern_is_refused(validate) -> None:
    check = validate("YZY-24-17", **YIZHONGYI)
    assert not check.valid and check.scheme == "pattern"


# -- the plugin as the platform loads it ------------------------------------------------------------------


def test_plugin_is_found_through_its_entry_point(aftersales_registry) -> None:
    assert "auto_service" in aftersales_registry.names
    assert "auto_service" not in aftersales_registry.failures
    assert aftersales_registry.info("auto_service").settings_schema is AutoServiceSettings


def test_validate_serial_reaches_the_auto_service_plugin(hooks, tenant_with) -> None:
    check = hooks.aftersales_validate_serial(tenant=tenant_with(), serial="1M8GDM9A1KP042788", product=None)
    assert check.scheme == "vin" and not check.valid


# -- warranty terms and claims (seed 003) ----------------------------------------------------------------


SOLD = date(2026, 3, 2)
LIFT = make_product(sku="LIFT-4T", name="Four-post lift", volume_m3=2.4, weight_kg=650)
BALANCER = make_product(sku="WB-1", name="Wheel balancer", volume_m3=0.5, weight_kg=100)
COMPLETE_RETURN = {"packaging_complete": True, "accessories_complete": True, "product_number_matches": True,
                       "receipts_shown": True, "warranty_voucher_shown": True, "paid_in_full": True}
COMPLETE_EXCHANGE = {"packaging_complete": True, "receipts_shown": True, "defect": DefectType.QUALITY}


@pytest.fixture(scope="module")
def assess(hooks, tenant_with):
    """Assess a claim reported ``day`` days after the sale, through the tenant's whole hook chain."""
    tenant = tenant_with(**YIZHONGYI)

    def assessment(kind: ClaimKind, day: int, product: ProductInfo = BALANCER, **facts: object):
        terms = hooks.aftersales_warranty_terms(tenant=tenant, product=product, sale=make_sale(sold_on=SOLD))
        reported = SOLD + timedelta(days=day)
        claim = make_claim_facts(kind=kind, reported_on=reported, product=product, **facts)
        return hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms, today=reported)

    return assessment


def test_return_accepted_on_day_7(assess) -> None:
    assert assess(ClaimKind.RETURN, 7, **COMPLETE_RETURN).decision is ClaimDecision.RETURN


def test_return_refused_on_day_8(assess) -> None:
    refused = assess(ClaimKind.RETURN, 8, **COMPLETE_RETURN)
    assert refused.decision is ClaimDecision.REJECT
    assert refused.failed_conditions == ("the return period ended on 2026-03-09; the claim was reported on 2026-03-10",)


def test_return_without_receipts_is_refused_with_that_reason(assess) -> None:
    refused = assess(ClaimKind.RETURN, 3, **{**COMPLETE_RETURN, "receipts_shown": False})
    assert refused.decision is ClaimDecision.REJECT
    assert refused.failed_conditions == ("the receipts were not shown",)


def test_return_lists_every_failed_condition_at_once(assess) -> None:
    refused = assess(ClaimKind.RETURN, 9, parts_replaced_or_removed=True, misuse_or_damage=True)
    assert len(refused.failed_conditions) == 9  # the window and all eight return conditions
    assert "parts have been replaced or removed" in refused.failed_conditions


def test_exchange_accepted_on_day_15(assess) -> None:
    accepted = assess(ClaimKind.EXCHANGE, 15, **COMPLETE_EXCHANGE)
    assert accepted.decision is ClaimDecision.EXCHANGE and not accepted.arrange_by_phone_first


def test_exchange_refused_on_day_16(assess) -> None:
    refused = assess(ClaimKind.EXCHANGE, 16, **COMPLETE_EXCHANGE)
    assert refused.decision is ClaimDecision.REJECT and "exchange period ended" in refused.failed_conditions[0]


def test_exchange_needs_a_quality_defect(assess) -> None:
    refused = assess(ClaimKind.EXCHANGE, 5, **{**COMPLETE_EXCHANGE, "defect": DefectType.COSMETIC})
    assert refused.failed_conditions == ("an exchange needs a quality defect",)


def test_large_item_exchange_is_arranged_by_phone_first(assess) -> None:
    accepted = assess(ClaimKind.EXCHANGE, 2, product=LIFT, **COMPLETE_EXCHANGE)
    assert accepted.decision is ClaimDecision.EXCHANGE and accepted.arrange_by_phone_first


def test_large_item_repair_needs_an_onsite_visit_and_100_kg_exactly_is_not_large(assess) -> None:
    facts = {"receipts_shown": True, "defect": DefectType.FUNCTIONAL}
    lift = assess(ClaimKind.WARRANTY_REPAIR, 40, product=LIFT, **facts)
    assert lift.decision is ClaimDecision.FREE_REPAIR and lift.requires_onsite_visit
    assert any("on site within 24 h" in r and "48 h at most" in r for r in lift.reasons)
    balancer = assess(ClaimKind.WARRANTY_REPAIR, 40, product=BALANCER, **facts)  # 100 kg, 0.5 m³: "> 100 kg" fails
    assert not balancer.requires_onsite_visit
    heavier = make_product(sku="WB-2", name="Balancer", weight_kg=100.5)
    assert assess(ClaimKind.WARRANTY_REPAIR, 40, product=heavier, **facts).requires_onsite_visit


def test_free_repair_without_receipts_becomes_a_paid_repair_with_that_reason(assess) -> None:
    paid = assess(ClaimKind.WARRANTY_REPAIR, 40, defect=DefectType.FUNCTIONAL)
    assert paid.decision is ClaimDecision.PAID_REPAIR
    assert paid.failed_conditions == ("the receipts were not shown",)


def test_units_not_sold_by_the_company_are_repaired_at_a_charge(assess) -> None:
    paid = assess(ClaimKind.WARRANTY_REPAIR, 40, receipts_shown=True, defect=DefectType.FUNCTIONAL,
                  sold_by_tenant=False)
    assert paid.decision is ClaimDecision.PAID_REPAIR
    assert "the unit was not sold by the company" in paid.failed_conditions


def test_warranty_restarts_from_the_exchange_date(hooks, tenant_with) -> None:
    exchanged = date(2026, 3, 12)
    terms = hooks.aftersales_warranty_terms(tenant=tenant_with(**YIZHONGYI), product=BALANCER,
                                            sale=make_sale(sold_on=SOLD, exchanged_on=exchanged))
    assert (terms.warranty_start, terms.warranty_end) == (exchanged, date(2027, 3, 12))
    assert terms.return_until == date(2026, 3, 9)  # the windows still count from the sale
    kept = hooks.aftersales_warranty_terms(
        tenant=tenant_with(**YIZHONGYI, warranty_restarts_on_exchange=False), product=BALANCER,
        sale=make_sale(sold_on=SOLD, exchanged_on=exchanged))
    assert kept.warranty_start == SOLD


def test_a_repair_of_a_component_the_terms_exclude_is_left_to_the_core_which_rejects_it(hooks, tenant_with) -> None:
    tenant = tenant_with(**YIZHONGYI)
    pads = make_coverage_item(component="brake_pads", covered=False, reason="brake pads wear out: they are not covered")
    terms = replace(hooks.aftersales_warranty_terms(tenant=tenant, product=BALANCER, sale=make_sale(sold_on=SOLD)),
                    coverage=(pads, make_coverage_item(component="motor")))

    def assess(component: str):
        reported = SOLD + timedelta(days=30)
        claim = make_claim_facts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=reported, product=BALANCER,
                                 defect=DefectType.FUNCTIONAL, receipts_shown=True, component=component)
        return hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms, today=reported)

    rejected = assess("brake_pads")
    assert (rejected.decision, rejected.failed_conditions) == (ClaimDecision.REJECT, (pads.reason,))
    assert assess("motor").decision is ClaimDecision.FREE_REPAIR
