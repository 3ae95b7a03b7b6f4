"""Bulk import of serials from CSV: streamed, validated row by row, reported per row, written in one go.

How it works, so memory stays flat whatever the file size:

1. The header is checked first (unknown or missing columns refuse the whole file).
2. Rows are decoded and validated a chunk at a time: serial format by the tenant's vertical (a chunk's serials in
   one call, each with its row's model, for model-specific formats), known model, dates (ISO or Jalali, Persian
   digits allowed, not in the future, shipped not before manufactured), card and hologram codes hashed with the
   code key.
3. Valid rows go in batches into a temporary staging table (``COPY`` on PostgreSQL, multi-row ``INSERT`` on
   SQLite), inside the tenant's transaction. On PostgreSQL the server stores one batch while Python validates
   the next (the two run on different cores).
4. The staged rows are published with one ``INSERT … SELECT`` inside a savepoint. The registry's unique key
   on (tenant, serial) refuses any duplicate — a serial repeated in the file or already registered — so when
   it accepts, there is none; when it refuses, the savepoint is rolled back and SQL lists every duplicate row
   (every later occurrence of a repeated serial is an error).
5. Mode ``all_or_nothing`` (the default) writes nothing if any row is bad; ``valid_rows`` writes the good
   rows and reports the rest. Nothing is ever overwritten.

The staging table and the final ``INSERT … SELECT`` use SQL text on the tenant session's own connection; they
name the session's tenant explicitly, and on PostgreSQL row-level security checks every row again.

Where the time goes (``benchmarks/serial_import.py``): per row, two code hashes, the CSV parsing and the
``SerialCheck`` the vertical returns (one ``aftersales_validate_serials`` call per chunk, not a pluggy dispatch
per row); then the database: staging, and the insert into ``serials`` (its indexes and, on PostgreSQL, row-level
security and two foreign-key triggers), which the benchmark's registry floor measures alone.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import enum
import os
import re
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain, islice
from operator import itemgetter
from typing import Any

import jdatetime
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.contract.values import ProductInfo
from aftersales.errors import FieldError, InvalidInput
from aftersales.plugins import validate_serials
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import ProductModel, SerialStatus
from aftersales.warranty.serials.codes import CodeHasher

REQUIRED_COLUMNS = ("serial", "model_sku")
OPTIONAL_COLUMNS = ("batch", "manufactured_on", "shipped_on", "seller", "card_code", "hologram_code", "status")
IMPORTABLE_STATUSES = (SerialStatus.IN_STOCK.value, SerialStatus.SOLD.value)
DEFAULT_STATUS = SerialStatus.IN_STOCK.value
BATCH_ROWS = 10_000
STEP_ROWS = 1_000
"""Validation gives the event loop a turn this often, so a batch being copied to the database moves along."""
MAX_REPORTED_ERRORS = 10_000
MAX_UPLOAD_BYTES = 256 * 1024**2
"""The largest CSV taken over HTTP (API and console), about four million rows: a larger declared
``Content-Length`` is answered 413 at once, before a byte of the body is read (Litestar's
``request_max_body_size``), so no one holds a worker waiting for a gigabyte. The CLI reads files of any size."""
MAX_FIELD_LENGTH = {"serial": 64, "model_sku": 80, "batch": 80, "seller": 200, "card_code": 100, "hologram_code": 100}
SQLITE_ROWS_PER_INSERT = 90
"""990 parameters: under the 999 of SQLite builds before 3.32."""
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
    """What an import did. ``errors`` keeps the first 10,000; ``error_count`` counts them all, and
    ``rows_invalid`` the rows they are on (a row may have several)."""

    mode: ImportMode
    rows_read: int = 0
    rows_imported: int = 0
    error_count: int = 0
    rows_invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    _last_error_row: int | None = field(default=None, repr=False, compare=False)

    @property
    def committed(self) -> bool:
        return self.rows_imported > 0 or self.error_count == 0

    def add(self, error: RowError) -> None:
        """Count ``error`` (errors come row by row: a row's errors are added one after the other)."""
        self.error_count += 1
        if error.row != self._last_error_row:
            self.rows_invalid += 1
            self._last_error_row = error.row
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)


@dataclass(frozen=True)
class ImportContext:
    """What the importer needs: the tenant (record, context, hooks), the code key, and the tenant's today."""

    tenant: CurrentTenant
    code_key: bytes
    today: date


