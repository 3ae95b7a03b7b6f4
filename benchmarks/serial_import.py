"""Benchmark: importing a CSV of serials through ``aftersales import-serials`` against the raw floor.

For each database and two file sizes (a quarter of the rows, then all of them) the same generated CSV (valid
IMEIs, one model, dates, card and hologram codes) is loaded into fresh, migrated databases:

* ours: the real CLI in a child process (validation by the vertical, code hashing, staging, duplicate checks,
  the final insert, the commit): its wall time and peak memory (``ru_maxrss`` of the child). Its fixed
  start-up (the same command on a header-only file: interpreter, imports, plugins, connection) is shown too;
* the floor: the same file straight into a plain table of text columns — ``COPY … FROM STDIN`` on PostgreSQL,
  ``csv.reader`` plus batched ``executemany`` in one transaction on SQLite;
* the registry floor: the floor's load into a temporary table, then one ``INSERT … SELECT`` into ``serials``
  as the application connects (row-level security on PostgreSQL): the database's share of the importer's
  design (stage, then publish) with no Python at all — what storing the rows in the real table, with its
  indexes, foreign keys and policies, costs before anything is validated, hashed or checked for duplicates.

``ratio`` is ours ÷ floor (time; the goal is ≤ 1.5), with and without the start-up. Peak memory is shown for
both sizes, to show it does not grow with the file. Every figure is the best of ``--repeats`` runs (at least
three for the short ones: the floors and the start-up), which matters on a busy machine.

    python benchmarks/serial_import.py [--quick] [--rows N] [--db sqlite|postgresql|both] [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
from joserfc.jwk import ECKey
from sqlalchemy import select
from stdnum import luhn

from aftersales.migrate import upgrade
from aftersales.runtime import build_runtime
from aftersales.settings import REPO_ROOT, Settings, load_settings
from aftersales.testing.postgres import APP_ROLE, OWNER_ROLE, ThrowawayPostgres
from aftersales.warranty.models import ProductModel

MANIFEST = REPO_ROOT / "tenants" / "mehr.toml"
HEADER = ["serial", "model_sku", "batch", "manufactured_on", "shipped_on", "seller", "card_code", "hologram_code"]


def csv_row(n: int) -> list[str]:
    """Row ``n`` of every generated file: a valid IMEI, the model, a batch of 10,000, dates, two codes."""
    body = f"35{n:012d}"
    return [body + luhn.calc_check_digit(body), "PH-100", f"B{n // 10000}", "2026-01-15", "2026-02-01",
            "Central warehouse", f"C{n:09d}", f"H{n:09d}"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(csv_row(n) for n in range(rows))


def prepare(settings: Settings, app_url: str, owner_url: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Migrate, onboard Mehr and add the model the CSV names; returns the tenant's and the model's ids."""
    upgrade(replace(settings, migration_database_url=owner_url), url=owner_url)
    from aftersales.onboarding.manifest import read_manifest_file
    from aftersales.onboarding.services import onboard

    async def work() -> tuple[uuid.UUID, uuid.UUID]:
        runtime = build_runtime(replace(settings, database_url=app_url, migration_database_url=owner_url))
        try:
            async with runtime.db.transaction(None) as s:
                tenant, _ = await onboard(s, runtime.plugins, read_manifest_file(MANIFEST))
            async with runtime.db.transaction(tenant.id) as s:
                s.add(ProductModel(sku="PH-100", name="Phone 100"))
            async with runtime.db.transaction(tenant.id) as s:
                model_id = await s.scalar(select(ProductModel.id))
            return tenant.id, model_id
        finally:
            await runtime.close()

    return asyncio.run(work())


