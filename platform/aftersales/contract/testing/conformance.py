"""The conformance check: call every hook a plugin implements with generated facts and report by hook.

For each hook the plugin implements, hypothesis draws tenants (the plugin's default settings, or the one
``tenant`` given) and facts (:mod:`.strategies`), calls the plugin's own implementation (not the core default
behind it), and checks the answer: its type against the hookspec's return annotation (None is allowed where
the plugin leaves the decision to the core) and the hook's rules (:mod:`.checks`). An exception the plugin
raises fails that hook, with where it was raised. A failed hook is reported with the smallest example
hypothesis found; the examples are the same on every run (``derandomize``), so a passing plugin stays green
until it changes. Used by the ``conformance`` fixture and ``aftersales plugin check NAME``.
"""

from __future__ import annotations

import inspect
import traceback
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from aftersales.contract import hookspecs
from aftersales.contract.testing.checks import CHECKS, HookCheck, Probe, Violation
from aftersales.contract.testing.contexts import UnknownPlugin
from aftersales.contract.testing.strategies import tenant_contexts
from aftersales.contract.values import TenantContext
from aftersales.plugins import PluginRegistry

__all__ = ["ConformanceReport", "HookFailure", "HookResult", "UnknownPlugin", "check_plugin"]

HOOK_ORDER = [name for name, value in vars(hookspecs).items() if name.startswith("aftersales_") and callable(value)]
"""The hooks in the order the contract declares them (identity, serials, warranty, service, marketplace, payments)."""

PHASES = (Phase.generate, Phase.shrink)
"""Draw examples, then shrink a failing one; hypothesis's explain phase would re-run it many times to say which
parts of it matter, which the smallest example already shows."""


@dataclass(frozen=True)
class HookFailure:
    """A hook that broke its contract: what went wrong, and the smallest example that shows it."""

    hook: str
    message: str
    example: Mapping[str, str] = field(default_factory=dict)
    """Each argument of the failing call, as its ``repr``."""

    def __str__(self) -> str:
        lines = [f"{self.hook}: {self.message}"]
        lines += [f"    {name} = {value}" for name, value in self.example.items()]
        return "\n".join(lines)


@dataclass(frozen=True)
class HookResult:
    """One hook's line of the report."""

    hook: str
    status: Literal["passed", "failed", "unchecked"]
    examples: int = 0
    """How many calls were made (shrinking included)."""
    failure: HookFailure | None = None
    note: str = ""
    """Why a hook is unchecked."""


@dataclass(frozen=True)
class ConformanceReport:
    """The conformance of one plugin, hook by hook in the contract's order."""

    plugin: str
    hooks: Mapping[str, HookResult]

    @property
    def failures(self) -> list[HookFailure]:
        return [result.failure for result in self.hooks.values() if result.failure is not None]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> list[tuple[str, str, str]]:
        """(hook, status, detail) per implemented hook: the number of examples, the failure, or why unchecked."""
        rows = []
        for result in self.hooks.values():
            examples = f"{result.examples} example{'' if result.examples == 1 else 's'}"
            detail = result.failure.message if result.failure else result.note or examples
            rows.append((result.hook, result.status, detail))
        return rows

    def __str__(self) -> str:
        width = max((len(hook) for hook in self.hooks), default=4)
        lines = [f"conformance of plugin {self.plugin!r}:"]
        lines += [f"  {hook:<{width}}  {status:<9}  {detail}" for hook, status, detail in self.summary()]
        lines += [str(failure) for failure in self.failures]
        return "\n".join(lines)

    def assert_ok(self) -> None:
        """Raise AssertionError listing every failed hook with its smallest failing example."""
        if not self.ok:
            raise AssertionError(str(self))


def check_plugin(
    registry: PluginRegistry, plugin: str, *, max_examples: int = 100, tenant: TenantContext | None = None
) -> ConformanceReport:
    """Check every hook ``plugin`` implements with up to ``max_examples`` generated calls each.

    :param tenant: call every hook for this tenant (e.g. a manifest's, with its settings) instead of drawn
        tenants with the plugin's default settings; it must have ``plugin`` enabled.
    :raises UnknownPlugin: ``plugin`` is not loaded in ``registry`` (with the closest name, or why it is disabled).
    """
    if plugin not in registry.infos:
        raise UnknownPlugin.named(registry, plugin)
    if tenant is not None and plugin not in (tenant.vertical, *tenant.addon_settings):
        raise ValueError(f"tenant {tenant.slug!r} does not have plugin {plugin!r} enabled")
    tenants = st.just(tenant) if tenant is not None else tenant_contexts(registry.info(plugin))
    plugin_set = [plugin] if tenant is None else [tenant.vertical, *tenant.addon_settings]
    probe = Probe(plugin, registry.hooks_for(plugin_set))
    implemented = {caller.name for caller in registry.pm.get_hookcallers(registry.pm.get_plugin(plugin)) or []}
    results = {}
    for hook in [name for name in HOOK_ORDER if name in implemented]:
        caller = getattr(registry.pm.hook, hook)
        impl = next(impl for impl in caller.get_hookimpls() if impl.plugin_name == plugin)
        results[hook] = _check_hook(hook, caller, impl, tenants, probe, max_examples)
    return ConformanceReport(plugin, results)


