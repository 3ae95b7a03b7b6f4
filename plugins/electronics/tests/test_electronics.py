"""The electronics vertical's rules, as pure functions: settings and serials (seeds 000 and 004)."""

from __future__ import annotations

import uuid

import pytest
from aftersales_electronics import plugin
from aftersales_electronics.settings import DistanceSla, ElectronicsSettings
from pydantic import ValidationError

from aftersales.plugins import build_plugin_registry
from aftersales.values import BusinessCalendarInfo, TenantContext

VALID_IMEI = "490154203237518"


def tenant_with(**settings: object) -> TenantContext:
    """A Mehr-like tenant with the given electronics settings over the defaults."""
    return TenantContext(
        id=uuid.UUID(int=0),
        slug="mehr",
        vertical="electronics",
        country="IR",
        currency="IRR",
        time_zone="Asia/Tehran",
        locales=("fa", "en"),
        calendar=BusinessCalendarInfo(country="IR", weekend_days=(5,), business_hours=("08:00", "17:00")),
        settings=ElectronicsSettings.model_validate(settings),
    )


def validate(serial: str, **settings: object):
    return plugin.aftersales_validate_serial(tenant=tenant_with(**settings), serial=serial, product=None)


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


def test_distance_sla_defaults_follow_golden_laser() -> None:
    sla = DistanceSla()
    assert (sla.onsite_radius_km, sla.onsite_hours_within_radius, sla.onsite_hours_beyond_radius) == (
        300,
        24,
        72,
    )
    assert (sla.overseas_reply_hours, sla.overseas_repair_hours) == (10, 72)


def test_bad_settings_report_every_field() -> None:
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


def test_valid_imei_is_accepted() -> None:
    check = validate(VALID_IMEI)
    assert (check.valid, check.normalized, check.scheme, check.reason) == (True, VALID_IMEI, "imei", None)


def test_spaces_and_dashes_are_removed_from_an_imei() -> None:
    assert validate(" 35-209900-176148-1 ").normalized == "352099001761481"


def test_persian_digits_are_accepted_in_an_imei() -> None:
    check = validate("۴۹۰۱۵۴۲۰۳۲۳۷۵۱۸")
    assert check.valid and check.normalized == VALID_IMEI


def test_arabic_indic_digits_are_accepted_in_an_imei() -> None:
    check = validate("٤٩٠١٥٤٢٠٣٢٣٧٥١٨")
    assert check.valid and check.normalized == VALID_IMEI


def test_imei_with_wrong_check_digit_is_refused() -> None:
    check = validate("490154203237519")
    assert not check.valid
    assert check.scheme == "imei"
    assert check.reason is not None and "check digit is wrong" in check.reason


def test_imei_without_check_digit_is_refused() -> None:
    check = validate("49015420323751")
    assert not check.valid
    assert check.reason == "an IMEI has 15 digits; the 14-digit form without its check digit is not accepted"


def test_sixteen_digit_imeisv_is_refused() -> None:
    check = validate("4901542032375186")
    assert not check.valid and check.reason is not None and "IMEISV" in check.reason


def test_imei_with_letters_is_refused() -> None:
    check = validate("49015420323751X")
    assert not check.valid and check.reason == "an IMEI has only digits"


def test_empty_imei_is_refused() -> None:
    check = validate("  ")
    assert not check.valid and check.reason == "the IMEI is empty"


# -- tenant patterns (Golden Laser) -----------------------------------------------------------------------

GOLDEN_LASER = {"serial_scheme": "pattern", "serial_pattern": "^GL[A-Z0-9]{8,12}$"}


def test_serial_matching_the_tenant_pattern_is_accepted_upper_cased() -> None:
    check = validate(" gl2024ab1234 ", **GOLDEN_LASER)
    assert (check.valid, check.normalized, check.scheme) == (True, "GL2024AB1234", "pattern")


def test_serial_not_matching_the_tenant_pattern_is_refused() -> None:
    check = validate("GL12", **GOLDEN_LASER)
    assert not check.valid and check.scheme == "pattern"
    assert check.reason == "the serial does not have this company's format (^GL[A-Z0-9]{8,12}$)"


def test_pattern_must_match_the_whole_serial() -> None:
    assert not validate("XGL12345678", serial_scheme="pattern", serial_pattern="GL[0-9]{8}").valid


# -- the plugin as the platform loads it ------------------------------------------------------------------


def test_plugin_is_found_through_its_entry_point() -> None:
    registry = build_plugin_registry()
    assert "electronics" in registry.names
    assert "electronics" not in registry.failures
    assert registry.info("electronics").settings_schema is ElectronicsSettings


def test_validate_serial_reaches_the_electronics_plugin() -> None:
    hooks = build_plugin_registry().hooks_for(["electronics"])
    check = hooks.aftersales_validate_serial(tenant=tenant_with(), serial="490154203237519", product=None)
    assert check.scheme == "imei" and not check.valid
