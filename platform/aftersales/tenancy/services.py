"""Onboarding and the tenant directory: validate a manifest, create or update the tenant, look tenants up, and
keep recently bound tenants for the requests that act for them (:class:`TenantCache`)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

import pluggy
from pydantic import ValidationError
from sqlalchemy import event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, Session, object_session

from aftersales.calendar import BusinessCalendar
from aftersales.db import Database
from aftersales.db.base import utcnow
from aftersales.db.session import TenantSession
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.plugins import PluginRegistry
from aftersales.tenancy.manifest import WEEKDAYS, TenantManifest, field_errors
from aftersales.tenancy.models import Tenant
from aftersales.contract.values import BusinessCalendarInfo, PluginSettings, TenantContext

TENANT_STATUSES = ("active", "suspended")


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
    tenant.country = manifest.calendar.country
    tenant.weekend_days = sorted(WEEKDAYS[d] for d in manifest.calendar.weekend_days)
    tenant.business_opens = manifest.calendar.business_hours.opens.strftime("%H:%M")
    tenant.business_closes = manifest.calendar.business_hours.closes.strftime("%H:%M")
    tenant.closures = [d.isoformat() for d in manifest.calendar.closures]
    tenant.hours_by_weekday = {
        str(WEEKDAYS[day]): [hours.opens.strftime("%H:%M"), hours.closes.strftime("%H:%M")]
        for day, hours in manifest.calendar.hours_by_weekday.items()
    }
    tenant.branding = manifest.branding.model_dump(mode="json", exclude={"custom_domain"})
    tenant.custom_domain = manifest.branding.custom_domain
    tenant.sso = manifest.sso.model_dump(mode="json") if manifest.sso else None


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
    # imported here: the marketplace sits above tenancy
    from aftersales.marketplace.catalogue.services import seed_onboarded_catalogue

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
        },
        "branding": {**tenant.branding, "custom_domain": tenant.custom_domain},
        **({"sso": dict(tenant.sso)} if tenant.sso else {}),
        "settings": dict(tenant.plugin_settings),
    }


async def list_tenants(session: AsyncSession) -> list[Tenant]:
    return list(await session.scalars(select(Tenant).order_by(Tenant.slug)))


async def get_tenant(session: AsyncSession, slug: str) -> Tenant:
    tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise NotFound(f"no tenant {slug!r}")
    return tenant


async def get_tenant_by_id(session: AsyncSession, tenant_id: UUID) -> Tenant | None:
    return await session.get(Tenant, tenant_id)


MAX_STATUS_REASON = 500


async def set_status(session: AsyncSession, slug: str, status: str, *, reason: str | None = None,
                     actor: str | None = None, now: datetime | None = None) -> Tenant:
    """Suspend or reactivate a tenant, keeping why (a suspension's reason), when and by whom."""
    errors = []
    if status not in TENANT_STATUSES:
        errors.append(FieldError("status", f"must be one of {', '.join(TENANT_STATUSES)}"))
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_STATUS_REASON:
        errors.append(FieldError("reason", f"must be at most {MAX_STATUS_REASON} characters"))
    if errors:
        raise InvalidInput("invalid status change", errors)
    tenant = await get_tenant(session, slug)
    tenant.status = status
    tenant.status_reason = reason if status != "active" else None
    tenant.status_changed_at = now or utcnow()
    tenant.status_changed_by = actor
    await session.flush()
    return tenant


def tenant_context(tenant: Tenant, registry: PluginRegistry) -> TenantContext:
    """The value object hooks receive for ``tenant``, with its plugins' settings validated.

    :raises InvalidInput: if the tenant's vertical is not loaded in this process (e.g. its plugin failed).
    """
    if tenant.vertical not in registry.infos:
        raise InvalidInput(f"the vertical {tenant.vertical!r} of tenant {tenant.slug!r} is not available")
    settings = registry.validate_settings(
        tenant.vertical, tenant.plugin_settings.get(tenant.vertical, {}), field_prefix=f"settings.{tenant.vertical}"
    )
    addon_settings = {
        name: registry.validate_settings(name, tenant.plugin_settings.get(name, {}), field_prefix=f"settings.{name}")
        for name in tenant.addons
        if name in registry.infos
    }
    return TenantContext(
        id=tenant.id,
        slug=tenant.slug,
        vertical=tenant.vertical,
        country=tenant.country,
        currency=tenant.currency,
        time_zone=tenant.time_zone,
        locales=tuple(tenant.locales),
        calendar=BusinessCalendarInfo(
            country=tenant.country,
            weekend_days=tuple(tenant.weekend_days),
            business_hours=(tenant.business_opens, tenant.business_closes),
            closures=tuple(date.fromisoformat(d) for d in tenant.closures),
            hours_by_weekday={int(day): (opens, closes) for day, (opens, closes) in tenant.hours_by_weekday.items()}
            or None,
        ),
        settings=settings,
        addon_settings=addon_settings,
    )


def manifest_context(registry: PluginRegistry, raw: dict[str, Any]) -> TenantContext:
    """The context hooks would receive for the tenant ``raw`` describes, without a database: the manifest
    validated as onboarding validates it and read as a stored tenant is (plugin tests, previews).

    :raises InvalidInput: listing every field error of the manifest.
    """
    manifest, _ = validate_manifest(registry, raw)
    tenant = Tenant(id=UUID(int=0))
    _apply(tenant, manifest)
    return tenant_context(tenant, registry)


@dataclass(frozen=True)
class CurrentTenant:
    """A tenant ready to act for: its record, the context hooks receive, and its hook callers."""

    record: Tenant
    context: TenantContext
    hooks: pluggy.HookRelay

    @cached_property
    def calendar(self) -> BusinessCalendar:
        """The tenant's business calendar: time zone, weekend, hours, public holidays and closures."""
        return BusinessCalendar.for_tenant(self.context)

    def today(self) -> date:
        """Today's date in the tenant's time zone."""
        return datetime.now(ZoneInfo(self.record.time_zone)).date()


def bind_tenant(tenant: Tenant, registry: PluginRegistry) -> CurrentTenant:
    """The tenant with its validated context and the hook callers of its plugin set."""
    return CurrentTenant(tenant, tenant_context(tenant, registry), registry.hooks_for(tenant.plugin_set))


# -- recently bound tenants ---------------------------------------------------------------------------------

TENANT_CACHE_SECONDS = 5.0
"""How long a bound tenant is kept: the longest a change made by another process takes to apply."""
TENANT_CACHE_ENTRIES = 10_000
"""At most this many tenants are kept per process; the longest-kept one makes room."""
_CHANGED_TENANTS = "aftersales.changed_tenants"


class TenantCache:
    """Active tenants recently bound in this process, by id, so an API request finds the tenant its token names
    without a platform transaction (three round trips on PostgreSQL) and a re-validation of its settings.

    How soon a change to a tenant (its status above all) applies:

    * made on a :class:`Tenant` object in this process (the operator API suspending a tenant, onboarding
      updating it): at once — the commit forgets the tenant, and a load that raced with that commit is not kept;
    * made anywhere else (another server process or machine, a bulk UPDATE, plain SQL): within
      :data:`TENANT_CACHE_SECONDS` (5 s), when the entry expires and the tenant is loaded again.

    Only active tenants are kept: a suspended or unknown tenant is looked up on every request, so reactivating
    one applies at once. Entries are keyed by the tenant's id and an entry is kept only if its record has that
    id, so a request is never given another tenant's record, context or hook callers. The records kept are
    detached snapshots shared by concurrent requests: read them, never change them.
    """

    def __init__(self, ttl_seconds: float = TENANT_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        """Seconds from any fixed point (monotonic); tests pass their own to expire entries without sleeping."""
        self._entries: dict[UUID, tuple[float, CurrentTenant]] = {}
        self._generation = 0

    async def get(self, tenant_id: UUID, load: Callable[[], Awaitable[CurrentTenant]]) -> CurrentTenant:
        """The tenant ``tenant_id``, kept or loaded by ``load`` (which raises for a missing or inactive tenant)."""
        entry = self._entries.get(tenant_id)
        if entry is not None and entry[0] > self.clock():
            return entry[1]
        generation = self._generation
        current = await load()
        if generation == self._generation and current.record.id == tenant_id and current.record.status == "active":
            self._entries.pop(tenant_id, None)
            if len(self._entries) >= TENANT_CACHE_ENTRIES:
                del self._entries[next(iter(self._entries))]
            self._entries[tenant_id] = (self.clock() + self.ttl_seconds, current)
        return current

    def forget(self, tenant_ids: Iterable[UUID]) -> None:
        """Drop these tenants, and keep no load that was under way (it may have read them before the change)."""
        self._generation += 1
        for tenant_id in tenant_ids:
            self._entries.pop(tenant_id, None)


_caches: WeakKeyDictionary[Engine, TenantCache] = WeakKeyDictionary()


def tenant_cache(db: Database) -> TenantCache:
    """This process's cache of the tenants in ``db``: one per engine, made on first use, so runtimes on different
    databases (every test has its own) never share one, and a commit forgets tenants only where it was made."""
    engine = db.engine.sync_engine
    cache = _caches.get(engine)
    if cache is None:
        cache = _caches[engine] = TenantCache()
    return cache


async def active_tenant(db: Database, registry: PluginRegistry, tenant_id: UUID) -> CurrentTenant | None:
    """The tenant bound to its plugins, from this process's tenant cache when it is there, or None when it is
    missing or not active (background jobs skip it; the API refuses such a tenant instead)."""
    async def load() -> CurrentTenant:
        async with db.platform_session() as session:
            record = await session.get(Tenant, tenant_id)
        if record is None or record.status != "active":
            raise LookupError(tenant_id)
        return bind_tenant(record, registry)

    try:
        return await tenant_cache(db).get(tenant_id, load)
    except LookupError:
        return None


def _note_changed_tenant(mapper: Mapper[Tenant], connection: Connection, target: Tenant) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_CHANGED_TENANTS, set()).add(target.id)


event.listen(Tenant, "after_update", _note_changed_tenant)
event.listen(Tenant, "after_delete", _note_changed_tenant)


@event.listens_for(TenantSession, "after_commit")
def _forget_committed_changes(session: Session) -> None:
    changed = session.info.pop(_CHANGED_TENANTS, None)
    cache = _caches.get(session.get_bind()) if changed else None
    if cache is not None:
        cache.forget(changed)
