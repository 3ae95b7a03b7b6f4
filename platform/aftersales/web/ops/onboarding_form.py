"""The onboarding form: what an operator types, turned into a manifest for the same validation as ``aftersales
onboard`` and the operator API (:func:`aftersales.onboarding.services.validate_manifest`), and the manifest's field
errors placed back beside the form fields they concern.

The form covers what a company needs on its first day, its week included: hours that differ by weekday (Iran's
half-day Thursday) and the channels it keeps open around the clock; anything else (add-ons, plugin settings,
closures) goes through a pasted TOML manifest, which is validated the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aftersales.errors import FieldError
from aftersales.web.forms import fields

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEXT_FIELDS = ("slug", "name", "vertical", "default_locale", "time_zone", "currency", "country", "opens", "closes",
               "display_name", "logo_url", "primary_color", "accent_color", "support_email", "support_phone",
               "custom_domain")
LIST_FIELDS = ("locales", "weekend_days", "around_the_clock_channels")
DAY_HOURS = tuple(f"{edge}_{day}" for day in WEEKDAYS for edge in ("opens", "closes"))
"""The hours of one weekday that differ from the usual ones (``opens_thu``, ``closes_thu`` …); blank: the usual."""
OPTIONAL = ("logo_url", "custom_domain")
"""Left out of the manifest when blank (the manifest has no value for them rather than an empty one)."""

FIELD_OF_PATH = {
    "slug": "slug", "name": "name", "vertical": "vertical", "locales": "locales",
    "default_locale": "default_locale", "time_zone": "time_zone", "currency": "currency",
    "calendar.country": "country", "calendar.weekend_days": "weekend_days",
    "calendar.business_hours.opens": "opens", "calendar.business_hours.closes": "closes",
    "calendar.business_hours": "closes",
    "branding.display_name": "display_name", "branding.logo_url": "logo_url",
    "branding.primary_color": "primary_color", "branding.accent_color": "accent_color",
    "branding.support_email": "support_email", "branding.support_phone": "support_phone",
    "branding.custom_domain": "custom_domain", "branding.irr_as_toman": "irr_as_toman",
    "calendar.around_the_clock_channels": "around_the_clock_channels",
    **{f"calendar.hours_by_weekday.{day}": f"hours_{day}" for day in WEEKDAYS},
}
"""A manifest field's dotted path → the form field that edits it (longest prefix wins: ``locales.1`` → locales)."""
FORM = "form"
"""Where an error that belongs to no single field goes: above the form."""


@dataclass(frozen=True)
class OnboardForm:
    """What the operator typed (or the defaults of an empty form), kept to fill the form again."""

    slug: str = ""
    name: str = ""
    vertical: str = ""
    locales: tuple[str, ...] = ("en",)
    default_locale: str = "en"
    time_zone: str = ""
    currency: str = ""
    country: str = ""
    weekend_days: tuple[str, ...] = ("sat", "sun")
    opens: str = "09:00"
    closes: str = "17:00"
    display_name: str = ""
    logo_url: str = ""
    primary_color: str = "#1d4ed8"
    accent_color: str = "#f59e0b"
    support_email: str = ""
    support_phone: str = ""
    custom_domain: str = ""
    irr_as_toman: bool = False
    day_hours: dict[str, str] = field(default_factory=dict)
    """What was typed in :data:`DAY_HOURS`, blanks left out."""
    around_the_clock_channels: tuple[str, ...] = ()

    @classmethod
    def posted(cls, form: Any) -> OnboardForm:
        """The form from a posted multi-dict (``getall`` for the checkbox lists)."""
        values: dict[str, Any] = fields(form, *TEXT_FIELDS)
        values.update({name: tuple(str(v) for v in form.getall(name, [])) for name in LIST_FIELDS})
        values["irr_as_toman"] = form.get("irr_as_toman") == "on"
        values["day_hours"] = {name: typed for name, typed in fields(form, *DAY_HOURS).items() if typed}
        return cls(**values)

    def hours_by_weekday(self) -> dict[str, dict[str, str]]:
        """The weekdays given their own hours (:func:`hours_by_weekday`)."""
        return hours_by_weekday(self.day_hours, self.opens, self.closes)

    def manifest(self) -> dict[str, Any]:
        """The manifest this form describes (blank optional fields left out, text as typed)."""
        branding: dict[str, Any] = {
            "display_name": self.display_name or self.name, "primary_color": self.primary_color,
            "accent_color": self.accent_color, "support_email": self.support_email,
            "support_phone": self.support_phone, "irr_as_toman": self.irr_as_toman,
        }
        branding.update({name: getattr(self, name) for name in OPTIONAL if getattr(self, name)})
        return {
            "slug": self.slug, "name": self.name, "vertical": self.vertical, "locales": list(self.locales),
            "default_locale": self.default_locale, "time_zone": self.time_zone, "currency": self.currency.upper(),
            "calendar": {"country": self.country.upper(), "weekend_days": list(self.weekend_days),
                         "business_hours": {"opens": self.opens, "closes": self.closes},
                         "hours_by_weekday": self.hours_by_weekday(),
                         "around_the_clock_channels": list(self.around_the_clock_channels)},
            "branding": branding,
        }