def run_ours(settings: Settings, app_url: str, owner_url: str, csv_path: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of ``aftersales import-serials mehr <csv_path>`` in a child process."""
    env = {**os.environ, "AFTERSALES_DATABASE_URL": app_url, "AFTERSALES_MIGRATION_DATABASE_URL": owner_url,
           "AFTERSALES_DATA_DIR": str(settings.data_dir), "AFTERSALES_SIGNING_KEY": settings.signing_key_pem}
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "aftersales.cli.main", "import-serials", "mehr", str(csv_path)],
                                 env=env, stdout=output, stderr=output)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        if status != 0:
            output.seek(0)
            raise SystemExit(f"import failed: {output.read().decode().strip()}")
    return elapsed, usage.ru_maxrss / 1024  # KiB → MiB


PUBLISH = ("INSERT INTO serials (tenant_id, id, serial, model_id, batch, manufactured_on, shipped_on, seller, "
           "card_code_hash, hologram_code_hash, status, created_at, updated_at) "
           "SELECT {tenant}, {row_id}, serial, {model}, batch, {date}(manufactured_on), {date}(shipped_on), seller, "
           "card_code, hologram_code, 'in_stock', {now}, {now} FROM floor")


def floor_sqlite(path: Path, csv_path: Path, registry: tuple[uuid.UUID, uuid.UUID] | None = None) -> float:
    """Seconds to load the file into a text table; with ``registry`` (tenant, model), then into ``serials``."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"CREATE {'TEMPORARY ' if registry else ''}TABLE floor ({', '.join(f'{c} TEXT' for c in HEADER)})")
    start = time.perf_counter()
    with csv_path.open(newline="") as fh, conn:
        reader = csv.reader(fh)
        next(reader)
        batch = []
        for row in reader:
            batch.append(row)
            if len(batch) == 5000:
                conn.executemany("INSERT INTO floor VALUES (?,?,?,?,?,?,?,?)", batch)
                batch = []
        conn.executemany("INSERT INTO floor VALUES (?,?,?,?,?,?,?,?)", batch)
        if registry:
            tenant, model = registry
            conn.execute(PUBLISH.format(tenant=f"'{tenant.hex}'", row_id="printf('%032x', rowid)", date="",
                                        model=f"'{model.hex}'", now="'2026-01-01 00:00:00.000000'"))
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def floor_postgres(dsn: str, csv_path: Path, registry: tuple[uuid.UUID, uuid.UUID] | None = None) -> float:
    """Seconds to ``COPY`` the file into a text table; with ``registry`` (tenant, model), then into ``serials``
    (``dsn`` then connects as the application, under row-level security)."""
    with psycopg.connect(dsn) as conn:
        if registry:
            conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(registry[0]),))
        conn.execute(f"CREATE {'TEMPORARY ' if registry else ''}TABLE floor ({', '.join(f'{c} text' for c in HEADER)})")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                csv_path.open("rb") as fh:
            while block := fh.read(1 << 20):
                copy.write(block)
        if registry:
            tenant, model = registry
            conn.execute(PUBLISH.format(tenant=f"'{tenant}'::uuid", row_id="lpad(to_hex(row_number() OVER ()), 32, '0')::uuid",
                                        model=f"'{model}'::uuid", date="date", now="now()"))
        conn.commit()
        return time.perf_counter() - start


@dataclass
class Figures:
    rows: int
    ours: float
    startup: float
    floor: float
    registry_floor: float
    peak_mib: float

    @property
    def ratio(self) -> float:
        return self.ours / self.floor

    @property
    def ratio_ex_startup(self) -> float:
        return (self.ours - self.startup) / self.floor


def best_of(repeats: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(repeats))


class Databases:
    """Fresh, migrated databases with Mehr and its model, on SQLite files or one throwaway PostgreSQL."""

    def __init__(self, work: Path, settings: Settings) -> None:
        self.work, self.settings = work, settings
        self.server: ThrowawayPostgres | None = None
        self.count = 0

    def fresh(self, db: str) -> tuple[str, str, str, tuple[uuid.UUID, uuid.UUID]]:
        """(app URL, owner URL, the file or the application's plain DSN, (tenant id, model id))."""
        self.count += 1
        if db == "sqlite":
            path = self.work / f"db{self.count}.sqlite"
            url = f"sqlite+aiosqlite:///{path}"
            return url, url, str(path), prepare(self.settings, url, url)
        self.server = self.server or ThrowawayPostgres().start()
        name = self.server.create_database()
        app_url, owner_url = self.server.url(name, role=APP_ROLE), self.server.url(name, role=OWNER_ROLE)
        ids = prepare(replace(self.settings, database_app_role=APP_ROLE), app_url, owner_url)
        return app_url, owner_url, app_url.replace("postgresql+asyncpg://", "postgresql://", 1), ids

    def close(self) -> None:
        if self.server:
            self.server.stop()


