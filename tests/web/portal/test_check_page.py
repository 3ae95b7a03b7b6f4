"""The public warranty check page: the same verdicts as the API, in words and dates a customer understands,
working as a plain form (no JavaScript) and as an HTMX fragment, rate-limited like the API."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.authenticity import CHECKS_PER_MINUTE
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.pages import post_form
from support.warranty import add_unit, imei

GENUINE = imei(1)
CARD, HOLOGRAM = "CARD-1111", "HOLO-2222"


async def _register(runtime, tenant, serial):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    current = bind_tenant(record, runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        await register_purchase(session, current, PurchaseDetails(
            serial=serial, purchased_on=current.today() - timedelta(days=10),
            owner=CustomerDetails(name="Sara Ahmadi", email="sara@example.com"), invoice_number="INV-1",
            seller="Shop"), registered_by="test", now=utcnow())


def _outcome(html: str) -> str:
    return re.search(r'data-outcome="([a-z_]+)"', html).group(1)


async def test_genuine_registered_serial_shows_covered_until_date(pages, client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, GENUINE)
    await _register(runtime, tenant, GENUINE)
    page = await post_form(pages, "/t/acme/check", {"serial": GENUINE})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert _outcome(page.text) == "genuine"
    assert "Covered until" in page.text and "Phone One" in page.text
    assert "Sara" not in page.text and "Shop" not in page.text  # nothing personal


async def test_unknown_serial_is_not_registered(pages, client, make_tenant):
    await make_tenant("acme")
    page = await post_form(pages, "/t/acme/check", {"serial": imei(99)})
    assert page.status_code == 200 and _outcome(page.text) == "not_registered"


async def test_wrong_card_code_is_a_suspected_copy(pages, client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, GENUINE, card=CARD, hologram=HOLOGRAM)
    copy = await post_form(pages, "/t/acme/check", {"serial": GENUINE, "card_code": "CARD-0000",
                                                    "hologram_code": HOLOGRAM})
    assert _outcome(copy.text) == "suspected_clone"
    real = await post_form(pages, "/t/acme/check", {"serial": GENUINE, "card_code": CARD,
                                                    "hologram_code": HOLOGRAM})
    assert _outcome(real.text) == "genuine"


async def test_page_and_api_agree(pages, client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, GENUINE, status="blocked")
    api = (await client.post("/public/t/acme/warranty/check", json={"serial": GENUINE})).json()
    page = await post_form(pages, "/t/acme/check", {"serial": GENUINE})
    assert api["verdict"] == "blocked" and _outcome(page.text) == "blocked"


async def test_htmx_post_gets_only_the_result(pages, client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, GENUINE)
    fragment = await post_form(pages, "/t/acme/check", {"serial": GENUINE}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and _outcome(fragment.text) == "genuine"
    assert "<html" not in fragment.text and "<form" not in fragment.text


async def test_empty_serial_is_refused_with_the_field_named_and_nothing_logged(pages, client, runtime, make_tenant):
    await make_tenant("acme")
    page = await post_form(pages, "/t/acme/check", {"serial": "  "})
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.text and "Enter the serial number" in page.text
    too_long = await post_form(pages, "/t/acme/check", {"serial": "X" * 201})
    assert too_long.status_code == 422
    just_fits = await post_form(pages, "/t/acme/check", {"serial": "X" * 200})
    assert just_fits.status_code == 200 and _outcome(just_fits.text) == "not_registered"


async def test_rate_limited_like_the_api(pages, client, make_tenant):
    await make_tenant("acme")
    for n in range(CHECKS_PER_MINUTE):
        assert (await post_form(pages, "/t/acme/check", {"serial": imei(n)})).status_code == 200
    refused = await post_form(pages, "/t/acme/check", {"serial": imei(500)})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert _outcome(refused.text) == "rate_limited"
    api = await client.post("/public/t/acme/warranty/check", json={"serial": imei(501)})
    assert api.status_code == 429  # one limit for the page and the API


async def test_tenant_from_host_and_custom_domain(pages, client, runtime, make_tenant):
    await make_tenant("acme", branding={"display_name": "Acme Care", "support_email": "help@acme-demo.com",
                                        "support_phone": "+49 30 1234567", "custom_domain": "care.acme-demo.com"})
    by_host = await pages.get("/", headers={"host": "acme.aftersales.test"})
    by_domain = await pages.get("/check", headers={"host": "care.acme-demo.com"})
    assert by_host.status_code == by_domain.status_code == 200
    assert "Acme Care" in by_host.text and "Acme Care" in by_domain.text
    unknown = await pages.get("/", headers={"host": "nobody.aftersales.test"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/html") and "Page not found" in unknown.text


async def test_no_javascript_needed_the_form_posts_to_the_page(pages, client, make_tenant):
    await make_tenant("acme")
    page = await pages.get("/t/acme/")
    assert re.search(r'<form method="post" action="/t/acme/check"', page.text)
    assert '<script src="/static/portal/htmx.min.js" defer></script>' in page.text
    script = await pages.get("/static/portal/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text
