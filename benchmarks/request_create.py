"""Benchmark: opening a service request with its SLA clocks against a bare insert of the same row.

What is measured, per database (SQLite, PostgreSQL), on a database migrated by the real migrations with the
real Mehr and Yizhongyi manifests onboarded by the real services:

* ours: :func:`aftersales.service.requests.services.open_request` through the service layer, one transaction per
  request, as the API's ``POST /api/v1/requests/`` runs it (without HTTP): the tenant session (on PostgreSQL as
  the non-owner application role, row-level security and ``set_config``), validation, the customer (Mehr: the
  owner of a registered unit, its model and current coverage; Yizhongyi: found by phone among existing
  customers), the tenant's next number, the ``opened`` timeline event, and the clocks from the vertical's
  ``aftersales_sla_targets`` computed on the tenant's business calendar (Mehr, a repair on a registered unit:
  ``result`` 7 business days and ``replacement`` 30 business days, started; Yizhongyi, a repair: first contact
  and on site started, in-house repair and parts wait waiting). Requests alternate between the two tenants.
* the floor: one Core ``INSERT`` of an equivalent ``service_requests`` row per transaction on the same engine
  (on PostgreSQL with the tenant's ``set_config`` first, without which row-level security refuses the row).
* the same-rows floor: the rows ours writes, written by the same SQL (``requests.insert_opening``: the tenant's
  counter bumped, the request with that number, its ``opened`` event and its clocks — 2 for Mehr, 4 for
  Yizhongyi, two of them running; one statement on PostgreSQL, four on SQLite) in one transaction on the same
  engine (``set_config`` first on PostgreSQL): the same query through a bare route, without the session,
  validation, reads, the vertical's targets or calendar arithmetic.

Each side runs sequentially (one request after the other) and with ``TASKS`` concurrent tasks sharing the
work; sides alternate over ``ROUNDS`` measured runs after a warm-up and the better run of each counts (the
machine is shared). A cProfile of the sequential service path and its SQL statements per request show what
the gap is made of.

``ratio`` is ours ÷ floor in requests per second (1.0 = free; the goal is ≥ 0.5); ``rows ratio`` is ours ÷ the
same-rows floor.

    python benchmarks/request_create.py [--quick] [--db sqlite|postgresql|both] [--requests N]

Last line: ``RESULT request_create ratio=<worst> ratio_rows=<worst> …``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, select, text
from stdnum import luhn

from aftersales.db.base import new_id, utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer
from aftersales.migrate import upgrade
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.runtime import Runtime, build_runtime
from aftersales.service.models import RequestCounter, RequestEvent, ServiceRequest, SlaClock
from aftersales.service.requests.services import NewRequest, insert_opening, open_request
from aftersales.settings import REPO_ROOT, Settings
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.warranty.models import ProductModel, Serial
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support import Bench

ROUNDS = 2
"""Measured runs per side and mode, alternating ours and the floor; the better one counts."""
TASKS = 4
"""Concurrent tasks in the concurrent mode (each opens its share of the requests one after the other)."""
UNITS = 40
"""Registered Mehr units the requests are opened on."""
CUSTOMERS = 200
"""Existing Yizhongyi customers, found by phone."""
CLOCKS = {"mehr": 2, "yizhongyi": 4}
SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")


@dataclass(frozen=True)
class Work:
    """One request to open: for which tenant, what (ours), and the equivalent bare row (the floor)."""

    tenant: CurrentTenant
    new: NewRequest
    customer_id: Any


@dataclass
class Setup:
    runtime: Runtime
    mehr: CurrentTenant
    yizhongyi: CurrentTenant
    registrations: list[tuple[Any, Any]]
    """(registration id, owner id) of the registered Mehr units."""
    customers: list[tuple[Any, str]]
    """(id, E.164 phone) of the Yizhongyi customers."""
    floor_rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLOCKS, 0))
    """Rows the floor inserted, per tenant slug (numbered -1, -2 …, apart from ours)."""
    same_rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLOCKS, 0))
    """Requests the same-rows floor wrote, per tenant slug (numbered by the tenant's counter, as ours)."""
    opened: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLOCKS, 0))
    """Requests ours opened, per tenant slug."""


