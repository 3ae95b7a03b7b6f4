"""Guards on the plugin contract, as datasette keeps them: documented hook by hook, tested hook by hook."""

from __future__ import annotations

import inspect
import re

from aftersales.contract import hookspecs
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
