"""A customer's request page says which parts it waits for and when each is expected, in their language and
calendar (Jalali in Persian); once the part arrives the line goes, and another customer's page is not found."""

from __future__ import annotations

from datetime import date

from aftersales.parts.supply import backorders
from aftersales.service.states import RequestState
from support.service import tehran
from support.supply import add_location, add_part, add_request, bound, mehr


async def test_my_request_page_says_when_the_part_is_expected_in_the_jalali_calendar(pages, runtime, make_tenant,
                                                                                      sign_in_customer):
    tenant = await mehr(make_tenant, "acme")
    part, location = await add_part(runtime, tenant), await add_location(runtime, tenant)
    job = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    async with runtime.db.transaction(tenant.id) as s:
        placed = await backorders.place(s, bound(runtime, tenant), backorders.BackorderAsk(
            part_id=part, quantity=1, request_id=job.request_id, location_id=location,
            expected_on=date(2026, 3, 8)), actor="staff:test", now=tehran("2026-03-01", 10))
    await sign_in_customer(pages, tenant, job.customer_id)
    page = await pages.get(f"/t/acme/my/requests/{job.request_id}", headers={"Accept-Language": "fa"})
    assert page.status_code == 200, page.text
    # 8 March 2026 is 17 Esfand 1404.
    assert "قطعه‌ها در ۱۷ اسفند ۱۴۰۴ می‌رسند: قطعه LCD-A52" in page.text
    async with runtime.db.transaction(tenant.id) as s:
        await backorders.receive(s, bound(runtime, tenant), placed.id, actor="staff:test",
                                 now=tehran("2026-03-07", 10))
    after = await pages.get(f"/t/acme/my/requests/{job.request_id}", headers={"Accept-Language": "fa"})
    assert "data-part-expected" not in after.text
    other = await add_request(runtime, tenant, RequestState.DIAGNOSING)
    await sign_in_customer(pages, tenant, other.customer_id)
    assert (await pages.get(f"/t/acme/my/requests/{job.request_id}")).status_code == 404
