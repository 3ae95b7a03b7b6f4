"""A per-component coverage item on a Persian customer's device page is Persian: the component's name and the
vertical's reason for an excluded component from the vertical's own catalogue (the machines test vertical ships
a Persian one), not the English it was said in, and its end date in the Jalali calendar with Persian digits."""

from __future__ import annotations

import re
from datetime import timedelta

import jdatetime
import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.plugins import build_plugin_registry
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.machines import CONSUMABLES_REASON, CUTTER, MachinesVertical
from support.warranty import add_unit

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def plugins():
    return build_plugin_registry(extra_plugins=[("machines", MachinesVertical())])


def jalali(day) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.day} {jdatetime.date.j_months_fa[j.month - 1]} {j.year}".translate(PERSIAN_DIGITS)


def component(page: str, code: str) -> tuple[str, str]:
    """The component's name and its cover, as the device page lists them."""
    found = re.search(rf'<dt data-component="{code}">(.*?)</dt>\s*<dd data-status="\w+">(.*?)</dd>', page, re.DOTALL)
    assert found is not None, f"no {code} on the page"
    return found.group(1), found.group(2)


async def test_a_persian_device_page_shows_each_components_end_and_reason_in_persian(pages, runtime, make_tenant,
                                                                                    sign_in_customer):
    tenant = await make_tenant("cutters", vertical="machines", locales=["fa", "en"], default_locale="fa")
    await add_unit(runtime, tenant, CUTTER, sku="F3015")
    async with runtime.db.platform_session() as s:
        current = bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)
    sold = current.today() - timedelta(days=30)
    async with runtime.db.transaction(tenant.id) as session:
        registered = await register_purchase(session, current, PurchaseDetails(
            serial=CUTTER, purchased_on=sold, owner=CustomerDetails(name="کارگاه تهران", email="t@example.com"),
            invoice_number="INV-9", seller="Golden Laser"), registered_by="test", now=utcnow())
    await sign_in_customer(pages, tenant, registered.registration.customer_id)

    page = (await pages.get(f"/t/cutters/my/devices/{registered.registration.id}?lang=fa")).text
    laser = component(page, "laser_source")
    assert laser == ("منبع لیزر", f"تحت پوشش تا {jalali(sold + relativedelta(months=24))}")
    consumables = component(page, "consumables")
    assert consumables == ("مواد مصرفی",
                           "موارد خارج از پوشش · نازل، لنز و حلقهٔ سرامیکی فرسوده می‌شوند: پوشش داده نمی‌شوند")
    assert CONSUMABLES_REASON not in page
    assert not re.search(r"[0-9]", laser[1]), "no ASCII digit in the Persian date"
    assert component(page, "parts")[0] == '<bdi lang="en">parts</bdi>', "a component the vertical names not: its code"

    english = (await pages.get(f"/t/cutters/my/devices/{registered.registration.id}?lang=en")).text
    assert component(english, "laser_source")[0] == "laser source"
    assert CONSUMABLES_REASON in component(english, "consumables")[1]
