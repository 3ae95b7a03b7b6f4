"""Bulk serial import: every row validated and reported, duplicates refused, all-or-nothing by default."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from stdnum import luhn

from aftersales.errors import InvalidInput
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.imports import services as importer
from aftersales.warranty.imports.services import (
    ImportContext,
    ImportMode,
    import_serials,
    parse_date,
    sync_chunks,
)
from aftersales.warranty.models import ProductModel, Serial
from aftersales.warranty.serials.codes import CodeHasher, code_matches, hash_code, normalise_code

IMEIS = ["490154203237518", "356938035643809", "352099001761481", "011111111111110"]
HEADER = "serial,model_sku,batch,manufactured_on,shipped_on,seller,card_code,hologram_code\n"


@pytest.fixture
async def phones(runtime, make_tenant):
    tenant = await make_tenant("phones", vertical="electronics")
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ProductModel(sku="PH-100", name="Phone 100", category="phone"))
    return tenant


async def _import(runtime, tenant, csv_text: str | bytes, mode=ImportMode.ALL_OR_NOTHING, today=date(2026, 11, 21)):
    ctx = ImportContext(tenant=bind_tenant(tenant, runtime.plugins), code_key=runtime.code_key, today=today)
    data = csv_text.encode() if isinstance(csv_text, str) else csv_text
    chunks = [data[i:i + 7] for i in range(0, len(data), 7)]  # tiny chunks: lines and characters split across them
    session = runtime.db.session(tenant.id)
    async with session, session.begin() as tx:
        report = await import_serials(session, ctx, sync_chunks(chunks), mode=mode)
        if not report.committed:
            await tx.rollback()
    return report


async def _serials(runtime, tenant) -> list[str]:
    async with runtime.db.transaction(tenant.id) as s:
        return sorted(await s.scalars(select(Serial.serial)))


async def test_a_clean_file_imports_every_row_with_codes_stored_only_as_keyed_hashes(runtime, phones):
    csv_text = HEADER + "".join(f"{imei},PH-100,B1,2026-01-0{i + 1},2026-02-01,Shop {i},CARD{i},HOLO{i}\n"
                                for i, imei in enumerate(IMEIS))
    report = await _import(runtime, phones, csv_text)
    assert (report.rows_read, report.rows_imported, report.error_count) == (4, 4, 0)
    assert await _serials(runtime, phones) == sorted(IMEIS)
    async with runtime.db.transaction(phones.id) as s:
        unit = await s.scalar(select(Serial).where(Serial.serial == IMEIS[0]))
    assert unit.card_code_hash != "CARD0" and "CARD0" not in unit.card_code_hash
    assert code_matches(runtime.code_key, "phones", "card0", unit.card_code_hash)
    assert not code_matches(runtime.code_key, "phones", "CARD1", unit.card_code_hash)
    assert unit.status == "in_stock" and unit.manufactured_on == date(2026, 1, 1)


async def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(runtime, phones):
    csv_text = HEADER + (
        f"{IMEIS[0]},PH-100,,,,,,\n"
        "490154203237519,PH-100,,,,,,\n"           # row 3: wrong check digit
        f"{IMEIS[1]},NO-SUCH,,,,,,\n"              # row 4: unknown model
        f"{IMEIS[2]},PH-100,,2026-11-22,,,,\n"     # row 5: manufactured tomorrow
        f"{IMEIS[3]},PH-100,,2026-05-01,2026-04-01,,,\n"  # row 6: shipped before made
    )
    report = await _import(runtime, phones, csv_text)
    assert report.rows_imported == 0
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "serial"), (4, "model_sku"), (5, "manufactured_on"), (6, "shipped_on")]
    assert "check digit" in report.errors[0].reason and "future" in report.errors[2].reason
    assert await _serials(runtime, phones) == []


async def test_valid_rows_mode_imports_the_good_rows_and_reports_the_rest(runtime, phones):
    csv_text = HEADER + f"{IMEIS[0]},PH-100,,,,,,\n" + "12345,PH-100,,,,,,\n" + f"{IMEIS[1]},PH-100,,,,,,\n"
    report = await _import(runtime, phones, csv_text, mode=ImportMode.VALID_ROWS)
    assert (report.rows_imported, [e.row for e in report.errors]) == (2, [3])
    assert await _serials(runtime, phones) == sorted(IMEIS[:2])


async def test_duplicates_in_the_file_and_in_the_registry_are_errors_never_overwrites(runtime, phones):
    await _import(runtime, phones, HEADER + f"{IMEIS[0]},PH-100,FIRST,,,,,\n")
    csv_text = HEADER + f"{IMEIS[1]},PH-100,,,,,,\n{IMEIS[1]},PH-100,,,,,,\n{IMEIS[0]},PH-100,SECOND,,,,,\n"
    report = await _import(runtime, phones, csv_text, mode=ImportMode.VALID_ROWS)
    assert [(e.row, e.reason) for e in report.errors] == [
        (3, f"{IMEIS[1]} is repeated: first seen on row 2"), (4, f"{IMEIS[0]} is already registered")]
    assert report.rows_imported == 1
    async with runtime.db.transaction(phones.id) as s:
        assert await s.scalar(select(Serial.batch).where(Serial.serial == IMEIS[0])) == "FIRST"


async def test_bom_persian_digits_and_jalali_dates_are_read(runtime, phones):
    persian_imei = IMEIS[0].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    csv_bytes = "\ufeff".encode() + (HEADER + f"{persian_imei},PH-100,,۱۴۰۳/۰۵/۱۲,,فروشگاه,,\n").encode()
    report = await _import(runtime, phones, csv_bytes)
    assert report.error_count == 0, report.errors
    async with runtime.db.transaction(phones.id) as s:
        unit = await s.scalar(select(Serial))
    assert (unit.serial, unit.manufactured_on, unit.seller) == (IMEIS[0], date(2024, 8, 2), "فروشگاه")


def test_dates_are_iso_or_jalali_and_nothing_else():
    assert parse_date("2024-08-02") == parse_date("1403/05/12") == date(2024, 8, 2)
    for bad in ("02/08/2024", "2024-13-01", "yesterday"):
        with pytest.raises(ValueError):
            parse_date(bad)


async def test_a_wrong_header_refuses_the_whole_file_naming_every_column(runtime, phones):
    with pytest.raises(InvalidInput) as caught:
        await _import(runtime, phones, "serial,colour,serial\n123,red,123\n")
    assert {e.field for e in caught.value.errors} == {"column 2", "serial", "model_sku"}


async def test_a_file_that_is_not_utf8_or_empty_is_refused(runtime, phones):
    with pytest.raises(InvalidInput, match="not UTF-8"):
        await _import(runtime, phones, HEADER.encode() + "Café".encode("latin-1") + b",PH-100\n")
    with pytest.raises(InvalidInput, match="empty"):
        await _import(runtime, phones, b"")
    assert await _serials(runtime, phones) == []


async def test_a_row_with_the_wrong_number_of_fields_is_reported(runtime, phones):
    report = await _import(runtime, phones, "serial,model_sku\n" + f"{IMEIS[0]},PH-100,extra\n")
    assert [(e.row, e.field) for e in report.errors] == [(2, "(row)")]


async def test_a_serial_of_another_tenant_is_neither_a_duplicate_nor_visible(runtime, phones, make_tenant):
    other = await make_tenant("other", vertical="electronics")
    async with runtime.db.transaction(other.id) as s:
        s.add(ProductModel(sku="PH-100", name="Their phone"))
    assert (await _import(runtime, other, HEADER + f"{IMEIS[0]},PH-100,,,,,,\n")).rows_imported == 1
    assert (await _import(runtime, phones, HEADER + f"{IMEIS[0]},PH-100,,,,,,\n")).rows_imported == 1
    assert await _serials(runtime, phones) == [IMEIS[0]] == await _serials(runtime, other)


def _imeis(count: int) -> list[str]:
    bodies = [f"35693803{n:06d}" for n in range(count)]
    return [b + luhn.calc_check_digit(b) for b in bodies]


async def test_more_rows_than_one_batch_are_all_imported(runtime, phones):
    report = await _import(runtime, phones, HEADER + "".join(f"{i},PH-100,,,,,,\n" for i in _imeis(12_000)))
    assert (report.rows_imported, report.error_count) == (12_000, 0)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 5 rows, validated 2 at a time: every file is many batches, written while the next is checked."""
    monkeypatch.setattr(importer, "BATCH_ROWS", 5)
    monkeypatch.setattr(importer, "STEP_ROWS", 2)


