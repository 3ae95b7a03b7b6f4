"""A tenant's look on its pages: name, logo, colours, support contacts and languages."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.onboarding.manifest import SUPPORTED_LOCALES
from aftersales.tenancy.models import Tenant

PLATFORM_NAME = "aftersales"


@dataclass(frozen=True)
class Branding:
    """What a page shows of the tenant; everything here comes from its onboarding manifest."""

    name: str
    logo_url: str | None
    primary_color: str
    accent_color: str
    support_email: str
    support_phone: str
    locales: tuple[str, ...]
    default_locale: str
    irr_as_toman: bool

    @classmethod
    def of(cls, tenant: Tenant) -> Branding:
        """The branding stored for ``tenant`` (colours are validated as ``#rrggbb`` at onboarding)."""
        brand = tenant.branding
        return cls(
            name=brand.get("display_name") or tenant.name,
            logo_url=brand.get("logo_url"),
            primary_color=brand.get("primary_color", "#1d4ed8"),
            accent_color=brand.get("accent_color", "#f59e0b"),
            support_email=brand.get("support_email", ""),
            support_phone=brand.get("support_phone", ""),
            locales=tuple(tenant.locales),
            default_locale=tenant.default_locale,
            irr_as_toman=bool(brand.get("irr_as_toman", False)),
        )

    @classmethod
    def platform(cls) -> Branding:
        """The platform's own look, for the operator console (no tenant's branding belongs there)."""
        return cls(name=PLATFORM_NAME, logo_url=None, primary_color="#334155", accent_color="#0ea5e9",
                   support_email="", support_phone="", locales=SUPPORTED_LOCALES, default_locale="en",
                   irr_as_toman=False)
