"""The customer's request page shows the technician's planned visit once the plan is fixed: the day in their
calendar (Jalali with Persian digits in ``fa``) and the window; nothing while the visit is only planned, and
nothing of another customer's visit."""

from __future__ import annotations

from datetime import timedelta

import jdatetime

from aftersales.db.base import utcnow
from support.dispatch_pages import add_technician, add_visit, current
from support.order_pages import order_desk


async def _request_of(runtime, tenant, visit_id):
    from sqlalchemy import select

    from aftersales.dispatch.models import Visit

    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Visit.request_id).where(Visit.id == visit_id))


async def test_the_customer_reads_the_fixed_window_in_their_calendar(pages, runtime, make_tenant,
                                                                     sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    await current(runtime, tenant)
    day = (utcnow() + timedelta(days=1)).date()
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, customer_id = await add_visit(runtime, tenant, day, technician_id=tech.technician_id,
                                            state="fixed", window=(9, 12))
    request_id = await _request_of(runtime, tenant, visit_id)
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get(f"/t/entekhab-test/my/requests/{request_id}?lang=fa")
    assert page.status_code == 200 and f'data-planned-visit="{day.isoformat()}"' in page.text
    jalali = jdatetime.date.fromgregorian(date=day)
    assert jdatetime.date.j_months_fa[jalali.month - 1] in page.text and "۰۹:۰۰" in page.text and "۱۲:۰۰" in page.text
    english = await pages.get(f"/t/entekhab-test/my/requests/{request_id}?lang=en")
    assert "09:00" in english.text and "12:00" in english.text


async def test_a_visit_not_yet_fixed_is_not_shown(pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, customer_id = await add_visit(runtime, tenant, (utcnow() + timedelta(days=1)).date(),
                                            technician_id=tech.technician_id, state="planned")
    request_id = await _request_of(runtime, tenant, visit_id)
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get(f"/t/entekhab-test/my/requests/{request_id}")
    assert page.status_code == 200 and "data-planned-visit" not in page.text


async def test_another_customer_sees_neither_the_request_nor_its_visit(pages, runtime, make_tenant, sign_in_customer):
    tenant = await order_desk(make_tenant, runtime)
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, _ = await add_visit(runtime, tenant, (utcnow() + timedelta(days=1)).date(),
                                  technician_id=tech.technician_id, state="fixed")
    request_id = await _request_of(runtime, tenant, visit_id)
    await sign_in_customer(pages, tenant)
    assert (await pages.get(f"/t/entekhab-test/my/requests/{request_id}")).status_code == 404
