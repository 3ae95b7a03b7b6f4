"""Yizhongyi's dispatch terms (seed 003): the next day's plan is fixed the afternoon before (15:00 assumed)."""

from __future__ import annotations

from aftersales_auto_service import plugin

from aftersales.contract import DispatchTerms


def test_aftersales_dispatch_terms_yizhongyi_fixes_the_plan_at_15(tenant_context):
    assert plugin.aftersales_dispatch_terms(tenant=tenant_context("auto_service")) == DispatchTerms(
        plan_cutoff_hour=15, warranty_needs_authorisation=False)


def test_the_cutoff_hour_is_the_tenants_setting_and_a_tenant_may_have_none(tenant_context):
    assert plugin.aftersales_dispatch_terms(
        tenant=tenant_context("auto_service", {"next_day_plan_cutoff_hour": 14})).plan_cutoff_hour == 14
    assert plugin.aftersales_dispatch_terms(
        tenant=tenant_context("auto_service", {"fixes_next_day_plan": False})).plan_cutoff_hour is None


def test_carmax_fixes_no_plan_the_day_before_and_yizhongyi_does_at_15(seed_tenant):
    assert plugin.aftersales_dispatch_terms(tenant=seed_tenant("carmax")).plan_cutoff_hour is None
    assert plugin.aftersales_dispatch_terms(tenant=seed_tenant("yizhongyi")).plan_cutoff_hour == 15
