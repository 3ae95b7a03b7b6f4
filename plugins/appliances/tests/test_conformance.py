"""The appliances vertical keeps the contract: the kit's conformance check calls every hook it implements with
generated facts, for tenants on the default settings and for Entekhab with its own."""

from __future__ import annotations

import pytest

HOOKS = {"aftersales_vertical_info", "aftersales_validate_serial", "aftersales_validate_serials",
         "aftersales_warranty_terms", "aftersales_assess_claim", "aftersales_service_catalogue", "aftersales_quote",
         "aftersales_rank_providers", "aftersales_refund_policy"}


@pytest.mark.parametrize("seed", [None, "entekhab"])
def test_every_appliances_hook_conforms(conformance, seed_tenant, seed: str | None) -> None:
    report = conformance("appliances", max_examples=25, tenant=seed_tenant(seed) if seed else None)
    report.assert_ok()
    assert {hook for hook, result in report.hooks.items() if result.status == "passed"} >= HOOKS
