"""The electronics vertical's rules, as pure functions: settings and serials (seeds 000 and 004)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from aftersales_electronics import plugin
from aftersales_electronics.settings import DistanceSla, ElectronicsSettings
from pydantic import ValidationError

from aftersales.contract import ClaimDecision, ClaimKind, DefectType, Money
from aftersales.contract.testing.factories import (
    make_card_evidence,
    make_claim_facts,
    make_coverage_item,
    make_product,
    make_resolution_context,
    make_sale,
)

VALID_IMEI = "490154203237518"


@pytest.fixture(scope="module")
def tenant_with(tenant_context):
    """A tenant in Iran with the given electronics settings over the defaults (the kit's ``tenant_context``)."""
    return lambda **settings: tenant_context("electronics", settings)


@pytest.fixture(scope="module")
def validate(tenant_with):
    """The plugin's own serial check, called as the pure function it is."""
    return lambda serial, **settings: plugin.aftersales_validate_serial(tenant=tenant_with(**settings),
                                                                        serial=serial, product=None)


@pytest.fixture(scope="module")
def hooks(plugin_hooks, tenant_with):
    """The hook callers of an electronics tenant: the plugin, then the core defaults."""
    return plugin_hooks(tenant_with())


# -- settings -------------------------------------------------------------------------------------------


def test_settings_defaults_follow_the_digest() -> None:
    settings = ElectronicsSettings()
    assert settings.repair_result_business_days == 7
    assert settings.replacement_after_business_days == 30
    assert settings.complaint_response_business_hours == 48
    assert settings.hologram_required is True
    assert settings.serial_scheme == "imei"
    assert settings.distance_sla is None
    assert settings.followup_after_installation_days == ()
    assert settings.followup_after_repair_days == ()


def test_distance_sla_defaults_follow_golden_laser() -> None:
    sla = DistanceSla()
    assert (sla.onsite_radius_km, sla.onsite_hours_within_radius, sla.onsite_hours_beyond_radius) == (
        300,
        24,
        72,
    )
    assert (sla.overseas_reply_hours, sla.overseas_repair_hours) == (10, 72)


def test_bad_settings_report_every_field(validate) -> None:
    with pytest.raises(ValidationError) as caught:
        ElectronicsSettings.model_validate(
            {
                "warranty_months": 0,
                "complaint_response_business_hours": -48,
                "serial_scheme": "pattern",
                "serial_pattern": "[unclosed",
                "distance_sla": {"onsite_radius_km": 0},
                "followup_after_installation_days": [3, 0],
                "hologram": True,
            }
        )
    fields = {".".join(str(part) for part in error["loc"]) for error in caught.value.errors()}
    assert fields == {
        "warranty_months",
        "complaint_response_business_hours",
        "serial_pattern",
        "distance_sla.onsite_radius_km",
        "followup_after_installation_days.1",
        "hologram",
    }


def test_pattern_scheme_without_a_pattern_is_refused() -> None:
    with pytest.raises(ValidationError, match="required when serial_scheme is 'pattern'") as caught:
        ElectronicsSettings(serial_scheme="pattern")
    assert caught.value.errors()[0]["loc"] == ("serial_pattern",)


def test_pattern_with_the_imei_scheme_is_refused() -> None:
    with pytest.raises(ValidationError, match="only used when serial_scheme is 'pattern'"):
        ElectronicsSettings(serial_pattern="^GL[0-9]{8}$")


def test_replacement_before_the_repair_deadline_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ElectronicsSettings(repair_result_business_days=10, replacement_after_business_days=10)
    assert caught.value.errors()[0]["loc"] == ("replacement_after_business_days",)


def test_onsite_beyond_the_radius_faster_than_within_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        DistanceSla(onsite_hours_within_radius=96)
    assert caught.value.errors()[0]["loc"] == ("onsite_hours_beyond_radius",)


def test_overseas_repair_before_the_reply_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        DistanceSla(overseas_reply_hours=96)
    assert caught.value.errors()[0]["loc"] == ("overseas_repair_hours",)


# -- IMEI -------------------------------------------------------------------------------------------------


def test_valid_imei_is_accepted(validate) -> None:
    check = validate(VALID_IMEI)
    assert (check.valid, check.normalized, check.scheme, check.reason) == (True, VALID_IMEI, "imei", None)


def test_spaces_and_dashes_are_removed_from_an_imei(validate) -> None:
    assert validate(" 35-209900-176148-1 ").normalized == "352099001761481"


def test_persian_digits_are_accepted_in_an_imei(validate) -> None:
    check = validate("۴۹۰۱۵۴۲۰۳۲۳۷۵۱۸")
    assert check.valid and check.normalized == VALID_IMEI


def test_arabic_indic_digits_are_accepted_in_an_imei(validate) -> None:
    check = validate("٤٩٠١٥٤٢٠٣٢٣٧٥١٨")
    assert check.valid and check.normalized == VALID_IMEI


def test_imei_with_wrong_check_digit_is_refused(validate) -> None:
    check = validate("490154203237519")
    assert not check.valid
    assert check.scheme == "imei"
    assert check.reason is not None and "check digit is wrong" in check.reason


def test_imei_without_check_digit_is_refused(validate) -> None:
    check = validate("49015420323751")
    assert not check.valid
    assert check.reason == "an IMEI has 15 digits; the 14-digit form without its check digit is not accepted"


def test_sixteen_digit_imeisv_is_refused(validate) -> None:
    check = validate("4901542032375186")
    assert not check.valid and check.reason is not None and "IMEISV" in check.reason


def test_imei_with_letters_is_refused(validate) -> None:
    check = validate("49015420323751X")
    assert not check.valid and check.reason == "an IMEI has only digits"


def test_empty_imei_is_refused(validate) -> None:
    check = validate("  ")
    assert not check.valid and check.reason == "the IMEI is empty"


# -- tenant patterns (Golden Laser) -----------------------------------------------------------------------

GOLDEN_LASER = {"serial_scheme": "pattern", "serial_pattern": "^GL[A-Z0-9]{8,12}$"}


def test_serial_matching_the_tenant_pattern_is_accepted_upper_cased(validate) -> None:
    check = validate(" gl2024ab1234 ", **GOLDEN_LASER)
    assert (check.valid, check.normalized, check.scheme) == (True, "GL2024AB1234", "pattern")


def test_serial_not_matching_the_tenant_pattern_is_refused(validate) -> None:
    check = validate("GL12", **GOLDEN_LASER)
    assert not check.valid and check.scheme == "pattern"
    assert check.reason == "the serial does not have this company's format (^GL[A-Z0-9]{8,12}$)"


def test_pattern_must_match_the_whole_serial(validate) -> None:
    assert not validate("XGL12345678", serial_scheme="pattern", serial_pattern="GL[0-9]{8}").valid


# -- the plugin as the platform loads it ------------------------------------------------------------------


def test_plugin_is_found_through_its_entry_point(aftersales_registry) -> None:
    assert "electronics" in aftersales_registry.names
    assert "electronics" not in aftersales_registry.failures
    assert aftersales_registry.info("electronics").settings_schema is ElectronicsSettings


def test_validate_serial_reaches_the_electronics_plugin(hooks, tenant_with) -> None:
    check = hooks.aftersales_validate_serial(tenant=tenant_with(), serial="490154203237519", product=None)
    assert check.scheme == "imei" and not check.valid


# -- warranty, claims, the card and replace-or-refund (seed 000) -----------------------------------------


PHONE = make_product(sku="PH-1", name="Phone One")
SOLD = date(2026, 2, 1)


def test_warranty_is_18_months_or_the_models_override(hooks, tenant_with) -> None:
    terms = hooks.aftersales_warranty_terms(tenant=tenant_with(), product=PHONE, sale=make_sale(sold_on=SOLD))
    assert terms.warranty_end == date(2027, 8, 1)
    override = make_product(sku="PH-2", name="Phone Two", warranty_months=24)
    assert hooks.aftersales_warranty_terms(tenant=tenant_with(), product=override,
                                           sale=make_sale(sold_on=SOLD)).warranty_end == date(2028, 2, 1)


def test_free_repair_needs_the_warranty_card(hooks, tenant_with) -> None:
    terms = hooks.aftersales_warranty_terms(tenant=tenant_with(), product=PHONE, sale=make_sale(sold_on=SOLD))

    def assess(**facts: object):
        claim = make_claim_facts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=date(2026, 5, 1), product=PHONE,
                                 defect=DefectType.FUNCTIONAL, **facts)
        return hooks.aftersales_assess_claim(tenant=tenant_with(), claim=claim, terms=terms, today=date(2026, 5, 1))

    free = assess(warranty_voucher_shown=True)
    assert free.decision is ClaimDecision.FREE_REPAIR
    assert "the receipt promises a result within 7 business days" in free.reasons[-1]
    paid = assess()
    assert paid.decision is ClaimDecision.PAID_REPAIR and paid.failed_conditions == ("the warranty card was not shown",)


