"""Benchmark: finding and escalating the due SLA clocks among up to a million open requests.

Per database (SQLite, PostgreSQL), one database migrated by the real migrations, with the five seed tenants of
``tenants/`` onboarded by the real services from their manifests, grows from 10k to 100k to 1M open requests
(``--quick``: 10k and 100k) spread over the tenants. Each request carries the clocks its tenant's vertical
really sets for a repair (``aftersales_sla_targets``: Mehr two, Yizhongyi four, …) in a realistic mix: most
running and due weeks ahead, some paused (``due_at`` NULL), some met, some breached long ago with the breach
handled, and the clocks that start later not started. Rows are generated and bulk-loaded (Core ``executemany``
on SQLite, ``COPY`` as the superuser on PostgreSQL), then analysed.

Mehr also has a fixed number of due clocks per sweep (``DUE`` = 200, the sweep's limit): in each "band" an
hour apart, 180 ``result`` clocks (notify: an e-mail to the support address) and 20 ``replacement`` clocks
(offer a replacement: the vertical's resolution options, an SMS to the customer, an e-mail to staff). A sweep
at a band's time finds exactly that band: the earlier ones are handled, the later ones not yet due.

What is measured at each size, alternating and keeping the best of ``ROUNDS``:

* the sweep: :func:`aftersales.service.clocks.escalation.sweep_breaches` for Mehr, acting on each of the 200 due
  breaches (claim, timeline event, outbox messages), one transaction — time per sweep and per breach;
* find: :func:`aftersales.service.clocks.escalation.due_clocks`, the sweep's own query, through a tenant session;
* the floor: the same ``SELECT … ORDER BY due_at LIMIT 200`` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) through
  a bare Core connection of the same engine (on PostgreSQL with the tenant's ``set_config``, which row-level
  security needs), rolled back.

The SQL the sweep really sends is captured and explained (``EXPLAIN QUERY PLAN`` / ``EXPLAIN``) at every size:
the benchmark fails unless the plan reads ``ix_sla_clocks_due`` and never scans ``sla_clocks``. The goal is a
flat time per sweep from 10k to 1M requests (an index, not a scan); ``growth`` is time at the largest size ÷
time at 10k, and ``ratio`` is ours ÷ floor in time (find, and the whole sweep).

    python benchmarks/sla_sweep.py [--quick] [--db sqlite|postgresql|both]

Last line: ``RESULT sla_sweep growth=<worst sweep growth> …``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import bindparam, create_engine, event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from aftersales.contract.values import RequestFacts, SlaTarget
from aftersales.db.base import new_id
from aftersales.identity.models import Customer
from aftersales.migrate import upgrade
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.outbox.models import OutboxMessage
from aftersales.runtime import Runtime, build_runtime
from aftersales.service.clocks.escalation import SWEEP_LIMIT, due_clocks, sweep_breaches
from aftersales.service.models import RequestEvent, ServiceRequest, SlaClock
from aftersales.settings import REPO_ROOT, Settings
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from support import Bench, Target

SLUGS = ("mehr", "yizhongyi", "golden-laser", "entekhab", "carmax")
SWEPT = "mehr"
DUE = SWEEP_LIMIT
"""Due clocks per band: one full sweep."""
REPLACEMENTS = 20
"""Of them, ``replacement`` clocks (offer a replacement); the rest ``result`` clocks (notify)."""
ROUNDS = 3
"""Measured sweeps per size (each on its own band), after one warm-up sweep."""
FIND_REPEATS = 5
"""Find and floor queries per round (they change nothing); the best counts."""
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
"""Band ``k`` is due at ``NOW + k hours``; running clocks are due from ``NOW + 30 days`` on."""
SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")
BATCH = 20_000
PER_CUSTOMER = 10
"""Requests per customer."""


@dataclass(frozen=True)
class BenchTenant:
    slug: str
    bound: CurrentTenant
    targets: tuple[SlaTarget, ...]

    @property
    def id(self) -> uuid.UUID:
        return self.bound.record.id


# -- the data -------------------------------------------------------------------------------------------------

def targets_of(tenant: CurrentTenant) -> tuple[SlaTarget, ...]:
    """The clocks the tenant's vertical sets for a repair reported by phone (no unit, no site)."""
    facts = RequestFacts(kind="repair", channel="phone", opened_at=NOW)
    return tuple(tenant.hooks.aftersales_sla_targets(tenant=tenant.context, request=facts) or [])


