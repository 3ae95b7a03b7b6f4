"""Moving a tenant to another vertical (``aftersales tenants switch-vertical SLUG NEW``), in one transaction.

What changes, and why:

* **Settings.** The old vertical's settings are dropped and the new vertical's apply: those given (``--settings``)
  over the new schema's defaults, validated as onboarding validates them. Add-ons and their settings stay.
* **Open requests' clocks are recomputed** under the new vertical's targets, keeping the time already elapsed
  (:mod:`aftersales.service.clocks.retarget`): a tenant changes vertical because the old one's promises were the
  wrong ones (Golden Laser's laser machines ran a phone importer's 7- and 30-business-day clocks, one of which
  offers a replacement on breach), so keeping them would keep breaching promises the company never made, and
  the new promises count from the moment the customer reported, as the customer was promised. Met clocks and
  ended requests are history and stay as they were; every changed request says so on its timeline.
* **Stored coverage is kept as decided**: the terms on a registration are what its owner was told, and a platform
  change must not shorten a warranty already given. Registrations from now on get the new vertical's terms. The
  report counts, per registration, where the new vertical would decide differently.
* **The service catalogue** gains the new vertical's default offerings the tenant lacks; its own stay.

Everything is written in one transaction; a dry run computes exactly the same and rolls it back. A commit makes
this process forget the cached tenant at once; other processes see the new vertical within their tenant cache's
lifetime (:data:`aftersales.tenancy.current.TENANT_CACHE_SECONDS`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db import Database
from aftersales.db.session import TENANT_KEY, TenantSession
from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.models import Offering
from aftersales.onboarding.services import manifest_of, onboard
from aftersales.plugins import PluginRegistry
from aftersales.service.clocks.retarget import ClockChange, describe, retarget_request
from aftersales.service.models import ServiceRequest
from aftersales.service.states import FINAL
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.directory import get_tenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import Coverage, ProductModel, Registration, Serial
from aftersales.warranty.registrations.coverage import sale_of

SHOWN_COVERAGE_DIFFERENCES = 20
"""At most this many registrations decided differently are listed (all are counted)."""


@dataclass(frozen=True)
class Setting:
    """One setting of the old or new vertical: its value, and whether the tenant gave it or it is the default."""

    name: str
    value: Any
    given: bool


@dataclass(frozen=True)
class RequestEffect:
    """What the switch does to one open request's clocks."""

    number: int
    kind: str
    state: str
    changes: tuple[ClockChange, ...]


@dataclass(frozen=True)
class VerticalSwitch:
    """Everything a switch changed (or, in a dry run, would change)."""

    slug: str
    old: str
    new: str
    applied: bool
    dropped: tuple[Setting, ...]
    added: tuple[Setting, ...]
    requests: tuple[RequestEffect, ...]
    coverage_kept: int
    coverage_differences: tuple[str, ...]
    coverage_differing: int
    offerings_added: tuple[str, ...]

    def report(self) -> list[str]:
        """The switch as lines to print."""
        lines = [f"{self.slug}: {self.old} → {self.new}" + ("" if self.applied else " (dry run: nothing changed)")]
        lines.append(f"settings dropped ({self.old}):")
        lines += [f"  {s.name} = {s.value!r}" + ("" if s.given else " (default)") for s in self.dropped] or ["  none"]
        lines.append(f"settings added ({self.new}):")
        lines += [f"  {s.name} = {s.value!r}" + (" (given)" if s.given else " (default)") for s in self.added]
        lines.append(f"open requests: {len(self.requests)}; their clocks are recomputed under {self.new}'s targets, "
                     "keeping the time elapsed (met clocks stay as they were)")
        for effect in self.requests:
            changed = [describe(c) for c in effect.changes] or ["no clocks"]
            lines.append(f"  #{effect.number} {effect.kind}, {effect.state}: " + "; ".join(changed))
        lines.append(f"stored coverage: kept as decided on {self.coverage_kept} registration(s), not re-decided; "
                     f"{self.new} would decide {self.coverage_differing} of them differently")
        lines += [f"  {line}" for line in self.coverage_differences]
        if self.coverage_differing > len(self.coverage_differences):
            lines.append(f"  … and {self.coverage_differing - len(self.coverage_differences)} more")
        lines.append("service catalogue: " + (f"adds {', '.join(self.offerings_added)}" if self.offerings_added
                                               else "nothing to add") + " (the tenant's own offerings stay)")
        return lines


