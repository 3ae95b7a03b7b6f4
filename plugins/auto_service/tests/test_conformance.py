"""The auto-service vertical keeps the contract: the kit's conformance check calls every hook it implements
with generated facts, for tenants on the default settings and for Carmax and Yizhongyi with their own."""

from __future__ import annotations

import pytest

HOOKS = {"aftersales_vertical_info", "aftersales_validate_serial", "aftersales_validate_serials",
         "aftersales_warranty_terms", "aftersales_assess_claim", "aftersales_sla_targets", "aftersales_followups",
         "aftersales_service_catalogue", "aftersales_quote", "aftersales_rating_policy", "aftersales_rank_providers",
         "aftersales_refund_policy"}


@pytest.mark.parametrize("seed", [None, "carmax", "yizhongyi"])
def test_every_auto_service_hook_conforms(conformance, seed_tenant, seed: str | None) -> None:
    report = conformance("auto_service", max_examples=25, tenant=seed_tenant(seed) if seed else None)
    report.assert_ok()
    assert {hook for hook, result in report.hooks.items() if result.status == "passed"} >= HOOKS
