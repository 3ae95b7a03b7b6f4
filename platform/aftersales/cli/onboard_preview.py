"""``aftersales onboard --dry-run``: what a manifest would give its tenant, printed, with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from aftersales.contract.values import SlaTarget
from aftersales.onboarding.manifest import WEEKDAYS, read_manifest_file
from aftersales.onboarding.services import OnboardingPreview, preview
from aftersales.plugins import build_plugin_registry

DAY_NAMES = {number: name for name, number in WEEKDAYS.items()}


def print_previews(manifests: tuple[Path, ...]) -> None:
    """Validate every manifest as onboarding does and print what each would produce; no database is opened."""
    registry = build_plugin_registry()
    now = datetime.now(UTC)
    for path in manifests:
        click.echo(describe(path, preview(registry, read_manifest_file(path), now)))
    click.echo("dry run: nothing was written")


def describe(path: Path, shown: OnboardingPreview) -> str:
    """The preview as a plain-text report: the tenant context, the default catalogue, the clocks per kind."""
    ctx = shown.context
    calendar = ctx.calendar
    hours = "-".join(calendar.business_hours)
    weekend = ", ".join(DAY_NAMES[d] for d in calendar.weekend_days) or "none"
    closures = ", ".join(d.isoformat() for d in calendar.closures) or "none"
    special = "".join(f", {DAY_NAMES[day]} {'-'.join(h)}" for day, h in sorted((calendar.hours_by_weekday or {}).items()))
    settings = ", ".join(f"{name}={value!r}" for name, value in ctx.settings.model_dump().items()) or "(none)"
    no_catalogue = (f"    none: the {ctx.vertical} vertical seeds no offering "
                    "(a vertical seeds them by implementing aftersales_service_catalogue)")
    lines = [
        f"{path}: {ctx.slug} on the {ctx.vertical} vertical",
        "  tenant context",
        f"    country {ctx.country}, currency {ctx.currency}, time zone {ctx.time_zone}, locales {', '.join(ctx.locales)}",
        f"    weekend {weekend}; hours {hours}{special}; closures {closures}"
        + (f"; open around the clock: {', '.join(calendar.around_the_clock_channels)}"
           if calendar.around_the_clock_channels else ""),
        f"    settings.{ctx.vertical}: {settings}",
        *(f"    settings.{name}: {', '.join(f'{k}={v!r}' for k, v in values.model_dump().items()) or '(none)'}"
          for name, values in ctx.addon_settings.items()),
        f"  default service catalogue ({len(shown.catalogue)} offerings)",
        *(f"    {spec.code:<24} {spec.name} ({spec.category}, {spec.duration_minutes} min)" for spec in shown.catalogue),
        *([] if shown.catalogue else [no_catalogue]),
        "  clocks of a typical request (by phone, no product or place known)",
    ]
    for kind, targets in shown.clocks.items():
        if not targets:
            lines.append(f"    {kind:<12} no clock")
        for target in targets:
            lines.append(f"    {kind:<12} {target.name:<20} {_duration(target):<20} {target.starts_on} -> "
                         f"{', '.join(target.met_on)}; on breach {target.on_breach}: {target.reason}")
    return "\n".join(lines)


def _duration(target: SlaTarget) -> str:
    hours = target.duration.total_seconds() / 3600
    if target.clock == "business_days":
        return f"{target.duration.days} business day{'s' if target.duration.days != 1 else ''}"
    figure = f"{hours:g}"
    return f"{figure} business hours" if target.clock == "business_hours" else f"{figure} h"
