"""Auto-service quotes through the tenant's real hook chain: Yizhongyi's charges in and out of warranty (seed
003) and Carmax's rule that consumables match the customer's request (seed 002)."""

from __future__ import annotations

import pytest

from aftersales.contract import JobFacts, JobItem, Money


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


LIFT_PART = JobItem("YZY-SEAL", "hydraulic seal", 2, cny(150_00))


@pytest.fixture(scope="module")
def quote(plugin_hooks, seed_tenant):
    def quoted(slug: str, job: JobFacts):
        tenant = seed_tenant(slug)
        return plugin_hooks(tenant).aftersales_quote(tenant=tenant, job=job)

    return quoted


def lift_repair(**overrides) -> JobFacts:
    facts = {"offering": "lift repair", "labour_price": cny(200_00), "parts": (LIFT_PART,), "distance_km": 12.5}
    return JobFacts(**{**facts, **overrides})


def test_aftersales_quote_yizhongyi_out_of_warranty_charges_travel_in_full_parts_at_list_and_discounted_labour(quote):
    q = quote("yizhongyi", lift_repair(under_warranty=False))
    lines = {line.kind: line for line in q.lines}
    assert lines["labour"].amount == cny(200_00)
    assert lines["discount"].amount == cny(-20_00)          # labour_discount_percent = 10
    assert lines["part"].amount == cny(300_00)              # 2 × list price 150.00
    assert lines["travel"].amount == cny(37_50)             # 12.5 km × 3.00 CNY
    assert not any(line.covered_by_warranty for line in q.lines)
    assert q.total("CNY") == cny(200_00 - 20_00 + 300_00 + 37_50)


def test_yizhongyi_in_warranty_on_a_unit_it_sold_makes_labour_parts_and_travel_free(quote):
    q = quote("yizhongyi", lift_repair(under_warranty=True, sold_by_tenant=True))
    assert {line.kind for line in q.lines} == {"labour", "part", "travel"}  # shown, and covered; no discount
    assert all(line.covered_by_warranty for line in q.lines)
    assert q.total("CNY") == cny(0)


def test_yizhongyi_charges_a_unit_it_did_not_sell_in_full_even_under_a_warranty(quote):
    q = quote("yizhongyi", lift_repair(under_warranty=True, sold_by_tenant=False))
    assert q.total("CNY") == cny(200_00 - 20_00 + 300_00 + 37_50)
    assert "not sold by the company" in q.reasons[0]


@pytest.mark.parametrize(("km", "travel_minor"), [(1.0015, 300), (1.005, 302), (0.0, None)])
def test_travel_is_rounded_half_up_to_a_fen_and_absent_at_the_workshop(quote, km, travel_minor):
    q = quote("yizhongyi", lift_repair(distance_km=km))
    travel = [line.amount.amount_minor for line in q.lines if line.kind == "travel"]
    assert travel == ([] if travel_minor is None else [travel_minor])


OIL = JobItem("OIL-5W30", "engine oil 5W-30 (litre)", 4, Money(900_000, "IRR"))
OTHER_OIL = JobItem("OIL-10W40", "engine oil 10W-40 (litre)", 4, Money(700_000, "IRR"))


def oil_change(*used: JobItem) -> JobFacts:
    return JobFacts(offering="oil change", labour_price=Money(1_500_000, "IRR"), consumables_requested=("OIL-5W30",),
                    consumables_used=used)


def test_carmax_quotes_the_consumables_the_customer_asked_for_with_its_fee_rate(quote):
    q = quote("carmax", oil_change(OIL))
    assert not q.refused
    assert [(line.kind, line.amount.amount_minor) for line in q.lines] == [("labour", 1_500_000),
                                                                          ("consumable", 3_600_000)]
    assert q.platform_fee_bps == 1000


def test_carmax_refuses_a_quote_with_consumables_the_customer_did_not_ask_for(quote):
    q = quote("carmax", oil_change(OIL, OTHER_OIL))
    assert q.refused == (("consumable OIL-10W40 (engine oil 10W-40 (litre)) was not requested by the customer "
                          "(requested: OIL-5W30)"),)
    assert q.lines == ()