async def test_a_bad_row_after_many_written_batches_still_writes_nothing(runtime, phones, small_batches):
    rows = [f"{i},PH-100,,,,,,\n" for i in _imeis(40)]
    rows[37] = "490154203237519,PH-100,,,,,,\n"  # row 39: wrong check digit, after seven batches are staged
    report = await _import(runtime, phones, HEADER + "".join(rows))
    assert (report.rows_read, report.rows_imported) == (40, 0)
    assert [(e.row, e.field) for e in report.errors] == [(39, "serial")]
    assert await _serials(runtime, phones) == []


async def test_a_bad_row_in_the_first_batch_writes_nothing_however_many_good_batches_follow(runtime, phones,
                                                                                             small_batches):
    rows = [f"{i},PH-100,,,,,,\n" for i in _imeis(30)]
    rows[1] = f"{_imeis(30)[1]},PH-100,,2999-01-01,,,,\n"  # row 3: made in the future
    report = await _import(runtime, phones, HEADER + "".join(rows))
    assert (report.rows_read, report.rows_imported, [(e.row, e.field) for e in report.errors]) == (
        30, 0, [(3, "manufactured_on")])
    assert await _serials(runtime, phones) == []
    valid_rows = await _import(runtime, phones, HEADER + "".join(rows), mode=ImportMode.VALID_ROWS)
    assert valid_rows.rows_imported == 29 and len(await _serials(runtime, phones)) == 29