def _clock(tenant: BenchTenant, request_id: uuid.UUID, target: SlaTarget, opened: datetime, mix: int,
           due: datetime | None = None, met: bool = False) -> dict[str, Any]:
    """A clock row as the engine leaves it: ``due`` makes it a running clock due then; otherwise ``mix``
    (0–99) picks running (60 %), paused (15 %), met (15 %) or breached and handled (10 %)."""
    started = target.starts_on == "opened"
    budget = int(target.duration.total_seconds())
    row = {"tenant_id": tenant.id, "id": new_id(), "created_at": opened, "request_id": request_id,
           "name": target.name, "clock": target.clock, "duration_seconds": budget, "starts_on": target.starts_on,
           "met_on": list(target.met_on), "pauses_on": list(target.pauses_on), "on_breach": target.on_breach,
           "at_risk_fraction": target.at_risk_fraction, "reason": target.reason, "started_at": None,
           "budget_seconds": None, "used_seconds": 0, "running_since": None, "due_at": None, "paused_for": None,
           "met_at": None, "breached_at": None, "breach_handled_at": None}
    if not started and due is None:
        return row
    row |= {"started_at": opened, "budget_seconds": budget, "running_since": opened}
    if due is not None:
        row["due_at"] = due
    elif met or 75 <= mix < 90:
        row |= {"due_at": NOW + timedelta(days=3), "met_at": NOW - timedelta(hours=mix), "running_since": None,
                "used_seconds": budget // 2}
    elif mix < 60:
        row["due_at"] = NOW + timedelta(days=30, minutes=mix * 97)
    elif mix < 75:
        row |= {"running_since": None, "paused_for": "waiting_for_customer", "used_seconds": budget // 3}
    else:
        late = NOW - timedelta(days=20, hours=mix)
        row |= {"due_at": late, "breached_at": late, "breach_handled_at": late + timedelta(minutes=1)}
    return row


def _request(tenant: BenchTenant, number: int, customer_id: uuid.UUID, opened: datetime) -> dict[str, Any]:
    return {"tenant_id": tenant.id, "id": new_id(), "created_at": opened, "number": number, "kind": "repair",
            "channel": "phone", "state": ("received", "diagnosing", "in_repair")[number % 3],
            "customer_id": customer_id, "registration_id": None, "claim_id": None, "assignee_id": None,
            "summary": f"unit {number} does not start", "priority": 0, "promised_at": None, "site_latitude": None,
            "site_longitude": None, "site_country": None, "opened_at": opened, "closed_at": None,
            "updated_at": opened}


def _customer(tenant: BenchTenant, n: int) -> dict[str, Any]:
    return {"tenant_id": tenant.id, "id": new_id(), "created_at": NOW, "name": f"Customer {n}", "email": None,
            "phone": f"+1555{tenant.slug[:2].encode().hex()}{n:08d}"[:20], "locale": None}


Rows = dict[str, list[dict[str, Any]]]


def open_requests(tenant: BenchTenant, start: int, stop: int) -> Iterator[Rows]:
    """Requests ``start``…``stop`` of a tenant with their clocks and customers, in batches."""
    for first in range(start, stop, BATCH):
        rows: Rows = {"customers": [], "service_requests": [], "sla_clocks": []}
        customer_id = None
        for n in range(first, min(stop, first + BATCH)):
            if customer_id is None or n % PER_CUSTOMER == 0:
                rows["customers"].append(_customer(tenant, n))
                customer_id = rows["customers"][-1]["id"]
            opened = NOW - timedelta(days=1 + n % 20, minutes=n % 600)
            request = _request(tenant, n + 1, customer_id, opened)
            rows["service_requests"].append(request)
            rows["sla_clocks"] += [_clock(tenant, request["id"], t, opened, (n * 37 + i * 11) % 100)
                                   for i, t in enumerate(tenant.targets)]
        yield rows


def due_bands(tenant: BenchTenant, bands: int, first_number: int) -> Rows:
    """``bands`` × ``DUE`` Mehr requests with one clock due at band ``k``'s hour, and the customers."""
    by_name = {t.name: t for t in tenant.targets}
    rows: Rows = {"customers": [], "service_requests": [], "sla_clocks": []}
    number = first_number
    for band in range(bands):
        due = NOW + timedelta(hours=band, minutes=1)
        for i in range(DUE):
            rows["customers"].append(_customer(tenant, 10_000_000 + number))
            opened = due - timedelta(days=45)
            request = _request(tenant, number, rows["customers"][-1]["id"], opened)
            rows["service_requests"].append(request)
            replacement = i < REPLACEMENTS
            rows["sla_clocks"] += [
                _clock(tenant, request["id"], by_name["result"], opened, 0, met=replacement,
                       due=None if replacement else due + timedelta(seconds=i)),
                _clock(tenant, request["id"], by_name["replacement"], opened, 0,
                       due=due + timedelta(seconds=i) if replacement else NOW + timedelta(days=40)),
            ]
            number += 1
    return rows


TABLES = {"customers": Customer.__table__, "service_requests": ServiceRequest.__table__,
          "sla_clocks": SlaClock.__table__}


def load(target: Target, batches: Iterator[Rows]) -> int:
    """Bulk-load the batches (SQLite: Core executemany in one transaction; PostgreSQL: COPY), then analyse."""
    count = 0
    if target.db == "sqlite":
        engine = create_engine(f"sqlite:///{target.loader}")
        with engine.begin() as conn:
            for batch in batches:
                for name, table in TABLES.items():
                    if batch[name]:
                        conn.execute(table.insert(), batch[name])
                count += len(batch["service_requests"])
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
        engine.dispose()
        return count
    with psycopg.connect(target.loader) as conn:
        for batch in batches:
            for name, table in TABLES.items():
                columns = [c.name for c in table.columns]
                with conn.cursor().copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch[name]:
                        copy.write_row([json.dumps(v) if isinstance(v, list) else v for v in map(row.get, columns)])
            count += len(batch["service_requests"])
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return count


async def onboard_tenants(runtime: Runtime) -> list[BenchTenant]:
    tenants = []
    for slug in SLUGS:
        async with runtime.db.transaction(None) as session:
            record, _ = await onboard(session, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
        bound = bind_tenant(record, runtime.plugins)
        tenants.append(BenchTenant(slug, bound, targets_of(bound)))
    return tenants


# -- measuring ------------------------------------------------------------------------------------------------

def floor_query() -> Any:
    """The sweep's query in plain Core: the tenant in the WHERE, the same order, limit and lock."""
    c = SlaClock.__table__.c
    return (select(SlaClock.__table__)
            .where(c.tenant_id == bindparam("tenant"), c.breach_handled_at.is_(None), c.met_at.is_(None),
                   c.due_at.is_not(None), c.due_at <= bindparam("now", type_=c.due_at.type))
            .order_by(c.due_at).limit(DUE).with_for_update(skip_locked=True))


async def floor(engine: AsyncEngine, tenant_id: uuid.UUID, now: datetime) -> tuple[float, int]:
    """Seconds and rows of the bare query (rolled back)."""
    statement = floor_query()
    started = time.perf_counter()
    async with engine.connect() as conn, conn.begin() as transaction:
        if conn.dialect.name == "postgresql":
            await conn.execute(SET_TENANT, {"tenant": str(tenant_id)})
        rows = (await conn.execute(statement, {"tenant": tenant_id, "now": now})).all()
        await transaction.rollback()
    return time.perf_counter() - started, len(rows)


async def find(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> tuple[float, int]:
    """Seconds and rows of the sweep's own query through a tenant session (nothing changed)."""
    started = time.perf_counter()
    async with runtime.db.transaction(tenant_id) as session:
        rows = await due_clocks(session, now)
    return time.perf_counter() - started, len(rows)


async def sweep(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> float:
    started = time.perf_counter()
    handled = await sweep_breaches(runtime, tenant_id, now)
    elapsed = time.perf_counter() - started
    if handled != DUE:
        raise SystemExit(f"the sweep at {now} acted on {handled} breaches, not {DUE}")
    return elapsed


async def explain(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> str:
    """The plan of the SQL the sweep's query really sends (captured from the driver), in a tenant transaction.

    :raises SystemExit: when the plan does not read ``ix_sla_clocks_due`` or scans ``sla_clocks``.
    """
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if "FROM sla_clocks" in statement and "due_at" in statement:
            captured.append((statement, parameters))

    engine = runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        await find(runtime, tenant_id, now)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[-1]
    prefix = "EXPLAIN QUERY PLAN " if runtime.db.dialect == "sqlite" else "EXPLAIN "
    async with runtime.db.transaction(tenant_id) as session:
        conn = await session.connection()
        rows = (await conn.exec_driver_sql(prefix + statement, parameters)).all()
    plan = "\n".join(str(row[-1]) for row in rows)
    scans = [line for line in plan.splitlines()
             if ("SCAN sla_clocks" in line or "Seq Scan on sla_clocks" in line)]
    if "ix_sla_clocks_due" not in plan or scans:
        raise SystemExit(f"the sweep's query does not use ix_sla_clocks_due:\n{statement}\n{plan}")
    return plan


@dataclass
class Figures:
    requests: int
    clocks: int
    sweep: float
    find: float
    floor: float
    plan: str
    statements: float
    """SQL statements per breach acted on."""


async def measure(runtime: Runtime, tenant_id: uuid.UUID, first_band: int) -> tuple[Figures, int]:
    """Warm up on one band, then ``ROUNDS`` rounds of floor/find (best of ``FIND_REPEATS``) and one sweep."""
    band = first_band

    def band_time() -> datetime:
        return NOW + timedelta(hours=band, minutes=30)

    plan = await explain(runtime, tenant_id, band_time())
    statements = 0

    def counted(*_: Any) -> None:
        nonlocal statements
        statements += 1

    engine = runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        await sweep(runtime, tenant_id, band_time())  # the warm-up, its SQL statements counted
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    band += 1
    best = {"sweep": float("inf"), "find": float("inf"), "floor": float("inf")}
    for _ in range(ROUNDS):
        now = band_time()
        for _ in range(FIND_REPEATS):
            for label, measure_one in (("floor", floor(runtime.db.engine, tenant_id, now)),
                                       ("find", find(runtime, tenant_id, now))):
                seconds, rows = await measure_one
                if rows != DUE:
                    raise SystemExit(f"{label} found {rows} due clocks at {now}, not {DUE}")
                best[label] = min(best[label], seconds)
        best["sweep"] = min(best["sweep"], await sweep(runtime, tenant_id, now))
        band += 1
    async with runtime.db.transaction(tenant_id) as session:
        events = await session.scalar(select(func.count()).select_from(RequestEvent)
                                      .where(RequestEvent.kind == "sla_breached"))
        messages = await session.scalar(select(func.count()).select_from(OutboxMessage))
    if events != band * DUE or messages != band * (DUE + REPLACEMENTS):  # every sweep so far, from band 0
        raise SystemExit(f"{events} breach events and {messages} outbox messages after {band} sweeps of {DUE}")
    return Figures(0, 0, best["sweep"], best["find"], best["floor"], plan, statements / DUE), band


async def counts(runtime: Runtime, tenants: list[BenchTenant]) -> tuple[int, int]:
    requests = clocks = 0
    for tenant in tenants:
        async with runtime.db.transaction(tenant.id) as session:
            requests += await session.scalar(select(func.count()).select_from(ServiceRequest)) or 0
            clocks += await session.scalar(select(func.count()).select_from(SlaClock)) or 0
    return requests, clocks


def run_backend(target: Target, settings: Settings, sizes: tuple[int, ...]) -> dict[int, Figures]:
    upgrade(replace(settings, migration_database_url=target.owner_url), url=target.owner_url)
    runtime_settings = replace(settings, database_url=target.app_url, migration_database_url=target.owner_url)

    async def setup() -> list[BenchTenant]:
        runtime = build_runtime(runtime_settings)
        try:
            return await onboard_tenants(runtime)
        finally:
            await runtime.close()

    tenants = asyncio.run(setup())
    swept = next(t for t in tenants if t.slug == SWEPT)
    print("  clocks per repair: " + ", ".join(f"{t.slug} {len(t.targets)}" for t in tenants), flush=True)
    bands = len(sizes) * (ROUNDS + 1)
    loaded = load(target, iter([due_bands(swept, bands, 10_000_000)]))
    results: dict[int, Figures] = {}
    band, grown = 0, 0
    for size in sizes:
        started = time.perf_counter()
        per_tenant = (size - loaded) // len(tenants)
        loaded += load(target, (rows for tenant in tenants
                                for rows in open_requests(tenant, grown, grown + per_tenant)))
        grown += per_tenant

        async def one(band: int) -> tuple[Figures, int, tuple[int, int]]:
            runtime = build_runtime(runtime_settings)
            try:
                figures, next_band = await measure(runtime, swept.id, band)
                return figures, next_band, await counts(runtime, tenants)
            finally:
                await runtime.close()

        print(f"  {size:>9,} requests: loaded in {time.perf_counter() - started:.0f} s", flush=True)
        figures, band, (requests, clocks) = asyncio.run(one(band))
        figures.requests, figures.clocks = requests, clocks
        results[size] = figures
        print(f"    {requests:,} requests, {clocks:,} clocks; plan:\n      "
              + figures.plan.replace("\n", "\n      ") + "\n"
              f"    sweep {figures.sweep * 1e3:8.1f} ms ({figures.sweep / DUE * 1e3:.2f} ms and "
              f"{figures.statements:.1f} statements per breach)  "
              f"find {figures.find * 1e3:6.2f} ms  floor {figures.floor * 1e3:6.2f} ms  "
              f"find/floor {figures.find / figures.floor:.2f}  sweep/floor {figures.sweep / figures.floor:.1f}",
              flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k requests")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    sizes = (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)
    print(f"{len(SLUGS)} tenants; {DUE} due clocks per sweep of {SWEPT} ({REPLACEMENTS} replacement offers); "
          f"best of {ROUNDS} sweeps and {ROUNDS * FIND_REPEATS} finds per size", flush=True)
    results: dict[str, dict[int, Figures]] = {}
    with Bench("sla-sweep", args.db) as bench:
        for db in bench.backends:
            print(f"{db}:", flush=True)
            target, settings = bench.database(db, "sweep")
            results[db] = run_backend(target, settings, sizes)
    small, large = sizes[0], sizes[-1]
    fields, growths = [], []
    for db, by_size in results.items():
        for size, f in by_size.items():
            tag = f"{db}_{_short(size)}"
            fields += [f"{tag}_sweep_ms={f.sweep * 1e3:.1f}", f"{tag}_find_ms={f.find * 1e3:.2f}",
                       f"{tag}_floor_ms={f.floor * 1e3:.2f}", f"{tag}_find_ratio={f.find / f.floor:.2f}",
                       f"{tag}_sweep_ratio={f.sweep / f.floor:.1f}"]
        growth = {k: getattr(by_size[large], k) / getattr(by_size[small], k) for k in ("sweep", "find", "floor")}
        growths.append(growth["sweep"])
        print(f"{db}: from {_short(small)} to {_short(large)} requests: sweep ×{growth['sweep']:.2f}, "
              f"find ×{growth['find']:.2f}, floor ×{growth['floor']:.2f}")
        fields += [f"{db}_growth_{k}={v:.2f}" for k, v in growth.items()]
    print(f"RESULT sla_sweep growth={max(growths):.2f} " + " ".join(fields))


def _short(size: int) -> str:
    return f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1_000}k"


if __name__ == "__main__":
    main()
