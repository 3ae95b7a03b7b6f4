"""Fixtures of the auto_service plugin's tests: the seed companies as their manifests onboard them."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from aftersales.plugins import PluginRegistry, build_plugin_registry
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.manifest import WEEKDAYS, read_manifest_file
from aftersales.tenancy.services import validate_manifest
from aftersales.values import BusinessCalendarInfo, TenantContext


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    return build_plugin_registry()


@pytest.fixture(scope="module")
def manifest_tenant(registry: PluginRegistry) -> Callable[[str], TenantContext]:
    """The context hooks receive for the tenant of ``tenants/<slug>.toml``, its manifest validated as at onboarding."""

    def build(slug: str) -> TenantContext:
        manifest, settings = validate_manifest(registry, read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
        calendar = manifest.calendar
        return TenantContext(
            id=uuid.UUID(int=0),
            slug=manifest.slug,
            vertical=manifest.vertical,
            country=calendar.country,
            currency=manifest.currency,
            time_zone=manifest.time_zone,
            locales=tuple(manifest.locales),
            calendar=BusinessCalendarInfo(
                country=calendar.country,
                weekend_days=tuple(WEEKDAYS[day] for day in calendar.weekend_days),
                business_hours=(calendar.business_hours.opens.strftime("%H:%M"),
                                calendar.business_hours.closes.strftime("%H:%M")),
            ),
            settings=settings[manifest.vertical],
        )

    return build
