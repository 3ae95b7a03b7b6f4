"""Guards on the plugin contract, as datasette keeps them: documented hook by hook, tested hook by hook."""

from __future__ import annotations

import dataclasses
import inspect
import re
from datetime import date

import pytest

from aftersales.contract import CoverageItem, WarrantyTerms, hookspecs, values
from aftersales.settings import REPO_ROOT

HOOKS = {name: fn for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("aftersales_")}
DOC = (REPO_ROOT / "docs" / "plugins.md").read_text()


def _signature(fn) -> str:
    return f"{fn.__name__}{inspect.signature(fn)}".replace("'", "")


def test_every_hook_has_a_docstring_saying_when_it_runs_and_what_it_returns():
    for name, fn in HOOKS.items():
        doc = inspect.getdoc(fn) or ""
        assert "Called" in doc and ":return:" in doc, name
        if fn.aftersales_spec["firstresult"]:
            assert "firstresult" in doc, f"{name} is firstresult and must say so"


def test_every_hook_is_documented_in_the_plugin_guide_with_its_signature():
    for name, fn in HOOKS.items():
        assert f"### {name}\n" in DOC, f"docs/plugins.md has no section for {name}"
        assert _signature(fn) in DOC, f"docs/plugins.md shows an outdated signature for {name}: {_signature(fn)}"


def test_the_guide_documents_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^### (aftersales_\w+)$", DOC, flags=re.M))
    assert documented == set(HOOKS)


def test_every_hook_has_a_test_named_for_it():
    sources = [p.read_text() for p in [*REPO_ROOT.glob("tests/**/test_*.py"), *REPO_ROOT.glob("plugins/*/tests/test_*.py")]]
    untested = [name for name in HOOKS if not any(f"def test_{name}" in src for src in sources)]
    assert untested == []


def test_hook_names_carry_the_project_prefix():
    public = [n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "aftersales_spec")]
    assert sorted(public) == sorted(HOOKS)


SERVICE_V2 = {
    "JobFacts": ("labour_hours", "visit_distance_km", "labour_rate_per_hour", "travel_rate_per_km"),
    "RequestFacts": ("site_distance_km",),
    "FollowUpAnswer": ("plan_name", "answers", "problem_reported", "routing"),
    "FollowUpRouting": ("step", "reason", "due_at", "questionnaire"),
}
"""The service fields issue 17 added to the contract, each of which the guide must name."""


def test_the_service_additions_of_v2_are_fields_of_the_contract_and_documented_in_the_guide():
    import dataclasses

    from aftersales.contract import values

    section = DOC.split("## Service contract additions in v2", 1)[1] if "## Service contract additions in v2" in DOC else ""
    assert section, "docs/plugins.md has no 'Service contract additions in v2' section"
    for name, fields in SERVICE_V2.items():
        declared = {f.name for f in dataclasses.fields(getattr(values, name))}
        assert set(fields) <= declared, name
        undocumented = [f for f in fields if f"`{f}" not in DOC]
        assert undocumented == [], f"{name}: {undocumented} not in docs/plugins.md"


V2_SECTION = DOC.split("## Contract additions in v2", 1)[-1].split("\n## ", 1)[0]
WARRANTY_AND_PAYMENT_ADDITIONS = {
    "WarrantyTerms.coverage", "ClaimReport.component", "ClaimFacts.component", "SaleInfo.installed_on",
    "SaleInfo.training_signed_off_on", "RefundFacts.installed", "RefundFacts.claim_kind",
    "RefundFacts.claim_decision", "RefundFacts.claim_component",
}


def _v2_fields() -> set[str]:
    """Every ``Value.field`` the guide's "Contract additions in v2" table names in its first column."""
    named = set()
    for row in V2_SECTION.splitlines():
        if row.startswith("| `"):
            first = row.split("|")[1]
            names = re.findall(r"`(\w+)\.(\w+)`", first)
            named |= {f"{value}.{name}" for value, name in names}
            shorthand = re.findall(r"`\.(\w+)`", first)
            if names and shorthand:
                named |= {f"{names[0][0]}.{name}" for name in shorthand}
    return named


def test_the_guide_lists_every_contract_addition_of_v2():
    assert "## Contract additions in v2" in DOC
    assert WARRANTY_AND_PAYMENT_ADDITIONS <= _v2_fields()


def test_every_contract_addition_of_v2_exists_with_a_default_so_older_plugins_keep_working():
    for name in sorted(_v2_fields()):
        value, field_name = name.split(".")
        found = {f.name: f for f in dataclasses.fields(getattr(values, value))}
        assert field_name in found, f"docs/plugins.md names {name}, which does not exist"
        field = found[field_name]
        assert field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING, (
            f"{name} has no default: a plugin built before it would break")


def test_a_coverage_item_takes_only_plain_component_codes_and_terms_name_each_once():
    for bad in ("", "Laser", "laser source", "laser\x00", "1st", "x" * 41):
        with pytest.raises(ValueError, match="component code"):
            CoverageItem(bad, None)
    assert CoverageItem("x" * 40, None).component == "x" * 40
    with pytest.raises(ValueError, match="twice"):
        WarrantyTerms(date(2026, 1, 1), date(2027, 1, 1),
                      coverage=(CoverageItem("parts", None), CoverageItem("parts", date(2030, 1, 1))))
