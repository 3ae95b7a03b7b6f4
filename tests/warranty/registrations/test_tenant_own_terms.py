"""Each auto-service tenant's customers and staff read its own policy (issue 19 §2.2), walked through the API and
the portal: Carmax (seed 002) gives no free warranty, return or exchange, so its terms say so (the coverage status
is ``no_warranty``, on the public check too), its claims for them are refused with that reason and a return
refund is refused; Yizhongyi (seed 003), on the same vertical, keeps its 7 and 15
days. Both tenants onboard their real manifest's settings."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from aftersales.onboarding.manifest import read_manifest_file
from aftersales.settings import REPO_ROOT
from support.pages import post_form
from support.payments import add_payment
from support.warranty import add_unit
from support.warranty import tenant_today as today

CAR = "1M8GDM9AXKP042788"
"""A VIN with a right check digit (X)."""
BALANCER = "YZY-2026-00003"
FULL_RETURN = {"packaging_complete": True, "accessories_complete": True, "product_number_matches": True,
               "receipts_shown": True, "warranty_voucher_shown": True, "paid_in_full": True}
QUALITY_EXCHANGE = {"packaging_complete": True, "receipts_shown": True, "defect": "quality"}
NO_RETURN = "returns are not offered: a unit is not taken back for a refund"
NO_EXCHANGE = "exchanges are not offered: a unit is not swapped for a new one"


def seed_settings(slug: str) -> dict:
    return read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml")["settings"]


async def carmax(runtime, make_tenant):
    tenant = await make_tenant("carmax", vertical="auto_service", settings=seed_settings("carmax"),
                               locales=["fa", "en"], default_locale="fa")
    await add_unit(runtime, tenant, CAR, sku="PEUGEOT-206")
    return tenant, CAR


async def yizhongyi(runtime, make_tenant):
    tenant = await make_tenant("yizhongyi", vertical="auto_service", settings=seed_settings("yizhongyi"))
    await add_unit(runtime, tenant, BALANCER, sku="WB-1", volume_m3=0.5, weight_kg=100)
    return tenant, BALANCER


async def registered(client, agent, serial: str) -> dict:
    response = await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": serial, "purchased_on": (today() - timedelta(days=3)).isoformat(), "price": "1200.00",
        "owner": {"name": "Sara Ahmadi", "email": "sara@example.com"}})
    assert response.status_code == 201, response.text
    return response.json()


async def claimed(client, agent, registration: dict, kind: str, **facts) -> dict:
    response = await client.post("/api/v1/claims/", headers=agent, json={
        "registration_id": registration["id"], "kind": kind, "reported_on": today().isoformat(), **facts})
    assert response.status_code == 201, response.text
    return response.json()


async def test_carmax_terms_and_claims_offer_no_return_or_exchange_where_yizhongyis_do(client, runtime, make_tenant,
                                                                                      staff_token):
    for setup, offers in ((carmax, False), (yizhongyi, True)):
        tenant, serial = await setup(runtime, make_tenant)
        agent = await staff_token(tenant, "agent")
        registration = await registered(client, agent, serial)
        coverage = registration["coverage"]
        returned = await claimed(client, agent, registration, "return", **FULL_RETURN)
        exchanged = await claimed(client, agent, registration, "exchange", **QUALITY_EXCHANGE)
        check = (await client.post(f"/public/t/{tenant.slug}/warranty/check", json={"serial": serial})).json()
        if offers:
            assert coverage["status"] == check["coverage"]["status"] == "in_warranty"
            assert coverage["return_until"] == (today() + timedelta(days=4)).isoformat()
            assert "return within 7 days and exchange for a quality defect within 15 days of the sale" in \
                coverage["reasons"]
            assert (returned["decision"], exchanged["decision"]) == ("return", "exchange")
        else:
            assert coverage["status"] == check["coverage"]["status"] == "no_warranty"
            assert (coverage["return_until"], coverage["exchange_until"]) == (None, None)
            assert "returns and exchanges are not offered" in coverage["reasons"]
            assert not any("return within" in r or "sold by the company" in r for r in coverage["reasons"])
            assert (returned["decision"], returned["failed_conditions"]) == ("reject", [NO_RETURN])
            assert (exchanged["decision"], exchanged["failed_conditions"]) == ("reject", [NO_EXCHANGE])


async def test_a_carmax_customer_asking_a_return_refund_is_refused_with_the_reason(client, runtime, make_tenant,
                                                                                  staff_token, customer_token):
    tenant, serial = await carmax(runtime, make_tenant)
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, agent, serial)
    claim = await claimed(client, agent, registration, "return", **FULL_RETURN)
    customer_id, customer = await customer_token(tenant, uuid.UUID(registration["owner"]["id"]))
    payment = await add_payment(runtime, tenant, customer_id, 120_000, currency="EUR")
    asked = await client.post("/api/v1/refunds", headers=customer, json={
        "source": "return", "payment_id": str(payment), "claim_id": claim["id"]})
    assert asked.status_code == 201, asked.text
    refund = asked.json()
    assert (refund["state"], refund["amount_minor"], refund["reasons"]) == ("refused", 0, [NO_RETURN])


async def test_the_carmax_device_page_says_in_persian_that_no_return_or_exchange_is_offered(
        client, pages, runtime, make_tenant, staff_token, sign_in_customer):
    tenant, serial = await carmax(runtime, make_tenant)
    registration = await registered(client, await staff_token(tenant, "agent"), serial)
    await sign_in_customer(pages, tenant, uuid.UUID(registration["owner"]["id"]))
    page = await pages.get(f"/t/carmax/my/devices/{registration['id']}?lang=fa")
    assert page.status_code == 200
    listed = re.search(r'<ul class="reasons">(.*?)</ul>', page.text, re.DOTALL)
    assert listed is not None and "<li>مرجوعی و تعویض ارائه نمی‌شود</li>" in listed.group(1)
    english = await pages.get(f"/t/carmax/my/devices/{registration['id']}?lang=en")
    assert "returns and exchanges are not offered" in english.text
    assert "Return possible until" not in english.text and "return within" not in english.text
    assert 'data-coverage="no_warranty">بدون گارانتی رایگان<' in page.text


async def test_the_public_check_page_says_no_free_warranty_is_given(client, pages, runtime, make_tenant, staff_token):
    tenant, serial = await carmax(runtime, make_tenant)
    await registered(client, await staff_token(tenant, "agent"), serial)
    page = await post_form(pages, "/t/carmax/check?lang=fa", {"serial": serial})
    assert page.status_code == 200
    assert 'data-coverage="no_warranty"' in page.text and "برای این دستگاه گارانتی رایگان داده نمی‌شود" in page.text
