"""The console's customer search and customer file: devices, requests, payments and history on one page, and
the file downloaded as CSV or JSON (the API's export); another tenant's staff find nothing."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.demo.console import EXAMPLES, open_example
from aftersales.identity.customers import CustomerDetails
from aftersales.service.requests.services import NewRequest, open_request
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from support.payments import add_payment


async def _request(runtime, tenant):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    async with runtime.db.transaction(tenant.id) as session:
        return await open_example(session, bind_tenant(record, runtime.plugins), EXAMPLES[0], now=utcnow(),
                                  email_domain="acme.example")


async def test_search_by_name_or_email_leads_to_the_file(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    request = await _request(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    by_name = await pages.get("/t/acme/console/customers", params={"q": "breached"})
    assert by_name.status_code == 200 and f'data-customer="{request.customer_id}"' in by_name.text
    by_email = await pages.get("/t/acme/console/customers", params={"q": "QUEUE-BREACHED@acme.example"},
                               headers={"HX-Request": "true"})
    assert f'data-customer="{request.customer_id}"' in by_email.text and "<html" not in by_email.text
    nobody = await pages.get("/t/acme/console/customers", params={"q": "nobody at all"})
    assert "No customer matches this search." in nobody.text


async def test_customer_file_shows_requests_payments_and_history(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    request = await _request(runtime, tenant)
    await add_payment(runtime, tenant, request.customer_id, 12_345)
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"/t/acme/console/customers/{request.customer_id}")
    assert page.status_code == 200
    assert f'data-request="{request.number}"' in page.text and "Demo Customer Breached" in page.text
    assert "€123.45" in page.text and "Paid" in page.text
    assert 'data-activity="request.opened"' in page.text


async def test_technician_sees_the_file_without_payments(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    request = await _request(runtime, tenant)
    await add_payment(runtime, tenant, request.customer_id, 12_345)
    await sign_in_staff(pages, tenant, "technician")
    page = await pages.get(f"/t/acme/console/customers/{request.customer_id}")
    assert page.status_code == 200 and 'id="payments"' not in page.text and "€123.45" not in page.text


async def test_file_downloads_as_csv_and_json(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    request = await _request(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    base = f"/t/acme/console/customers/{request.customer_id}"
    as_csv = await pages.get(f"{base}/export.csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows[0]["kind"] == "request.opened" and rows[0]["request_number"] == str(request.number)
    as_json = await pages.get(f"{base}/export.json")
    assert json.loads(as_json.text)[0]["kind"] == "request.opened"


async def test_the_downloaded_csv_has_no_live_formula(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    formula = '=HYPERLINK("http://evil.example/","x")'
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    async with runtime.db.transaction(tenant.id) as session:
        request = await open_request(session, bind_tenant(record, runtime.plugins), NewRequest(
            kind="repair", channel="web", summary=formula,
            customer=CustomerDetails(name="@SUM(A1:A9)", email="sara@acme.example")), actor="test", now=utcnow())
    await sign_in_staff(pages, tenant, "agent")
    as_csv = await pages.get(f"/t/acme/console/customers/{request.customer_id}/export.csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows[0]["kind"] == "request.opened" and rows[0]["detail"] == "'" + formula


async def test_another_tenants_staff_cannot_open_or_export_the_file(pages, runtime, make_tenant, sign_in_staff):
    acme = await make_tenant("acme")
    await make_tenant("other")
    request = await _request(runtime, acme)
    await sign_in_staff(pages, await _tenant(runtime, "other"), "admin")
    found = await pages.get("/t/other/console/customers", params={"q": "breached"})
    assert found.status_code == 200 and "Demo Customer Breached" not in found.text
    assert (await pages.get(f"/t/other/console/customers/{request.customer_id}")).status_code == 404
    assert (await pages.get(f"/t/other/console/customers/{request.customer_id}/export.csv")).status_code == 404


async def _tenant(runtime, slug):
    async with runtime.db.platform_session() as s:
        return await s.scalar(select(Tenant).where(Tenant.slug == slug))
