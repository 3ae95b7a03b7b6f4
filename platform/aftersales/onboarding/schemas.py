"""Response bodies of the tenancy API (the request body is the manifest itself)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class TenantSummary(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    status: str
    vertical: str
    addons: list[str]
    locales: list[str]
    currency: str
    time_zone: str


class TenantDetail(TenantSummary):
    manifest: dict[str, Any]
    plugins_available: bool
    """False when the tenant's vertical or an add-on is not loaded in this process."""
    vertical_unavailable: str | None = None
    """Why the tenant's vertical is disabled in this process (its API and pages answer 503 meanwhile)."""
    status_reason: str | None = None
    status_changed_at: datetime | None = None
    status_changed_by: str | None = None


class OnboardResult(BaseModel):
    created: bool
    tenant: TenantDetail


class PluginStatus(BaseModel):
    name: str
    kind: str
    title: str
    version: str
    loaded: bool
    error: str | None = None
    settings_schema: dict[str, Any] | None = None


class StatusChange(BaseModel):
    status: str
    reason: str | None = None
    """Why the tenant is suspended (kept on the tenant, shown to operators)."""