async def switch_vertical(db: Database, registry: PluginRegistry, slug: str, new: str,
                          settings: Mapping[str, Any] | None, *, now: datetime, dry_run: bool) -> VerticalSwitch:
    """Move tenant ``slug`` to vertical ``new`` with ``settings`` (see the module), or only say what that would do.

    :raises NotFound: no such tenant. :raises InvalidInput: the same vertical, or a bad vertical or settings (every
        field error at once); nothing is written.
    """
    async with db.platform_session() as platform, platform.begin() as transaction:
        tenant = await get_tenant(platform, slug)
        old = tenant.vertical
        if new == old:
            raise InvalidInput(f"tenant {slug!r} is already on the {new} vertical",
                               [FieldError("vertical", f"already {new}")])
        dropped = _settings_of(registry, old, tenant.plugin_settings.get(old, {}))
        raw = manifest_of(tenant)
        raw["vertical"] = new
        raw["settings"] = {name: values for name, values in raw["settings"].items() if name != old}
        raw["settings"][new] = dict(settings or {})
        existing = await _offering_codes(platform, tenant.id)
        await onboard(platform, registry, raw)  # validates everything first; updates the tenant; seeds offerings
        added = _settings_of(registry, new, raw["settings"][new])
        current = bind_tenant(tenant, registry)
        async with _as_tenant(platform, tenant.id) as session:
            offerings = tuple(sorted(await _offering_codes_of(session) - existing))
            why = f"the company moved from the {old} to the {new} vertical"
            requests = tuple([RequestEffect(r.number, r.kind, r.state,
                                            tuple(await retarget_request(session, current, r, now, why=why)))
                              for r in await _open_requests(session)])
            kept, differing, shown = await _coverage_differences(session, current)
            await session.commit()
        if dry_run:
            await transaction.rollback()
    return VerticalSwitch(slug, old, new, not dry_run, dropped, added, requests, kept, tuple(shown), differing,
                          offerings)


def _settings_of(registry: PluginRegistry, vertical: str, given: Mapping[str, Any]) -> tuple[Setting, ...]:
    """Every setting of ``vertical`` for a tenant that gave ``given``: its effective value and whether given.
    A vertical no longer installed shows what the tenant gave."""
    if vertical not in registry.infos:
        return tuple(Setting(name, value, True) for name, value in given.items())
    values = registry.validate_settings(vertical, dict(given), field_prefix=f"settings.{vertical}")
    return tuple(Setting(name, value, name in given) for name, value in values.model_dump(mode="json").items())


@asynccontextmanager
async def _as_tenant(platform: AsyncSession, tenant_id: UUID) -> AsyncIterator[AsyncSession]:
    """A session bound to the tenant on the platform session's connection and transaction (a savepoint), so the
    tenant's rows are written in the same transaction as its record, with row-level security for the tenant."""
    connection = await platform.connection()
    async with AsyncSession(bind=connection, sync_session_class=TenantSession, info={TENANT_KEY: tenant_id},
                            join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        yield session


async def _offering_codes(platform: AsyncSession, tenant_id: UUID) -> set[str]:
    async with _as_tenant(platform, tenant_id) as session:
        return await _offering_codes_of(session)


async def _offering_codes_of(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(Offering.code)))


async def _open_requests(session: AsyncSession) -> list[ServiceRequest]:
    return list(await session.scalars(select(ServiceRequest).where(
        ServiceRequest.state.not_in([state.value for state in FINAL])).order_by(ServiceRequest.number)))


async def _coverage_differences(session: AsyncSession, tenant: CurrentTenant) -> tuple[int, int, list[str]]:
    """How many current coverages are kept, how many the tenant's (new) vertical would decide differently, and
    the first of those as lines."""
    rows = (await session.execute(
        select(Coverage, Registration, ProductModel, Serial.serial)
        .join(Registration, Registration.id == Coverage.registration_id)
        .join(Serial, Serial.id == Registration.serial_id)
        .join(ProductModel, ProductModel.id == Serial.model_id)
        .where(Coverage.superseded_at.is_(None)).order_by(Serial.serial))).all()
    differing, shown = 0, []
    for coverage, registration, model, serial in rows:
        terms = tenant.hooks.aftersales_warranty_terms(tenant=tenant.context, product=product_info(model),
                                                       sale=sale_of(registration))
        before = (coverage.warranty_start, coverage.warranty_end, coverage.parts_support_end)
        after = (terms.warranty_start, terms.warranty_end, terms.parts_support_end)
        if before == after:
            continue
        differing += 1
        if len(shown) < SHOWN_COVERAGE_DIFFERENCES:
            shown.append(f"{serial}: kept {_period(*before)}; {tenant.context.vertical} would decide "
                         f"{_period(*after)}")
    return len(rows), differing, shown


def _period(start: Any, end: Any, parts_end: Any) -> str:
    return f"{start} to {end}" + (f", parts until {parts_end}" if parts_end else "")

