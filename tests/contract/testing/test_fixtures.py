"""The kit's fixtures and factories give what the server would: contexts validated as at onboarding, the hook
callers of the tenant's plugin set, and value objects with defaults a test overrides field by field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from aftersales.contract import ClaimKind, Money, TenantContext
from aftersales.contract.testing import factories
from aftersales.errors import InvalidInput
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import manifest_context as onboarded_context
from aftersales.settings import REPO_ROOT

MEHR = REPO_ROOT / "tenants" / "mehr.toml"


def test_the_registry_is_the_servers_with_every_installed_plugin(aftersales_registry) -> None:
    assert {"electronics", "appliances", "auto_service"} <= set(aftersales_registry.verticals())
    assert aftersales_registry.failures == {}


def test_manifest_context_is_the_onboarded_tenants_context_calendar_included(manifest_context,
                                                                              aftersales_registry) -> None:
    mehr = manifest_context(MEHR)
    assert mehr == onboarded_context(aftersales_registry, read_manifest_file(MEHR))
    assert (mehr.calendar.country, mehr.calendar.weekend_days, mehr.calendar.business_hours) == (
        "IR", (5,), ("08:00", "17:00"))
    assert mehr.settings.warranty_months == 18


def test_manifest_context_refuses_an_invalid_manifest_naming_the_field(manifest_context, tmp_path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(MEHR.read_text().replace("warranty_months = 18", "warranty_months = 0"))
    with pytest.raises(InvalidInput) as caught:
        manifest_context(broken)
    assert [error.field for error in caught.value.errors] == ["settings.electronics.warranty_months"]


def test_tenant_context_validates_settings_with_the_plugins_schema(tenant_context) -> None:
    tenant = tenant_context("electronics", {"warranty_months": 24})
    assert isinstance(tenant, TenantContext) and tenant.settings.warranty_months == 24
    assert tenant.settings.repair_result_business_days == 7  # the schema's default
    with pytest.raises(InvalidInput) as caught:
        tenant_context("electronics", {"warranty_month": 24})
    assert [error.field for error in caught.value.errors] == ["settings.electronics.warranty_month"]


def test_tenant_context_takes_other_fields_and_keeps_the_calendar_in_their_country(tenant_context) -> None:
    tenant = tenant_context("auto_service", country="CN", currency="CNY", time_zone="Asia/Shanghai")
    assert (tenant.country, tenant.currency, tenant.calendar.country) == ("CN", "CNY", "CN")
    assert tenant_context("auto_service").currency == factories.CURRENCY


def test_tenant_context_of_an_unknown_vertical_suggests_the_closest(tenant_context) -> None:
    with pytest.raises(LookupError, match="no plugin named 'electronic'; did you mean 'electronics'"):
        tenant_context("electronic")


def test_plugin_hooks_reach_the_tenants_plugin_then_the_core(plugin_hooks, manifest_context) -> None:
    mehr = manifest_context(MEHR)
    hooks = plugin_hooks(mehr)
    clocks = hooks.aftersales_sla_targets(tenant=mehr, request=factories.make_request_facts())
    assert [clock.name for clock in clocks] == ["result", "replacement"]  # electronics' own
    inquiry = hooks.aftersales_sla_targets(tenant=mehr, request=factories.make_request_facts(kind="inquiry"))
    assert [(clock.name, clock.duration) for clock in inquiry] == [("first_response", timedelta(days=2))]  # core


def test_factories_fill_required_fields_and_take_overrides() -> None:
    claim = factories.make_claim_facts(kind=ClaimKind.RETURN, receipts_shown=True)
    assert (claim.kind, claim.receipts_shown, claim.reported_on) == (ClaimKind.RETURN, True, factories.REPORTED_ON)
    assert claim.product == factories.make_product()
    refund = factories.make_refund_facts(requested=Money(5, "USD"))
    assert refund.paid == refund.requested == Money(5, "USD")
    assert factories.make_refund_facts(paid=None).paid is None
    assert factories.make_provider_candidate().provider_id != factories.make_provider_candidate().provider_id
    with pytest.raises(TypeError):
        factories.make_job_facts(labor_price=Money(1, "IRR"))


def test_the_v2_factories_and_fields() -> None:
    answer = factories.make_followup_answer(problem_reported=True, routing=("engineer",))
    assert (answer.plan_name, answer.problem_reported, answer.routing) == ("satisfaction_survey", True, ("engineer",))
    assert factories.make_followup_answer().answered_at == factories.OPENED_AT
    excluded = factories.make_coverage_item(component="consumables", covered=False, reason="worn by use")
    terms = factories.make_warranty_terms(coverage=(factories.make_coverage_item(), excluded))
    assert terms.covered_until(terms.item("machine")) == terms.warranty_end == date(2027, 1, 15)
    assert terms.covered_until(excluded) is None
    with pytest.raises(ValueError, match="lower-case identifier"):
        factories.make_coverage_item(component="Laser Source")
    sale = factories.make_sale(installed_on=date(2026, 2, 1), training_signed_off_on=date(2026, 2, 3))
    assert (sale.sold_on, sale.installed_on) == (factories.SALE_DATE, date(2026, 2, 1))
    job = factories.make_job_facts(labour_hours=Decimal("2.5"), labour_rate_per_hour=Money(400_000, "IRR"))
    assert job.labour_rate_per_hour.times(job.labour_hours) == Money(1_000_000, "IRR")
    assert factories.make_claim_facts(component="laser_source").component == "laser_source"
    refund = factories.make_refund_facts(installed=True, claim_kind=ClaimKind.RETURN)
    assert (refund.installed, refund.claim_kind, refund.claim_decision) == (True, ClaimKind.RETURN, None)
