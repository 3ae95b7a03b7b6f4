"""A tenant's plugin set as an operator needs to see it: which plugins its hooks reach, their versions, the hooks
each implements, and whether this process has them loaded (a tenant whose vertical failed to load cannot work)."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.plugins import PluginRegistry
from aftersales.tenancy.models import Tenant


@dataclass(frozen=True)
class PluginView:
    """One plugin of a tenant's set: loaded with its version and hooks, or missing with the reason."""

    name: str
    kind: str
    title: str
    version: str
    loaded: bool
    hooks: tuple[str, ...] = ()
    problem: str | None = None
    """Why the plugin is not loaded: the registry's failure reason, or None if it was never found."""


def plugin_view(registry: PluginRegistry, name: str) -> PluginView:
    """What the registry knows of ``name``: its metadata and implemented hooks, or why it is missing."""
    if name not in registry.infos:
        failure = registry.failures.get(name)
        return PluginView(name=name, kind="", title=name, version="", loaded=False,
                          problem=failure.reason if failure else None)
    info = registry.info(name)
    callers = registry.pm.get_hookcallers(registry.pm.get_plugin(name)) or []
    hooks = tuple(sorted(c.name.removeprefix("aftersales_") for c in callers if c.name != "aftersales_vertical_info"))
    return PluginView(name=name, kind=info.kind, title=info.title, version=info.version, loaded=True, hooks=hooks)


def plugin_set(registry: PluginRegistry, tenant: Tenant) -> list[PluginView]:
    """The tenant's vertical and add-ons, in that order."""
    return [plugin_view(registry, name) for name in tenant.plugin_set]
