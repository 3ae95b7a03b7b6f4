"""Tenant contexts and hook callers for tests, built the way the server builds them.

``manifest_context`` reads a tenant manifest exactly as onboarding does (every field validated, the calendar
and settings read back as from a stored tenant); ``tenant_context`` makes one from a plugin's settings with
defaults for the rest; ``plugin_hooks`` gives the hook callers of a tenant's plugin set, the core defaults
included, as ``tenancy/current.py`` binds them.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import pluggy

from aftersales.contract.testing.factories import CURRENCY
from aftersales.contract.values import BusinessCalendarInfo, TenantContext
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import manifest_context as onboarded_context
from aftersales.plugins import PluginRegistry

TENANT_DEFAULTS: Mapping[str, Any] = {
    "id": uuid.UUID(int=0),
    "slug": "test-tenant",
    "country": "IR",
    "currency": CURRENCY,
    "time_zone": "Asia/Tehran",
    "locales": ("en", "fa"),
}
"""The default tenant of :func:`tenant_context`: a company in Iran, the platform's first seed. Its calendar
is its country's, with a Friday weekend and 08:00-17:00 hours, unless ``calendar`` is given."""


class UnknownPlugin(LookupError):
    """A plugin name that is not loaded: the message says why it is disabled, or names the closest plugin."""

    @classmethod
    def named(cls, registry: PluginRegistry, name: str) -> UnknownPlugin:
        if name in registry.failures:
            return cls(f"plugin {name!r} is disabled: {registry.failures[name].reason}")
        close = difflib.get_close_matches(name, registry.names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; installed: {', '.join(registry.names) or 'none'}"
        return cls(f"no plugin named {name!r}{hint}")


def tenant_context(
    registry: PluginRegistry, vertical: str, settings: Mapping[str, Any] | None = None, **fields: Any
) -> TenantContext:
    """A tenant on ``vertical`` with ``settings`` validated by the plugin's schema (its defaults when None).

    :param fields: any other :class:`~aftersales.contract.values.TenantContext` field (``country``,
        ``currency``, ``calendar``, ``addon_settings`` …) over :data:`TENANT_DEFAULTS`.
    :raises UnknownPlugin: ``vertical`` is not a loaded plugin (with the closest name).
    :raises aftersales.errors.InvalidInput: a setting breaks the schema, named ``settings.<vertical>.<field>``.
    """
    if vertical not in registry.infos:
        raise UnknownPlugin.named(registry, vertical)
    validated = registry.validate_settings(vertical, settings or {}, field_prefix=f"settings.{vertical}")
    values = {**TENANT_DEFAULTS, **fields}
    values.setdefault("calendar", BusinessCalendarInfo(country=values["country"], weekend_days=(5,),
                                                       business_hours=("08:00", "17:00")))
    return TenantContext(vertical=vertical, settings=validated, **values)


def manifest_context(registry: PluginRegistry, path: str | PathLike[str]) -> TenantContext:
    """The context hooks receive for the tenant the manifest at ``path`` describes, validated as at onboarding.

    :raises aftersales.errors.InvalidInput: the file is missing or not TOML, or lists every field error.
    """
    return onboarded_context(registry, read_manifest_file(Path(path)))


def plugin_hooks(registry: PluginRegistry, context: TenantContext) -> pluggy.HookRelay:
    """The hook callers of the tenant's plugin set (its vertical and add-ons) with the core defaults."""
    return registry.hooks_for([context.vertical, *context.addon_settings])
