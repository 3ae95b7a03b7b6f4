"""The onboarding manifest: one TOML file (or JSON body) describing a company on the platform.

The same schema serves ``aftersales onboard tenants/mehr.toml``, the operator API and the operator console,
so all three accept and refuse exactly the same things. See ``tenants/*.toml`` for complete examples.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal

import holidays
import phonenumbers
from babel.numbers import is_currency
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, ValidationError, model_validator

from aftersales.contract.values import CHANNELS, Channel
from aftersales.errors import FieldError, InvalidInput

SUPPORTED_LOCALES = ("en", "fa", "zh", "ka")
WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
SLUG_PATTERN = r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$"
HOSTNAME_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"


def _time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


def _currency(value: str) -> str:
    if not is_currency(value):
        raise ValueError(f"unknown ISO 4217 currency {value!r}")
    return value


def _country(value: str) -> str:
    if value not in holidays.list_supported_countries():
        raise ValueError(f"no public-holiday calendar for country {value!r} (ISO 3166-1 alpha-2 expected)")
    return value


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number in international form (+country code …)") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError("not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
CurrencyCode = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(_currency)]
CountryCode = Annotated[str, Field(min_length=2, max_length=2), AfterValidator(_country)]
PhoneNumber = Annotated[str, AfterValidator(_phone)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BusinessHours(_Strict):
    opens: time
    closes: time

    @model_validator(mode="after")
    def _opens_before_closes(self) -> BusinessHours:
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes")
        return self


class CalendarManifest(_Strict):
    """When the company works: public holidays of ``country``, weekend days, hours, and its own closures."""

    country: CountryCode
    weekend_days: list[Weekday] = Field(max_length=6)
    business_hours: BusinessHours
    hours_by_weekday: dict[Weekday, BusinessHours] = {}
    """Hours that differ on some working days, e.g. ``thu = { opens = 08:00:00, closes = 13:00:00 }``."""
    closures: list[date] = []
    around_the_clock_channels: list[Channel] = Field(default=[], max_length=len(CHANNELS))
    """Request channels open 24/7, e.g. ``["hotline"]`` for a call centre that never closes: the clocks of a request
    opened on one count every hour, not the office hours above."""

    @model_validator(mode="after")
    def _no_hours_on_weekend_days(self) -> CalendarManifest:
        if clash := sorted(set(self.hours_by_weekday) & set(self.weekend_days)):
            raise ValueError(f"hours_by_weekday gives hours for weekend days: {', '.join(clash)}")
        return self

    @model_validator(mode="after")
    def _each_channel_once(self) -> CalendarManifest:
        if len(set(self.around_the_clock_channels)) != len(self.around_the_clock_channels):
            raise ValueError("around_the_clock_channels names a channel twice")
        return self


class BrandingManifest(_Strict):
    """How the company's portal looks and how customers reach it."""

    display_name: str = Field(min_length=1, max_length=200)
    logo_url: str | None = Field(default=None, max_length=500)
    primary_color: str = Field(default="#1d4ed8", pattern=COLOUR_PATTERN)
    accent_color: str = Field(default="#f59e0b", pattern=COLOUR_PATTERN)
    support_email: EmailStr
    support_phone: PhoneNumber
    custom_domain: str | None = Field(default=None, max_length=253, pattern=HOSTNAME_PATTERN)
    irr_as_toman: bool = False
    """Show rial amounts in toman (1 toman = 10 rial) on the portal, as customers in Iran count."""


class SsoManifest(_Strict):
    """The company's OpenID Connect provider for staff sign-in. The client secret itself is never in a manifest:
    ``client_secret_env`` names the environment variable of the server that holds it."""

    issuer: str = Field(min_length=1, max_length=500, pattern=r"^https?://[^\s?#]+$")
    """The provider's issuer URL; its discovery document must name the same issuer."""
    client_id: str = Field(min_length=1, max_length=200)
    client_secret_env: str = Field(min_length=1, max_length=100, pattern=r"^[A-Z_][A-Z0-9_]*$")


class TenantManifest(_Strict):
    """A company on the platform. ``settings`` holds, per plugin name, overrides of that plugin's schema."""

    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    status: Literal["active", "suspended"] = "active"
    vertical: str = Field(min_length=1, max_length=60)
    addons: list[str] = []
    locales: list[Literal["en", "fa", "zh", "ka"]] = Field(min_length=1)
    default_locale: Literal["en", "fa", "zh", "ka"]
    time_zone: TimeZoneName
    currency: CurrencyCode
    calendar: CalendarManifest
    branding: BrandingManifest
    sso: SsoManifest | None = None
    settings: dict[str, dict[str, Any]] = {}

    @model_validator(mode="after")
    def _default_locale_is_offered(self) -> TenantManifest:
        if self.default_locale not in self.locales:
            raise ValueError(f"default_locale {self.default_locale!r} is not in locales")
        return self


def field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    """Pydantic's errors as (dotted field, reason) pairs, all of them."""
    out = []
    for e in error.errors():
        path = ".".join(str(p) for p in e["loc"]) or "(manifest)"
        out.append(FieldError(f"{prefix}{path}", e["msg"].removeprefix("Value error, ")))
    return out


def read_manifest_file(path: Path) -> dict[str, Any]:
    """Read a TOML manifest; a missing file or bad TOML is an :class:`InvalidInput` naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InvalidInput(f"manifest {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"manifest {path} is not valid TOML: {exc}") from None


def slug_is_valid(slug: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, slug) is not None
