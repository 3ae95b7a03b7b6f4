"""Appliance quotes (seed 001, Entekhab): installation and repair in warranty are free, through the real hooks."""

from __future__ import annotations

import pytest

from aftersales.contract import JobFacts, Money
from aftersales.contract.testing.factories import make_job_facts, make_job_item

COMPRESSOR = make_job_item(code="CMP-1", name="compressor", unit_price=Money(40_000_000, "IRR"))


@pytest.fixture(scope="module")
def quote(plugin_hooks, seed_tenant):
    entekhab = seed_tenant("entekhab")
    return lambda job: plugin_hooks(entekhab).aftersales_quote(tenant=entekhab, job=job)


def job(category: str, under_warranty: bool) -> JobFacts:
    return make_job_facts(offering=f"fridge {category}", labour_price=Money(5_000_000, "IRR"), parts=(COMPRESSOR,),
                          under_warranty=under_warranty, offering_category=category)


@pytest.mark.parametrize("category", ["installation", "repair"])
def test_aftersales_quote_entekhab_in_warranty_installation_and_repair_are_free(quote, category):
    q = quote(job(category, under_warranty=True))
    assert q.total("IRR") == Money(0, "IRR") and all(line.covered_by_warranty for line in q.lines)


def test_entekhab_charges_repair_out_of_warranty_at_labour_and_list_price(quote):
    assert quote(job("repair", under_warranty=False)).total("IRR") == Money(45_000_000, "IRR")


def test_entekhab_charges_other_services_even_in_warranty(quote):
    q = quote(job("maintenance", under_warranty=True))
    assert q.total("IRR") == Money(45_000_000, "IRR")
    assert q.reasons == ("maintenance is not free under the warranty",)
