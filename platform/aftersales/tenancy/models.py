"""The tenant directory table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, PlatformTable, new_id, utcnow


class Tenant(PlatformTable, Base):
    """One company on the platform. Platform-level by design: it is what every tenant-owned row points at,
    and requests must find it (by host, path or token) before any tenant is bound."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="active")
    status_reason: Mapped[str | None] = mapped_column(String(500))
    """Why the tenant was last suspended (None while active)."""
    status_changed_at: Mapped[datetime | None] = mapped_column()
    status_changed_by: Mapped[str | None] = mapped_column(String(120))
    """Who last changed the status (``operator:<id>``, ``client:<id>``), for the operator console's record."""
    vertical: Mapped[str] = mapped_column(String(60))
    addons: Mapped[list[str]] = mapped_column(JSON, default=list)
    plugin_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Per plugin, the settings the manifest gave (validated against the plugin's schema on every write)."""
    locales: Mapped[list[str]] = mapped_column(JSON)
    default_locale: Mapped[str] = mapped_column(String(10))
    time_zone: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))
    weekend_days: Mapped[list[int]] = mapped_column(JSON)
    business_opens: Mapped[str] = mapped_column(String(5))
    business_closes: Mapped[str] = mapped_column(String(5))
    closures: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_by_weekday: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    """Opening hours that differ on some ISO weekdays: ``{"4": ["08:00", "13:00"]}``."""
    around_the_clock_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Request channels open 24/7 (a call centre, a hotline): the clocks of what comes in on them count every hour."""
    branding: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    custom_domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    sso: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The staff console's OpenID Connect provider (manifest ``sso``), or None for password sign-in only."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def plugin_set(self) -> tuple[str, ...]:
        """The plugins hooks reach for this tenant: its vertical and add-ons."""
        return (self.vertical, *self.addons)