def imei(n: int) -> str:
    body = f"35{n:012d}"
    return body + luhn.calc_check_digit(body)


async def prepare(settings: Settings, app_url: str, owner_url: str) -> Setup:
    """Onboard the two seed tenants, register Mehr's units and add Yizhongyi's customers."""
    runtime = build_runtime(replace(settings, database_url=app_url, migration_database_url=owner_url))
    bound = {}
    for slug in CLOCKS:
        async with runtime.db.transaction(None) as session:
            record, _ = await onboard(session, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
        bound[slug] = bind_tenant(record, runtime.plugins)
    mehr, yizhongyi = bound["mehr"], bound["yizhongyi"]
    async with runtime.db.transaction(mehr.record.id) as session:
        model = ProductModel(sku="PH-100", name="Phone 100", category="phones")
        session.add(model)
        await session.flush()
        session.add_all(Serial(serial=imei(n), model_id=model.id, status="in_stock", seller="Central warehouse",
                               batch="B-1") for n in range(UNITS))
    registrations = []
    bought = mehr.today() - timedelta(days=60)
    for n in range(UNITS):
        async with runtime.db.transaction(mehr.record.id) as session:
            unit = await register_purchase(session, mehr, PurchaseDetails(
                serial=imei(n), purchased_on=bought, price="250000000", invoice_number=f"F-{n}",
                owner=CustomerDetails(name=f"Owner {n}", phone=f"+98 912 {n // 10_000:03d} {n % 10_000:04d}")),
                registered_by="staff:bench", now=utcnow())
        registrations.append((unit.registration.id, unit.registration.customer_id))
    customers = [(new_id(), f"+86138{n:08d}") for n in range(CUSTOMERS)]
    async with runtime.db.transaction(yizhongyi.record.id) as session:
        session.add_all(Customer(id=cid, name=f"Workshop {n}", phone=phone) for n, (cid, phone) in enumerate(customers))
    return Setup(runtime, mehr, yizhongyi, registrations, customers)


def work_list(setup: Setup, count: int, offset: int) -> list[Work]:
    """``count`` requests alternating Mehr (on a registered unit) and Yizhongyi (a customer found by phone)."""
    items = []
    for i in range(offset, offset + count):
        if i % 2 == 0:
            registration_id, owner_id = setup.registrations[(i // 2) % len(setup.registrations)]
            items.append(Work(setup.mehr, NewRequest(kind="repair", channel="walk_in", summary="the screen flickers",
                                                     registration_id=registration_id), owner_id))
        else:
            customer_id, phone = setup.customers[(i // 2) % len(setup.customers)]
            details = CustomerDetails(name="Workshop", phone=f"+86 {phone[3:6]} {phone[6:10]} {phone[10:]}")
            items.append(Work(setup.yizhongyi, NewRequest(kind="repair", channel="phone",
                                                          summary="the lift does not rise", customer=details),
                              customer_id))
    return items


async def ours(setup: Setup, work: Work) -> None:
    async with setup.runtime.db.transaction(work.tenant.record.id) as session:
        await open_request(session, work.tenant, work.new, actor="staff:bench", now=utcnow())
    setup.opened[work.tenant.record.slug] += 1


async def floor(setup: Setup, work: Work) -> None:
    """One bare INSERT of the same request row (the number from a counter; negative, apart from ours)."""
    slug = work.tenant.record.slug
    setup.floor_rows[slug] += 1
    now = utcnow()
    row = {"tenant_id": work.tenant.record.id, "id": new_id(), "created_at": now, "number": -setup.floor_rows[slug],
           "kind": work.new.kind, "channel": work.new.channel, "state": "received", "customer_id": work.customer_id,
           "registration_id": work.new.registration_id, "claim_id": None, "assignee_id": None,
           "summary": work.new.summary, "priority": 0, "promised_at": now + timedelta(days=9),
           "site_latitude": None, "site_longitude": None, "site_country": None, "opened_at": now,
           "closed_at": None, "updated_at": now}
    async with setup.runtime.db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(SET_TENANT, {"tenant": str(work.tenant.record.id)})
        await conn.execute(ServiceRequest.__table__.insert(), row)


async def same_rows(setup: Setup, work: Work) -> None:
    """The rows ours writes, bare: counter bump, request, ``opened`` event, clocks; one transaction."""
    slug, tenant_id = work.tenant.record.slug, work.tenant.record.id
    now = utcnow()
    request_id = new_id()
    row = {"tenant_id": tenant_id, "id": request_id, "created_at": now, "number": 0, "kind": work.new.kind,
           "channel": work.new.channel, "state": "received", "customer_id": work.customer_id,
           "registration_id": work.new.registration_id, "claim_id": None, "assignee_id": None,
           "summary": work.new.summary, "priority": 0, "promised_at": now + timedelta(days=9),
           "site_latitude": None, "site_longitude": None, "site_country": None, "complaint_subject": None,
           "opened_at": now, "closed_at": None, "updated_at": now}
    event_row = {"tenant_id": tenant_id, "id": new_id(), "created_at": now, "request_id": request_id,
                 "occurred_at": now, "actor": "staff:bench", "kind": "opened", "from_state": None,
                 "to_state": "received", "note": work.new.summary}
    clock_rows = [{"tenant_id": tenant_id, "id": new_id(), "created_at": now, "request_id": request_id,
                   "name": f"clock_{k}", "clock": "business_hours", "duration_seconds": 86_400, "starts_on": "opened",
                   "met_on": ["contacted"], "pauses_on": ["waiting_for_customer"], "on_breach": "notify",
                   "at_risk_fraction": 0.75, "reason": "the vertical's promise", "started_at": now if k < 2 else None,
                   "budget_seconds": 86_400 if k < 2 else None, "used_seconds": 0,
                   "running_since": now if k < 2 else None, "due_at": now + timedelta(days=3) if k < 2 else None,
                   "paused_for": None, "met_at": None, "breached_at": None, "breach_handled_at": None}
                  for k in range(CLOCKS[slug])]
    async with setup.runtime.db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(SET_TENANT, {"tenant": str(tenant_id)})
        await insert_opening(conn, row, event_row, clock_rows)
    setup.same_rows[slug] += 1


Side = Callable[[Setup, Work], Awaitable[None]]


async def run(setup: Setup, side: Side, items: list[Work], tasks: int) -> float:
    """Requests per second opening ``items`` with ``tasks`` concurrent tasks."""
    async def worker(share: list[Work]) -> None:
        for work in share:
            await side(setup, work)

    started = time.perf_counter()
    await asyncio.gather(*(worker(items[k::tasks]) for k in range(tasks)))
    return len(items) / (time.perf_counter() - started)


async def statements_per_request(setup: Setup, side: Side, items: list[Work]) -> float:
    """SQL statements ``side`` sends per request (BEGIN/COMMIT not counted)."""
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    engine = setup.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        for work in items:
            await side(setup, work)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count / len(items)


PROFILED = {
    "open_request": "open_request (all of it)",
    "validate_customer": "validate_customer (phonenumbers)",
    "find_or_create_customer_id": "find_or_create_customer_id (one Core read)",
    "unit_facts": "clocks.unit_facts (registration, model, coverage: one Core read)",
    "request_facts": "clocks.request_facts (unit, service points when located)",
    "plan_clocks": "clocks.plan_clocks (targets, calendar; no database)",
    "insert_opening": "insert_opening (counter, request, event, clocks; 1 statement PG, 4 SQLite)",
    "aftersales_sla_targets": "the vertical's aftersales_sla_targets",
    "add_business_days": "calendar.add_business_days",
    "add_business_hours": "calendar.add_business_hours",
    "business_time_between": "calendar.business_time_between",
    "flush": "ORM flush (all)",
    "commit": "commit",
    "_execute_internal": "ORM statement execution (all)",
    "_execute_clauseelement": "Core statement execution (all)",
}


async def cpu_and_wall(setup: Setup, side: Side, items: list[Work]) -> tuple[float, float]:
    """Milliseconds per request: CPU of the event loop's thread (Python: ORM, services, driver) and wall time;
    the difference is waiting for the database (and, on a busy machine, for a core)."""
    cpu, wall = time.thread_time(), time.perf_counter()
    for work in items:
        await side(setup, work)
    return (time.thread_time() - cpu) / len(items) * 1e3, (time.perf_counter() - wall) / len(items) * 1e3


async def profile(setup: Setup, items: list[Work]) -> str:
    """Where the time goes: CPU against waiting for both sides, then a cProfile (CPU of the event loop's thread)
    of the sequential service path: named steps, then the top functions by own time."""
    half = len(items) // 2
    ours_cpu, ours_wall = await cpu_and_wall(setup, ours, items[:half])
    floor_cpu, floor_wall = await cpu_and_wall(setup, floor, items[:half])
    rows_cpu, rows_wall = await cpu_and_wall(setup, same_rows, items[:half])
    lines = [(f"  per request: ours {ours_wall:.2f} ms wall, {ours_cpu:.2f} ms CPU in Python; floor {floor_wall:.2f} "
              f"ms wall, {floor_cpu:.2f} ms CPU; same-rows floor {rows_wall:.2f} ms wall, {rows_cpu:.2f} ms CPU")]
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for work in items[half:]:
        await ours(setup, work)
    profiler.disable()
    stats = pstats.Stats(profiler)
    count = len(items) - half
    total = sum(v[2] for v in stats.stats.values()) / count * 1e3  # type: ignore[attr-defined]
    lines.append(f"  cProfile of {count} sequential requests: {total:.2f} ms CPU each under the profiler "
                 f"(×{total / ours_cpu:.1f} its overhead); cumulative CPU of named steps (coroutine frames are "
                 "resumed many times, so nested steps can add up to more than their caller):")
    for name, label in PROFILED.items():
        ct = max((v[3] for k, v in stats.stats.items() if k[2] == name), default=0.0)  # type: ignore[attr-defined]
        lines.append(f"    {label:<62} {ct / count * 1e3:7.3f} ms/request")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    top = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(top) if "ncalls" in line)
    lines.append("    top 15 by own CPU time:")
    lines += ["    " + line for line in top[start:start + 16]]
    return "\n".join(lines)


async def check(setup: Setup) -> None:
    """Every request ours opened has its event and its clocks; Yizhongyi's customers were found, not duplicated."""
    runtime = setup.runtime
    for slug, tenant in (("mehr", setup.mehr), ("yizhongyi", setup.yizhongyi)):
        async with runtime.db.transaction(tenant.record.id) as session:
            requests = await session.scalar(select(func.count()).select_from(ServiceRequest)) - setup.floor_rows[slug]
            events = await session.scalar(select(func.count()).select_from(RequestEvent))
            clocks = await session.scalar(select(func.count()).select_from(SlaClock))
            running = await session.scalar(select(func.count()).select_from(SlaClock)
                                           .where(SlaClock.due_at.is_not(None)))
            customers = await session.scalar(select(func.count()).select_from(Customer))
            numbers = await session.scalar(select(func.count(func.distinct(ServiceRequest.number)))
                                           .where(ServiceRequest.number > 0))
            last = await session.scalar(select(RequestCounter.last_number))
        expected = setup.opened[slug] + setup.same_rows[slug]
        if numbers != expected or last != expected:
            raise SystemExit(f"{slug}: {numbers} distinct numbers up to {last} for {expected} numbered requests")
        if (requests, events, clocks, running) != (expected, expected, expected * CLOCKS[slug], expected * 2):
            raise SystemExit(f"{slug}: {requests} requests, {events} events, {clocks} clocks ({running} running) "
                             f"for {expected} opened")
        if slug == "yizhongyi" and customers != CUSTOMERS:
            raise SystemExit(f"yizhongyi has {customers} customers, not {CUSTOMERS}: a customer was not found by phone")


@dataclass
class Figures:
    ours_seq: float
    floor_seq: float
    ours_conc: float
    floor_conc: float
    rows_seq: float
    rows_conc: float
    statements: float
    rows_statements: float
    profile: str


async def measure(setup: Setup, per_run: int) -> Figures:
    offset = 0

    def next_items() -> list[Work]:
        nonlocal offset
        items = work_list(setup, per_run, offset)
        offset += per_run
        return items

    for side in (floor, same_rows, ours):  # warm-up: connections, statement caches, holiday tables
        await run(setup, side, next_items()[: per_run // 4], 1)
    best: dict[tuple[str, int], float] = {}
    for _ in range(ROUNDS):
        for tasks in (1, TASKS):
            for label, side in (("floor", floor), ("rows", same_rows), ("ours", ours)):
                items = next_items()
                rate = await run(setup, side, items, tasks)
                best[label, tasks] = max(best.get((label, tasks), 0.0), rate)
    sample = next_items()[:100]
    statements = await statements_per_request(setup, ours, sample)
    rows_statements = await statements_per_request(setup, same_rows, sample)
    profiled = next_items()[: max(200, per_run // 2)]
    report = await profile(setup, profiled)
    await check(setup)
    return Figures(best["ours", 1], best["floor", 1], best["ours", TASKS], best["floor", TASKS], best["rows", 1],
                   best["rows", TASKS], statements, rows_statements, report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests per run")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=None, help="requests per measured run")
    args = parser.parse_args()
    per_run = args.requests or (300 if args.quick else 2000)
    print(f"{per_run} requests per run, sequential and {TASKS} concurrent tasks, best of {ROUNDS} alternating runs",
          flush=True)
    results: dict[str, Figures] = {}
    with Bench("request-create", args.db) as bench:
        for db in bench.backends:
            target, settings = bench.database(db, "requests")
            app_url, owner_url = target.app_url, target.owner_url
            upgrade(replace(settings, migration_database_url=owner_url), url=owner_url)

            async def one(settings: Settings, app_url: str, owner_url: str) -> Figures:
                setup = await prepare(settings, app_url, owner_url)
                try:
                    return await measure(setup, per_run)
                finally:
                    await setup.runtime.close()

            f = results[db] = asyncio.run(one(settings, app_url, owner_url))
            print(f"{db}:\n"
                  f"  sequential  ours {f.ours_seq:7.0f} req/s ({1e3 / f.ours_seq:5.2f} ms)  floor {f.floor_seq:7.0f} "
                  f"req/s ({1e3 / f.floor_seq:5.2f} ms)  ratio {f.ours_seq / f.floor_seq:.3f}  same-rows floor "
                  f"{f.rows_seq:7.0f} req/s ({1e3 / f.rows_seq:5.2f} ms)  rows ratio {f.ours_seq / f.rows_seq:.3f}\n"
                  f"  {TASKS} tasks     ours {f.ours_conc:7.0f} req/s  floor {f.floor_conc:7.0f} req/s  "
                  f"ratio {f.ours_conc / f.floor_conc:.3f}  same-rows floor {f.rows_conc:7.0f} req/s  "
                  f"rows ratio {f.ours_conc / f.rows_conc:.3f}\n"
                  f"  SQL statements per request: ours {f.statements:.1f}, floor {2 if db == 'postgresql' else 1}, "
                  f"same-rows floor {f.rows_statements:.1f}\n"
                  f"{f.profile}", flush=True)
    fields = []
    for db, f in results.items():
        fields += [f"{db}_seq={f.ours_seq / f.floor_seq:.3f}", f"{db}_conc={f.ours_conc / f.floor_conc:.3f}",
                   f"{db}_ours_seq_rps={f.ours_seq:.0f}", f"{db}_floor_seq_rps={f.floor_seq:.0f}",
                   f"{db}_ours_conc_rps={f.ours_conc:.0f}", f"{db}_floor_conc_rps={f.floor_conc:.0f}",
                   f"{db}_statements={f.statements:.1f}",
                   f"{db}_rows_seq={f.ours_seq / f.rows_seq:.3f}", f"{db}_rows_conc={f.ours_conc / f.rows_conc:.3f}",
                   f"{db}_rows_seq_rps={f.rows_seq:.0f}", f"{db}_rows_conc_rps={f.rows_conc:.0f}",
                   f"{db}_rows_statements={f.rows_statements:.1f}"]
    worst = min(min(f.ours_seq / f.floor_seq, f.ours_conc / f.floor_conc) for f in results.values())
    worst_rows = min(min(f.ours_seq / f.rows_seq, f.ours_conc / f.rows_conc) for f in results.values())
    print(f"RESULT request_create ratio={worst:.3f} ratio_rows={worst_rows:.3f} {' '.join(fields)}")


if __name__ == "__main__":
    main()
