"""Each auto-service tenant says its own policy (issue 19 §2.2): Carmax (seed 002, a marketplace that sells no cars
and gives no free warranty, return or exchange) and Yizhongyi (seed 003, garage equipment with all of them) side
by side, through their real manifests. Carmax's quotes, terms, claims and refunds never speak Yizhongyi's words,
and say what it does not offer in words a customer understands, in each of the plugin's languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from aftersales.contract import ClaimDecision, ClaimKind, DefectType, JobFacts, JobItem, Money, RefundFacts
from aftersales.contract.testing.factories import make_claim_facts, make_product, make_sale
from aftersales.i18n.rendering import reader_format, render

YIZHONGYI_WORDS = ("sold by the company", "list price", "discount", "travel", "free warranty from", "return within",
                   "exchange for a quality defect")
"""Phrases of Yizhongyi's policy that a tenant without those rules must never say."""
SOLD = date(2026, 3, 2)
CAR = make_product(sku="PEUGEOT-206", name="Peugeot 206")
LIFT = make_product(sku="LIFT-4T", name="Four-post lift", volume_m3=2.4, weight_kg=650)
UNIT = {"carmax": CAR, "yizhongyi": LIFT}
CURRENCY = {"carmax": "IRR", "yizhongyi": "CNY"}


@pytest.fixture(scope="module")
def hooks_of(plugin_hooks, seed_tenant):
    def of(slug: str):
        tenant = seed_tenant(slug)
        return tenant, plugin_hooks(tenant)

    return of


def job(slug: str, **overrides) -> JobFacts:
    money = Money(1_500_000 if slug == "carmax" else 200_00, CURRENCY[slug])
    part = JobItem("PART-1", "brake pad", 2, money)
    return JobFacts(**{"offering": "brake service", "labour_price": money, "parts": (part,), "distance_km": 12.5,
                       "sold_by_tenant": False, "under_warranty": False, **overrides})


def quote(hooks_of, slug: str, **overrides):
    tenant, hooks = hooks_of(slug)
    return hooks.aftersales_quote(tenant=tenant, job=job(slug, **overrides))


def terms(hooks_of, slug: str):
    tenant, hooks = hooks_of(slug)
    return hooks.aftersales_warranty_terms(tenant=tenant, product=UNIT[slug], sale=make_sale(sold_on=SOLD))


def assess(hooks_of, slug: str, kind: ClaimKind, day: int = 3, **facts):
    tenant, hooks = hooks_of(slug)
    reported = SOLD + timedelta(days=day)
    claim = make_claim_facts(kind=kind, reported_on=reported, product=UNIT[slug], **{
        "packaging_complete": True, "accessories_complete": True, "product_number_matches": True,
        "receipts_shown": True, "warranty_voucher_shown": True, "paid_in_full": True,
        "defect": DefectType.QUALITY, **facts})
    return hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms(hooks_of, slug), today=reported)


def said(texts) -> str:
    return " | ".join(str(t) for t in texts)


def test_a_carmax_quote_for_a_car_it_did_not_sell_says_only_the_providers_prices(hooks_of):
    carmax, yizhongyi = quote(hooks_of, "carmax"), quote(hooks_of, "yizhongyi")
    assert [str(r) for r in carmax.reasons] == ["the work is charged at the provider's prices"]
    assert not any(word in said(carmax.reasons) for word in YIZHONGYI_WORDS)
    assert {line.kind for line in carmax.lines} == {"labour", "part"}  # no discount, no travel line
    assert [str(r) for r in yizhongyi.reasons] == [
        "not sold by the company: the work is charged", "travel is charged in full, by distance",
        "parts at the manufacturer's list price", "labour at a negotiated discount of 10 %"]
    assert {line.kind for line in yizhongyi.lines} == {"labour", "discount", "part", "travel"}


def test_a_carmax_quote_on_a_registered_car_is_never_free_under_another_companys_warranty(hooks_of):
    carmax = quote(hooks_of, "carmax", sold_by_tenant=True, under_warranty=True)
    yizhongyi = quote(hooks_of, "yizhongyi", sold_by_tenant=True, under_warranty=True)
    assert not any(line.covered_by_warranty for line in carmax.lines)
    assert [str(r) for r in carmax.reasons] == ["the work is charged at the provider's prices"]
    assert all(line.covered_by_warranty for line in yizhongyi.lines)


def test_yizhongyi_out_of_warranty_on_a_unit_it_sold_is_charged_on_its_own_terms(hooks_of):
    reasons = [str(r) for r in quote(hooks_of, "yizhongyi", sold_by_tenant=True).reasons]
    assert reasons[0] == "out of warranty: the work is charged"