def test_card_without_its_hologram_is_not_a_genuine_mehr_card(hooks, tenant_with) -> None:
    no_hologram = make_card_evidence(hologram_code_given=False, hologram_code_matches=False)
    verdict = hooks.aftersales_judge_card(tenant=tenant_with(), card=no_hologram)
    assert not verdict.genuine and "hologram" in verdict.reasons[0]
    assert hooks.aftersales_judge_card(tenant=tenant_with(), card=make_card_evidence()).genuine


def test_card_of_a_unit_registered_without_a_hologram_is_not_genuine(hooks, tenant_with) -> None:
    card = make_card_evidence(unit_has_hologram=False, hologram_code_matches=False)
    verdict = hooks.aftersales_judge_card(tenant=tenant_with(), card=card)
    assert not verdict.genuine and "without a hologram" in verdict.reasons[0]


def test_without_the_hologram_rule_a_matching_card_code_alone_is_genuine(hooks, tenant_with) -> None:
    card = make_card_evidence(hologram_code_given=False, unit_has_hologram=False, hologram_code_matches=False)
    assert hooks.aftersales_judge_card(tenant=tenant_with(hologram_required=False), card=card).genuine


@pytest.fixture(scope="module")
def offer(hooks, tenant_with):
    """The options offered for a repair ``days`` business days in service."""
    def options(days: int, **context: object):
        return hooks.aftersales_resolution_options(
            tenant=tenant_with(), context=make_resolution_context(business_days_in_service=days, **context))

    return options


