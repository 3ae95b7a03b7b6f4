"""Benchmark: a per-tenant hook call against a bare pluggy call, with 10 and 10,000 tenants.

The floor is the same hook, for the same tenants in the same order, called straight on a pluggy manager that
holds only the core defaults and that tenant's vertical (no per-tenant filtering). The measured path is what a request does: look the tenant's plugin set up,
get its cached hook callers, call the hook. The ratio (floor time / dispatch time, 1.0 = free) must not fall
as tenants grow, because callers are cached per plugin set, not per tenant.

    python benchmarks/hook_dispatch.py [--quick]

Last line: ``RESULT hook_dispatch ratio=<x> …``.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid

import pluggy

from aftersales.contract import defaults as core_defaults
from aftersales.contract import hookspecs
from aftersales.contract.values import BusinessCalendarInfo, TenantContext
from aftersales.plugins import build_plugin_registry

SERIAL = "490154203237518"  # a valid IMEI


def _contexts(registry, verticals, count):
    contexts = []
    for i in range(count):
        vertical = verticals[i % len(verticals)]
        settings = registry.info(vertical).settings_schema()
        contexts.append(TenantContext(
            id=uuid.uuid4(), slug=f"t{i}", vertical=vertical, country="IR", currency="IRR", time_zone="Asia/Tehran",
            locales=("fa",), calendar=BusinessCalendarInfo("IR", (5,), ("08:00", "17:00")), settings=settings,
        ))
    return contexts


def _best_per_call(fns, calls: int, repeats: int) -> list[float]:
    """Best-of-``repeats`` seconds per call for each function, run interleaved so both see the same machine."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn(calls)
            best[i] = min(best[i], (time.perf_counter() - start) / calls)
    return best


def measure(tenant_count: int, calls: int, repeats: int) -> tuple[float, float]:
    registry = build_plugin_registry()
    verticals = registry.verticals()
    contexts = _contexts(registry, verticals, tenant_count)
    plugin_sets = {c.id: (c.vertical,) for c in contexts}
    by_vertical = {v: [c for c in contexts if c.vertical == v] for v in verticals}
    rng = random.Random(7)  # the same vertical mix at every tenant count, so the floor does the same work
    order = [rng.choice(by_vertical[verticals[i % len(verticals)]]) for i in range(calls)]

    # The floor: per vertical, a bare pluggy manager holding just the core defaults and that vertical, so it does
    # the same work as the tenant's call minus the per-tenant dispatch.
    floor_hooks = {}
    for vertical in verticals:
        pm = pluggy.PluginManager(hookspecs.PROJECT)
        pm.add_hookspecs(hookspecs)
        pm.register(core_defaults, name="core")
        pm.register(registry.pm.get_plugin(vertical), name=vertical)  # the same plugin object tenants reach
        floor_hooks[vertical] = pm.hook.aftersales_validate_serial

    def floor(n: int) -> None:
        for i in range(n):
            tenant = order[i]
            floor_hooks[tenant.vertical](tenant=tenant, serial=SERIAL, product=None)

    def dispatched(n: int) -> None:
        for i in range(n):
            tenant = order[i]
            registry.hooks_for(plugin_sets[tenant.id]).aftersales_validate_serial(tenant=tenant, serial=SERIAL, product=None)

    floor_time, dispatched_time = _best_per_call([floor, dispatched], calls, repeats)
    return floor_time, dispatched_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls (CI smoke run)")
    args = parser.parse_args()
    calls, repeats = (5_000, 5) if args.quick else (30_000, 15)
    ratios: dict[int, float] = {}
    overhead: dict[int, float] = {}
    for tenants in (10, 10_000):
        floor, dispatched = measure(tenants, calls, repeats)
        ratios[tenants] = floor / dispatched
        overhead[tenants] = (dispatched - floor) * 1e6
        print(f"tenants={tenants:>6}  floor={floor * 1e6:7.2f} µs/call  per-tenant={dispatched * 1e6:7.2f} µs/call  "
              f"overhead={overhead[tenants]:5.2f} µs  ratio={ratios[tenants]:.3f}")
    growth = ratios[10] / ratios[10_000]
    print(f"RESULT hook_dispatch ratio={ratios[10_000]:.3f} ratio_10={ratios[10]:.3f} "
          f"ratio_10000={ratios[10_000]:.3f} slowdown_10_to_10000={growth:.3f} "
          f"overhead_us_10={overhead[10]:.2f} overhead_us_10000={overhead[10_000]:.2f}")


if __name__ == "__main__":
    main()
