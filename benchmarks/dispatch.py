"""Benchmark: the dispatcher's suggestion for a visit among Entekhab's 2,500 technicians (seed 001).

Per database (SQLite, PostgreSQL), one database migrated by the real migrations, with Entekhab (appliances,
Tehran: in-warranty visits need a technician authorised for the product's category) and Mehr (the other tenant,
a fifth as many technicians on the same ground, so isolation is real) onboarded by the real services from
``tenants/``. Entekhab gets 2,500 technicians (``--quick``: 500) spread over a 60 × 60 km square around Tehran:
2–4 of 5 skills, Saturday–Thursday, 08:00–17:00 or 09:00–18:00, 3–8 visits a day, 95 % active; 70 % authorised
for refrigerators (a tenth of those lapsed before the day), half for washing machines. On the measured day each
technician already has 0 to capacity visits planned (one in eight full), one to two hours each, near home; 50
unplanned visits (half of them in-warranty refrigerators) are the ones suggested for; six other days (past and
coming) have as many visits again, so the day's visits must be found, not scanned. Rows are bulk-loaded (Core
``executemany`` on SQLite, ``COPY`` as the superuser on PostgreSQL), then analysed.

What is measured, after a warm-up, one suggestion at a time, cycling over the 50 visits:

* ours: :func:`aftersales.dispatch.suggestions.suggest` in an Entekhab tenant session (on PostgreSQL as the
  application role under row-level security): the vertical's terms, the rules counted by reason in SQL, the
  survivors with their load and previous visit, haversine over the survivors, the on-site clocks of the request;
* ours over HTTP: ``GET /api/v1/visits/{id}/suggestions`` of the real application (``create_app``), in-process
  over ASGI (httpx's ``ASGITransport``: no socket), with an agent's token;
* the floor: a bare Litestar app (:func:`floor_app`) whose one route selects the tenant's technicians (id, name,
  home, capacity: every row, no rule) on a bare connection of the same database and answers them as JSON, over
  the same ASGI transport.

Goal: ours p95 ≤ 50 ms. ``ratio`` is ours over HTTP ÷ floor (p50 and p95).

    python benchmarks/dispatch.py [--quick] [--db sqlite|postgresql|both]

Last line: ``RESULT dispatch p95_ms=<worst ours p95> …``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

import httpx
import psycopg
from litestar import Litestar, Request, get
from sqlalchemy import Table, bindparam, create_engine, select
from sqlalchemy.ext.asyncio import create_async_engine

from aftersales.app import create_app
from aftersales.db.base import new_id
from aftersales.dispatch.models import Technician, TechnicianAuthorisation, Visit
from aftersales.dispatch.suggestions import suggest
from aftersales.dispatch.visits import get_visit
from aftersales.identity.models import Customer, StaffUser
from aftersales.identity.services import staff_principal
from aftersales.migrate import upgrade
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.runtime import Runtime, build_runtime
from aftersales.service.models import ServiceRequest
from aftersales.settings import REPO_ROOT, Settings
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from support import Bench, Target, percentile

MEASURED, OTHER = "entekhab", "mehr"
OTHER_SHARE = 5
CENTRE = (35.6892, 51.3890)
HALF_SIDE_KM = 30.0
KM_PER_DEGREE = 111.19508
SKILLS = ("repair", "installation", "maintenance", "gas", "electrical")
IRAN_WORK_WEEK = [5, 6, 0, 1, 2, 3]
"""Saturday to Thursday (Python weekdays)."""
TARGETS = 50
OTHER_DAYS = (0, -14, -7, -2, -1, 1, 2)
"""The measured day (0) and other days with visits (done in the past, planned ahead): the day must be found."""
SUGGESTIONS, WARMUP = 300, 30
NOW = datetime(2026, 12, 1, tzinfo=UTC)
TABLES: dict[str, Table] = {m.__tablename__: m.__table__ for m in (  # type: ignore[misc]
    Customer, ServiceRequest, StaffUser, Technician, TechnicianAuthorisation, Visit)}
Rows = dict[str, list[dict[str, Any]]]


def row(table: str, **values: Any) -> dict[str, Any]:
    """A full row: the values given, every other column its model default (or None)."""
    full = {}
    for column in TABLES[table].columns:
        if column.name in values:
            full[column.name] = values[column.name]
        elif column.default is not None:
            default = column.default
            full[column.name] = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        else:
            full[column.name] = None
    return full


def place(rng: random.Random, near: tuple[float, float] | None = None, km: float = HALF_SIDE_KM) -> tuple[float, float]:
    centre = near or CENTRE
    lat = centre[0] + rng.uniform(-km, km) / KM_PER_DEGREE
    return lat, centre[1] + rng.uniform(-km, km) / (KM_PER_DEGREE * math.cos(math.radians(lat)))


def the_day() -> date:
    """A Monday three weeks ahead: inside the schedule window whenever the benchmark runs."""
    day = datetime.now(UTC).date() + timedelta(weeks=3)
    return day + timedelta(days=(0 - day.weekday()) % 7)


def workforce(tenant_id: uuid.UUID, count: int, day: date, seed: int) -> Rows:
    """``count`` technicians with their staff users, authorisations and the day's planned visits; a customer,
    a request, and :data:`TARGETS` unplanned visits to suggest for."""
    rng = random.Random(seed)
    rows: Rows = {name: [] for name in TABLES}
    customer = row("customers", tenant_id=tenant_id, id=new_id(), name="Benchmark Customer", created_at=NOW)
    request = row("service_requests", tenant_id=tenant_id, id=new_id(), number=1, kind="repair", channel="phone",
                  state="received", customer_id=customer["id"], summary="benchmark", priority=0, opened_at=NOW,
                  updated_at=NOW, created_at=NOW)
    rows["customers"].append(customer)
    rows["service_requests"].append(request)

    def visit(on: date = day, **values: Any) -> dict[str, Any]:
        return row("visits", tenant_id=tenant_id, id=new_id(), request_id=request["id"], address="Benchmark St.",
                   day=on, created_by="benchmark", created_at=NOW, updated_at=NOW, **values)

    for n in range(count):
        staff = row("staff_users", tenant_id=tenant_id, id=new_id(), email=f"tech{n}@bench.example",
                    name=f"Technician {n}", roles=["technician"], active=True, failed_logins=0, created_at=NOW)
        home = place(rng)
        start = rng.choice((8, 9))
        capacity = rng.randint(3, 8)
        technician = row("technicians", tenant_id=tenant_id, id=new_id(), name=f"Technician {n:04d}",
                         staff_user_id=staff["id"], skills=sorted(rng.sample(SKILLS, rng.randint(2, 4))),
                         home_latitude=home[0], home_longitude=home[1], works_from=clock(start),
                         works_until=clock(start + 9), weekdays=IRAN_WORK_WEEK, daily_capacity=capacity,
                         active=rng.random() < 0.95, created_at=NOW, updated_at=NOW)
        rows["staff_users"].append(staff)
        rows["technicians"].append(technician)
        for category, share in (("refrigerator", 0.7), ("washing_machine", 0.5)):
            if rng.random() < share:
                lapsed = rng.random() < 0.1
                rows["technician_authorisations"].append(row(
                    "technician_authorisations", tenant_id=tenant_id, id=new_id(), technician_id=technician["id"],
                    category=category, reference=f"AUTH-{n}", created_at=NOW,
                    until=day - timedelta(days=rng.randint(1, 30)) if lapsed else day + timedelta(days=rng.randint(0, 400))))
        for offset in OTHER_DAYS:
            on = day + timedelta(days=offset)
            load = capacity if rng.random() < 1 / 8 else rng.randint(0, capacity - 1)
            hour = start
            for order in range(load):
                if hour >= start + 9:
                    break
                length = rng.choice((1, 2))
                site = place(rng, home, 8)
                rows["visits"].append(visit(
                    on, skill=rng.choice(technician["skills"]), category="refrigerator", in_warranty=False,
                    site_latitude=site[0], site_longitude=site[1], window_start=clock(hour),
                    window_end=clock(min(hour + length, 23)), technician_id=technician["id"], route_order=order + 1,
                    state="finished" if offset < 0 else "planned", planned_at=NOW, planned_by="benchmark"))
                hour += length
    for n in range(TARGETS):
        site, start = place(rng), rng.randint(8, 14)
        rows["visits"].append(visit(
            skill=rng.choice(SKILLS[:3]), category="refrigerator", in_warranty=n % 2 == 0, site_latitude=site[0],
            site_longitude=site[1], window_start=clock(start), window_end=clock(start + rng.choice((2, 3))),
            state="unplanned"))
    return rows


def load(target: Target, rows: Rows) -> None:
    """Bulk-load (SQLite: Core executemany in one transaction; PostgreSQL: COPY as the superuser), then analyse."""
    order = ["customers", "service_requests", "staff_users", "technicians", "technician_authorisations", "visits"]
    if target.db == "sqlite":
        engine = create_engine(f"sqlite:///{target.loader}")
        with engine.begin() as conn:
            for name in order:
                if rows[name]:
                    conn.execute(TABLES[name].insert(), rows[name])
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
        engine.dispose()
        return
    with psycopg.connect(target.loader) as conn:
        for name in order:
            columns = [c.name for c in TABLES[name].columns]
            with conn.cursor().copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                for r in rows[name]:
                    copy.write_row([json.dumps(v) if isinstance(v, list | dict) else v for v in map(r.get, columns)])
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def floor_app(url: str) -> Litestar:
    """The floor: one route selecting the tenant's technicians on a bare connection, answered as JSON."""
    engine = create_async_engine(url)
    t = Technician.__table__
    statement = select(t.c.id, t.c.name, t.c.home_latitude, t.c.home_longitude, t.c.daily_capacity).where(
        t.c.tenant_id == bindparam("tenant"))

    @get("/technicians")
    async def technicians(request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        async with engine.connect() as conn:
            rows = (await conn.execute(statement, {"tenant": uuid.UUID(request.headers["x-tenant-id"])})).all()
        return [{"id": r.id, "name": r.name, "home_latitude": r.home_latitude, "home_longitude": r.home_longitude,
                 "daily_capacity": r.daily_capacity} for r in rows]

    async def dispose() -> None:
        await engine.dispose()

    return Litestar([technicians], on_shutdown=[dispose])


@dataclass
class Figures:
    ours_p50: float = 0.0
    ours_p95: float = 0.0
    http_p50: float = 0.0
    http_p95: float = 0.0
    floor_p50: float = 0.0
    floor_p95: float = 0.0
    eligible: float = 0.0
    left_out: float = 0.0


async def timed(calls: Iterator[Any], count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        await next(calls)
        times.append(time.perf_counter() - started)
    return times


async def measure(runtime: Runtime, target: Target, tenant: CurrentTenant, agent: dict[str, str],
                  suggestions: int) -> Figures:
    async with runtime.db.transaction(tenant.record.id) as s:
        targets = list(await s.scalars(select(Visit.id).where(Visit.state == "unplanned").order_by(Visit.id)))
    figures = Figures()
    found: list[Any] = []

    async def one(visit_id: uuid.UUID) -> None:
        async with runtime.db.transaction(tenant.record.id) as s:
            found.append(await suggest(s, tenant, await get_visit(s, visit_id)))

    def ours() -> Iterator[Any]:
        while True:
            for visit_id in targets:
                yield one(visit_id)

    ours_calls = ours()
    await timed(ours_calls, WARMUP)
    found.clear()
    times = await timed(ours_calls, suggestions)
    figures.ours_p50, figures.ours_p95 = percentile(times, 50), percentile(times, 95)
    figures.eligible = sum(f.eligible for f in found) / len(found)
    figures.left_out = sum(sum(f.left_out.values()) for f in found) / len(found)

    app, floor = create_app(runtime), floor_app(target.superuser_url)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench.local") as client, \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=floor), base_url="http://floor.local") as bare:

        async def over_http(visit_id: uuid.UUID) -> None:
            answer = await client.get(f"/api/v1/visits/{visit_id}/suggestions", headers=agent)
            if answer.status_code != 200:
                raise SystemExit(f"{answer.status_code} {answer.text}")

        async def floor_call() -> None:
            answer = await bare.get("/technicians", headers={"x-tenant-id": str(tenant.record.id)})
            if answer.status_code != 200:
                raise SystemExit(f"floor: {answer.status_code} {answer.text}")

        def http() -> Iterator[Any]:
            while True:
                for visit_id in targets:
                    yield over_http(visit_id)

        def floor_calls() -> Iterator[Any]:
            while True:
                yield floor_call()

        http_calls, floors = http(), floor_calls()
        await timed(http_calls, WARMUP)
        await timed(floors, WARMUP)
        http_times = await timed(http_calls, suggestions)
        floor_times = await timed(floors, suggestions)
    figures.http_p50, figures.http_p95 = percentile(http_times, 50), percentile(http_times, 95)
    figures.floor_p50, figures.floor_p95 = percentile(floor_times, 50), percentile(floor_times, 95)
    return figures


def run_backend(target: Target, settings: Settings, count: int, suggestions: int) -> Figures:
    upgrade(replace(settings, migration_database_url=target.owner_url), url=target.owner_url)
    runtime_settings = replace(settings, database_url=target.app_url, migration_database_url=target.owner_url)
    day = the_day()

    async def setup() -> dict[str, CurrentTenant]:
        runtime = build_runtime(runtime_settings)
        tenants = {}
        try:
            for slug in (MEASURED, OTHER):
                async with runtime.db.transaction(None) as session:
                    record, _ = await onboard(session, runtime.plugins,
                                              read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
                tenants[slug] = bind_tenant(record, runtime.plugins)
        finally:
            await runtime.close()
        return tenants

    tenants = asyncio.run(setup())
    started = time.perf_counter()
    for seed, (slug, tenant) in enumerate(tenants.items()):
        load(target, workforce(tenant.record.id, count if slug == MEASURED else count // OTHER_SHARE, day, seed))
    print(f"  loaded {count:,} + {count // OTHER_SHARE:,} technicians in {time.perf_counter() - started:.1f} s",
          flush=True)

    async def run() -> Figures:
        runtime = build_runtime(runtime_settings)
        tenant = tenants[MEASURED]
        try:
            async with runtime.db.transaction(tenant.record.id) as s:
                agent = StaffUser(email="dispatcher@bench.example", name="Dispatcher", roles=["agent"])
                s.add(agent)
                await s.flush()
                token = runtime.tokens.issue(staff_principal(agent))
            return await measure(runtime, target, tenant, {"Authorization": f"Bearer {token}"}, suggestions)
        finally:
            await runtime.close()

    f = asyncio.run(run())
    print(f"  {f.eligible:.0f} eligible and {f.left_out:.0f} left out per suggestion (mean)\n"
          f"  ours          p50 {f.ours_p50 * 1e3:6.2f} ms  p95 {f.ours_p95 * 1e3:6.2f} ms\n"
          f"  ours (HTTP)   p50 {f.http_p50 * 1e3:6.2f} ms  p95 {f.http_p95 * 1e3:6.2f} ms\n"
          f"  floor (HTTP)  p50 {f.floor_p50 * 1e3:6.2f} ms  p95 {f.floor_p95 * 1e3:6.2f} ms\n"
          f"  ratio         p50 {f.http_p50 / f.floor_p50:.1f}  p95 {f.http_p95 / f.floor_p95:.1f}\n"
          f"  load average  {' '.join(f'{x:.1f}' for x in os.getloadavg())} (the machine may be shared)", flush=True)
    return f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 technicians, 100 suggestions")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    for noisy in ("httpx", "aftersales.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # a line per request otherwise
    count, suggestions = (500, 100) if args.quick else (2_500, SUGGESTIONS)
    print(f"{count:,} {MEASURED} technicians, {suggestions} suggestions after {WARMUP} warm-up ones", flush=True)
    results: dict[str, Figures] = {}
    with Bench("dispatch", args.db) as bench:
        for db in bench.backends:
            print(f"{db}:", flush=True)
            target, settings = bench.database(db, "dispatch")
            results[db] = run_backend(target, settings, count, suggestions)
    fields = []
    for db, f in results.items():
        fields += [f"{db}_ours_p50_ms={f.ours_p50 * 1e3:.2f}", f"{db}_ours_p95_ms={f.ours_p95 * 1e3:.2f}",
                   f"{db}_http_p50_ms={f.http_p50 * 1e3:.2f}", f"{db}_http_p95_ms={f.http_p95 * 1e3:.2f}",
                   f"{db}_floor_p50_ms={f.floor_p50 * 1e3:.2f}", f"{db}_floor_p95_ms={f.floor_p95 * 1e3:.2f}",
                   f"{db}_ratio_p50={f.http_p50 / f.floor_p50:.1f}", f"{db}_ratio_p95={f.http_p95 / f.floor_p95:.1f}",
                   f"{db}_eligible={f.eligible:.0f}"]
    worst = max(f.ours_p95 for f in results.values())
    print(f"RESULT dispatch p95_ms={worst * 1e3:.2f} goal_ms=50 {' '.join(fields)}")


if __name__ == "__main__":
    main()