INVOICE = Money(450_000_000, "IRR")
EXPERT = Money(380_000_000, "IRR")


def test_replacement_is_due_after_30_business_days_not_29(offer) -> None:
    assert [o.kind for o in offer(29, invoice_price=INVOICE, invoice_price_was_market_price=True)] == ["repair"]
    due = offer(30, invoice_price=INVOICE, invoice_price_was_market_price=True)
    assert [(o.kind, o.amount) for o in due] == [("replacement", None), ("refund", INVOICE)]


def test_refund_is_at_the_expert_price_when_the_invoice_was_not_the_market_price(offer) -> None:
    due = offer(31, invoice_price=INVOICE, invoice_price_was_market_price=False, expert_price=EXPERT)
    assert [(o.kind, o.amount) for o in due] == [("replacement", None), ("refund", EXPERT)]
    assert [o.kind for o in offer(31, invoice_price=INVOICE, invoice_price_was_market_price=False)] == ["replacement"]


def test_experts_may_judge_a_replacement_due_early(offer) -> None:
    early = offer(3, invoice_price=INVOICE, invoice_price_was_market_price=True, replacement_approved_by_expert=True)
    assert [o.kind for o in early] == ["replacement", "refund"]


def test_a_repair_of_a_component_the_terms_exclude_is_left_to_the_core_which_rejects_it(hooks, tenant_with) -> None:
    worn = make_coverage_item(component="battery", covered=False, reason="the battery wears out: it is not covered")
    terms = replace(hooks.aftersales_warranty_terms(tenant=tenant_with(), product=PHONE, sale=make_sale(sold_on=SOLD)),
                    coverage=(worn, make_coverage_item(component="machine")))

    def assess(component: str):
        claim = make_claim_facts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=date(2026, 5, 1), product=PHONE,
                                 defect=DefectType.FUNCTIONAL, warranty_voucher_shown=True, component=component)
        return hooks.aftersales_assess_claim(tenant=tenant_with(), claim=claim, terms=terms, today=date(2026, 5, 1))

    rejected = assess("battery")
    assert (rejected.decision, rejected.failed_conditions) == (ClaimDecision.REJECT, (worn.reason,))
    assert assess("machine").decision is ClaimDecision.FREE_REPAIR
