"""Claims through the API: each vertical's rules decide, the decision is stored with its reasons, an exchange
swaps the serials and restarts the warranty, Mehr's replace-or-refund offer, and tenant isolation."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from aftersales.warranty.models import Claim, Coverage
from support.warranty import add_unit
from support.warranty import tenant_today as today

YZY = {"auto_service": {"serial_scheme": "pattern", "serial_pattern": "^YZY-[0-9]{4}-[0-9]{5}$"}}
LIFT, LIFT_SPARE, BALANCER = "YZY-2026-00001", "YZY-2026-00002", "YZY-2026-00003"
IMEI = "490154203237518"
FULL_RETURN = {"packaging_complete": True, "accessories_complete": True, "product_number_matches": True,
               "receipts_shown": True, "warranty_voucher_shown": True, "paid_in_full": True}
QUALITY_EXCHANGE = {"packaging_complete": True, "receipts_shown": True, "defect": "quality"}


async def register(client, headers, serial, sold_on: date, price="1200.00") -> dict:
    response = await client.post("/api/v1/registrations/", headers=headers, json={
        "serial": serial, "purchased_on": sold_on.isoformat(), "price": price,
        "owner": {"name": "Workshop School", "email": "workshop@example.edu"}})
    assert response.status_code == 201, response.text
    return response.json()


async def claim(client, headers, registration, kind, reported_on: date, **facts) -> dict:
    response = await client.post("/api/v1/claims/", headers=headers, json={
        "registration_id": registration["id"], "kind": kind, "reported_on": reported_on.isoformat(), **facts})
    assert response.status_code == 201, response.text
    return response.json()


async def yizhongyi(make_tenant, runtime, staff_token):
    tenant = await make_tenant("yzy", vertical="auto_service", settings=YZY)
    await add_unit(runtime, tenant, LIFT, sku="LIFT-4T", volume_m3=2.4, weight_kg=650)
    await add_unit(runtime, tenant, LIFT_SPARE, sku="LIFT-4T")
    await add_unit(runtime, tenant, BALANCER, sku="WB-1", volume_m3=0.5, weight_kg=100)
    return tenant, await staff_token(tenant, "agent")


async def test_return_reported_on_day_7_is_accepted_and_on_day_8_refused(client, runtime, make_tenant, staff_token):
    _, agent = await yizhongyi(make_tenant, runtime, staff_token)
    sold = today() - timedelta(days=8)
    registration = await register(client, agent, BALANCER, sold)
    day_7 = await claim(client, agent, registration, "return", sold + timedelta(days=7), **FULL_RETURN)
    day_8 = await claim(client, agent, registration, "return", sold + timedelta(days=8), **FULL_RETURN)
    assert day_7["decision"] == "return" and day_7["failed_conditions"] == []
    assert day_8["decision"] == "reject"
    ended = f"the return period ended on {(sold + timedelta(days=7)).isoformat()}"
    assert day_8["failed_conditions"] == [f"{ended}; the claim was reported on {(sold + timedelta(days=8)).isoformat()}"]
    stored = (await client.get(f"/api/v1/claims/{day_8['id']}", headers=agent)).json()
    assert stored["decision"] == "reject" and stored["facts"]["receipts_shown"] is True
    listed = (await client.get(f"/api/v1/registrations/{registration['id']}/claims", headers=agent)).json()
    assert [c["decision"] for c in listed] == ["return", "reject"]


async def test_return_without_receipts_is_refused_with_that_reason(client, runtime, make_tenant, staff_token):
    _, agent = await yizhongyi(make_tenant, runtime, staff_token)
    registration = await register(client, agent, BALANCER, today() - timedelta(days=2))
    refused = await claim(client, agent, registration, "return", today(), **{**FULL_RETURN, "receipts_shown": False})
    assert refused["decision"] == "reject" and refused["failed_conditions"] == ["the receipts were not shown"]


async def test_exchange_on_day_15_swaps_the_serial_and_restarts_the_warranty(client, runtime, make_tenant,
                                                                             staff_token):
    tenant, agent = await yizhongyi(make_tenant, runtime, staff_token)
    sold = today() - timedelta(days=15)
    registration = await register(client, agent, LIFT, sold)
    assert registration["coverage"]["warranty_end"] == (sold + relativedelta(months=12)).isoformat()
    day_15 = await claim(client, agent, registration, "exchange", sold + timedelta(days=15),
                         **QUALITY_EXCHANGE)
    assert day_15["decision"] == "exchange" and day_15["arrange_by_phone_first"]  # a 650 kg lift: by phone first

    exchanged_on = today()
    response = await client.post(f"/api/v1/claims/{day_15['id']}/exchange", headers=agent, json={
        "replacement_serial": LIFT_SPARE, "exchanged_on": exchanged_on.isoformat()})
    assert response.status_code == 200, response.text
    swapped = response.json()
    assert swapped["claim"]["status"] == "exchanged" and swapped["claim"]["replacement_serial"] == LIFT_SPARE
    assert swapped["claim"]["serial"] == LIFT
    moved = swapped["registration"]
    assert moved["id"] == registration["id"] and moved["serial"] == LIFT_SPARE
    assert moved["coverage"]["warranty_start"] == exchanged_on.isoformat()
    assert moved["coverage"]["warranty_end"] == (exchanged_on + relativedelta(months=12)).isoformat()
    assert moved["coverage"]["cause"] == "exchanged"
    old = (await client.post("/public/t/yzy/warranty/check", json={"serial": LIFT})).json()
    new = (await client.post("/public/t/yzy/warranty/check", json={"serial": LIFT_SPARE})).json()
    assert old["verdict"] == "replaced" and old["coverage"]["status"] == "not_registered"
    assert new["status"] == "registered" and new["coverage"]["status"] == "in_warranty"
    async with runtime.db.transaction(tenant.id) as s:  # the first coverage is kept, superseded
        coverages = (await s.scalars(select(Coverage).order_by(Coverage.created_at))).all()
        assert [c.cause for c in coverages] == ["registered", "exchanged"]
        assert coverages[0].superseded_at is not None and coverages[1].superseded_at is None
    again = await client.post(f"/api/v1/claims/{day_15['id']}/exchange", headers=agent, json={
        "replacement_serial": LIFT_SPARE, "exchanged_on": exchanged_on.isoformat()})
    assert again.status_code == 409


async def test_exchange_on_day_16_is_refused(client, runtime, make_tenant, staff_token):
    _, agent = await yizhongyi(make_tenant, runtime, staff_token)
    sold = today() - timedelta(days=16)
    refused = await claim(client, agent, await register(client, agent, BALANCER, sold), "exchange", today(),
                          **QUALITY_EXCHANGE)
    assert refused["decision"] == "reject" and "exchange period ended" in refused["failed_conditions"][0]


async def test_a_replacement_must_be_an_in_stock_unit_of_the_same_model(client, runtime, make_tenant, staff_token):
    tenant, agent = await yizhongyi(make_tenant, runtime, staff_token)
    registration = await register(client, agent, LIFT, today() - timedelta(days=3))
    accepted = await claim(client, agent, registration, "exchange", today(), **QUALITY_EXCHANGE)
    url = f"/api/v1/claims/{accepted['id']}/exchange"
    other_model = await client.post(url, headers=agent, json={"replacement_serial": BALANCER,
                                                              "exchanged_on": today().isoformat()})
    assert other_model.status_code == 422 and "WB-1" in other_model.json()["errors"][0]["reason"]
    itself = await client.post(url, headers=agent, json={"replacement_serial": LIFT, "exchanged_on": today().isoformat()})
    assert itself.json()["errors"][0]["reason"] == "is the faulty unit itself"
    future = await client.post(url, headers=agent, json={"replacement_serial": LIFT_SPARE,
                                                         "exchanged_on": (today() + timedelta(days=1)).isoformat()})
    assert future.json()["errors"] == [{"field": "exchanged_on", "reason": "must not be in the future"}]
    async with runtime.db.transaction(tenant.id) as s:  # nothing moved
        assert (await s.scalar(select(Claim))).status == "decided"


async def test_a_refused_exchange_cannot_be_completed(client, runtime, make_tenant, staff_token):
    _, agent = await yizhongyi(make_tenant, runtime, staff_token)
    registration = await register(client, agent, LIFT, today() - timedelta(days=3))
    refused = await claim(client, agent, registration, "exchange", today(), packaging_complete=True)
    response = await client.post(f"/api/v1/claims/{refused['id']}/exchange", headers=agent,
                                 json={"replacement_serial": LIFT_SPARE, "exchanged_on": today().isoformat()})
    assert response.status_code == 409


async def test_large_item_repair_is_on_site(client, runtime, make_tenant, staff_token):
    _, agent = await yizhongyi(make_tenant, runtime, staff_token)
    registration = await register(client, agent, LIFT, today() - timedelta(days=60))
    repair = await claim(client, agent, registration, "warranty_repair", today(), receipts_shown=True,
                         defect="functional")
    assert repair["decision"] == "free_repair" and repair["requires_onsite_visit"]


async def test_claim_dates_outside_the_ownership_are_refused(client, runtime, make_tenant, staff_token):
    tenant, agent = await yizhongyi(make_tenant, runtime, staff_token)
    registration = await register(client, agent, BALANCER, today() - timedelta(days=3))
    for reported_on in (today() + timedelta(days=1), today() - timedelta(days=4)):
        response = await client.post("/api/v1/claims/", headers=agent, json={
            "registration_id": registration["id"], "kind": "return", "reported_on": reported_on.isoformat()})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reported_on"
    unknown_kind = await client.post("/api/v1/claims/", headers=agent, json={
        "registration_id": registration["id"], "kind": "refund", "reported_on": today().isoformat()})
    assert unknown_kind.status_code == 400
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(Claim))) is None


async def test_entekhab_installation_damage_needs_a_sealed_box_and_an_authorised_technician(
    client, runtime, make_tenant, staff_token
):
    entekhab = await make_tenant("entekhab", vertical="appliances")
    await add_unit(runtime, entekhab, "RF50012345678", sku="RF-500")
    agent = await staff_token(entekhab, "agent")
    registration = await register(client, agent, "RF50012345678", today() - timedelta(days=2))
    assert registration["coverage"]["parts_support_end"] == (
        today() - timedelta(days=2) + relativedelta(years=10)).isoformat()
    damage = {"defect": "installation_damage", "installed_by_authorised_technician": True}
    covered = await claim(client, agent, registration, "warranty_repair", today(), **damage, delivered_sealed=True)
    unsealed = await claim(client, agent, registration, "warranty_repair", today(), **damage, delivered_sealed=False)
    assert covered["decision"] == "free_repair"
    assert unsealed["decision"] == "paid_repair"
    sealed_rule = "damage found at installation is covered only if the box was sealed on delivery"
    assert unsealed["failed_conditions"] == [sealed_rule]


async def test_mehr_offers_replace_or_refund_at_the_invoice_or_the_expert_price(client, runtime, make_tenant,
                                                                              staff_token):
    """Through the API: the days at the service centre are the core's count (a unit never taken in has none),
    the invoice price the registration's; only the experts' judgement comes from the body."""
    mehr = await make_tenant("mehr", currency="IRR")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    registration = await register(client, agent, IMEI, today() - timedelta(days=90), price="450000000")
    repair = await claim(client, agent, registration, "warranty_repair", today() - timedelta(days=45),
                         defect="functional", warranty_voucher_shown=True)
    assert repair["decision"] == "free_repair"
    url = f"/api/v1/claims/{repair['id']}/replacement-offer"
    too_soon = (await client.post(url, headers=agent, json={"invoice_price_was_market_price": True})).json()
    assert [o["kind"] for o in too_soon["resolution_options"]] == ["repair"]
    assert "(0 so far)" in too_soon["resolution_options"][0]["reason"]
    experts = {"replacement_approved_by_expert": True}
    at_invoice = (await client.post(url, headers=agent, json={**experts, "invoice_price_was_market_price": True})).json()
    assert [(o["kind"], o["amount"] and o["amount"]["amount"]) for o in at_invoice["resolution_options"]] == [
        ("replacement", None), ("refund", "450000000")]
    at_expert = (await client.post(url, headers=agent, json={
        **experts, "invoice_price_was_market_price": False, "expert_price": "۳۸۰۰۰۰۰۰۰"})).json()
    assert at_expert["resolution_options"][1]["amount"]["amount"] == "380000000"
    stored = (await client.get(f"/api/v1/claims/{repair['id']}", headers=agent)).json()
    assert stored["resolution_options"] == at_expert["resolution_options"]
    bad = await client.post(url, headers=agent, json={"expert_price": "0"})
    assert {e["field"] for e in bad.json()["errors"]} == {"expert_price"}


async def test_the_days_in_service_and_the_invoice_price_are_not_taken_from_the_caller(client, runtime,
                                                                                        make_tenant, staff_token):
    mehr = await make_tenant("mehr", currency="IRR")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    registration = await register(client, agent, IMEI, today() - timedelta(days=90), price="450000000")
    repair = await claim(client, agent, registration, "warranty_repair", today() - timedelta(days=45),
                         defect="functional", warranty_voucher_shown=True)
    url = f"/api/v1/claims/{repair['id']}/replacement-offer"
    for typed in ({"business_days_in_service": 30}, {"invoice_price": "900000000"}):
        refused = await client.post(url, headers=agent, json={"invoice_price_was_market_price": True, **typed})
        assert refused.status_code == 400  # a body the schema refuses, as every malformed body is
        assert refused.headers["content-type"].startswith("application/problem+json")
        [error] = refused.json()["errors"]
        assert error["field"] == next(iter(typed)) and "is not taken from the caller" in error["reason"]
    assert (await client.get(f"/api/v1/claims/{repair['id']}", headers=agent)).json()["resolution_options"] is None


async def test_claims_need_their_scope(client, runtime, make_tenant, staff_token):
    tenant, agent = await yizhongyi(make_tenant, runtime, staff_token)
    registration = await register(client, agent, BALANCER, today())
    finance = await staff_token(tenant, "finance")
    response = await client.post("/api/v1/claims/", headers=finance, json={
        "registration_id": registration["id"], "kind": "return", "reported_on": today().isoformat()})
    assert response.status_code == 403
    technician = await staff_token(tenant, "technician")
    assert (await claim(client, technician, registration, "paid_repair", today()))["decision"] == "paid_repair"


async def test_tenant_b_cannot_file_read_or_complete_tenant_as_claims(client, runtime, make_tenant, staff_token):
    _, alpha_agent = await yizhongyi(make_tenant, runtime, staff_token)
    bravo = await make_tenant("bravo", vertical="auto_service", settings=YZY)
    await add_unit(runtime, bravo, LIFT_SPARE, sku="LIFT-4T")
    bravo_admin = await staff_token(bravo, "admin")
    registration = await register(client, alpha_agent, LIFT, today() - timedelta(days=3))
    accepted = await claim(client, alpha_agent, registration, "exchange", today(), **QUALITY_EXCHANGE)
    filed = await client.post("/api/v1/claims/", headers=bravo_admin, json={
        "registration_id": registration["id"], "kind": "warranty_repair", "reported_on": today().isoformat()})
    assert filed.status_code == 404
    assert (await client.get(f"/api/v1/claims/{accepted['id']}", headers=bravo_admin)).status_code == 404
    swap = await client.post(f"/api/v1/claims/{accepted['id']}/exchange", headers=bravo_admin,
                             json={"replacement_serial": LIFT_SPARE, "exchanged_on": today().isoformat()})
    assert swap.status_code == 404
    offer = await client.post(f"/api/v1/claims/{accepted['id']}/replacement-offer", headers=bravo_admin,
                              json={"replacement_approved_by_expert": True})
    assert offer.status_code == 404
    assert (await client.get(f"/api/v1/claims/{accepted['id']}", headers=alpha_agent)).json()["status"] == "decided"


def test_the_claim_api_takes_exactly_the_facts_the_claim_rules_read():
    """``ClaimIn`` is built from ``ClaimReport``: a fact added to one and not the other fails here."""
    from dataclasses import MISSING, fields
    from typing import get_type_hints
    from uuid import uuid4

    from aftersales.contract.values import ClaimKind, ClaimReport, DefectType
    from aftersales.warranty.registrations.schemas import ClaimIn

    facts = {fact.name: fact for fact in fields(ClaimReport)}
    body = {name: spec for name, spec in ClaimIn.model_fields.items() if name != "registration_id"}
    assert list(body) == list(facts)
    hints = get_type_hints(ClaimReport)
    for name, spec in body.items():
        assert spec.annotation == hints[name], name
        assert spec.is_required() == (facts[name].default is MISSING), name
        if not spec.is_required():
            assert spec.default == facts[name].default, name
    typed = ClaimIn(registration_id=uuid4(), kind="return", reported_on="2026-05-12", defect="functional",
                    misuse_or_damage=True, delivered_sealed=False)
    assert typed.report() == ClaimReport(kind=ClaimKind.RETURN, reported_on=date(2026, 5, 12),
                                         defect=DefectType.FUNCTIONAL, misuse_or_damage=True,
                                         delivered_sealed=False)
