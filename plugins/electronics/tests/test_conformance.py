"""The electronics vertical keeps the contract: the kit's conformance check calls every hook it implements with
generated facts, for tenants on the default settings and for Mehr and Golden Laser with their own."""

from __future__ import annotations

import pytest

HOOKS = {"aftersales_vertical_info", "aftersales_validate_serial", "aftersales_validate_serials",
         "aftersales_judge_card", "aftersales_warranty_terms", "aftersales_assess_claim",
         "aftersales_resolution_options", "aftersales_sla_targets", "aftersales_followups",
         "aftersales_service_catalogue", "aftersales_refund_policy"}


@pytest.mark.parametrize("seed", [None, "mehr", "golden-laser"])
def test_every_electronics_hook_conforms(conformance, seed_tenant, seed: str | None) -> None:
    report = conformance("electronics", max_examples=25, tenant=seed_tenant(seed) if seed else None)
    report.assert_ok()
    assert {hook for hook, result in report.hooks.items() if result.status == "passed"} >= HOOKS
