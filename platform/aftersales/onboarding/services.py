"""Onboarding: validate a company's manifest, create or update its tenant, and read a tenant back as a
manifest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import OfferingSpec, PluginSettings, RequestFacts, SlaTarget, TenantContext
from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.catalogue.services import seed_onboarded_catalogue
from aftersales.onboarding.manifest import WEEKDAYS, CalendarManifest, TenantManifest, field_errors
from aftersales.plugins import PluginRegistry
from aftersales.service.clocks.services import targets_of
from aftersales.service.requests.services import Kind
from aftersales.tenancy import directory
from aftersales.tenancy.current import bind_tenant, tenant_context
from aftersales.tenancy.models import Tenant


def validate_manifest(registry: PluginRegistry, raw: dict[str, Any]) -> tuple[TenantManifest, dict[str, PluginSettings]]:
    """Check a manifest completely: its shape, its plugins, and every plugin's settings.

    :raises InvalidInput: listing every field error found, not just the first.
    """
    errors: list[FieldError] = []
    manifest: TenantManifest | None = None
    try:
        manifest = TenantManifest.model_validate(raw)
    except ValidationError as exc:
        errors += field_errors(exc)

    vertical = raw.get("vertical") if isinstance(raw.get("vertical"), str) else None
    addons = [a for a in raw.get("addons", []) if isinstance(a, str)] if isinstance(raw.get("addons"), list) else []
    settings_raw = raw.get("settings") if isinstance(raw.get("settings"), dict) else {}
    validated: dict[str, PluginSettings] = {}

    plugins: list[tuple[str, str, str]] = []  # (name, field, expected kind)
    if vertical:
        plugins.append((vertical, "vertical", "vertical"))
    plugins += [(name, f"addons.{i}", "addon") for i, name in enumerate(addons)]
    for name, field, kind in plugins:
        if name not in registry.infos:
            why = registry.failures.get(name)
            reason = f"plugin {name!r} is disabled: {why.reason}" if why else f"no {kind} plugin named {name!r}"
            errors.append(FieldError(field, reason))
            continue
        if registry.info(name).kind != kind:
            errors.append(FieldError(field, f"plugin {name!r} is a {registry.info(name).kind}, not a {kind}"))
            continue
        section = settings_raw.get(name, {})
        if not isinstance(section, dict):
            errors.append(FieldError(f"settings.{name}", "must be a table of settings"))
            continue
        try:
            validated[name] = registry.validate_settings(name, section, field_prefix=f"settings.{name}")
        except InvalidInput as exc:
            errors += exc.errors
    for name in settings_raw:
        if name not in {p[0] for p in plugins}:
            errors.append(FieldError(f"settings.{name}", f"plugin {name!r} is not enabled for this tenant"))

    if errors or manifest is None:
        raise InvalidInput("the tenant manifest is invalid", errors)
    return manifest, validated


def _apply(tenant: Tenant, manifest: TenantManifest) -> None:
    tenant.slug = manifest.slug
    tenant.name = manifest.name
    tenant.status = manifest.status
    tenant.vertical = manifest.vertical
    tenant.addons = list(manifest.addons)
    tenant.plugin_settings = {name: dict(values) for name, values in manifest.settings.items()}
    tenant.locales = list(manifest.locales)
    tenant.default_locale = manifest.default_locale
    tenant.time_zone = manifest.time_zone
    tenant.currency = manifest.currency
    _apply_calendar(tenant, manifest.calendar)
    tenant.branding = manifest.branding.model_dump(mode="json", exclude={"custom_domain"})
    tenant.custom_domain = manifest.branding.custom_domain
    tenant.sso = manifest.sso.model_dump(mode="json") if manifest.sso else None


def _apply_calendar(tenant: Tenant, calendar: CalendarManifest) -> None:
    tenant.country = calendar.country
    tenant.weekend_days = sorted(WEEKDAYS[d] for d in calendar.weekend_days)
    tenant.business_opens = calendar.business_hours.opens.strftime("%H:%M")
    tenant.business_closes = calendar.business_hours.closes.strftime("%H:%M")
    tenant.closures = [d.isoformat() for d in calendar.closures]
    tenant.hours_by_weekday = {
        str(WEEKDAYS[day]): [hours.opens.strftime("%H:%M"), hours.closes.strftime("%H:%M")]
        for day, hours in calendar.hours_by_weekday.items()
    }
    tenant.around_the_clock_channels = list(calendar.around_the_clock_channels)


async def set_week(session: AsyncSession, registry: PluginRegistry, slug: str, week: dict[str, Any]) -> Tenant:
    """Change a tenant's working week — weekend, usual hours, hours by weekday, channels open around the clock —
    validated as its whole manifest is (``week`` replaces those keys of its ``calendar``; its country and closures
    stay). Nothing else of the tenant changes, and clocks already planned keep their due times.

    :raises NotFound: no tenant has ``slug``.
    :raises InvalidInput: every field error (paths as in a manifest, ``calendar.…``); nothing is written.
    """
    tenant = await directory.get_tenant(session, slug)
    raw = manifest_of(tenant)
    raw["calendar"] = {**raw["calendar"], **{key: week[key] for key in WEEK_KEYS if key in week}}
    manifest, _ = validate_manifest(registry, raw)
    _apply_calendar(tenant, manifest.calendar)
    await session.flush()
    return tenant


WEEK_KEYS = ("weekend_days", "business_hours", "hours_by_weekday", "around_the_clock_channels")
"""The calendar's keys :func:`set_week` changes."""


