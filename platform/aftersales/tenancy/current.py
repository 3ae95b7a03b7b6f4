"""The tenant a request or job acts for: its record bound to its plugins (:class:`CurrentTenant`), and this
process's cache of recently bound tenants (:class:`TenantCache`)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from uuid import UUID
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapper, Session, object_session

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import BusinessCalendarInfo, PluginSettings, TenantContext
from aftersales.db import Database
from aftersales.db.session import TenantSession
from aftersales.errors import VerticalUnavailable
from aftersales.hook_calls import GuardedHooks, UnavailableHooks
from aftersales.plugins import PluginRegistry
from aftersales.tenancy.models import Tenant


def tenant_context(tenant: Tenant, registry: PluginRegistry) -> TenantContext:
    """The value object hooks receive for ``tenant``, with its plugins' settings validated.

    :raises VerticalUnavailable: if the tenant's vertical is not loaded in this process (its plugin failed to
        load, or is not installed), with the reason.
    """
    reason = registry.unavailable_reason(tenant.vertical)
    if reason is not None:
        raise VerticalUnavailable(vertical=tenant.vertical, tenant=tenant.slug, reason=reason)
    return _context(tenant, registry, registry.validate_settings(
        tenant.vertical, tenant.plugin_settings.get(tenant.vertical, {}), field_prefix=f"settings.{tenant.vertical}"
    ))


def _context(tenant: Tenant, registry: PluginRegistry, settings: PluginSettings) -> TenantContext:
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
        calendar=calendar_info(tenant),
        settings=settings,
        addon_settings=addon_settings,
    )


def calendar_info(tenant: Tenant) -> BusinessCalendarInfo:
    """The tenant's working time as the contract gives it to hooks and clocks."""
    return BusinessCalendarInfo(
        country=tenant.country,
        weekend_days=tuple(tenant.weekend_days),
        business_hours=(tenant.business_opens, tenant.business_closes),
        closures=tuple(date.fromisoformat(d) for d in tenant.closures),
        hours_by_weekday={int(day): (opens, closes) for day, (opens, closes) in tenant.hours_by_weekday.items()}
        or None,
        around_the_clock_channels=tuple(tenant.around_the_clock_channels or ()),
    )


@dataclass(frozen=True)
class CurrentTenant:
    """A tenant ready to act for: its record, the context hooks receive, and its hook callers."""

    record: Tenant
    context: TenantContext
    hooks: GuardedHooks
    unavailable: str | None = None
    """Why the tenant's vertical is disabled in this process (its hooks then raise
    :class:`~aftersales.errors.VerticalUnavailable`); None when it serves."""

    def refuse_if_unavailable(self) -> None:
        """:raises VerticalUnavailable: the tenant's vertical is disabled (a 503 with the reason)."""
        if isinstance(self.hooks, UnavailableHooks):
            raise self.hooks.error()

    @cached_property
    def calendar(self) -> BusinessCalendar:
        """The tenant's business calendar: time zone, weekend, hours, public holidays and closures."""
        return BusinessCalendar.for_tenant(self.context)

    def today(self) -> date:
        """Today's date in the tenant's time zone."""
        return datetime.now(ZoneInfo(self.record.time_zone)).date()


def bind_tenant(tenant: Tenant, registry: PluginRegistry) -> CurrentTenant:
    """The tenant with its validated context and the hook callers of its plugin set.

    A tenant whose vertical is disabled is still bound (its staff sign in and read why), with the vertical's
    settings left at the bare :class:`PluginSettings` and hook callers that refuse every call with the reason.
    """
    reason = registry.unavailable_reason(tenant.vertical)
    if reason is not None:
        hooks = UnavailableHooks(vertical=tenant.vertical, tenant=tenant.slug, reason=reason)
        return CurrentTenant(tenant, _context(tenant, registry, PluginSettings()), hooks, unavailable=reason)
    return CurrentTenant(tenant, tenant_context(tenant, registry), registry.hooks_for(tenant.plugin_set))


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