CsvRow = tuple[int, list[str]]
"""A CSV record and the line it starts on."""
MAX_RECORD_CHARS = 1 << 20
"""A longer line (or quoted record) refuses the file: memory stays bounded even for a file without line ends."""


async def _csv_rows(chunks: AsyncIterable[bytes]) -> AsyncIterator[Iterable[CsvRow]]:
    """The non-blank CSV records of each chunk, decoded as UTF-8 (a BOM is allowed); quoted fields may span
    lines and chunks. Each chunk's records must be consumed before the next chunk is asked for."""
    decode = codecs.getincrementaldecoder("utf-8-sig")().decode
    pending, line_no = "", 1
    async for chunk in chunks:
        rows, pending, next_line_no = _parse_block(pending + _utf8(decode, chunk, line_no), line_no, final=False)
        if len(pending) > MAX_RECORD_CHARS:
            raise InvalidInput(f"line {next_line_no} is longer than {MAX_RECORD_CHARS:,} characters")
        yield rows
        line_no = next_line_no
    yield _parse_block(pending + _utf8(decode, b"", line_no, final=True), line_no, final=True)[0]


def _utf8(decode: Callable[..., str], chunk: bytes, line_no: int, *, final: bool = False) -> str:
    try:
        return decode(chunk, final)
    except UnicodeDecodeError:
        raise InvalidInput(f"the file is not UTF-8 text (near line {line_no})") from None


def _parse_block(block: str, first_line: int, *, final: bool) -> tuple[Iterable[CsvRow], str, int]:
    """The complete records of ``block``, the text left for the next block, and the line that text starts on."""
    lines = block.splitlines(keepends=True)
    rest = lines.pop() if lines and not final and not lines[-1].endswith("\n") else ""
    if '"' not in block:  # no quoting: one record per line, its fields between the commas
        return _unquoted_rows(lines, first_line), rest, first_line + len(lines)
    rows: list[CsvRow] = []
    reader = csv.reader(lines)
    start = end = 0
    try:
        for fields in reader:
            start, end = end, reader.line_num
            if fields and (fields[0].strip() or any(map(str.strip, fields))):
                rows.append((first_line + start, fields))
    except csv.Error as exc:
        raise InvalidInput(f"line {first_line + reader.line_num - 1} is not valid CSV: {exc}") from None
    tail = "".join(lines[start:])
    if not final and tail.count('"') % 2:  # the last record is inside a quoted field that goes on
        if rows and rows[-1][0] == first_line + start:
            rows.pop()
        return rows, tail + rest, first_line + start
    return rows, rest, first_line + len(lines)


def _unquoted_rows(lines: list[str], first_line: int) -> Iterator[CsvRow]:
    """What :mod:`csv` reads from lines without quotes, a third faster; blank records are skipped."""
    for row_no, line in enumerate(lines, first_line):
        fields = line.rstrip("\r\n").split(",")
        if fields[0].strip() or any(map(str.strip, fields)):
            yield row_no, fields


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


DateCell = tuple[date | None, Any, str | None]
"""A date cell read: the date (None when empty), its form in the staging table, and the error if any."""
EMPTY_DATE: DateCell = (None, None, None)