def test_carmax_terms_offer_no_free_warranty_return_or_exchange(hooks_of):
    carmax, yizhongyi = terms(hooks_of, "carmax"), terms(hooks_of, "yizhongyi")
    assert (carmax.return_until, carmax.exchange_until, carmax.warranty_end) == (None, None, SOLD)
    assert not carmax.restarts_on_exchange
    assert [str(r) for r in carmax.reasons] == ["no free warranty is offered: repairs are charged",
                                                "returns and exchanges are not offered"]
    assert [str(e) for e in carmax.exclusions] == ["misuse or damage"]
    assert (yizhongyi.return_until, yizhongyi.exchange_until) == (SOLD + timedelta(days=7), SOLD + timedelta(days=15))
    assert "return within 7 days" in said(yizhongyi.reasons)
    assert "units not sold by the company (repair is charged)" in said(yizhongyi.exclusions)


def test_a_carmax_return_or_exchange_claim_is_refused_because_it_offers_none(hooks_of):
    returned, exchanged = assess(hooks_of, "carmax", ClaimKind.RETURN), assess(hooks_of, "carmax", ClaimKind.EXCHANGE)
    assert returned.decision is ClaimDecision.REJECT
    assert [str(r) for r in returned.failed_conditions] == [
        "returns are not offered: a unit is not taken back for a refund"]
    assert exchanged.decision is ClaimDecision.REJECT
    assert [str(r) for r in exchanged.failed_conditions] == [
        "exchanges are not offered: a unit is not swapped for a new one"]
    assert assess(hooks_of, "yizhongyi", ClaimKind.RETURN).decision is ClaimDecision.RETURN
    assert assess(hooks_of, "yizhongyi", ClaimKind.EXCHANGE).decision is ClaimDecision.EXCHANGE


def test_a_carmax_repair_is_charged_at_the_providers_prices_without_yizhongyis_terms(hooks_of):
    carmax = assess(hooks_of, "carmax", ClaimKind.PAID_REPAIR, defect=DefectType.FUNCTIONAL)
    assert carmax.decision is ClaimDecision.PAID_REPAIR
    assert [str(r) for r in carmax.reasons] == ["repair is charged at the provider's prices"]
    yizhongyi = assess(hooks_of, "yizhongyi", ClaimKind.PAID_REPAIR, defect=DefectType.FUNCTIONAL)
    assert [str(r) for r in yizhongyi.reasons][:4] == [
        "repair is charged", "travel is charged in full, by distance", "parts at the manufacturer's list price",
        "labour at a negotiated discount of 10 %"]


def test_a_carmax_warranty_repair_is_charged_as_it_gives_no_free_warranty_not_as_unsold(hooks_of):
    carmax = assess(hooks_of, "carmax", ClaimKind.WARRANTY_REPAIR, defect=DefectType.FUNCTIONAL, sold_by_tenant=False)
    assert carmax.decision is ClaimDecision.PAID_REPAIR
    assert [str(r) for r in carmax.failed_conditions] == ["no free warranty is offered: repairs are charged"]
    assert [str(r) for r in carmax.reasons] == ["repair is charged at the provider's prices"]
    yizhongyi = assess(hooks_of, "yizhongyi", ClaimKind.WARRANTY_REPAIR, defect=DefectType.FUNCTIONAL,
                       sold_by_tenant=False)
    assert "the unit was not sold by the company" in said(yizhongyi.failed_conditions)


def test_a_carmax_return_refund_is_refused_because_it_offers_no_return(hooks_of):
    def decide(slug):
        tenant, hooks = hooks_of(slug)
        price = Money(12_800_00, CURRENCY[slug])
        return hooks.aftersales_refund_policy(tenant=tenant, refund=RefundFacts(
            source="return", requested=price, paid=price, paid_in_full=True, days_since_sale=3,
            claim_decision=ClaimDecision.RETURN))

    carmax, yizhongyi = decide("carmax"), decide("yizhongyi")
    assert not carmax.granted and carmax.methods == ()
    assert [str(r) for r in carmax.reasons] == ["returns are not offered: a unit is not taken back for a refund"]
    assert yizhongyi.granted


@pytest.mark.parametrize("locale", ["en", "fa", "zh", "ka"])
def test_carmaxs_own_words_are_said_in_each_language(hooks_of, locale):
    texts = [*quote(hooks_of, "carmax").reasons, *terms(hooks_of, "carmax").reasons,
             *assess(hooks_of, "carmax", ClaimKind.WARRANTY_REPAIR, defect=DefectType.FUNCTIONAL).failed_conditions,
             *assess(hooks_of, "carmax", ClaimKind.RETURN).failed_conditions,
             *assess(hooks_of, "carmax", ClaimKind.EXCHANGE).failed_conditions,
             *assess(hooks_of, "carmax", ClaimKind.PAID_REPAIR, defect=DefectType.FUNCTIONAL).reasons]
    rendered = [render(t, reader_format(locale)) for t in texts]
    assert all(rendered)
    if locale == "en":
        assert rendered == [str(t) for t in texts]
    else:
        assert not set(rendered) & {str(t) for t in texts}, "an untranslated sentence"