def _check_hook(
    hook: str, caller: Any, impl: Any, tenants: st.SearchStrategy[TenantContext | None], probe: Probe,
    max_examples: int,
) -> HookResult:
    check: HookCheck | None = CHECKS.get(hook)
    if check is None:
        return HookResult(hook, "unchecked", note="the kit does not generate facts for this hook yet")
    if impl.hookwrapper or impl.wrapper:
        return HookResult(hook, "unchecked", note="a hook wrapper: checked through the hooks it wraps")
    if "tenant" not in caller.spec.argnames:
        tenants = st.none()  # drawing tenants would only repeat the same call
    returns = typing.get_type_hints(caller.spec.function)["return"]
    may_defer = hook != "aftersales_vertical_info"
    calls: list[dict[str, Any]] = []

    @st.composite
    def arguments(draw: st.DrawFn) -> dict[str, Any]:
        tenant = draw(tenants)
        return {"tenant": tenant, **draw(check.arguments(tenant.currency if tenant else ""))}

    @settings(max_examples=max_examples, database=None, deadline=None, derandomize=True, report_multiple_bugs=False,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet, phases=PHASES)
    @given(args=arguments())
    def call(args: dict[str, Any]) -> None:
        missing = set(caller.spec.argnames) - set(args)
        if missing:
            raise _KitGap(f"the kit does not generate {', '.join(sorted(missing))}")
        calls.append(args)
        answer = impl.function(**{name: args[name] for name in impl.argnames})
        if answer is None and may_defer:
            return
        if not _conforms(answer, returns):
            raise Violation(f"returned {_type_name(answer)}, not {_annotation_name(returns)}")
        check.rule(answer, args, probe)

    try:
        call()
    except _KitGap as gap:
        return HookResult(hook, "unchecked", note=str(gap))
    except Exception as exc:  # noqa: BLE001 -- whatever the plugin raises is its hook's failure, attributed
        example = {name: _show(calls[-1][name]) for name in caller.spec.argnames} if calls else {}
        message = str(exc) if isinstance(exc, Violation) else _raised(exc, impl.function)
        return HookResult(hook, "failed", len(calls), HookFailure(hook, message, example))
    return HookResult(hook, "passed", len(calls))


class _KitGap(Exception):
    """The hook takes an argument the kit cannot draw yet (the contract grew): not the plugin's fault."""


def _conforms(value: Any, annotation: Any) -> bool:
    """Whether ``value`` is of the hookspec's return annotation: a class, ``list[X]``, ``Sequence[X]`` or a union."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, option) for option in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is None:
        return isinstance(value, annotation)
    if not isinstance(value, origin):
        return False
    item_types = typing.get_args(annotation)
    if item_types and (len(item_types) == 1 or item_types[1] is Ellipsis):
        return all(_conforms(item, item_types[0]) for item in value)
    return True


def _type_name(value: Any) -> str:
    if isinstance(value, list | tuple) and value:
        return f"{type(value).__name__} of {', '.join(sorted({type(item).__name__ for item in value}))}"
    return type(value).__name__


def _annotation_name(annotation: Any) -> str:
    """``WarrantyTerms``, ``list[SlaTarget]``, ``RefundDecision | None``: as the hookspec writes it."""
    if typing.get_origin(annotation) is None and isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("aftersales.contract.values.", "")


def _raised(exc: BaseException, function: Any) -> str:
    """``raised ValueError: … (at aftersales_boats/plugin.py:42)``: the plugin's deepest frame, when any."""
    source = inspect.getsourcefile(function)
    if source is None:
        return f"raised {type(exc).__name__}: {exc}"
    home = Path(source).resolve().parent
    while (home / "__init__.py").exists() and (home.parent / "__init__.py").exists():
        home = home.parent  # the plugin's top-level package
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(home):
            where = f" (at {path.relative_to(home.parent)}:{frame.lineno})"
    return f"raised {type(exc).__name__}: {exc}{where}"


def _show(value: Any) -> str:
    if isinstance(value, TenantContext):
        return (f"TenantContext(slug={value.slug!r}, vertical={value.vertical!r}, country={value.country!r}, "
                f"currency={value.currency!r}, settings={value.settings!r})")
    return repr(value)
