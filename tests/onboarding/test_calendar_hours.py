"""The manifest's calendar section (issue 19 §2.5): hours that differ by weekday (Iran's half-day Thursday) and the
channels a tenant keeps open around the clock, validated field by field, stored and read back as a manifest."""

from __future__ import annotations

import pytest

from aftersales.errors import InvalidInput
from aftersales.onboarding.services import manifest_of, onboard, validate_manifest
from aftersales.tenancy.current import tenant_context
from conftest import minimal_manifest

IRAN = {"country": "IR", "weekend_days": ["fri"], "business_hours": {"opens": "08:00", "closes": "17:00"}}


def refused_fields(plugins, **calendar) -> set[str]:
    with pytest.raises(InvalidInput) as caught:
        validate_manifest(plugins, minimal_manifest("alpha", calendar={**IRAN, **calendar}))
    return {e.field for e in caught.value.errors}


@pytest.mark.parametrize(("calendar", "field"), [
    ({"hours_by_weekday": {"thu": {"opens": "13:00", "closes": "08:00"}}}, "calendar.hours_by_weekday.thu"),
    ({"hours_by_weekday": {"thu": {"opens": "08:00", "closes": "25:00"}}}, "calendar.hours_by_weekday.thu.closes"),
    ({"hours_by_weekday": {"fri": {"opens": "08:00", "closes": "13:00"}}}, "calendar"),
    ({"hours_by_weekday": {"thursday": {"opens": "08:00", "closes": "13:00"}}}, "calendar.hours_by_weekday.thursday"),
    ({"around_the_clock_channels": ["pigeon"]}, "calendar.around_the_clock_channels.0"),
    ({"around_the_clock_channels": ["hotline", "hotline"]}, "calendar"),
    ({"around_the_clock_channels": "hotline"}, "calendar.around_the_clock_channels"),
])
def test_bad_weekday_hours_and_channels_are_refused_naming_the_field(plugins, calendar, field):
    refused = refused_fields(plugins, **calendar)
    assert any(f == field or f.startswith(f"{field}.") for f in refused), refused


async def test_a_half_day_thursday_and_a_24_7_hotline_are_stored_and_read_back(runtime):
    raw = minimal_manifest("alpha", calendar={**IRAN, "hours_by_weekday": {"thu": {"opens": "08:00", "closes": "13:00"}},
                                              "around_the_clock_channels": ["hotline"]})
    async with runtime.db.transaction(None) as session:
        tenant, _ = await onboard(session, runtime.plugins, raw)
        back = manifest_of(tenant)
    calendar = tenant_context(tenant, runtime.plugins).calendar
    assert (calendar.hours_by_weekday, calendar.around_the_clock_channels) == ({4: ("08:00", "13:00")}, ("hotline",))
    assert back["calendar"]["hours_by_weekday"] == {"thu": {"opens": "08:00", "closes": "13:00"}}
    assert back["calendar"]["around_the_clock_channels"] == ["hotline"]
    validate_manifest(runtime.plugins, back)  # what it reads back, onboarding takes again