async def test_a_repeated_serial_alone_writes_nothing_in_all_or_nothing_mode(runtime, phones, small_batches):
    imeis = _imeis(12)
    report = await _import(runtime, phones, HEADER + "".join(f"{i},PH-100,,,,,,\n" for i in [*imeis, imeis[3]]))
    assert (report.rows_imported, [(e.row, e.reason) for e in report.errors]) == (
        0, [(14, f"{imeis[3]} is repeated: first seen on row 5")])
    assert await _serials(runtime, phones) == []


async def test_valid_rows_mode_finds_a_duplicate_after_many_published_batches(runtime, phones, small_batches):
    imeis = _imeis(23)
    await _import(runtime, phones, HEADER + f"{imeis[20]},PH-100,,,,,,\n")
    rows = [f"{i},PH-100,,,,,,\n" for i in imeis[:20]] + [f"{imeis[2]},PH-100,,,,,,\n"] + [
        f"{i},PH-100,,,,,,\n" for i in imeis[20:]]  # row 22 repeats row 4; row 23 is registered already
    report = await _import(runtime, phones, HEADER + "".join(rows), mode=ImportMode.VALID_ROWS)
    assert (report.rows_imported, [(e.row, e.reason) for e in report.errors]) == (22, [
        (22, f"{imeis[2]} is repeated: first seen on row 4"), (23, f"{imeis[20]} is already registered")])
    assert await _serials(runtime, phones) == sorted(imeis)


async def test_valid_rows_mode_skips_every_duplicate_even_beyond_the_reported_errors(runtime, phones, monkeypatch):
    monkeypatch.setattr(importer, "MAX_REPORTED_ERRORS", 1)
    await _import(runtime, phones, HEADER + f"{IMEIS[0]},PH-100,,,,,,\n")
    csv_text = HEADER + "".join(f"{i},PH-100,,,,,,\n" for i in [IMEIS[1], IMEIS[1], IMEIS[0], IMEIS[2], IMEIS[1]])
    report = await _import(runtime, phones, csv_text, mode=ImportMode.VALID_ROWS)
    assert (report.rows_imported, report.error_count, len(report.errors)) == (2, 3, 1)
    assert await _serials(runtime, phones) == sorted(IMEIS[:3])


