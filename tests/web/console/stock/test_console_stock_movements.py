"""The stock ledger in the console (``/console/stock/movements``): newest first, a page at a time, filtered by part,
location and kind, each row naming the job it served and who moved it, in the reader's calendar; tenants kept
apart."""

from __future__ import annotations

import re

import jdatetime
import pytest

from aftersales.db.base import utcnow
from support.service import TEHRAN
from support.stock_pages import add_location, add_part, open_repair, receive, reserve, stock_desk

PAGE = "/t/entekhab-test/console/stock/movements"


async def _ledger(runtime, make_tenant):
    tenant = await stock_desk(make_tenant)
    pump = await add_part(runtime, tenant, "PUMP-7", "Drain pump")
    belt = await add_part(runtime, tenant, "BELT-2", "Drum belt")
    central = await add_location(runtime, tenant, "THR-C")
    office = await add_location(runtime, tenant, "ISF-O")
    await receive(runtime, tenant, pump, central, 4, reason="delivery note 4471")
    await receive(runtime, tenant, belt, office, 2)
    request_id, number = await open_repair(runtime, tenant)
    await reserve(runtime, tenant, pump, 1, request_id)
    return tenant, pump, belt, central, office, request_id, number


def _kinds(text: str) -> list[str]:
    return re.findall(r'data-movement="(\w+)"', text)


async def test_the_ledger_lists_movements_newest_first_with_the_job_each_served(pages, runtime, make_tenant,
                                                                                sign_in_staff):
    tenant, _pump, _belt, _central, _office, _request_id, number = await _ledger(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(PAGE)
    assert listed.status_code == 200
    assert _kinds(listed.text) == ["reserve", "receipt", "receipt"]
    assert f'data-job="request">Request #{number}</a>' in listed.text
    assert "delivery note 4471" in listed.text and "No job" in listed.text


async def test_filters_narrow_by_part_location_and_kind(pages, runtime, make_tenant, sign_in_staff):
    tenant, pump, belt, _central, office, _request_id, _number = await _ledger(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    assert _kinds((await pages.get(f"{PAGE}?part={pump}")).text) == ["reserve", "receipt"]
    assert _kinds((await pages.get(f"{PAGE}?location={office}")).text) == ["receipt"]
    assert _kinds((await pages.get(f"{PAGE}?kind=reserve")).text) == ["reserve"]
    assert _kinds((await pages.get(f"{PAGE}?kind=scrap")).text) == []
    rows = await pages.get(f"{PAGE}?kind=receipt&part={belt}", headers={"HX-Request": "true"})
    assert "<html" not in rows.text and _kinds(rows.text) == ["receipt"]


@pytest.mark.parametrize("query", ["kind=stolen", "part=nope", "location=00000000-0000-0000-0000-000000000007",
                                   "after=yesterday", "after=2026-01-01T00:00:00"])
async def test_an_unknown_filter_or_page_is_dropped_and_said(pages, runtime, make_tenant, sign_in_staff, query):
    tenant, *_ = await _ledger(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    refused = await pages.get(f"{PAGE}?{query}")
    assert refused.status_code == 422 and len(_kinds(refused.text)) == 3


async def test_the_ledger_is_paged_by_the_last_row_shown(pages, runtime, make_tenant, sign_in_staff):
    tenant = await stock_desk(make_tenant)
    pump = await add_part(runtime, tenant, "PUMP-7", "Drain pump")
    central = await add_location(runtime, tenant, "THR-C")
    for n in range(51):
        await receive(runtime, tenant, pump, central, 1, reason=f"note {n}")
    await sign_in_staff(pages, tenant, "agent")
    first = await pages.get(PAGE)
    assert len(_kinds(first.text)) == 50 and "note 50" in first.text and ">note 0<" not in first.text
    older = re.search(r'rel="next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    second = await pages.get(older)
    assert second.status_code == 200 and _kinds(second.text) == ["receipt"] and ">note 0<" in second.text
    assert 'rel="next"' not in second.text and 'rel="first"' in second.text


async def test_persian_reads_the_jalali_day_in_persian_digits(pages, runtime, make_tenant, sign_in_staff):
    tenant, *_ = await _ledger(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(f"{PAGE}?lang=fa")
    today = jdatetime.date.fromgregorian(date=utcnow().astimezone(TEHRAN).date())
    assert str(today.year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in listed.text
    assert "ورود کالا" in listed.text  # a receipt, in Persian


async def test_another_tenants_staff_see_none_of_this_tenants_movements(pages, runtime, make_tenant, sign_in_staff):
    _tenant, pump, *_ = await _ledger(runtime, make_tenant)
    other = await stock_desk(make_tenant, "other-test")
    await sign_in_staff(pages, other, "admin")
    listed = await pages.get("/t/other-test/console/stock/movements")
    assert listed.status_code == 200 and _kinds(listed.text) == []
    assert (await pages.get(f"/t/other-test/console/stock/movements?part={pump}")).status_code == 422