class _RowValidator:
    """Turns CSV records into staging records, reporting every bad row; one call per chunk of records.

    The per-row work is kept to what each row needs: two code hashes and a few lookups. The vertical checks a
    chunk's serials in one call (``aftersales_validate_serials``), and dates are parsed once per distinct text
    (an import's rows share few dates).
    """

    def __init__(self, ctx: ImportContext, models: dict[str, ProductModel], columns: list[str], dialect: str) -> None:
        self.width = len(columns)
        absent = self.width  # the index of the empty cell appended to each row, read for a column not in the file
        self.cells = itemgetter(*(columns.index(c) if c in columns else absent for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS))
        self.tenant = ctx.tenant.context
        self.hooks = ctx.tenant.hooks
        self.models = {sku: (m.id.hex, product_info(m)) for sku, m in models.items()}
        self.hash_code = CodeHasher(ctx.code_key, ctx.tenant.record.slug)
        self.today = ctx.today
        self.native_dates = dialect == "postgresql"  # asyncpg takes dates; SQLite stores ISO text
        self.dates: dict[str, DateCell] = {"": EMPTY_DATE}
        self.shortest_limit = min(MAX_FIELD_LENGTH.values())
        self.new_id = _uuid7_hex().__next__

    def read_date(self, raw: str) -> DateCell:
        """A date cell the first time its text is seen; :attr:`dates` remembers it (up to 10,000 texts)."""
        if len(self.dates) > 10_000:
            self.dates.clear()
        cell = EMPTY_DATE
        if raw.strip():
            try:
                value = parse_date(raw)
            except ValueError as exc:
                cell = (None, None, str(exc))
            else:
                future = f"{value.isoformat()} is in the future" if value > self.today else None
                cell = (value, value if self.native_dates else value.isoformat(), future)
        self.dates[raw] = cell
        return cell

    def __call__(self, rows: Iterable[CsvRow], report: ImportReport, staged: list[tuple[Any, ...]]) -> int:
        """Validate ``rows``, reporting their errors, and append the good ones to ``staged``; how many were read."""
        width, cells, models, dates, read_date = self.width, self.cells, self.models, self.dates, self.read_date
        shortest_limit, new_id, hash_code = self.shortest_limit, self.new_id, self.hash_code
        # First the rows whose serial is to be checked, for one call to the vertical; then each row in order.
        records: list[tuple[int, list[str], tuple[str, ...] | None, Any, bool]] = []
        serials: list[str] = []
        products: list[ProductInfo | None] = []
        for row_no, values in rows:
            if len(values) != width:
                records.append((row_no, values, None, None, False))
                continue
            values.append("")
            fields = cells(values)
            if max(map(len, values)) > shortest_limit and _too_long(fields):
                records.append((row_no, values, fields, None, True))
                continue
            model = models.get(fields[1].strip())
            records.append((row_no, values, fields, model, False))
            serials.append(fields[0])
            products.append(model and model[1])
        checks = iter(validate_serials(self.hooks, self.tenant, serials, products))
        for row_no, values, fields, model, too_long in records:
            if fields is None:
                report.add(RowError(row_no, "(row)", f"has {len(values)} fields, the header has {width}"))
                continue
            serial, sku, batch, made_raw, shipped_raw, seller, card, hologram, status = fields
            if too_long:
                self._report_too_long(row_no, (serial, sku, batch, seller, card, hologram), report)
                continue
            error_count = report.error_count
            if model is None:
                sku = sku.strip()
                report.add(RowError(row_no, "model_sku", f"no model {sku!r} in the catalogue" if sku else "empty"))
            check = next(checks)
            if not check.valid:
                report.add(RowError(row_no, "serial", check.reason or "invalid serial"))
            made = dates.get(made_raw) or read_date(made_raw)
            shipped = dates.get(shipped_raw) or read_date(shipped_raw)
            if made[2]:
                report.add(RowError(row_no, "manufactured_on", made[2]))
            if shipped[2]:
                report.add(RowError(row_no, "shipped_on", shipped[2]))
            if made[0] and shipped[0] and shipped[0] < made[0]:
                report.add(RowError(row_no, "shipped_on", "shipped before it was manufactured"))
            status = status.strip().lower() or DEFAULT_STATUS
            if status not in IMPORTABLE_STATUSES:
                report.add(RowError(row_no, "status", f"must be one of {', '.join(IMPORTABLE_STATUSES)}"))
            if report.error_count != error_count or model is None:
                continue
            staged.append((row_no, new_id(), check.normalized, model[0], batch.strip(), made[1], shipped[1], seller.strip(),
                           hash_code(card) if card.strip() else None,
                           hash_code(hologram) if hologram.strip() else None, status))
        report.rows_read += len(records)
        return len(records)

    @staticmethod
    def _report_too_long(row_no: int, values: tuple[str, ...], report: ImportReport) -> None:
        """Report every field longer than its limit (``values`` in :data:`MAX_FIELD_LENGTH` order)."""
        for (name, limit), value in zip(MAX_FIELD_LENGTH.items(), values, strict=True):
            if len(value) > limit:
                report.add(RowError(row_no, name, f"longer than {limit} characters"))


def _too_long(fields: tuple[str, ...]) -> bool:
    """Whether a field of ``fields`` (the cells in column order) is longer than its limit."""
    serial, sku, batch, _, _, seller, card, hologram, _ = fields
    return any(len(value) > limit for limit, value in zip(MAX_FIELD_LENGTH.values(),
                                                           (serial, sku, batch, seller, card, hologram), strict=True))