def measure(dbs: Databases, db: str, rows: int, csv_path: Path, header_only: Path, repeats: int) -> Figures:
    settings, work = dbs.settings, dbs.work
    ours = peak = float("inf")
    for _ in range(repeats):
        app_url, owner_url, *_ = dbs.fresh(db)
        elapsed, used = run_ours(settings, app_url, owner_url, csv_path)
        ours, peak = min(ours, elapsed), min(peak, used)
    short = max(3, repeats)
    startup = best_of(short, lambda: run_ours(settings, app_url, owner_url, header_only)[0])

    def registry_floor() -> float:
        _, _, target, ids = dbs.fresh(db)
        return (floor_sqlite(Path(target), csv_path, ids) if db == "sqlite" else floor_postgres(target, csv_path, ids))

    if db == "sqlite":
        floor = best_of(short, lambda: floor_sqlite(work / f"floor-{uuid.uuid4().hex}.db", csv_path))
    else:
        assert dbs.server is not None
        floor = best_of(short, lambda: floor_postgres(dbs.server.admin_dsn(dbs.server.create_database()), csv_path))
    return Figures(rows, ours, startup, floor, best_of(short, registry_floor), peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 rows")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=1, help="keep the best of this many runs of each measurement")
    args = parser.parse_args()
    rows = 50_000 if args.quick else args.rows
    work = Path(tempfile.mkdtemp(prefix="aftersales-bench-"))
    settings = replace(load_settings(), data_dir=work,
                       signing_key_pem=ECKey.generate_key("P-256", private=True).as_pem(private=True).decode())
    sizes = {rows // 4: work / "quarter.csv", rows: work / "full.csv"}
    header_only = work / "header.csv"
    results: dict[str, float] = {}
    dbs = Databases(work, settings)
    try:
        for count, path in [*sizes.items(), (0, header_only)]:
            write_csv(path, count)
        print(f"rows={rows} file={sizes[rows].stat().st_size / 1e6:.1f} MB repeats={args.repeats}")
        for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
            figures = [measure(dbs, db, count, path, header_only, args.repeats) for count, path in sizes.items()]
            for f in figures:
                print(f"{db:<10} rows={f.rows:>9,}  ours={f.ours:7.2f} s (start-up {f.startup:4.2f} s, "
                      f"{f.rows / f.ours:7.0f} rows/s)  floor={f.floor:6.2f} s  ratio={f.ratio:6.2f} "
                      f"(ex start-up {f.ratio_ex_startup:6.2f})  registry floor={f.registry_floor:6.2f} s  "
                      f"peak_memory={f.peak_mib:6.1f} MiB")
            quarter, full = figures
            results |= {db: full.ratio, f"{db}_ex_startup": full.ratio_ex_startup,
                        f"{db}_quarter": quarter.ratio, f"{db}_seconds": full.ours, f"{db}_floor_seconds": full.floor,
                        f"{db}_registry_floor_seconds": full.registry_floor, f"{db}_peak_mib": full.peak_mib,
                        f"{db}_peak_quarter_mib": quarter.peak_mib}
    finally:
        dbs.close()
        shutil.rmtree(work, ignore_errors=True)  # a million-row run leaves gigabytes of databases
    worst = max(v for k, v in results.items() if k in ("sqlite", "postgresql"))
    print(f"RESULT serial_import ratio={worst:.2f} " + " ".join(f"{k}={v:.2f}" for k, v in results.items()))


if __name__ == "__main__":
    main()