async def onboard(session: AsyncSession, registry: PluginRegistry, raw: dict[str, Any]) -> tuple[Tenant, bool]:
    """Create the tenant a manifest describes, or update it in place if its slug exists (never a duplicate), and
    add the default service catalogue entries of its vertical that it lacks.

    :return: the tenant and whether it was created.
    :raises InvalidInput: with every field error; nothing is written.
    """
    manifest, _ = validate_manifest(registry, raw)
    tenant = await session.scalar(select(Tenant).where(Tenant.slug == manifest.slug))
    if manifest.branding.custom_domain:
        holder = await session.scalar(select(Tenant).where(Tenant.custom_domain == manifest.branding.custom_domain))
        if holder is not None and holder.slug != manifest.slug:
            raise InvalidInput(
                "the tenant manifest is invalid",
                [FieldError("branding.custom_domain", "this domain is already used by another tenant")],
            )
    created = tenant is None
    if tenant is None:
        tenant = Tenant()
        session.add(tenant)
    _apply(tenant, manifest)
    await session.flush()
    specs = registry.hooks_for(tenant.plugin_set).aftersales_service_catalogue(tenant=tenant_context(tenant, registry))
    await seed_onboarded_catalogue(session, tenant.id, specs)
    return tenant, created


def manifest_of(tenant: Tenant) -> dict[str, Any]:
    """The tenant as a manifest (what ``onboard`` would accept to recreate it)."""
    names = {v: k for k, v in WEEKDAYS.items()}
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "status": tenant.status,
        "vertical": tenant.vertical,
        "addons": list(tenant.addons),
        "locales": list(tenant.locales),
        "default_locale": tenant.default_locale,
        "time_zone": tenant.time_zone,
        "currency": tenant.currency,
        "calendar": {
            "country": tenant.country,
            "weekend_days": [names[d] for d in tenant.weekend_days],
            "business_hours": {"opens": tenant.business_opens, "closes": tenant.business_closes},
            "closures": list(tenant.closures),
            **({"hours_by_weekday": {
                names[int(day)]: {"opens": opens, "closes": closes}
                for day, (opens, closes) in sorted(tenant.hours_by_weekday.items())
            }} if tenant.hours_by_weekday else {}),
            **({"around_the_clock_channels": list(tenant.around_the_clock_channels)}
               if tenant.around_the_clock_channels else {}),
        },
        "branding": {**tenant.branding, "custom_domain": tenant.custom_domain},
        **({"sso": dict(tenant.sso)} if tenant.sso else {}),
        "settings": dict(tenant.plugin_settings),
    }


def manifest_context(registry: PluginRegistry, raw: dict[str, Any]) -> TenantContext:
    """The context hooks would receive for the tenant ``raw`` describes, without a database: the manifest
    validated as onboarding validates it and read as a stored tenant is (plugin tests, previews).

    :raises InvalidInput: listing every field error of the manifest.
    """
    return tenant_context(_unsaved_tenant(registry, raw), registry)


def _unsaved_tenant(registry: PluginRegistry, raw: dict[str, Any]) -> Tenant:
    manifest, _ = validate_manifest(registry, raw)
    tenant = Tenant(id=UUID(int=0))
    _apply(tenant, manifest)
    return tenant


@dataclass(frozen=True)
class OnboardingPreview:
    """What onboarding a manifest would give its tenant, computed without a database."""

    context: TenantContext
    """What its vertical's hooks would receive."""
    catalogue: list[OfferingSpec]
    """The default service catalogue its vertical seeds."""
    clocks: dict[str, list[SlaTarget]]
    """Per request kind, the clocks a typical request (by phone, no product or place known) would run."""


def preview(registry: PluginRegistry, raw: dict[str, Any], now: datetime) -> OnboardingPreview:
    """Onboarding's dry run: the context, catalogue and clocks the manifest ``raw`` would produce; writes nothing.

    :raises InvalidInput: listing every field error of the manifest, as onboarding would.
    """
    tenant = bind_tenant(_unsaved_tenant(registry, raw), registry)
    catalogue = tenant.hooks.aftersales_service_catalogue(tenant=tenant.context) or []
    clocks = {kind: targets_of(tenant, RequestFacts(kind=kind, channel="phone", opened_at=now))
              for kind in get_args(Kind)}
    return OnboardingPreview(tenant.context, list(catalogue), clocks)