_VERSION_7 = bytes(b & 0x0F | 0x70 for b in range(256))
_RFC_VARIANT = bytes(b & 0x3F | 0x80 for b in range(256))


def _uuid7_hex(count: int = 4096) -> Iterator[str]:
    """UUIDv7s as 32 hex digits, like :func:`aftersales.db.new_id` but made ``count`` at a time: one clock
    reading (their millisecond) and 74 random bits each, at a tenth of the cost per id."""
    while True:
        raw = bytearray(os.urandom(16 * count))
        stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
        for i in range(6):
            raw[i::16] = stamp[i:i + 1] * count
        raw[6::16] = raw[6::16].translate(_VERSION_7)
        raw[8::16] = raw[8::16].translate(_RFC_VARIANT)
        hex_digits = raw.hex()
        yield from (hex_digits[i:i + 32] for i in range(0, 32 * count, 32))


class _Staging:
    """The temporary staging table on the session's connection, filled in batches.

    On PostgreSQL a batch is written while Python validates the next: the server stores it (another process,
    another core) as the event loop feeds it the rows. SQLite runs in this process and needs the interpreter
    to bind each row, so there a batch is written before validation goes on.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.dialect = session.bind.dialect.name if session.bind else "sqlite"
        self.in_flight: asyncio.Future[None] | None = None

    async def create(self) -> None:
        if self.dialect != "postgresql":
            # SQLite: a rolled-back import rolls its DROP back too, leaving the table on the pooled connection.
            await self.session.execute(text("DROP TABLE IF EXISTS temp.import_staging"))
        uuid_type = "uuid" if self.dialect == "postgresql" else "CHAR(32)"
        drop = "ON COMMIT DROP" if self.dialect == "postgresql" else ""
        await self.session.execute(text(
            f"CREATE TEMPORARY TABLE import_staging (row_no INTEGER NOT NULL, id {uuid_type} NOT NULL, "
            f"serial VARCHAR(64) NOT NULL, model_id {uuid_type} NOT NULL, batch VARCHAR(80) NOT NULL, "
            "manufactured_on DATE, shipped_on DATE, seller VARCHAR(200) NOT NULL, card_code_hash VARCHAR(64), "
            f"hologram_code_hash VARCHAR(64), status VARCHAR(20) NOT NULL) {drop}"
        ))

    async def write(self, records: list[tuple[Any, ...]]) -> None:
        """Stage ``records``: on PostgreSQL in the background (see :meth:`written`)."""
        await self.written()
        if self.dialect != "postgresql":
            await self._write(records)
            return
        self.in_flight = asyncio.ensure_future(self._write(records))
        await asyncio.sleep(0)  # let it start before validation takes the event loop again

    async def written(self) -> None:
        """Wait for the batch being written; the connection is free for other statements after this."""
        if self.in_flight is not None:
            in_flight, self.in_flight = self.in_flight, None
            await in_flight

    async def _write(self, records: list[tuple[Any, ...]]) -> None:
        if not records:
            return
        connection = await self.session.connection()
        if self.dialect == "postgresql":
            raw = await connection.get_raw_connection()
            await raw.driver_connection.copy_records_to_table("import_staging", records=records,
                                                              columns=list(STAGING_COLUMNS))
            return
        # Many rows per INSERT: cheaper than a statement run per row.
        insert = f"INSERT INTO import_staging ({', '.join(STAGING_COLUMNS)}) VALUES "
        row = f"({', '.join('?' * len(STAGING_COLUMNS))})"
        per_insert = SQLITE_ROWS_PER_INSERT
        whole = len(records) - len(records) % per_insert
        if whole:
            await connection.exec_driver_sql(insert + ", ".join([row] * per_insert), [
                tuple(chain.from_iterable(records[i:i + per_insert])) for i in range(0, whole, per_insert)])
        if whole < len(records):
            await connection.exec_driver_sql(insert + ", ".join([row] * (len(records) - whole)),
                                             tuple(chain.from_iterable(records[whole:])))

    def _tenant(self, tenant_id: Any) -> Any:
        return tenant_id if self.dialect == "postgresql" else tenant_id.hex

    async def duplicates(self, tenant_id: Any) -> AsyncIterator[RowError]:
        """Every staged row whose serial an earlier row of the file or the registry already has, in row order."""
        result = await self.session.stream(text(
            "SELECT s.row_no, 1, s.serial, d.first_row FROM import_staging s JOIN "
            "(SELECT serial, min(row_no) AS first_row FROM import_staging GROUP BY serial HAVING count(*) > 1) d "
            "ON d.serial = s.serial AND s.row_no > d.first_row "
            "UNION ALL SELECT s.row_no, 2, s.serial, NULL FROM import_staging s JOIN serials r "
            "ON r.tenant_id = :tenant AND r.serial = s.serial ORDER BY 1, 2"
        ), {"tenant": self._tenant(tenant_id)})
        async for row, _, serial, first in result:
            yield RowError(row, "serial", f"{serial} is repeated: first seen on row {first}" if first
                           else f"{serial} is already registered")

    async def publish(self, tenant_id: Any, *, skip_duplicates: bool) -> int:
        """Insert the staged rows into the registry; returns how many. ``skip_duplicates`` leaves out the rows
        :meth:`duplicates` reports (a serial seen on an earlier row or already registered)."""
        where = ("WHERE NOT EXISTS (SELECT 1 FROM import_staging t WHERE t.serial = s.serial AND t.row_no < s.row_no) "
                 "AND NOT EXISTS (SELECT 1 FROM serials r WHERE r.tenant_id = :tenant AND r.serial = s.serial)"
                 if skip_duplicates else "")
        now = datetime.now(UTC)
        params = {"tenant": self._tenant(tenant_id),
                  "now": now if self.dialect == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")}
        result = await self.session.execute(text(
            "INSERT INTO serials (tenant_id, id, serial, model_id, batch, manufactured_on, shipped_on, seller, "
            "card_code_hash, hologram_code_hash, status, created_at, updated_at) "
            "SELECT :tenant, s.id, s.serial, s.model_id, s.batch, s.manufactured_on, s.shipped_on, s.seller, "
            f"s.card_code_hash, s.hologram_code_hash, s.status, :now, :now FROM import_staging s {where}"
        ), params)
        return result.rowcount

    async def drop(self) -> None:
        if self.dialect != "postgresql":  # PostgreSQL drops it at commit or rollback
            await self.session.execute(text("DROP TABLE IF EXISTS import_staging"))


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
    report = ImportReport(mode=mode)
    staging = _Staging(session)
    await staging.create()
    try:
        validate: _RowValidator | None = None
        batch: list[tuple[Any, ...]] = []
        async for chunk_rows in _csv_rows(chunks):
            rows = iter(chunk_rows)
            if validate is None:
                header = next(rows, None)
                if header is None:
                    continue
                validate = _RowValidator(ctx, models, check_header(header[1]), staging.dialect)
            while validate(islice(rows, STEP_ROWS), report, batch):
                if len(batch) >= BATCH_ROWS:
                    await staging.write(batch)
                    batch = []
                    if progress:
                        progress(report.rows_read)
                await asyncio.sleep(0)  # the event loop moves a batch being copied to PostgreSQL along
        if validate is None:
            raise InvalidInput("the file is empty: expected a header row with at least serial,model_sku")
        await staging.write(batch)
        await staging.written()
        if progress:
            progress(report.rows_read)
        tenant_id = ctx.tenant.record.id
        if mode is ImportMode.VALID_ROWS or not report.error_count:
            try:  # the registry's unique key on (tenant, serial) finds any duplicate; without one we are done
                async with session.begin_nested():
                    report.rows_imported = await staging.publish(tenant_id, skip_duplicates=False)
                return report
            except IntegrityError:
                pass  # rolled back to the savepoint; the duplicates are listed below
        errors_before = report.error_count
        async for error in staging.duplicates(tenant_id):
            report.add(error)
        if mode is ImportMode.ALL_OR_NOTHING and report.error_count:
            return report
        report.rows_imported = await staging.publish(tenant_id, skip_duplicates=report.error_count > errors_before)
        return report
    finally:
        await staging.written()
        await staging.drop()


def sync_chunks(lines: Iterable[bytes]) -> AsyncIterator[bytes]:
    """Adapt a synchronous iterable of byte chunks (e.g. a file) for :func:`import_serials`."""

    async def gen() -> AsyncIterator[bytes]:
        for chunk in lines:
            yield chunk

    return gen()
