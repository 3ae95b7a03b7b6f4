"""Entekhab's dispatch terms (seed 001): in-warranty visits only for authorised technicians, by setting."""

from __future__ import annotations

from aftersales_appliances import plugin

from aftersales.contract import DispatchTerms


def test_aftersales_dispatch_terms_entekhab_needs_an_authorised_technician_and_no_cutoff(tenant_context):
    assert plugin.aftersales_dispatch_terms(tenant=tenant_context("appliances")) == DispatchTerms(
        plan_cutoff_hour=None, warranty_needs_authorisation=True)


def test_a_tenant_without_the_authorisation_rule_sends_anyone(tenant_context):
    tenant = tenant_context("appliances", {"authorised_technician_required": False})
    assert plugin.aftersales_dispatch_terms(tenant=tenant).warranty_needs_authorisation is False