def hours_by_weekday(day_hours: dict[str, str], opens: str, closes: str) -> dict[str, dict[str, str]]:
    """The weekdays typed their own hours in ``day_hours`` (:data:`DAY_HOURS`), as the manifest's
    ``hours_by_weekday``; a day given only one end keeps the usual other end (``opens``, ``closes``)."""
    return {day: {"opens": day_hours.get(f"opens_{day}") or opens, "closes": day_hours.get(f"closes_{day}") or closes}
            for day in WEEKDAYS if f"opens_{day}" in day_hours or f"closes_{day}" in day_hours}


@dataclass(frozen=True)
class WeekForm:
    """A tenant's working week as an operator edits it on the tenant's page: weekend, usual hours, hours that
    differ by weekday, channels open around the clock."""

    weekend_days: tuple[str, ...] = ()
    opens: str = ""
    closes: str = ""
    day_hours: dict[str, str] = field(default_factory=dict)
    around_the_clock_channels: tuple[str, ...] = ()

    @classmethod
    def posted(cls, form: Any) -> WeekForm:
        """The form from a posted multi-dict."""
        return cls(weekend_days=tuple(str(v) for v in form.getall("weekend_days", [])),
                   opens=fields(form, "opens")["opens"], closes=fields(form, "closes")["closes"],
                   day_hours={name: typed for name, typed in fields(form, *DAY_HOURS).items() if typed},
                   around_the_clock_channels=tuple(str(v) for v in form.getall("around_the_clock_channels", [])))

    @classmethod
    def stored(cls, tenant: Any) -> WeekForm:
        """The tenant's week as it is stored, to fill the form."""
        names = dict(enumerate(WEEKDAYS, start=1))
        day_hours = {}
        for day, (opens, closes) in tenant.hours_by_weekday.items():
            day_hours |= {f"opens_{names[int(day)]}": opens, f"closes_{names[int(day)]}": closes}
        return cls(weekend_days=tuple(names[d] for d in tenant.weekend_days), opens=tenant.business_opens,
                   closes=tenant.business_closes, day_hours=day_hours,
                   around_the_clock_channels=tuple(tenant.around_the_clock_channels or ()))

    def week(self) -> dict[str, Any]:
        """The calendar keys this form sets, as a manifest gives them."""
        return {"weekend_days": list(self.weekend_days),
                "business_hours": {"opens": self.opens, "closes": self.closes},
                "hours_by_weekday": hours_by_weekday(self.day_hours, self.opens, self.closes),
                "around_the_clock_channels": list(self.around_the_clock_channels)}


def form_field(path: str, reason: str) -> str:
    """The form field a manifest error concerns; whole-manifest rules are placed by what they name."""
    if path == "(manifest)":
        return "default_locale" if "default_locale" in reason else FORM
    while path:
        if path in FIELD_OF_PATH:
            return FIELD_OF_PATH[path]
        path = path.rpartition(".")[0]
    return FORM


def errors_by_field(errors: list[FieldError]) -> dict[str, list[str]]:
    """The manifest's field errors grouped by form field, each reason once."""
    out: dict[str, list[str]] = {}
    for error in errors:
        reasons = out.setdefault(form_field(error.field, error.reason), [])
        if error.reason not in reasons:
            reasons.append(error.reason)
    return out

