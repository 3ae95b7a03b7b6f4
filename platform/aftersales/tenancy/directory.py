"""The platform's directory of tenants: look them up by slug or id, suspend and reactivate them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.tenancy.models import Tenant

TENANT_STATUSES = ("active", "suspended")


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
