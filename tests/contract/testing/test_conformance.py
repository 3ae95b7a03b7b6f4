"""The conformance check finds a broken plugin's faults hook by hook, with the smallest example, and passes a
plugin that keeps the contract."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from hypothesis import strategies as st

from aftersales.contract import FollowUpRouting, VerticalInfo, defaults, hookimpl
from aftersales.contract.testing.checks import CHECKS, HookCheck
from aftersales.contract.testing.conformance import ConformanceReport, UnknownPlugin, check_plugin
from aftersales.plugins import build_plugin_registry
from aftersales.settings import REPO_ROOT
from support.broken_plugin import Broken, BrokenCoverage, BrokenSettings


@pytest.fixture(scope="module")
def report() -> ConformanceReport:
    registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("broken", Broken())])
    return check_plugin(registry, "broken", max_examples=25)


def failure(report: ConformanceReport, hook: str):
    found = [f for f in report.failures if f.hook == hook]
    assert found, f"{hook} was not reported: {report.hooks.get(hook)}"
    return found[0]


def test_each_broken_hook_is_reported_by_name_and_the_card_passes(report) -> None:
    statuses = {hook: result.status for hook, result in report.hooks.items()}
    assert statuses.pop("aftersales_judge_card") == "passed"
    assert statuses.pop("aftersales_vertical_info") == "passed"
    assert statuses.pop("aftersales_validate_serial") == "passed"
    assert set(statuses.values()) == {"failed"} and len(statuses) == 11
    assert not report.ok


def test_a_wrong_answer_type_names_the_type_expected(report) -> None:
    assert failure(report, "aftersales_warranty_terms").message == "returned str, not WarrantyTerms | None"


def test_a_negative_clock_is_reported(report) -> None:
    assert failure(report, "aftersales_sla_targets").message == "clock 'result': the duration must be positive"


def test_refusals_without_reasons_are_reported(report) -> None:
    assert failure(report, "aftersales_refund_policy").message == "a refused refund says why"
    assert failure(report, "aftersales_assess_claim").message == "a rejected claim names the conditions it failed"
    rating = failure(report, "aftersales_rating_policy")
    assert rating.message == "a refused rating carries the reasons"
    assert "stars=1" in rating.example["rating"]  # the smallest example: the one-star rating


def test_an_exception_is_the_hooks_failure_with_where_it_was_raised(report) -> None:
    quote = failure(report, "aftersales_quote")
    assert quote.message.startswith("raised IndexError: tuple index out of range (at support/broken_plugin.py:")
    assert "parts=()" in quote.example["job"]


def test_batch_serial_answers_must_equal_the_per_serial_ones(report) -> None:
    batch = failure(report, "aftersales_validate_serials")
    assert "the batch answers" in batch.message and "aftersales_validate_serial answers" in batch.message
    assert set(batch.example) == {"tenant", "serials", "products"}


def test_unique_names_and_exact_rankings_are_required(report) -> None:
    assert failure(report, "aftersales_followups").message == (
        "follow-up plan names must be unique; given more than once: 'call'")
    assert failure(report, "aftersales_service_catalogue").message == (
        "offering codes must be unique; given more than once: 'repair'")
    assert failure(report, "aftersales_rank_providers").message.startswith("ranks 0 providers of 1 candidates")


@pytest.fixture(scope="module")
def v2_report() -> ConformanceReport:
    registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("broken_coverage", BrokenCoverage())])
    return check_plugin(registry, "broken_coverage", max_examples=200)


def test_a_component_covered_until_before_the_warranty_starts_is_reported_with_a_commissioned_sale(v2_report) -> None:
    terms = failure(v2_report, "aftersales_warranty_terms")
    assert re.fullmatch(r"the consumables cover ends \(\S+\) before the warranty starts \(\S+\)", terms.message)
    # a sale neither installed nor signed off starts the warranty on the sale: it passes
    assert "installed_on=None, training_signed_off_on=None" not in terms.example["sale"]


def test_a_free_repair_of_an_excluded_component_is_reported(v2_report) -> None:
    claim = failure(v2_report, "aftersales_assess_claim")
    assert re.fullmatch(r"a free repair of the \w+, which the terms exclude", claim.message)
    assert "covered=False" in claim.example["terms"] and "kind=<ClaimKind.WARRANTY_REPAIR" in claim.example["claim"]


def test_a_quote_by_the_hour_must_still_add_up_to_lines_that_are_not_negative(v2_report) -> None:
    quote = failure(v2_report, "aftersales_quote")
    assert "negative" in quote.message  # a labour line below zero, or a total that pays the customer
    assert "labour_rate_per_hour=Money(" in quote.example["job"] and "labour_hours=Decimal(" in quote.example["job"]


def test_a_routing_must_go_to_a_known_step_and_never_to_rnd_without_a_problem(report, v2_report) -> None:
    assert failure(v2_report, "aftersales_followup_answered").message == (
        "routes to 'escalate', not one of engineer, rnd, call_back, close")
    rnd = failure(report, "aftersales_followup_answered")
    assert rnd.message == "routes an answer that reported no problem to R&D"
    assert "problem_reported=False" in rnd.example["answer"]


def test_a_routing_without_a_reason_is_reported() -> None:
    @hookimpl
    def aftersales_vertical_info() -> VerticalInfo:
        return VerticalInfo(name="mute", title="Mute", version="0.1", description="routes without a word",
                            settings_schema=BrokenSettings)

    @hookimpl
    def aftersales_followup_answered(tenant, answer):
        routing = FollowUpRouting("call_back", "x")
        object.__setattr__(routing, "reason", " ")
        return routing if answer.problem_reported else None

    mute = SimpleNamespace(aftersales_vertical_info=aftersales_vertical_info,
                           aftersales_followup_answered=aftersales_followup_answered)
    registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("mute", mute)])
    report = check_plugin(registry, "mute", max_examples=10)
    assert failure(report, "aftersales_followup_answered").message == "routes to 'call_back' without a reason"


def test_the_report_reads_as_a_table_and_assert_ok_fails_with_it(report) -> None:
    text = str(report)
    assert re.search(r"\n  aftersales_judge_card +passed +25 examples\n", text)
    assert re.search(r"\n  aftersales_quote +failed +raised IndexError", text)
    with pytest.raises(AssertionError, match="aftersales_sla_targets: clock 'result'"):
        report.assert_ok()


def test_a_list_of_the_wrong_things_is_the_wrong_type_and_none_leaves_the_decision_to_the_core() -> None:
    @hookimpl
    def aftersales_vertical_info() -> VerticalInfo:
        return VerticalInfo(name="words", title="Words", version="0.1", description="answers in words",
                            settings_schema=BrokenSettings)

    @hookimpl
    def aftersales_sla_targets(tenant, request):
        return ["result within 7 days"]

    @hookimpl
    def aftersales_quote(tenant, job):
        return None

    words = SimpleNamespace(aftersales_vertical_info=aftersales_vertical_info,
                            aftersales_sla_targets=aftersales_sla_targets, aftersales_quote=aftersales_quote)
    registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("words", words)])
    report = check_plugin(registry, "words", max_examples=5)
    assert failure(report, "aftersales_sla_targets").message == "returned list of str, not list[SlaTarget] | None"
    assert report.hooks["aftersales_quote"].status == "passed"


def test_a_hook_the_kit_cannot_draw_facts_for_is_unchecked_not_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the contract grows faster than the kit: a new hook, or a new argument of a hook."""
    monkeypatch.delitem(CHECKS, "aftersales_quote")
    sla = CHECKS["aftersales_sla_targets"]
    monkeypatch.setitem(CHECKS, "aftersales_sla_targets", HookCheck(lambda currency: st.fixed_dictionaries({}),
                                                                      sla.rule))
    registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("broken", Broken())])
    report = check_plugin(registry, "broken", max_examples=5)
    quote, sla_targets = report.hooks["aftersales_quote"], report.hooks["aftersales_sla_targets"]
    assert (quote.status, quote.note) == ("unchecked", "the kit does not generate facts for this hook yet")
    assert (sla_targets.status, sla_targets.note) == ("unchecked", "the kit does not generate request")
    assert "aftersales_quote" not in {failure.hook for failure in report.failures}


