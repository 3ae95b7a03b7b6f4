"""Benchmark: the staff/integrator serial lookup through the real server against a bare Litestar floor.

What is measured, per database (SQLite, PostgreSQL) and register size (10k and 1M serials over 10 tenants):

* ours: ``GET /api/v1/serials/{serial}`` of the real application (``aftersales.app:create_app``) under uvicorn,
  called with API-client tokens (scope ``serials:read``, issued by the real ``/oauth/token``). Each request
  verifies the ES256 token, finds the tenant, binds its context, normalises the serial by the vertical and runs
  the one indexed lookup (serials ⋈ product_models ⟕ active registration ⟕ current coverage) in a tenant
  session — on PostgreSQL as the non-owner application role, with row-level security and ``set_config``;
* the floor: a bare Litestar app (this module's :func:`floor_app`) under the same uvicorn, same worker count and
  same driver (aiosqlite / asyncpg, through a SQLAlchemy async engine), whose one route runs the same joins with
  the same ``WHERE tenant_id = … AND serial = …`` through SQLAlchemy Core and returns the same JSON fields. It
  takes the tenant from an ``X-Tenant-Id`` header, verifies nothing, on PostgreSQL connects as the superuser
  (no row-level security), and its pool holds a connection for every wrk connection (ours runs with the
  application's own engine settings): it is what the query itself costs behind an HTTP route.

The load is ``wrk`` (one thread, 16 connections, pinned to the second core; the server to the first) with a
Lua script that sends each request for a random tenant and a random existing serial of that tenant, with that
tenant's token. Each server is warmed up, then measured twice, alternating with the other, and its better run
counts (so a burst of other work on the machine does not decide the ratio); any non-2xx answer fails the
benchmark. p50/p99 come from wrk's own latency histogram (its ``done()`` hook). A fifth of the units are
registered with a current coverage, so the outer joins find rows. The rows are generated and bulk-loaded
(Core ``executemany`` on SQLite, ``COPY`` on PostgreSQL) into a database migrated by the real migrations;
tenants, models and API clients are made by the real services.

``ratio`` is ours ÷ floor in requests per second (1.0 = free; the goal is ≥ 0.8).

    python benchmarks/warranty_lookup.py [--quick] [--db sqlite|postgresql|both]

``--quick`` measures 10k and 100k serials with shorter runs. Needs ``wrk`` (``apt-get install wrk``) and,
for PostgreSQL, the server binaries (see :mod:`aftersales.testing.postgres`).

Last line: ``RESULT warranty_lookup ratio=<worst> …``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Self

import httpx
import psycopg
from litestar import Litestar, Request, get
from litestar.exceptions import NotFoundException
from sqlalchemy import and_, bindparam, create_engine, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from aftersales.db.base import new_id
from aftersales.identity.models import Customer
from aftersales.identity.scopes import SERIALS_READ
from aftersales.migrate import upgrade
from aftersales.runtime import build_runtime
from aftersales.testing.network import free_port
from aftersales.warranty.models import Coverage, ProductModel, Registration, Serial
from support import Bench, Target

TENANTS = 10
CONNECTIONS = 16
REGISTERED_EVERY = 5
"""Every fifth unit has an active registration with a current coverage."""
SERIAL_PATTERN = r"T[0-9]{2}-[0-9]{8}"
ROUNDS = 2
"""Measured runs per side, alternating ours and the floor; the better one counts (the machine may be shared)."""
SERVER_CPU, LOAD_CPU = "0", "1"
FLOOR_URL_ENV = "WARRANTY_FLOOR_DATABASE_URL"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def serial_of(tenant_no: int, n: int) -> str:
    """The ``n``-th unit of tenant ``tenant_no`` (the Lua script builds the same strings)."""
    return f"T{tenant_no:02d}-{n:08d}"


# -- the floor ------------------------------------------------------------------------------------------------

def floor_query() -> Any:
    """:func:`aftersales.warranty.serials.lookup.unit_by_serial` as plain Core: the same joins, the tenant in the WHERE."""
    s, m, r, c = Serial.__table__, ProductModel.__table__, Registration.__table__, Coverage.__table__
    return (
        select(s.c.serial, s.c.status, s.c.batch, s.c.manufactured_on, s.c.shipped_on, s.c.seller,
               s.c.clone_suspected_at, s.c.status_reason, m.c.sku, m.c.name, r.c.id.label("registration_id"),
               c.c.warranty_start, c.c.warranty_end, c.c.parts_support_end, c.c.return_until, c.c.exchange_until,
               c.c.restarts_on_exchange, c.c.exclusions, c.c.reasons, c.c["items"], c.c.cause, c.c.created_at)
        .join(m, and_(m.c.tenant_id == s.c.tenant_id, m.c.id == s.c.model_id))
        .outerjoin(r, and_(r.c.tenant_id == s.c.tenant_id, r.c.serial_id == s.c.id, r.c.status == "active"))
        .outerjoin(c, and_(c.c.tenant_id == r.c.tenant_id, c.c.registration_id == r.c.id,
                           c.c.superseded_at.is_(None)))
        .where(s.c.tenant_id == bindparam("tenant"), s.c.serial == bindparam("serial"))
    )


def _coverage(row: Any) -> dict[str, Any] | None:
    if row.warranty_start is None:
        return None
    today = date.today()
    status = ("not_started" if today < row.warranty_start else "expired" if today > row.warranty_end
              else "in_warranty")
    return {"status": status, "warranty_start": row.warranty_start, "warranty_end": row.warranty_end,
            "parts_support_end": row.parts_support_end, "return_until": row.return_until,
            "exchange_until": row.exchange_until, "restarts_on_exchange": row.restarts_on_exchange,
            "exclusions": list(row.exclusions or ()), "reasons": list(row.reasons or ()),
            "items": list(row.items or ()), "cause": row.cause, "computed_at": row.created_at}


def floor_app() -> Litestar:
    """The floor: one route, the same query and the same JSON fields, nothing else (uvicorn ``--factory``)."""
    engine: AsyncEngine = create_async_engine(os.environ[FLOOR_URL_ENV], pool_size=CONNECTIONS)
    statement = floor_query()

    @get("/api/v1/serials/{serial:str}")
    async def look_up(request: Request[Any, Any, Any], serial: str) -> dict[str, Any]:
        tenant = uuid.UUID(request.headers["x-tenant-id"])
        async with engine.connect() as conn:
            row = (await conn.execute(statement, {"tenant": tenant, "serial": serial})).first()
        if row is None:
            raise NotFoundException()
        return {"serial": row.serial, "model": {"sku": row.sku, "name": row.name}, "status": row.status,
                "batch": row.batch, "manufactured_on": row.manufactured_on, "shipped_on": row.shipped_on,
                "seller": row.seller, "clone_suspected_at": row.clone_suspected_at,
                "status_reason": row.status_reason, "registration_id": row.registration_id, "coverage": _coverage(row)}

    async def dispose() -> None:
        await engine.dispose()

    return Litestar([look_up], on_shutdown=[dispose])


# -- the data -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BenchTenant:
    no: int
    id: uuid.UUID
    model_id: uuid.UUID
    client_id: str
    client_secret: str


def manifest(no: int) -> dict[str, Any]:
    return {
        "slug": f"bench{no:02d}", "name": f"Bench {no:02d} Electronics", "vertical": "electronics",
        "locales": ["en"], "default_locale": "en", "time_zone": "Europe/Berlin", "currency": "EUR",
        "calendar": {"country": "DE", "weekend_days": ["sat", "sun"],
                     "business_hours": {"opens": "09:00", "closes": "17:00"}},
        "branding": {"display_name": f"Bench {no:02d}", "support_email": f"help@bench{no:02d}-demo.com",
                     "support_phone": "+49 30 1234567"},
        "settings": {"electronics": {"serial_scheme": "pattern", "serial_pattern": SERIAL_PATTERN}},
    }


def onboard_tenants(settings: Any, target: Target) -> list[BenchTenant]:
    """Ten tenants through the real services: onboarding, one product model each, one API client each."""
    from aftersales.accounts.services import create_api_client
    from aftersales.onboarding.services import onboard

    async def work() -> list[BenchTenant]:
        runtime = build_runtime(replace(settings, database_url=target.app_url, migration_database_url=target.owner_url))
        tenants = []
        try:
            for no in range(TENANTS):
                async with runtime.db.transaction(None) as session:
                    tenant, _ = await onboard(session, runtime.plugins, manifest(no))
                    client, secret = await create_api_client(session, tenant_id=tenant.id, name="benchmark",
                                                             scopes=[SERIALS_READ])
                async with runtime.db.transaction(tenant.id) as session:
                    model = ProductModel(sku=f"M{no:02d}", name=f"Machine {no:02d}", category="machines")
                    session.add(model)
                    await session.flush()
                tenants.append(BenchTenant(no, tenant.id, model.id, client.client_id, secret))
        finally:
            await runtime.close()
        return tenants

    return asyncio.run(work())


def unit_rows(tenant: BenchTenant, start: int, stop: int) -> dict[str, list[dict[str, Any]]]:
    """Serials ``start``…``stop`` of a tenant; every fifth with a customer, an active registration and coverage."""
    rows: dict[str, list[dict[str, Any]]] = {"serials": [], "customers": [], "registrations": [], "coverages": []}
    tid = tenant.id
    for n in range(start, stop):
        serial_id = new_id()
        made = date(2025, 1, 1) + timedelta(days=n % 365)
        registered = n % REGISTERED_EVERY == 0
        rows["serials"].append({
            "tenant_id": tid, "id": serial_id, "created_at": NOW, "serial": serial_of(tenant.no, n),
            "model_id": tenant.model_id, "batch": f"B{n // 10_000}", "manufactured_on": made,
            "shipped_on": made + timedelta(days=20), "seller": "Central warehouse", "card_code_hash": None,
            "hologram_code_hash": None, "status": "registered" if registered else "in_stock",
            "clone_suspected_at": None, "clone_reason": None, "updated_at": NOW,
        })
        if not registered:
            continue
        customer_id, registration_id = new_id(), new_id()
        bought = made + timedelta(days=60 + n % 300)
        rows["customers"].append({"tenant_id": tid, "id": customer_id, "created_at": NOW, "name": f"Owner {n}",
                                  "email": None, "phone": None, "locale": None})
        rows["registrations"].append({
            "tenant_id": tid, "id": registration_id, "created_at": NOW, "serial_id": serial_id,
            "customer_id": customer_id, "purchased_on": bought, "invoice_number": f"INV-{n}", "price_minor": 129_900,
            "currency": "EUR", "seller": "Shop", "status": "active", "owned_from": bought, "ended_on": None,
            "previous_id": None, "proof_id": None, "registered_by": "client:benchmark",
        })
        rows["coverages"].append({
            "tenant_id": tid, "id": new_id(), "created_at": NOW, "registration_id": registration_id,
            "warranty_start": bought, "warranty_end": bought + timedelta(days=730),
            "parts_support_end": bought + timedelta(days=3650), "return_until": bought + timedelta(days=7),
            "exchange_until": bought + timedelta(days=30), "restarts_on_exchange": False, "exclusions": [],
            "reasons": ["24 months from the purchase date"], "items": [], "cause": "registered",
            "superseded_at": None,
        })
    return rows


TABLES = {"serials": Serial.__table__, "customers": Customer.__table__, "registrations": Registration.__table__,
          "coverages": Coverage.__table__}
BATCH = 20_000


def _batches(tenants: list[BenchTenant], per_tenant: int) -> Iterator[dict[str, list[dict[str, Any]]]]:
    for tenant in tenants:
        for start in range(0, per_tenant, BATCH):
            yield unit_rows(tenant, start, min(per_tenant, start + BATCH))


def load_sqlite(path: str, tenants: list[BenchTenant], per_tenant: int) -> None:
    """Executemany through SQLAlchemy Core (so values are stored exactly as the app stores them), one transaction."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for batch in _batches(tenants, per_tenant):
            for name, table in TABLES.items():
                if batch[name]:
                    conn.execute(table.insert(), batch[name])
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def load_postgres(dsn: str, tenants: list[BenchTenant], per_tenant: int) -> None:
    """``COPY`` as the superuser (``COPY FROM`` is refused on row-level-secured tables for other roles)."""
    with psycopg.connect(dsn) as conn:
        for batch in _batches(tenants, per_tenant):
            for name, table in TABLES.items():
                columns = [c.name for c in table.columns]
                with conn.cursor().copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch[name]:
                        copy.write_row([json.dumps(v) if isinstance(v, list) else v for v in map(row.get, columns)])
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def prepare(settings: Any, target: Target, serials: int) -> list[BenchTenant]:
    upgrade(replace(settings, migration_database_url=target.owner_url), url=target.owner_url)
    tenants = onboard_tenants(settings, target)
    started = time.perf_counter()
    if target.db == "sqlite":
        load_sqlite(target.loader, tenants, serials // TENANTS)
    else:
        load_postgres(target.loader, tenants, serials // TENANTS)
    print(f"  loaded {serials} serials in {time.perf_counter() - started:.0f} s", flush=True)
    return tenants


# -- servers and load -----------------------------------------------------------------------------------------

def _pinned(cpu: str) -> list[str]:
    return ["taskset", "-c", cpu] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


class Server:
    """One uvicorn process (one worker, no access log) on the server CPU."""

    def __init__(self, app: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [*_pinned(SERVER_CPU), sys.executable, "-m", "uvicorn", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", "1", "--no-access-log", "--log-level", "warning", *app],
            env={**os.environ, **env}, stdout=self._log_file, stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Self:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited at start-up:\n{self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"the server did not start within 60 s:\n{self.log.read_text()}")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


LUA = """
local tenants = {%(tenants)s}
local per_tenant = %(per_tenant)d

init = function(args)
  math.randomseed(tonumber(args[1]))
end

request = function()
  local t = tenants[math.random(#tenants)]
  local path = string.format("/api/v1/serials/T%%02d-%%08d", t[1], math.random(0, per_tenant - 1))
  return wrk.format("GET", path, {["Authorization"] = t[3], ["X-Tenant-Id"] = t[2]})
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%.0f, "p99_us": %%.0f, "status_errors": %%d, ' ..
    '"socket_errors": %%d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_script(path: Path, tenants: list[BenchTenant], tokens: dict[uuid.UUID, str], per_tenant: int) -> None:
    rows = ", ".join(f'{{{t.no}, "{t.id}", "Bearer {tokens[t.id]}"}}' for t in tenants)
    path.write_text(LUA % {"tenants": rows, "per_tenant": per_tenant})


@dataclass(frozen=True)
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float


def run_wrk(url: str, script: Path, seconds: int, seed: int) -> Figures:
    """One wrk run; any non-2xx answer or socket error stops the benchmark."""
    out = subprocess.run(
        [*_pinned(LOAD_CPU), "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         "-s", str(script), url, "--", str(seed)],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next((line for line in out.splitlines() if line.startswith("WRK_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    result = json.loads(line.removeprefix("WRK_RESULT "))
    non_2xx = next((int(x.split(":")[1]) for x in out.splitlines() if "Non-2xx or 3xx responses" in x), 0)
    if non_2xx or result["status_errors"] or result["socket_errors"] or not result["requests"]:
        raise SystemExit(f"{url}: {non_2xx} non-2xx answers, {result['socket_errors']} socket errors in "
                         f"{result['requests']} requests:\n{out}")
    return Figures(result["requests"] / (result["duration_us"] / 1e6), result["p50_us"] / 1e3, result["p99_us"] / 1e3)


def issue_tokens(url: str, tenants: list[BenchTenant]) -> dict[uuid.UUID, str]:
    """A ``serials:read`` token per tenant from the real ``/oauth/token`` (client credentials)."""
    tokens = {}
    for t in tenants:
        response = httpx.post(f"{url}/oauth/token", data={"grant_type": "client_credentials", "client_id": t.client_id,
                                                          "client_secret": t.client_secret, "scope": SERIALS_READ})
        response.raise_for_status()
        tokens[t.id] = response.json()["access_token"]
    return tokens


def check_same_answers(ours: str, floor: str, tenants: list[BenchTenant], tokens: dict[uuid.UUID, str]) -> None:
    """Both servers answer 200 with the same fields and the same unit, registered (n=0) or not (n=1)."""
    for n in (0, 1):
        t = tenants[-1]
        headers = {"Authorization": f"Bearer {tokens[t.id]}", "X-Tenant-Id": str(t.id)}
        answers = [httpx.get(f"{base}/api/v1/serials/{serial_of(t.no, n)}", headers=headers) for base in (ours, floor)]
        for answer in answers:
            if answer.status_code != 200:
                raise SystemExit(f"{answer.request.url}: {answer.status_code} {answer.text}")
        a, b = (x.json() for x in answers)
        if _shape(a) != _shape(b) or (a["serial"], a["registration_id"]) != (b["serial"], b["registration_id"]):
            raise SystemExit(f"ours and the floor answer differently:\n{a}\n{b}")


def _shape(value: Any) -> Any:
    return {k: _shape(v) for k, v in value.items()} if isinstance(value, dict) else None


def measure(target: Target, settings: Any, tenants: list[BenchTenant], serials: int, work: Path,
            warmup: int, seconds: int) -> tuple[Figures, Figures]:
    env = {"AFTERSALES_DATABASE_URL": target.app_url, "AFTERSALES_MIGRATION_DATABASE_URL": target.owner_url,
           "AFTERSALES_DATA_DIR": str(settings.data_dir), "AFTERSALES_SIGNING_KEY": settings.signing_key_pem}
    floor_env = {FLOOR_URL_ENV: target.superuser_url}
    here = str(Path(__file__).resolve().parent)
    script = work / f"lookup-{target.db}-{serials}.lua"
    with Server(["aftersales.app:create_app"], env, work / "ours.log") as ours, \
            Server(["--app-dir", here, "warranty_lookup:floor_app"], floor_env, work / "floor.log") as floor:
        tokens = issue_tokens(ours.url, tenants)
        check_same_answers(ours.url, floor.url, tenants, tokens)
        wrk_script(script, tenants, tokens, serials // TENANTS)
        for server in (floor, ours):
            run_wrk(server.url, script, warmup, seed=1)
        best: dict[str, Figures] = {}
        for round_no in range(ROUNDS):
            for label, server in (("floor", floor), ("ours", ours)):  # one server under load at a time
                figures = run_wrk(server.url, script, seconds, seed=2 + round_no)
                if label not in best or figures.rps > best[label].rps:
                    best[label] = figures
    return best["ours"], best["floor"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k serials, shorter runs")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (or build it from github.com/wg/wrk)")
    sizes = (10_000, 100_000) if args.quick else (10_000, 1_000_000)
    warmup, seconds = (2, 5) if args.quick else (3, 10)
    print(f"{TENANTS} tenants, {CONNECTIONS} connections, {seconds} s per run after {warmup} s warm-up; "
          f"server on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}", flush=True)
    results: dict[str, dict[int, tuple[Figures, Figures]]] = {}
    with Bench("lookup", args.db) as bench:
        for db in bench.backends:
            results[db] = {}
            for serials in sizes:
                print(f"{db}, {serials} serials:", flush=True)
                target, settings = bench.database(db, f"lookup-{serials}")
                tenants = prepare(settings, target, serials)
                ours, floor = measure(target, settings, tenants, serials, bench.work, warmup, seconds)
                results[db][serials] = ours, floor
                print(f"  ours  {ours.rps:7.0f} req/s  p50 {ours.p50_ms:6.2f} ms  p99 {ours.p99_ms:6.2f} ms\n"
                      f"  floor {floor.rps:7.0f} req/s  p50 {floor.p50_ms:6.2f} ms  p99 {floor.p99_ms:6.2f} ms\n"
                      f"  ratio {ours.rps / floor.rps:.3f}", flush=True)
    small, large = sizes
    fields = []
    for db, by_size in results.items():
        for serials, (ours, floor) in by_size.items():
            tag = f"{db}_{_short(serials)}"
            fields += [f"{tag}={ours.rps / floor.rps:.3f}", f"{tag}_ours_rps={ours.rps:.0f}",
                       f"{tag}_floor_rps={floor.rps:.0f}", f"{tag}_ours_p50_ms={ours.p50_ms:.2f}",
                       f"{tag}_ours_p99_ms={ours.p99_ms:.2f}", f"{tag}_floor_p50_ms={floor.p50_ms:.2f}",
                       f"{tag}_floor_p99_ms={floor.p99_ms:.2f}"]
        growth_ours = by_size[large][0].p50_ms / by_size[small][0].p50_ms
        growth_floor = by_size[large][1].p50_ms / by_size[small][1].p50_ms
        print(f"{db}: p50 from {_short(small)} to {_short(large)} serials: ours ×{growth_ours:.2f}, "
              f"floor ×{growth_floor:.2f}")
        fields += [f"{db}_p50_growth_ours={growth_ours:.2f}", f"{db}_p50_growth_floor={growth_floor:.2f}"]
    worst = min(ours.rps / floor.rps for by_size in results.values() for ours, floor in by_size.values())
    print(f"RESULT warranty_lookup ratio={worst:.3f} {' '.join(fields)}")


def _short(serials: int) -> str:
    return f"{serials // 1_000_000}m" if serials >= 1_000_000 else f"{serials // 1_000}k"


if __name__ == "__main__":
    main()
