"""``make demo`` shows issue 20 to someone clicking around: Mehr's stock page with the workshop's charging port
below its minimum (and on the reorder list), the RMA batch, the demo unit's request on its way to the central
workshop; Yizhongyi's board with the next working day's visits (three planned, one not) and a repair waiting for
a back-ordered part; Entekhab's authorised technicians. Seeding twice adds nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from aftersales.demo.dispatch import demo_day
from aftersales.demo.seed import seed_demo
from aftersales.demo.workshop import CHARGING_PORT, RMA_NUMBER, WORKSHOP
from aftersales.dispatch.models import Technician, TechnicianAuthorisation, Visit
from aftersales.identity.models import Customer
from aftersales.parts.models import StockLocation
from aftersales.parts.supply.models import Backorder, DonorUnit
from aftersales.service.models import SlaClock, UnitIntake
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant


async def _tenants(runtime) -> dict[str, Tenant]:
    async with runtime.db.platform_session() as s:
        return {t.slug: t for t in await s.scalars(select(Tenant))}


async def test_the_demo_shows_stock_units_on_the_move_and_dispatch(pages, runtime, sign_in_staff, sign_in_customer):
    await seed_demo(runtime, password="demo-password-1")
    await seed_demo(runtime, password="demo-password-1")  # idempotent
    tenants = await _tenants(runtime)
    mehr, yizhongyi, entekhab = tenants["mehr"], tenants["yizhongyi"], tenants["entekhab"]

    async with runtime.db.transaction(mehr.id) as s:
        assert await s.scalar(select(func.count()).select_from(StockLocation)) == 2
        assert await s.scalar(select(func.count()).select_from(DonorUnit)) == 1
        customer = await s.scalar(select(Customer.id).where(Customer.email == "customer@mehr-demo.com"))
        on_its_way = await s.scalar(select(UnitIntake.request_id))
    await sign_in_staff(pages, mehr, "admin")
    stock = (await pages.get("/t/mehr/console/stock?lang=en")).text
    workshop = stock[stock.index(f'data-location="{WORKSHOP.code}"'):]
    assert re.search(rf'data-part="{CHARGING_PORT.code}" data-condition="new" data-available="1" data-below-minimum',
                     workshop)
    assert 'data-condition="used"' in workshop, "the donor's harvested parts"
    assert CHARGING_PORT.code in (await pages.get("/t/mehr/console/stock/reorder?lang=en")).text
    assert RMA_NUMBER in (await pages.get("/t/mehr/console/stock/returns?lang=en")).text
    console_request = await pages.get(f"/t/mehr/console/requests/{on_its_way}?lang=en")
    assert console_request.status_code == 200
    pages.cookies.clear()
    await sign_in_customer(pages, mehr, customer)
    portal = await pages.get(f"/t/mehr/my/requests/{on_its_way}?lang=en")
    assert portal.status_code == 200
    location = re.search(r"data-unit-location>(.*?)</p>", portal.text, re.DOTALL)
    assert location, portal.text[-3000:]
    assert "on the way to Central workshop, Tehran since" in location.group(1), location.group(1)

    async with runtime.db.transaction(yizhongyi.id) as s:
        day = demo_day(bind_tenant(yizhongyi, runtime.plugins))
        states = sorted(await s.scalars(select(Visit.state).where(Visit.day == day)))
        waiting = await s.scalar(select(Backorder.request_id))
        wait_clock = await s.scalar(select(SlaClock).where(SlaClock.request_id == waiting,
                                                           SlaClock.name == "parts_wait"))
        assert await s.scalar(select(func.count()).select_from(Technician)) == 3
    assert states == ["planned", "planned", "planned", "unplanned"]
    assert wait_clock is not None and wait_clock.running_since is not None, "the parts-wait clock runs"
    pages.cookies.clear()
    await sign_in_staff(pages, yizhongyi, "admin")
    board = (await pages.get(f"/t/yizhongyi/console/dispatch?day={day.isoformat()}&lang=en")).text
    unplanned = board[board.index('id="unplanned"'):board.index("Routes")]
    assert unplanned.count("<article class=\"visit") == 1 and "浦口区示例路 0 号" in unplanned
    routes = board[board.index("Routes"):]
    assert len(re.findall(r'<li data-visit="', routes)) == 3
    assert all(name in routes for name in ("技师甲（演示）", "技师乙（演示）", "技师丙（演示）"))

    async with runtime.db.transaction(entekhab.id) as s:
        authorised = set((await s.execute(select(TechnicianAuthorisation.category))).scalars())
        assert await s.scalar(select(func.count()).select_from(Technician)) == 4
    assert {"refrigerator", "washing_machine", "air_conditioner", "dishwasher", "cooker"} <= authorised
    pages.cookies.clear()
    await sign_in_staff(pages, entekhab, "admin")
    technicians = await pages.get("/t/entekhab/console/technicians?lang=en")
    assert technicians.status_code == 200 and "تکنسین مجاز الف (نمونه)" in technicians.text
