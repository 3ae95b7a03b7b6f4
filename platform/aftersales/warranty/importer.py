"""Bulk import of serials from CSV: streamed, validated row by row, reported per row, written in one go.

How it works, so memory stays flat whatever the file size:

1. The header is checked first (unknown or missing columns refuse the whole file).
2. Rows are decoded and validated one at a time: serial format by the tenant's vertical (with the row's model,
   for model-specific formats), known model, dates (ISO or Jalali, Persian digits allowed, not in the future,
   shipped not before manufactured), card and hologram codes hashed with the code key.
3. Valid rows go in batches into a temporary staging table (``COPY`` on PostgreSQL, ``executemany`` on
   SQLite), inside the tenant's transaction.
4. Duplicates are found by SQL, not in memory: a serial repeated in the file (every later occurrence is an
   error) or already in the registry.
5. Mode ``all_or_nothing`` (the default) rolls everything back if any row is bad; ``valid_rows`` writes the
   good rows and reports the rest. Nothing is ever overwritten.

The staging table and the final ``INSERT … SELECT`` use SQL text on the tenant session's own connection; they
name the session's tenant explicitly, and on PostgreSQL row-level security checks every row again.
"""

from __future__ import annotations

import codecs
import csv
import enum
import re
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import jdatetime
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import new_id
from aftersales.errors import FieldError, InvalidInput
from aftersales.numerals import ascii_digits
from aftersales.tenancy.services import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.codes import hash_code
from aftersales.warranty.models import ProductModel, SerialStatus

REQUIRED_COLUMNS = ("serial", "model_sku")
OPTIONAL_COLUMNS = ("batch", "manufactured_on", "shipped_on", "seller", "card_code", "hologram_code", "status")
IMPORTABLE_STATUSES = (SerialStatus.IN_STOCK.value, SerialStatus.SOLD.value)
BATCH_ROWS = 5_000
MAX_REPORTED_ERRORS = 10_000
MAX_FIELD_LENGTH = {"serial": 64, "model_sku": 80, "batch": 80, "seller": 200, "card_code": 100, "hologram_code": 100}
STAGING_COLUMNS = ("row_no", "id", "serial", "model_id", "batch", "manufactured_on", "shipped_on", "seller",
                   "card_code_hash", "hologram_code_hash", "status")


class ImportMode(enum.StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ROWS = "valid_rows"


@dataclass(frozen=True)
class RowError:
    """One bad row: its number in the file (the header is row 1), the field, and why."""

    row: int
    field: str
    reason: str


@dataclass
class ImportReport:
    """What an import did. ``errors`` keeps the first 10,000; ``error_count`` counts them all."""

    mode: ImportMode
    rows_read: int = 0
    rows_imported: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def committed(self) -> bool:
        return self.rows_imported > 0 or self.error_count == 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)


@dataclass(frozen=True)
class ImportContext:
    """What the importer needs: the tenant (record, context, hooks), the code key, and the tenant's today."""

    tenant: CurrentTenant
    code_key: bytes
    today: date