async def test_quoted_fields_blank_lines_and_line_numbers_survive_chunk_boundaries(runtime, phones):
    csv_text = HEADER + (
        f'{IMEIS[0]},PH-100,,,,"Shop, ""North""\nsecond floor",,\n'  # rows 2-3: a comma, quotes and a line end
        "\n"                                                           # row 4: blank, skipped
        " , ,,,,,,\n"                                                   # row 5: blank cells, skipped
        f"{IMEIS[1]},PH-100,,,,Shop 5\" screen,,\n"                   # row 6: a quote inside a plain field
        "12345,PH-100,,,,,,\r\n"                                       # row 7: bad serial, CRLF
        f"{IMEIS[2]},PH-100,,,,,,"                                     # row 8: no final line end
    )
    report = await _import(runtime, phones, csv_text, mode=ImportMode.VALID_ROWS)
    assert (report.rows_read, [(e.row, e.field) for e in report.errors]) == (4, [(7, "serial")])
    async with runtime.db.transaction(phones.id) as s:
        sellers = dict((await s.execute(select(Serial.serial, Serial.seller))).all())
    assert sellers == {IMEIS[0]: 'Shop, "North"\nsecond floor', IMEIS[1]: 'Shop 5" screen', IMEIS[2]: ""}


async def test_a_line_too_long_to_be_a_record_refuses_the_file(runtime, phones, monkeypatch):
    monkeypatch.setattr(importer, "MAX_RECORD_CHARS", 100)
    with pytest.raises(InvalidInput, match="line 3 is longer than 100 characters"):
        await _import(runtime, phones, HEADER + f"{IMEIS[0]},PH-100,,,,,,\n" + "x" * 200)


async def test_imported_units_get_distinct_time_ordered_uuid7_ids(runtime, phones):
    await _import(runtime, phones, HEADER + "".join(f"{i},PH-100,,,,,,\n" for i in IMEIS))
    async with runtime.db.transaction(phones.id) as s:
        ids = list(await s.scalars(select(Serial.id)))
    assert len(set(ids)) == 4 and {uuid.UUID(str(i)).version for i in ids} == {7}


def test_the_code_hasher_is_the_rfc_2104_hmac_of_tenant_and_normalised_code():
    for key in (b"", b"short", b"k" * 64, b"a-key-longer-than-one-sha256-block-" * 3):
        for code in ("card0", " C-0 1 ", "۱۲۳-abc", ""):
            expected = hmac.new(key, f"mehr\x00{normalise_code(code)}".encode(), hashlib.sha256).hexdigest()
            assert CodeHasher(key, "mehr")(code) == hash_code(key, "mehr", code) == expected



async def test_cli_import_reports_rows_and_exits_non_zero_on_errors(cli, phones, tmp_path: Path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"{IMEIS[0]},PH-100,,,,,,\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{IMEIS[1]},PH-100,,,,,,\n" + "999,PH-100,,,,,,\n")
    errors_csv = tmp_path / "errors.csv"
    ok = cli("import-serials", "phones", str(good))
    refused = cli("import-serials", "phones", str(bad), "--errors-csv", str(errors_csv))
    assert ok.returncode == 0 and "imported 1" in ok.stdout
    assert refused.returncode == 1 and "row 3: serial:" in refused.stderr and "Traceback" not in refused.stderr
    assert "nothing was imported: 1 of 2 rows are invalid, with 1 errors in all" in refused.stderr
    assert errors_csv.read_text().splitlines()[1].startswith("3,serial,")
    missing_tenant = cli("import-serials", "nobody", str(good))
    assert missing_tenant.returncode == 1 and len(missing_tenant.stderr.strip().splitlines()) == 1


