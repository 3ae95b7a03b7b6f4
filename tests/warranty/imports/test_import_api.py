"""The import over HTTP: multipart or raw CSV, streamed; the same rules as the CLI, bound to the token's tenant."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from stdnum import luhn

from aftersales.warranty.imports import services as importer
from aftersales.warranty.models import ProductModel, Serial
from support.uploads import declared_huge

IMEIS = ["490154203237518", "356938035643809"]
HEADER = "serial,model_sku\n"


@pytest.fixture
async def phones(runtime, make_tenant):
    tenant = await make_tenant("phones", vertical="electronics")
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ProductModel(sku="PH-100", name="Phone 100"))
    return tenant


async def _serials(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return sorted(await s.scalars(select(Serial.serial)))


async def test_a_multipart_upload_imports_the_file_part(client, runtime, phones, staff_token):
    csv_text = HEADER + "".join(f"{i},PH-100\n" for i in IMEIS)
    response = await client.post("/api/v1/serials/imports", headers=await staff_token(phones, "admin"),
                                 files={"file": ("stock.csv", csv_text.encode(), "text/csv")},
                                 data={"note": "ignored field"})
    assert response.status_code == 200, response.text
    assert response.json()["rows_imported"] == 2
    assert await _serials(runtime, phones) == sorted(IMEIS)


async def test_a_raw_csv_body_is_imported_too(client, runtime, phones, staff_token):
    response = await client.post("/api/v1/serials/imports", headers={**await staff_token(phones, "admin"),
                                                                     "Content-Type": "text/csv"},
                                 content=(HEADER + f"{IMEIS[0]},PH-100\n").encode())
    assert response.status_code == 200 and response.json()["rows_imported"] == 1


async def test_any_bad_row_is_a_422_listing_rows_and_nothing_is_written(client, runtime, phones, staff_token):
    csv_text = HEADER + f"{IMEIS[0]},PH-100\n" + "123,PH-100\n" + f"{IMEIS[1]},XX\n"
    response = await client.post("/api/v1/serials/imports", headers=await staff_token(phones, "admin"),
                                 files={"file": ("stock.csv", csv_text.encode(), "text/csv")})
    body = response.json()
    assert response.status_code == 422
    assert [e["field"] for e in body["errors"]] == ["rows.3.serial", "rows.4.model_sku"]
    assert body["report"]["rows_imported"] == 0
    assert await _serials(runtime, phones) == []


async def test_the_corrected_file_imports_after_a_refused_one(client, runtime, phones, staff_token):
    admin = await staff_token(phones, "admin")
    for attempt in range(3):  # refused files roll back on the same pooled connection; none leaves anything behind
        refused = await client.post("/api/v1/serials/imports", headers=admin,
                                    files={"file": ("stock.csv", (HEADER + f"{IMEIS[1]},PH-100\n123,PH-100\n").encode(),
                                                              "text/csv")})
        assert refused.status_code == 422, (attempt, refused.text)
    corrected = await client.post("/api/v1/serials/imports", headers=admin,
                                  files={"file": ("stock.csv", (HEADER + f"{IMEIS[0]},PH-100\n").encode(), "text/csv")})
    assert corrected.status_code == 200, corrected.text
    assert await _serials(runtime, phones) == [IMEIS[0]]


async def test_a_bad_last_row_after_many_batches_is_a_422_and_nothing_is_written(client, runtime, phones, staff_token,
                                                                                 monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)  # the good rows are staged in many batches before the bad one
    imeis = [b + luhn.calc_check_digit(b) for b in (f"35693803{n:06d}" for n in range(20))]
    csv_text = HEADER + "".join(f"{i},PH-100\n" for i in imeis) + "123,PH-100\n"
    response = await client.post("/api/v1/serials/imports", headers=await staff_token(phones, "admin"),
                                 files={"file": ("stock.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["rows.22.serial"]
    assert await _serials(runtime, phones) == []


async def test_valid_rows_mode_writes_the_good_rows(client, runtime, phones, staff_token):
    csv_text = HEADER + f"{IMEIS[0]},PH-100\n" + "123,PH-100\n"
    response = await client.post("/api/v1/serials/imports?mode=valid_rows", headers=await staff_token(phones, "admin"),
                                 files={"file": ("stock.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 200 and response.json()["error_count"] == 1
    assert await _serials(runtime, phones) == [IMEIS[0]]


async def test_bad_headers_and_missing_file_parts_are_refused(client, phones, staff_token):
    headers = await staff_token(phones, "admin")
    bad_header = await client.post("/api/v1/serials/imports", headers=headers,
                                   files={"file": ("x.csv", b"imei,sku\n1,2\n", "text/csv")})
    no_file = await client.post("/api/v1/serials/imports", headers=headers,
                                files={"other": ("x.csv", b"serial,model_sku\n", "text/csv")})
    assert bad_header.status_code == 422 and {e["field"] for e in bad_header.json()["errors"]} >= {"serial"}
    assert no_file.status_code == 422 and "'file' part" in no_file.json()["detail"]


async def test_only_staff_with_the_write_scope_import(client, phones, staff_token):
    for role in ("agent", "technician", "finance"):
        response = await client.post("/api/v1/serials/imports", headers=await staff_token(phones, role),
                                     files={"file": ("x.csv", HEADER.encode(), "text/csv")})
        assert response.status_code == 403, role


async def test_an_import_lands_in_the_tokens_tenant_only(client, runtime, phones, make_tenant, staff_token):
    other = await make_tenant("other", vertical="electronics")
    async with runtime.db.transaction(other.id) as s:
        s.add(ProductModel(sku="PH-100", name="Their phone"))
    csv_bytes = (HEADER + f"{IMEIS[0]},PH-100\n").encode()
    for tenant in (phones, other):
        response = await client.post("/api/v1/serials/imports", headers=await staff_token(tenant, "admin"),
                                     files={"file": ("x.csv", csv_bytes, "text/csv")})
        assert response.status_code == 200 and response.json()["rows_imported"] == 1
    assert await _serials(runtime, phones) == [IMEIS[0]] == await _serials(runtime, other)


async def test_the_refusal_counts_invalid_rows_and_errors_apart_in_the_readers_language(client, phones, staff_token):
    # two rows with three errors each (serial, model, status), one good row
    csv_text = ("serial,model_sku,status\n" + "123,XX,lost\n" + f"{IMEIS[0]},PH-100,\n" + "456,YY,gone\n")
    admin = await staff_token(phones, "admin")
    response = await client.post("/api/v1/serials/imports", headers=admin,
                                 files={"file": ("stock.csv", csv_text.encode(), "text/csv")})
    body = response.json()
    assert response.status_code == 422
    assert body["detail"] == "nothing was imported: 2 of 3 rows are invalid, with 6 errors in all"
    assert (body["report"]["rows_invalid"], body["report"]["error_count"]) == (2, 6)
    persian = await client.post("/api/v1/serials/imports", headers={**admin, "Accept-Language": "fa"},
                                files={"file": ("stock.csv", csv_text.encode(), "text/csv")})
    isolated = persian.json()["detail"].replace("\u2068", "").replace("\u2069", "")  # numbers isolated from RTL
    assert isolated == "هیچ چیزی وارد نشد: ۲ ردیف از ۳ ردیف نامعتبر است و در مجموع ۶ خطا دارد"


@pytest.mark.parametrize("content_type", ["text/csv", "multipart/form-data; boundary=x"])
async def test_a_declared_gigabyte_is_refused_at_once_with_413(client, phones, staff_token, content_type):
    refused = await declared_huge(client, "/api/v1/serials/imports",
                                  headers={**await staff_token(phones, "admin"), "Content-Type": content_type})
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("application/problem+json")
