"""Benchmark: importing a CSV of serials through ``aftersales import-serials`` against the raw floor.

For each database the same generated CSV (valid IMEIs, one model, dates, card and hologram codes) is loaded
twice into a fresh, migrated database:

* ours: the real CLI in a child process (validation by the vertical, code hashing, staging, duplicate checks,
  the final insert), its wall time and peak memory (``ru_maxrss`` of the child);
* the floor: the same file straight into a plain table of text columns — ``COPY … FROM STDIN`` on PostgreSQL,
  ``csv.reader`` plus batched ``executemany`` in one transaction on SQLite.

``ratio`` is ours ÷ floor (time; the goal is ≤ 1.5). Peak memory is reported for a quarter of the rows and for
all of them, to show it does not grow with the file.

    python benchmarks/serial_import.py [--quick] [--rows N] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psycopg
from joserfc.jwk import ECKey
from stdnum import luhn

from aftersales.db.migrate import upgrade
from aftersales.runtime import build_runtime
from aftersales.settings import REPO_ROOT, load_settings
from aftersales.testing.postgres import APP_ROLE, OWNER_ROLE, ThrowawayPostgres
from aftersales.warranty.models import ProductModel

MANIFEST = REPO_ROOT / "tenants" / "mehr.toml"


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["serial", "model_sku", "batch", "manufactured_on", "shipped_on", "seller", "card_code",
                      "hologram_code"])
        for n in range(rows):
            body = f"35{n:012d}"
            out.writerow([body + luhn.calc_check_digit(body), "PH-100", f"B{n // 10000}", "2026-01-15",
                          "2026-02-01", "Central warehouse", f"C{n:09d}", f"H{n:09d}"])


def prepare(settings, app_url: str, owner_url: str) -> None:
    """Migrate, onboard Mehr and add the model the CSV names."""
    upgrade(replace(settings, migration_database_url=owner_url), url=owner_url)
    from aftersales.tenancy.manifest import read_manifest_file
    from aftersales.tenancy.services import onboard

    async def work() -> None:
        runtime = build_runtime(replace(settings, database_url=app_url, migration_database_url=owner_url))
        try:
            async with runtime.db.transaction(None) as s:
                tenant, _ = await onboard(s, runtime.plugins, read_manifest_file(MANIFEST))
            async with runtime.db.transaction(tenant.id) as s:
                s.add(ProductModel(sku="PH-100", name="Phone 100"))
        finally:
            await runtime.close()

    asyncio.run(work())


def run_ours(settings, app_url: str, owner_url: str, csv_path: Path) -> tuple[float, float]:
    env = {**os.environ, "AFTERSALES_DATABASE_URL": app_url, "AFTERSALES_MIGRATION_DATABASE_URL": owner_url,
           "AFTERSALES_DATA_DIR": str(settings.data_dir), "AFTERSALES_SIGNING_KEY": settings.signing_key_pem}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "aftersales.cli", "import-serials", "mehr", str(csv_path)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = child.stdout.read().decode(), child.stderr.read().decode()
    if status != 0:
        raise SystemExit(f"import failed: {err.strip() or out.strip()}")
    return elapsed, usage.ru_maxrss / 1024  # KiB → MiB


def floor_sqlite(path: Path, csv_path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE floor (serial TEXT, model_sku TEXT, batch TEXT, manufactured_on TEXT, "
                 "shipped_on TEXT, seller TEXT, card_code TEXT, hologram_code TEXT)")
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
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def floor_postgres(dsn: str, csv_path: Path) -> float:
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE floor (serial text, model_sku text, batch text, manufactured_on text, "
                     "shipped_on text, seller text, card_code text, hologram_code text)")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                csv_path.open("rb") as fh:
            while block := fh.read(1 << 20):
                copy.write(block)
        conn.commit()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 rows")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    rows = 50_000 if args.quick else args.rows
    work = Path(tempfile.mkdtemp(prefix="aftersales-bench-"))
    settings = replace(load_settings(), data_dir=work,
                       signing_key_pem=ECKey.generate_key("P-256", private=True).as_pem(private=True).decode())
    full, quarter = work / "full.csv", work / "quarter.csv"
    write_csv(full, rows)
    write_csv(quarter, rows // 4)
    print(f"rows={rows} file={full.stat().st_size / 1e6:.1f} MB")
    results = {}
    server = None
    for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        figures = {}
        for label, csv_path in (("quarter", quarter), ("full", full)):
            if db == "sqlite":
                path = work / f"{label}.db"
                app_url = owner_url = f"sqlite+aiosqlite:///{path}"
            else:
                server = server or ThrowawayPostgres().start()
                name = server.create_database()
                app_url, owner_url = server.url(name, role=APP_ROLE), server.url(name, role=OWNER_ROLE)
            prepare(replace(settings, database_app_role=APP_ROLE if db == "postgresql" else None), app_url, owner_url)
            ours, peak = run_ours(settings, app_url, owner_url, csv_path)
            if db == "sqlite":
                floor = floor_sqlite(work / f"{label}-floor.db", csv_path)
            else:
                floor = floor_postgres(server.admin_dsn(server.create_database()), csv_path)
            figures[label] = (ours, floor, peak)
        ours, floor, peak = figures["full"]
        peak_quarter = figures["quarter"][2]
        results[db] = ours / floor
        print(f"{db:<10} ours={ours:8.2f} s ({rows / ours:9.0f} rows/s)  floor={floor:7.2f} s "
              f"({rows / floor:9.0f} rows/s)  ratio={ours / floor:6.2f}  peak_memory={peak:6.1f} MiB "
              f"(at {rows // 4} rows: {peak_quarter:6.1f} MiB)")
        results[f"{db}_peak_mib"] = peak
        results[f"{db}_peak_quarter_mib"] = peak_quarter
    if server:
        server.stop()
    worst = max(v for k, v in results.items() if not k.endswith("mib"))
    print("RESULT serial_import ratio=%.2f %s" % (worst, " ".join(f"{k}={v:.2f}" for k, v in results.items())))


if __name__ == "__main__":
    main()
