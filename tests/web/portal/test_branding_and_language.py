"""Each tenant's pages carry its own branding and only its own data, in a language it offers; Persian pages
are right-to-left with Jalali dates in Persian digits."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from aftersales.identity.customers import CustomerDetails
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import Coverage
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.pages import post_form
from support.warranty import add_unit, imei

SERIAL = imei(7)
PERSIAN_DIGIT = re.compile("[۰-۹]")


def branding(name: str, primary: str, email: str) -> dict:
    return {"display_name": name, "primary_color": primary, "accent_color": "#111111",
            "support_email": email, "support_phone": "+49 30 1234567"}


async def _register(runtime, tenant, serial):
    async with runtime.db.platform_session() as s:
        current = bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        await register_purchase(session, current, PurchaseDetails(
            serial=serial, purchased_on=current.today() - timedelta(days=3),
            owner=CustomerDetails(name="Owner", email="owner@example.com"), invoice_number="I-1", seller="S"),
            registered_by="test", now=utcnow())


async def test_same_serial_in_two_tenants_shows_each_only_its_own(pages, client, runtime, make_tenant):
    alpha = await make_tenant("alpha", branding=branding("Alpha Care", "#aa0000", "help@alpha-demo.com"))
    beta = await make_tenant("beta", branding=branding("Beta Service", "#00bb00", "help@beta-demo.com"))
    await add_unit(runtime, alpha, SERIAL, sku="ALPHA-PHONE")
    await add_unit(runtime, beta, SERIAL, sku="BETA-PHONE", status="blocked")
    pages = {
        "alpha": (await post_form(pages, "/t/alpha/check", {"serial": SERIAL})).text,
        "beta": (await post_form(pages, "/check", {"serial": SERIAL}, headers={"host": "beta.aftersales.test"})).text,
    }
    assert 'data-outcome="genuine"' in pages["alpha"] and "Model ALPHA-PHONE" in pages["alpha"]
    assert 'data-outcome="blocked"' in pages["beta"] and "Model BETA-PHONE" in pages["beta"]
    for own, other in (("alpha", "beta"), ("beta", "alpha")):
        mine, theirs = (alpha, beta) if own == "alpha" else (beta, alpha)
        for marker in (other.upper() + "-PHONE", theirs.branding["display_name"], theirs.branding["primary_color"],
                       theirs.branding["support_email"]):
            assert marker not in pages[own], (own, marker)
        for marker in (mine.branding["display_name"], f"--brand-primary: {mine.branding['primary_color']}",
                       mine.branding["support_email"]):
            assert marker in pages[own], (own, marker)


async def test_persian_page_is_rtl_with_a_jalali_coverage_end_in_persian_digits(pages, client, runtime, make_tenant):
    tenant = await make_tenant("parsi", locales=["fa", "en"], default_locale="fa", time_zone="Asia/Tehran",
                               currency="IRR")
    await add_unit(runtime, tenant, SERIAL)
    await _register(runtime, tenant, SERIAL)
    page = await post_form(pages, "/t/parsi/check", {"serial": SERIAL})
    assert '<html lang="fa" dir="rtl">' in page.text
    coverage = re.search(r'data-coverage="in_warranty">\s*(.*?)\s*</dd>', page.text, re.DOTALL).group(1)
    async with runtime.db.transaction(tenant.id) as session:
        end = await session.scalar(select(Coverage.warranty_end))
    assert coverage == f"تحت پوشش تا {LocaleFormat('fa').date(end)}"
    assert PERSIAN_DIGIT.search(coverage) and not re.search("[0-9]", coverage)


async def test_language_from_query_is_remembered_in_a_cookie(pages, client, make_tenant):
    await make_tenant("parsi", locales=["fa", "en"], default_locale="fa")
    english = await pages.get("/t/parsi/?lang=en")
    assert '<html lang="en" dir="ltr">' in english.text and "Check your warranty" in english.text
    assert english.cookies.get("lang") == "en"
    again = await pages.get("/t/parsi/check")
    assert '<html lang="en" dir="ltr">' in again.text


async def test_browser_language_among_those_offered_then_default(pages, client, make_tenant):
    await make_tenant("zhong", locales=["zh", "en"], default_locale="en")
    chinese = await pages.get("/t/zhong/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh" dir="ltr">' in chinese.text and "查询保修" in chinese.text
    georgian = await pages.get("/t/zhong/", headers={"accept-language": "ka"})
    assert '<html lang="en" dir="ltr">' in georgian.text  # not offered: the tenant's default


async def test_a_language_the_tenant_does_not_offer_is_never_shown(pages, client, make_tenant):
    await make_tenant("farsi-only", locales=["fa"], default_locale="fa")
    page = await pages.get("/t/farsi-only/?lang=en", headers={"accept-language": "en"})
    assert '<html lang="fa" dir="rtl">' in page.text and "استعلام گارانتی" in page.text
    assert "lang" not in page.cookies
    assert 'class="languages"' not in page.text  # one language: no switch


async def test_georgian_page_and_language_names_in_their_own_script(pages, client, make_tenant):
    await make_tenant("kartuli", locales=["ka", "en"], default_locale="ka")
    page = await pages.get("/t/kartuli/")
    assert '<html lang="ka" dir="ltr">' in page.text and "შეამოწმეთ გარანტია" in page.text
    assert "ქართული" in page.text and "English" in page.text
