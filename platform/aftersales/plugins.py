"""The plugin manager: discovery, validation, settings, and per-tenant dispatch.

Built by :func:`build_plugin_registry` (a factory, never at import time, so each test gets a clean one).
Plugins are found through the ``aftersales.verticals`` entry points, loaded and registered in name order, and
validated one by one: a plugin that fails to import, implements a hook the contract does not have, has a bad
signature, or describes itself wrongly is reported by name in :attr:`PluginRegistry.failures` and left out;
the platform still starts.

Dispatch: :meth:`PluginRegistry.hooks_for` returns the hook callers for one *plugin set* (a tenant's vertical
plus add-ons): a pluggy manager of its own holding the core defaults and those plugins only. Managers are
cached per plugin set, not per tenant, so ten thousand tenants on three verticals share three of them.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import importlib.util
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from pydantic import ValidationError

from aftersales import __version__
from aftersales.contract import defaults as core_defaults
from aftersales.contract import hookspecs
from aftersales.contract.values import PluginSettings, ProductInfo, SerialCheck, TenantContext, VerticalInfo
from aftersales.errors import FieldError, InvalidInput
from aftersales.hook_calls import GuardedHooks


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that was found but left disabled, and why."""

    name: str
    reason: str


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` when ``word`` is close to one of ``choices`` (difflib), else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _flatten_field_errors(error: ValidationError, prefix: str, fields: Iterable[str] = ()) -> list[FieldError]:
    """One :class:`FieldError` per pydantic error; an unknown key says which known one it is close to."""
    out = []
    for e in error.errors():
        reason = e["msg"]
        if e["type"] == "extra_forbidden" and e["loc"]:
            reason += did_you_mean(str(e["loc"][-1]), fields)
        out.append(FieldError(".".join([prefix, *(str(part) for part in e["loc"])]), reason))
    return out


class PluginRegistry:
    """The validated plugins of this process and the per-plugin-set hook callers."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.infos: dict[str, VerticalInfo] = {}
        self.failures: dict[str, PluginFailure] = {}
        self._plugins: dict[str, object] = {}
        self._hooks_cache: dict[frozenset[str], GuardedHooks] = {}

    # -- registration ------------------------------------------------------------------------------------

    def add(self, name: str, plugin: object) -> bool:
        """Register and validate one plugin; on any failure record it, unregister it, and return False."""
        if name in self._plugins or name == core_defaults.NAME:
            self._fail(name, "another plugin is already registered under this name")
            return False
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # pluggy raises PluginValidationError or ValueError on bad plugins
            self._fail(name, f"invalid hook implementation: {exc}")
            return False
        try:
            unknown = [c.name for c in self.pm.get_hookcallers(plugin) or [] if not c.has_spec()]
            if unknown:
                known = [name for name, caller in vars(self.pm.hook).items()
                         if isinstance(caller, pluggy.HookCaller) and caller.has_spec()]
                raise ValueError("implements hooks the contract does not have: "
                                 + ", ".join(name + did_you_mean(name, known) for name in sorted(unknown)))
            self.infos[name] = self._describe(name, plugin)
        except Exception as exc:  # a plugin's own code may raise anything; it is reported, never fatal
            self.pm.unregister(plugin)
            self._fail(name, str(exc))
            return False
        self._plugins[name] = plugin
        self._hooks_cache.clear()
        return True

    def _describe(self, name: str, plugin: object) -> VerticalInfo:
        describe = getattr(plugin, "aftersales_vertical_info", None)
        if describe is None:
            raise ValueError("does not implement aftersales_vertical_info")
        info = describe()
        if not isinstance(info, VerticalInfo):
            raise ValueError("aftersales_vertical_info must return a VerticalInfo")
        if info.name != name:
            raise ValueError(f"describes itself as {info.name!r} but is registered as {name!r}")
        if not (isinstance(info.settings_schema, type) and issubclass(info.settings_schema, PluginSettings)):
            raise ValueError("settings_schema must be a PluginSettings subclass")
        try:
            compatible = __version__ in SpecifierSet(info.requires_core, prereleases=True)
        except InvalidSpecifier:
            raise ValueError(f"requires_core {info.requires_core!r} is not a version specifier") from None
        if not compatible:
            raise ValueError(f"requires aftersales {info.requires_core}, this is {__version__}")
        try:
            info.settings_schema()  # the defaults themselves must validate (validate_default=True)
        except ValidationError as exc:
            raise ValueError("settings defaults break their own rules: " + "; ".join(
                f"{e.field}: {e.reason}" for e in _flatten_field_errors(exc, f"settings.{name}"))) from None
        return info

    def _fail(self, name: str, reason: str) -> None:
        self.failures[name] = PluginFailure(name, reason)

    # -- queries -----------------------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return sorted(self._plugins)

    def verticals(self) -> list[str]:
        return sorted(n for n, i in self.infos.items() if i.kind == "vertical")

    def info(self, name: str) -> VerticalInfo:
        return self.infos[name]

    def unavailable_reason(self, plugin: str) -> str | None:
        """Why ``plugin`` cannot serve a tenant in this process (it failed to load, or is not installed); None
        when it is loaded."""
        if plugin in self.infos:
            return None
        failure = self.failures.get(plugin)
        return failure.reason if failure is not None else "the plugin is not installed"

    def hooks_for(self, plugin_names: Iterable[str]) -> GuardedHooks:
        """Hook callers reaching the core defaults and exactly ``plugin_names`` (unknown names are ignored).

        Each plugin set gets its own pluggy manager holding the same plugin objects, registered in name order,
        so a dispatched call costs what a bare pluggy call costs plus the guard of
        :mod:`aftersales.hook_calls` (a plugin that raises or answers the wrong type is reported by name).
        """
        key = frozenset(plugin_names)
        hooks = self._hooks_cache.get(key)
        if hooks is None:
            pm = _new_manager()
            for name in sorted(key & self._plugins.keys()):
                pm.register(self._plugins[name], name=name)
            hooks = self._hooks_cache[key] = GuardedHooks(pm.hook)
        return hooks

    @cached_property
    def core_only(self) -> GuardedHooks:
        return self.hooks_for(())

    def validate_settings(self, plugin: str, raw: Mapping[str, Any], *, field_prefix: str) -> PluginSettings:
        """Validate a tenant's settings for ``plugin``; raise :class:`InvalidInput` listing every bad field."""
        schema = self.infos[plugin].settings_schema
        try:
            return schema.model_validate(dict(raw))
        except ValidationError as exc:
            raise InvalidInput(
                f"invalid settings for plugin {plugin!r}",
                _flatten_field_errors(exc, field_prefix, schema.model_fields),
            ) from None


def _new_manager() -> pluggy.PluginManager:
    """A pluggy manager with the contract and the core defaults (registered ``trylast``)."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(core_defaults, name=core_defaults.NAME)
    return pm


def discover_entry_points() -> list[tuple[str, Any]]:
    """The installed plugins' entry points, in name order (load order never decides a result)."""
    eps = importlib.metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP)
    return sorted(((ep.name, ep) for ep in eps), key=lambda pair: pair[0])


def plugin_directories() -> list[Path]:
    """Where the installed plugins' packages live, found without importing them (what ``serve --reload`` watches)."""
    found: set[Path] = set()
    for _, ep in discover_entry_points():
        spec = importlib.util.find_spec(ep.module.split(".")[0])
        if spec is not None and spec.submodule_search_locations:
            found.update(Path(location) for location in spec.submodule_search_locations)
    return sorted(found)


def build_plugin_registry(
    *, load_entry_points: bool = True, extra_plugins: Iterable[tuple[str, object]] = ()
) -> PluginRegistry:
    """Build a fresh plugin manager: the contract, the core defaults, installed plugins, then ``extra_plugins``.

    :param load_entry_points: False gives a manager with the core defaults only (tests add what they need).
    :param extra_plugins: (name, plugin) pairs registered after the installed ones, e.g. a test's spy.
    """
    pm = _new_manager()
    registry = PluginRegistry(pm)
    candidates: list[tuple[str, Any]] = []
    if load_entry_points:
        for name, ep in discover_entry_points():
            try:
                candidates.append((name, ep.load()))
            except Exception as exc:  # a broken plugin package must not stop the platform
                registry._fail(name, f"failed to import: {type(exc).__name__}: {exc}")
    candidates.extend(extra_plugins)
    for name, plugin in sorted(candidates, key=lambda pair: pair[0]):
        registry.add(name, plugin)
    pm.check_pending()
    return registry


def validate_serials(
    hooks: GuardedHooks, tenant: TenantContext, serials: Sequence[str], products: Sequence[ProductInfo | None]
) -> list[SerialCheck]:
    """What ``aftersales_validate_serial`` answers for each serial, in one ``aftersales_validate_serials`` call
    when every plugin answering the per-serial hook answers the batch hook too (else row by row)."""
    if len(serials) != len(products):
        raise ValueError(f"{len(serials)} serials but {len(products)} products")
    one = hooks.aftersales_validate_serial
    answering = {impl.plugin_name for impl in one.get_hookimpls()} - {core_defaults.NAME}
    if answering and answering <= {impl.plugin_name for impl in hooks.aftersales_validate_serials.get_hookimpls()}:
        checks = hooks.aftersales_validate_serials(tenant=tenant, serials=serials, products=products)
        if checks is not None:
            return checks
    return [one(tenant=tenant, serial=serial, product=product) for serial, product in zip(serials, products, strict=True)]
