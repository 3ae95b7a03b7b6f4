"""The kit's strategies draw the contract's v2 fields as the core fills them: component codes a ``CoverageItem``
accepts, each once per terms and covered from the warranty's start; a sale installed after it was made and signed
off after it was installed; hours, kilometres and rates never negative; a refund's claim facts together or not at
all; a routing so far that never holds ``close``."""

from __future__ import annotations

from hypothesis import given, settings

from aftersales.contract import ROUTING_STEPS, is_component_code
from aftersales.contract.testing import strategies as facts

SOME = settings(max_examples=200, deadline=None)


@SOME
@given(terms=facts.warranty_terms())
def test_coverage_items_name_each_component_once_and_end_on_or_after_the_start(terms) -> None:
    codes = [item.component for item in terms.coverage]
    assert len(codes) == len(set(codes)) and all(is_component_code(code) and len(code) <= 40 for code in codes)
    assert all(item.ends_on is None or item.ends_on >= terms.warranty_start for item in terms.coverage)


@SOME
@given(sale=facts.sales())
def test_a_sale_is_installed_after_it_is_made_and_signed_off_after_it_is_installed(sale) -> None:
    assert sale.installed_on is None or sale.installed_on >= sale.sold_on
    assert sale.training_signed_off_on is None or sale.training_signed_off_on >= (sale.installed_on or sale.sold_on)


@SOME
@given(job=facts.job_facts("EUR"), request=facts.request_facts(), claim=facts.claim_facts())
def test_hours_distances_and_rates_are_never_negative_and_rates_in_the_tenants_currency(job, request, claim) -> None:
    for quantity in (job.labour_hours, job.visit_distance_km, request.site_distance_km):
        assert quantity is None or quantity >= 0
    for rate in (job.labour_rate_per_hour, job.travel_rate_per_km):
        assert rate is None or (rate.amount_minor >= 0 and rate.currency == "EUR")
    assert claim.component is None or is_component_code(claim.component)


@SOME
@given(refund=facts.refund_facts(), answer=facts.followup_answers())
def test_a_refunds_claim_comes_whole_and_a_routing_so_far_never_closed(refund, answer) -> None:
    assert (refund.claim_kind is None) == (refund.claim_decision is None)
    assert refund.claim_component is None or refund.claim_kind is not None
    assert set(answer.routing) <= set(ROUTING_STEPS) - {"close"}


def test_every_new_field_is_drawn_both_ways() -> None:
    """Each v2 field is sometimes set and sometimes left at its default, so a rule reading it is exercised."""
    seen: dict[str, set[bool]] = {}

    @settings(max_examples=300, deadline=None, database=None)
    @given(sale=facts.sales(), terms=facts.warranty_terms(), claim=facts.claim_facts(), job=facts.job_facts(),
           request=facts.request_facts(), refund=facts.refund_facts(), answer=facts.followup_answers())
    def draw(sale, terms, claim, job, request, refund, answer) -> None:
        values = {"installed_on": sale.installed_on, "training_signed_off_on": sale.training_signed_off_on,
                  "coverage": terms.coverage or None, "excluded": [i for i in terms.coverage if not i.covered] or None,
                  "component": claim.component, "labour_hours": job.labour_hours,
                  "visit_distance_km": job.visit_distance_km, "labour_rate_per_hour": job.labour_rate_per_hour,
                  "travel_rate_per_km": job.travel_rate_per_km, "site_distance_km": request.site_distance_km,
                  "installed": refund.installed, "claim_kind": refund.claim_kind, "routing": answer.routing or None,
                  "problem_reported": answer.problem_reported or None}
        for name, value in values.items():
            seen.setdefault(name, set()).add(value is not None)

    draw()
    assert {name: both for name, both in seen.items() if both != {True, False}} == {}