async def _text_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[tuple[int, str]]:
    """Decode UTF-8 (a BOM is allowed) incrementally and yield (line number, line) with line ends kept."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    line_no = 0
    async for chunk in chunks:
        try:
            pending += decoder.decode(chunk)
        except UnicodeDecodeError:
            raise InvalidInput(f"the file is not UTF-8 text (near line {line_no + 1})") from None
        *complete, pending = pending.splitlines(keepends=True) or [""]
        if pending.endswith(("\n", "\r")):
            complete.append(pending)
            pending = ""
        for line in complete:
            line_no += 1
            yield line_no, line
    try:
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InvalidInput(f"the file is not UTF-8 text (near line {line_no + 1})") from None
    if pending:
        yield line_no + 1, pending


def parse_date(value: str) -> date:
    """ISO ``2024-08-02`` or Jalali ``1403/05/12`` (years 1300–1499 are read as Jalali), any digits."""
    text_value = ascii_digits(value).strip()
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text_value)
    if not match:
        raise ValueError("expected a date as YYYY-MM-DD (or a Jalali date as YYYY/MM/DD)")
    year, month, day = (int(g) for g in match.groups())
    if 1300 <= year < 1500:
        return jdatetime.date(year, month, day).togregorian()
    return date(year, month, day)


def check_header(header: list[str]) -> list[str]:
    """The normalised column names; :class:`InvalidInput` listing every unknown, repeated or missing column."""
    columns = [ascii_digits(c).strip().lower() for c in header]
    errors = [FieldError(f"column {i + 1}", f"unknown column {c!r}") for i, c in enumerate(columns)
              if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    errors += [FieldError(c, "column appears twice") for c in sorted({c for c in columns if columns.count(c) > 1})]
    errors += [FieldError(c, "required column is missing") for c in REQUIRED_COLUMNS if c not in columns]
    if errors:
        raise InvalidInput("the CSV header is invalid", errors)
    return columns


class _RowValidator:
    """Turns one CSV row into a staging record or a list of errors."""

    def __init__(self, ctx: ImportContext, models: dict[str, ProductModel]) -> None:
        self.ctx = ctx
        self.models = models
        self.products = {sku: product_info(m) for sku, m in models.items()}

    def __call__(self, row_no: int, values: dict[str, str]) -> tuple[tuple[Any, ...] | None, list[RowError]]:
        errors: list[RowError] = []
        for name, limit in MAX_FIELD_LENGTH.items():
            if len(values.get(name, "")) > limit:
                errors.append(RowError(row_no, name, f"longer than {limit} characters"))
        if errors:
            return None, errors
        sku = values.get("model_sku", "").strip()
        model = self.models.get(sku)
        if model is None:
            errors.append(RowError(row_no, "model_sku", f"no model {sku!r} in the catalogue" if sku else "empty"))
        check = self.ctx.tenant.hooks.aftersales_validate_serial(
            tenant=self.ctx.tenant.context, serial=values.get("serial", ""), product=self.products.get(sku)
        )
        if not check.valid:
            errors.append(RowError(row_no, "serial", check.reason or "invalid serial"))
        dates: dict[str, date | None] = {}
        for name in ("manufactured_on", "shipped_on"):
            raw = values.get(name, "").strip()
            dates[name] = None
            if raw:
                try:
                    dates[name] = parse_date(raw)
                except ValueError as exc:
                    errors.append(RowError(row_no, name, str(exc)))
                    continue
                if dates[name] > self.ctx.today:
                    errors.append(RowError(row_no, name, f"{dates[name].isoformat()} is in the future"))
        made, shipped = dates["manufactured_on"], dates["shipped_on"]
        if made and shipped and shipped < made:
            errors.append(RowError(row_no, "shipped_on", "shipped before it was manufactured"))
        status = values.get("status", "").strip().lower() or SerialStatus.IN_STOCK.value
        if status not in IMPORTABLE_STATUSES:
            errors.append(RowError(row_no, "status", f"must be one of {', '.join(IMPORTABLE_STATUSES)}"))
        if errors or model is None:
            return None, errors
        codes = [
            hash_code(self.ctx.code_key, self.ctx.tenant.record.slug, values[name]) if values.get(name, "").strip() else None
            for name in ("card_code", "hologram_code")
        ]
        record = (row_no, new_id(), check.normalized, model.id, values.get("batch", "").strip(), made, shipped,
                  values.get("seller", "").strip(), codes[0], codes[1], status)
        return record, []



def _sqlite_values(record: tuple[Any, ...]) -> tuple[Any, ...]:
    """A staging record as SQLAlchemy stores it on SQLite: UUIDs as 32 hex digits, dates as ISO text."""
    row_no, id_, serial, model_id, batch, made, shipped, *rest = record
    iso = [d.isoformat() if d else None for d in (made, shipped)]
    return (row_no, id_.hex, serial, model_id.hex, batch, *iso, *rest)


class _Staging:
    """The temporary staging table on the session's connection, filled in batches."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.dialect = session.bind.dialect.name if session.bind else "sqlite"

    async def create(self) -> None:
        uuid_type = "uuid" if self.dialect == "postgresql" else "CHAR(32)"
        drop = "ON COMMIT DROP" if self.dialect == "postgresql" else ""
        await self.session.execute(text(
            f"CREATE TEMPORARY TABLE import_staging (row_no INTEGER NOT NULL, id {uuid_type} NOT NULL, "
            f"serial VARCHAR(64) NOT NULL, model_id {uuid_type} NOT NULL, batch VARCHAR(80) NOT NULL, "
            "manufactured_on DATE, shipped_on DATE, seller VARCHAR(200) NOT NULL, card_code_hash VARCHAR(64), "
            f"hologram_code_hash VARCHAR(64), status VARCHAR(20) NOT NULL) {drop}"
        ))

    async def write(self, records: list[tuple[Any, ...]]) -> None:
        if not records:
            return
        if self.dialect == "postgresql":
            connection = await self.session.connection()
            raw = await connection.get_raw_connection()
            await raw.driver_connection.copy_records_to_table("import_staging", records=records,
                                                              columns=list(STAGING_COLUMNS))
            return
        rows = [dict(zip(STAGING_COLUMNS, _sqlite_values(r), strict=True)) for r in records]
        await self.session.execute(
            text(f"INSERT INTO import_staging ({', '.join(STAGING_COLUMNS)}) "
                 f"VALUES ({', '.join(':' + c for c in STAGING_COLUMNS)})"),
            rows,
        )

    async def duplicates(self, tenant_id: Any) -> list[RowError]:
        await self.session.execute(text("CREATE INDEX import_staging_serial ON import_staging (serial, row_no)"))
        in_file = await self.session.execute(text(
            "SELECT s.row_no, s.serial, min(t.row_no) FROM import_staging s JOIN import_staging t "
            "ON t.serial = s.serial AND t.row_no < s.row_no GROUP BY s.row_no, s.serial"
        ))
        errors = [RowError(row, "serial", f"{serial} is repeated: first seen on row {first}")
                  for row, serial, first in in_file]
        tenant_param = tenant_id if self.dialect == "postgresql" else tenant_id.hex
        registered = await self.session.execute(
            text("SELECT s.row_no, s.serial FROM import_staging s JOIN serials r "
                 "ON r.tenant_id = :tenant AND r.serial = s.serial"),
            {"tenant": tenant_param},
        )
        errors += [RowError(row, "serial", f"{serial} is already registered") for row, serial in registered]
        return sorted(errors, key=lambda e: e.row)

    async def publish(self, tenant_id: Any, excluded_rows: set[int]) -> int:
        """Insert the staged rows (less ``excluded_rows``) into the registry; returns how many."""
        if excluded_rows:
            await self.session.execute(text("CREATE TEMPORARY TABLE import_excluded (row_no INTEGER PRIMARY KEY)"
                                            + (" ON COMMIT DROP" if self.dialect == "postgresql" else "")))
            await self.session.execute(text("INSERT INTO import_excluded (row_no) VALUES (:row)"),
                                       [{"row": r} for r in sorted(excluded_rows)])
            where = "WHERE s.row_no NOT IN (SELECT row_no FROM import_excluded)"
        else:
            where = ""
        now = datetime.now(timezone.utc)
        params = {"tenant": tenant_id if self.dialect == "postgresql" else tenant_id.hex,
                  "now": now if self.dialect == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")}
        result = await self.session.execute(text(
            "INSERT INTO serials (tenant_id, id, serial, model_id, batch, manufactured_on, shipped_on, seller, "
            "card_code_hash, hologram_code_hash, status, created_at, updated_at) "
            "SELECT :tenant, s.id, s.serial, s.model_id, s.batch, s.manufactured_on, s.shipped_on, s.seller, "
            f"s.card_code_hash, s.hologram_code_hash, s.status, :now, :now FROM import_staging s {where}"
        ), params)
        return result.rowcount

    async def drop(self) -> None:
        if self.dialect != "postgresql":  # PostgreSQL drops them at commit or rollback
            await self.session.execute(text("DROP TABLE IF EXISTS import_staging"))
            await self.session.execute(text("DROP TABLE IF EXISTS import_excluded"))


async def import_serials(
    session: AsyncSession,
    ctx: ImportContext,
    chunks: AsyncIterable[bytes],
    *,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a CSV of serials into ``session``'s tenant; the caller commits (or rolls back) the session.

    In ``all_or_nothing`` mode a report with errors means nothing may be written: the caller must roll back
    (:attr:`ImportReport.rows_imported` is then 0). :raises InvalidInput: for a file that cannot be read at all
    (not UTF-8, bad header, empty).
    """
    models = {m.sku: m for m in await session.scalars(select(ProductModel))}
    validate = _RowValidator(ctx, models)
    report = ImportReport(mode=mode)
    staging = _Staging(session)
    await staging.create()
    try:
        batch: list[tuple[Any, ...]] = []
        header: list[str] | None = None
        async for row_no, values in _csv_rows(_text_lines(chunks)):
            if header is None:
                header = check_header(values)
                continue
            report.rows_read += 1
            if len(values) != len(header):
                report.add(RowError(row_no, "(row)", f"has {len(values)} fields, the header has {len(header)}"))
                continue
            record, errors = validate(row_no, dict(zip(header, values, strict=True)))
            for error in errors:
                report.add(error)
            if record is not None:  # staged even after an error: duplicates are reported for every row
                batch.append(record)
            if len(batch) >= BATCH_ROWS:
                await staging.write(batch)
                batch = []
                if progress:
                    progress(report.rows_read)
        if header is None:
            raise InvalidInput("the file is empty: expected a header row with at least serial,model_sku")
        await staging.write(batch)
        if progress:
            progress(report.rows_read)
        for error in await staging.duplicates(ctx.tenant.record.id):
            report.add(error)
        if mode is ImportMode.ALL_OR_NOTHING and report.error_count:
            return report
        bad_rows = {e.row for e in report.errors}
        report.rows_imported = await staging.publish(ctx.tenant.record.id, bad_rows)
        return report
    finally:
        await staging.drop()


async def _csv_rows(lines: AsyncIterator[tuple[int, str]]) -> AsyncIterator[tuple[int, list[str]]]:
    """CSV records with the file line they start on; quoted fields may span lines."""
    buffer: list[str] = []
    start = 0
    async for line_no, line in lines:
        if not buffer:
            start = line_no
        buffer.append(line)
        if "".join(buffer).count('"') % 2:  # inside a quoted field: the record continues on the next line
            continue
        records = list(csv.reader(buffer))
        buffer = []
        for record in records:
            if record and any(cell.strip() for cell in record):
                yield start, record


def sync_chunks(lines: Iterable[bytes]) -> AsyncIterator[bytes]:
    """Adapt a synchronous iterable of byte chunks (e.g. a file) for :func:`import_serials`."""

    async def gen() -> AsyncIterator[bytes]:
        for chunk in lines:
            yield chunk

    return gen()
