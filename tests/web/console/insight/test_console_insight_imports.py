"""Serial imports in the console: a CSV uploaded (streamed, the CSRF token in a header as HTMX sends it), its
mode honoured, every bad row reported beside the upload and downloadable, its progress readable while it runs,
and nothing of one tenant's imports visible to another."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from aftersales.warranty.imports.services import ImportMode, ImportReport, RowError
from aftersales.warranty.models import Serial
from aftersales.web.console.insight import import_runs
from support.pages import csrf_token, post_form
from support.uploads import declared_huge
from support.warranty import add_unit, imei

HTMX = {"hx-request": "true"}


def csv_of(*rows: str) -> bytes:
    return ("serial,model_sku,batch\n" + "".join(f"{row}\n" for row in rows)).encode()


GOOD_AND_BAD = csv_of(f"{imei(11)},PH-1,B1", f"{imei(12)},PH-1,B1", f"{imei(13)},NO-SUCH,B1")


async def upload(pages, slug, content: bytes, *, mode="all_or_nothing", run_id=None, htmx=True, filename="serials.csv"):
    data = {"mode": mode, "import_id": run_id or uuid.uuid4().hex}
    files = {"file": (filename, content, "text/csv")}
    if htmx:
        return await pages.post(f"/t/{slug}/console/imports", data=data, files=files,
                                headers={**HTMX, "x-csrftoken": csrf_token(pages)})
    return await post_form(pages, f"/t/{slug}/console/imports", data, files=files)


async def serial_count(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return await session.scalar(select(func.count()).select_from(Serial))


async def test_all_or_nothing_with_a_bad_row_imports_nothing_and_reports_the_row(runtime, make_tenant, pages,
                                                                                 sign_in_staff):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, imei(1))
    await sign_in_staff(pages, tenant, "admin")
    run_id = uuid.uuid4().hex
    response = await upload(pages, "acme", GOOD_AND_BAD, run_id=run_id)
    assert response.status_code == 422
    html = response.text
    assert "Nothing was imported" in html and "3 rows read, 0 imported, 1 errors." in html
    assert re.search(r'<td data-row="4">4</td><td dir="ltr">model_sku</td><td[^>]*>no model &#39;NO-SUCH&#39; in the catalogue',
                     html)
    assert await serial_count(runtime, tenant) == 1
    download = await pages.get(f"/t/acme/console/imports/{run_id}/errors.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert download.text.splitlines() == ["row,field,reason", "4,model_sku,no model 'NO-SUCH' in the catalogue"]
    progress = await pages.get(f"/t/acme/console/imports/progress?import_id={run_id}")
    assert 'aria-valuenow="100"' in progress.text and "3 rows checked" in progress.text


async def test_valid_rows_imports_the_good_rows_and_reports_the_others(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, imei(1))
    await sign_in_staff(pages, tenant, "admin")
    response = await upload(pages, "acme", GOOD_AND_BAD, mode="valid_rows")
    assert response.status_code == 200
    assert "Imported, with rows left out" in response.text and "3 rows read, 2 imported, 1 errors." in response.text
    assert await serial_count(runtime, tenant) == 3
    # The next upload gets a new import id, swapped into the form out of band.
    assert re.search(r'<input type="hidden" name="import_id" id="import-id" value="[0-9a-f]{32}" hx-swap-oob="true">',
                     response.text)


async def test_a_form_posted_without_javascript_imports_and_shows_the_whole_page(runtime, make_tenant, pages,
                                                                                 sign_in_staff):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, imei(1))
    await sign_in_staff(pages, tenant, "admin")
    response = await upload(pages, "acme", csv_of(f"{imei(21)},PH-1,B2"), htmx=False)
    assert response.status_code == 200
    assert "<h1>Serial imports</h1>" in response.text and "1 rows read, 1 imported, 0 errors." in response.text
    assert await serial_count(runtime, tenant) == 2


async def test_a_file_that_cannot_be_read_is_refused_beside_the_file_field(runtime, make_tenant, pages,
                                                                           sign_in_staff):
    tenant = await make_tenant("acme")
    await sign_in_staff(pages, tenant, "admin")
    response = await upload(pages, "acme", b"serial,colour\n1,red\n", htmx=False)
    assert response.status_code == 422
    assert 'id="file" name="file" type="file"' in response.text and 'aria-invalid="true"' in response.text
    assert "the CSV header is invalid" in response.text and "unknown column &#39;colour&#39;" in response.text
    response = await upload(pages, "acme", b"", filename="", htmx=False)
    assert response.status_code == 422 and "Choose the CSV file to import." in response.text
    assert await serial_count(runtime, tenant) == 0


async def test_agents_without_the_right_to_write_the_register_are_refused(make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await sign_in_staff(pages, tenant, "agent")
    assert (await pages.get("/t/acme/console/imports")).status_code == 403
    assert (await upload(pages, "acme", GOOD_AND_BAD)).status_code == 403


async def test_another_tenant_sees_nothing_of_an_import(runtime, make_tenant, pages, sign_in_staff):
    acme = await make_tenant("acme")
    await add_unit(runtime, acme, imei(1))
    await sign_in_staff(pages, acme, "admin")
    run_id = uuid.uuid4().hex
    await upload(pages, "acme", GOOD_AND_BAD, run_id=run_id)
    other = await make_tenant("other")
    await sign_in_staff(pages, other, "admin")
    assert (await pages.get(f"/t/other/console/imports/{run_id}/errors.csv")).status_code == 404
    progress = await pages.get(f"/t/other/console/imports/progress?import_id={run_id}")
    assert progress.status_code == 200 and "progressbar" not in progress.text


async def test_the_errors_csv_has_no_live_formula(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await sign_in_staff(pages, tenant, "admin")
    run_id = uuid.uuid4().hex
    report = ImportReport(ImportMode.VALID_ROWS)
    report.add(RowError(2, "serial", '=HYPERLINK("http://evil.example/","x") is repeated'))
    import_runs.start(tenant.id, run_id, None).report = report
    download = await pages.get(f"/t/acme/console/imports/{run_id}/errors.csv")
    assert download.text.splitlines()[1] == '''2,serial,"'=HYPERLINK(""http://evil.example/"",""x"") is repeated"'''


@pytest.mark.parametrize("htmx", [True, False])
async def test_a_declared_gigabyte_is_refused_at_once_with_413(runtime, make_tenant, pages, sign_in_staff, htmx):
    tenant = await make_tenant("acme")
    await sign_in_staff(pages, tenant, "admin")
    headers = {"Content-Type": "multipart/form-data; boundary=x"}
    if htmx:  # the token in a header: the page streams the body itself; else the CSRF check reads the form
        headers |= {**HTMX, "x-csrftoken": csrf_token(pages)}
    refused = await declared_huge(pages, "/t/acme/console/imports", headers=headers)
    assert refused.status_code == 413
