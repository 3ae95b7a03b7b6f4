"""A vertical's reason on a Persian page is Persian through and through: the words from the plugin's own
catalogue, the number in Persian digits, in the order a Persian reader reads it.

The old page showed the English sentence in a right-to-left paragraph, where the bidi algorithm moved the
leading "18-" to the end ("month warranty from the sale-18"). Now the sentence is Persian, so its logical order
is its reading order, and its number is wrapped in Unicode isolates (FSI … PDI): the Persian digits are weak
characters, and the isolate keeps a parameter's own direction whatever stands beside it (a Latin serial, an
amount with a currency code), without depending on its neighbours. A reason stored before messages had ids is
still English, and is marked as an English isolate (``<bdi lang="en">``) rather than left to be reordered."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import Coverage
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.warranty import add_unit, imei

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


async def persian_customer_with_a_phone(runtime, make_tenant):
    tenant = await make_tenant("mehr", locales=["fa", "en"], default_locale="fa")
    await add_unit(runtime, tenant, imei(1))
    async with runtime.db.platform_session() as s:
        current = bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        registered = await register_purchase(session, current, PurchaseDetails(
            serial=imei(1), purchased_on=current.today() - timedelta(days=10),
            owner=CustomerDetails(name="سارا احمدی", email="sara@example.com"), invoice_number="INV-7", seller="Shop"),
            registered_by="test", now=utcnow())
    return tenant, registered.registration, registered.coverage


def reasons_on(page: str) -> list[str]:
    listed = re.search(r'<ul class="reasons">(.*?)</ul>', page, re.DOTALL)
    assert listed is not None
    return re.findall(r"<li>(.*?)</li>", listed.group(1), re.DOTALL)


async def test_persian_page_shows_the_warranty_reason_in_persian_with_persian_digits(pages, runtime, make_tenant,
                                                                                     sign_in_customer):
    tenant, registration, coverage = await persian_customer_with_a_phone(runtime, make_tenant)
    months = coverage.reasons[0].params["months"]
    await sign_in_customer(pages, tenant, registration.customer_id)
    page = await pages.get(f"/t/mehr/my/devices/{registration.id}?lang=fa")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    reason = reasons_on(page.text)[0]
    assert reason == f"گارانتی \u2068{str(months).translate(PERSIAN_DIGITS)}\u2069 ماهه از تاریخ فروش"
    assert not re.search(r"[A-Za-z0-9]", reason), "no Latin letter or ASCII digit left in the sentence"
    assert "month warranty" not in page.text
    english = await pages.get(f"/t/mehr/my/devices/{registration.id}?lang=en")
    assert reasons_on(english.text)[0] == f"{months}-month warranty from the sale"


async def test_a_reason_stored_in_english_before_messages_is_an_english_isolate_on_a_persian_page(
        pages, runtime, make_tenant, sign_in_customer):
    tenant, registration, _ = await persian_customer_with_a_phone(runtime, make_tenant)
    async with runtime.db.transaction(tenant.id) as session:
        await session.execute(update(Coverage).values(reasons=["18-month warranty from the sale"]))
    await sign_in_customer(pages, tenant, registration.customer_id)
    page = await pages.get(f"/t/mehr/my/devices/{registration.id}?lang=fa")
    assert reasons_on(page.text)[0] == '<bdi lang="en">18-month warranty from the sale</bdi>'