def test_the_core_defaults_conform() -> None:
    """The core's own answers, registered as a vertical of their own, keep every rule the kit checks."""
    @hookimpl
    def aftersales_vertical_info() -> VerticalInfo:
        return VerticalInfo(name="core_again", title="Core", version="0.1", description="the core defaults",
                            settings_schema=BrokenSettings)

    hooks = {name: getattr(defaults, name) for name in dir(defaults) if name.startswith("aftersales_")}
    core_again = SimpleNamespace(**hooks, aftersales_vertical_info=aftersales_vertical_info)
    registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("core_again", core_again)])
    report = check_plugin(registry, "core_again", max_examples=15)
    report.assert_ok()
    assert set(report.hooks) == {*hooks, "aftersales_vertical_info"}
    passed = {hook for hook, result in report.hooks.items() if result.status == "passed"}
    assert passed == set(report.hooks) & set(CHECKS)  # every hook the kit can draw facts for


def test_a_manifest_tenant_is_checked_with_its_settings(aftersales_registry, manifest_context) -> None:
    mehr = manifest_context(REPO_ROOT / "tenants" / "mehr.toml")
    report = check_plugin(aftersales_registry, "electronics", max_examples=10, tenant=mehr)
    report.assert_ok()
    assert report.hooks["aftersales_sla_targets"].status == "passed"
    with pytest.raises(ValueError, match="does not have plugin 'appliances' enabled"):
        check_plugin(aftersales_registry, "appliances", tenant=mehr)


def test_an_unknown_plugin_is_named_with_the_closest(aftersales_registry) -> None:
    with pytest.raises(UnknownPlugin, match="no plugin named 'applainces'; did you mean 'appliances'"):
        check_plugin(aftersales_registry, "applainces")
