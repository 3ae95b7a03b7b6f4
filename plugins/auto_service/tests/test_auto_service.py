"""The auto-service vertical's rules, as pure functions: settings and serials (seeds 002 and 003)."""

from __future__ import annotations

import uuid

import pytest
from aftersales_auto_service import plugin
from aftersales_auto_service.serials import vin_check_digit
from aftersales_auto_service.settings import AutoServiceSettings
from pydantic import ValidationError

from aftersales.plugins import build_plugin_registry
from aftersales.values import BusinessCalendarInfo, TenantContext

YIZHONGYI = {"serial_scheme": "pattern", "serial_pattern": "^YZY-[0-9]{4}-[0-9]{5}$"}


def tenant_with(**settings: object) -> TenantContext:
    """A Carmax-like tenant with the given auto-service settings over the defaults."""
    return TenantContext(
        id=uuid.UUID(int=0),
        slug="carmax",
        vertical="auto_service",
        country="IR",
        currency="IRR",
        time_zone="Asia/Tehran",
        locales=("fa",),
        calendar=BusinessCalendarInfo(country="IR", weekend_days=(5,), business_hours=("08:00", "17:00")),
        settings=AutoServiceSettings.model_validate(settings),
    )


def validate(serial: str, **settings: object):
    return plugin.aftersales_validate_serial(tenant=tenant_with(**settings), serial=serial, product=None)


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


def test_bad_settings_report_every_field() -> None:
    with pytest.raises(ValidationError) as caught:
        AutoServiceSettings.model_validate(
            {
                "serial_scheme": "imei",
                "warranty_months": 0,
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
def test_north_american_vin_with_right_check_digit_is_accepted(vin: str) -> None:
    check = validate(vin)
    assert (check.valid, check.normalized, check.scheme, check.reason) == (True, vin, "vin", None)


def test_check_digit_ten_is_written_x() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"


def test_north_american_vin_with_wrong_check_digit_is_refused() -> None:
    check = validate("1M8GDM9A1KP042788")
    assert not check.valid and check.scheme == "vin"
    assert check.reason is not None and "check digit" in check.reason


def test_european_vin_is_checked_for_structure_only() -> None:
    check = validate("WVWZZZ1JZXW000001")
    assert (check.valid, check.scheme) == (True, "vin")


def test_vin_is_trimmed_and_upper_cased() -> None:
    assert validate("  1m8gdm9axkp042788 ").normalized == "1M8GDM9AXKP042788"


def test_persian_digits_are_accepted_in_a_vin() -> None:
    assert validate("۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱").normalized == "11111111111111111"


def test_vin_with_letter_o_is_refused() -> None:
    check = validate("WVWZZZ1JZXW0O0001")
    assert not check.valid
    assert check.reason == (
        "a VIN never contains the letters I, O or Q (found O at position 13; it is probably a 1 or a 0)"
    )


def test_vin_of_16_characters_is_refused() -> None:
    check = validate("1M8GDM9AXKP04278")
    assert not check.valid and check.reason == "a VIN has 17 characters, not 16"


def test_vin_with_punctuation_is_refused() -> None:
    check = validate("1M8GDM9AXKP0427.8")
    assert (
        not check.valid and check.reason == "a VIN has only digits and letters A-Z (found '.' at position 16)"
    )


# -- equipment patterns (Yizhongyi) -----------------------------------------------------------------------


def test_equipment_serial_matching_the_pattern_is_accepted() -> None:
    check = validate("yzy-2024-00017", **YIZHONGYI)
    assert (check.valid, check.normalized, check.scheme) == (True, "YZY-2024-00017", "pattern")


def test_equipment_serial_not_matching_the_pattern_is_refused() -> None:
    check = validate("YZY-24-17", **YIZHONGYI)
    assert not check.valid and check.scheme == "pattern"


# -- the plugin as the platform loads it ------------------------------------------------------------------


def test_plugin_is_found_through_its_entry_point() -> None:
    registry = build_plugin_registry()
    assert "auto_service" in registry.names
    assert "auto_service" not in registry.failures
    assert registry.info("auto_service").settings_schema is AutoServiceSettings


def test_validate_serial_reaches_the_auto_service_plugin() -> None:
    hooks = build_plugin_registry().hooks_for(["auto_service"])
    check = hooks.aftersales_validate_serial(tenant=tenant_with(), serial="1M8GDM9A1KP042788", product=None)
    assert check.scheme == "vin" and not check.valid
