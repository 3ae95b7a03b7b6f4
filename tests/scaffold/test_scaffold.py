"""The plugin template of ``aftersales plugin new``: what it refuses, and that each hook module it generates
starts as the core default, in sentences translated into every language the platform speaks."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.cli.main import main
from aftersales.contract import defaults
from aftersales.contract.testing import strategies
from aftersales.contract.testing.contexts import tenant_context
from aftersales.plugins import build_plugin_registry
from aftersales.scaffold import TEMPLATE, available_hooks, generate, hook_table, plan

MODULES = TEMPLATE / "project" / "{{package}}"
LANGUAGES = ("fa", "zh", "ka")


def module_template(hook: str) -> Path:
    return MODULES / f"{{% if '{hook}' in hooks %}}{hook}.py{{% endif %}}.jinja"


def new(*args: str, dest: Path) -> Any:
    return CliRunner().invoke(main, ["plugin", "new", *args, "--dest", str(dest)])


# -- what it refuses --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Boats", "2boats", "boats-and-bikes", "class", ""])
def test_a_name_that_is_not_a_lower_case_identifier_is_refused_in_one_line(name, tmp_path):
    result = new(name, dest=tmp_path)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "must be a lower-case Python identifier" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["electronics", "core"])
def test_the_name_of_an_existing_plugin_is_refused(name, tmp_path):
    result = new(name, dest=tmp_path)
    assert result.exit_code == 1 and result.output == f"error: a plugin named {name!r} already exists: choose another name\n"


def test_a_misspelt_hook_is_refused_with_the_closest_name(tmp_path):
    result = new("boats", "--hook", "sla_target", dest=tmp_path)
    assert result.exit_code == 1
    assert result.output == "error: no hook named 'sla_target'; did you mean 'sla_targets'?\n"


def test_a_destination_in_use_is_refused(tmp_path):
    (tmp_path / "aftersales-boats").mkdir()
    (tmp_path / "aftersales-boats" / "notes.txt").write_text("mine")
    result = new("boats", dest=tmp_path)
    assert result.exit_code == 1 and "already exists and is not empty" in result.output
    assert (tmp_path / "aftersales-boats" / "notes.txt").read_text() == "mine"


def test_a_title_with_a_quote_is_refused(tmp_path):
    result = new("boats", "--title", 'The "Best" Boats', dest=tmp_path)
    assert result.exit_code == 1 and "without quotes or backslashes" in result.output


def test_hooks_may_be_named_with_their_prefix_and_the_batch_serial_hook_brings_the_per_serial_one(tmp_path):
    chosen = plan("boats", hooks=["aftersales_validate_serials"], dest=tmp_path, title=None, taken=set())
    assert chosen.hooks == ["validate_serial", "validate_serials"]
    assert [field["name"] for field in chosen.answers["settings"]] == ["max_serial_length"]


def test_without_hooks_the_warranty_and_the_clocks_are_generated(tmp_path):
    result = new("boats", dest=tmp_path)
    assert result.exit_code == 0, result.output
    package = tmp_path / "aftersales-boats" / "aftersales_boats"
    assert sorted(p.name for p in package.glob("*.py")) == ["__init__.py", "plugin.py", "settings.py", "sla_targets.py",
                                                             "warranty_terms.py"]
    manifest = (tmp_path / "aftersales-boats" / "tenants" / "boats-demo.toml").read_text()
    assert 'vertical = "boats"' in manifest and "first_response_business_days = 3" in manifest


# -- the template agrees with itself ------------------------------------------------------------------------


def test_every_hook_of_the_contract_has_a_module_a_test_and_an_entry(tmp_path):
    table = hook_table()
    assert set(table) == set(available_hooks())
    for hook in available_hooks():
        assert module_template(hook).exists(), hook
        assert (TEMPLATE / "project" / "tests" / f"{{% if '{hook}' in hooks %}}test_{hook}.py{{% endif %}}.jinja").exists()


@pytest.mark.parametrize("hook", available_hooks())
def test_each_module_says_exactly_the_sentences_translated_for_it(hook):
    said = set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)*)"', module_template(hook).read_text()))
    translated = hook_table()[hook].get("messages", {})
    assert said == set(translated)
    for msgid, translations in translated.items():
        assert set(translations) == set(LANGUAGES), msgid
        for language in LANGUAGES:
            assert set(re.findall(r"{(\w+)}", translations[language])) == set(re.findall(r"{(\w+)}", msgid)), \
                (msgid, language)


def test_each_setting_defaults_to_the_core_defaults_constant():
    defaults_by_setting = {field["name"]: field["default"] for hook in hook_table().values()
                           if (field := hook.get("setting"))}
    assert defaults_by_setting == {"max_serial_length": defaults.MAX_SERIAL_LENGTH,
                                   "warranty_months": defaults.DEFAULT_WARRANTY_MONTHS,
                                   "first_response_business_days": 2,  # defaults.aftersales_sla_targets' literal
                                   "rating_burst_per_day": defaults.RATING_BURST_PER_DAY,
                                   "proforma_valid_business_days": defaults.PROFORMA_VALID_BUSINESS_DAYS,
                                   "used_part_warranty_days": defaults.USED_PART_WARRANTY_DAYS,
                                   "transfer_expected_business_days": defaults.TRANSFER_EXPECTED_BUSINESS_DAYS}


# -- a new plugin behaves as the core does -------------------------------------------------------------------


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """A plugin generated with every hook, imported, and a tenant on it with the default settings."""
    dest = tmp_path_factory.mktemp("generated")
    project = generate(plan("mirror", hooks=available_hooks(), dest=dest, title=None, taken=set()))
    sys.path.insert(0, str(project))
    try:
        module = importlib.import_module("aftersales_mirror.plugin")
        registry = build_plugin_registry(load_entry_points=False, extra_plugins=[("mirror", module)])
        assert registry.names == ["mirror"], registry.failures
        yield module, tenant_context(registry, "mirror")
    finally:
        sys.path.remove(str(project))
        for name in [n for n in sys.modules if n.startswith("aftersales_mirror")]:
            del sys.modules[name]


def _plain(answer: Any) -> Any:
    """An answer with every sentence as its English text and serial schemes dropped (the plugin names its own)."""
    if isinstance(answer, list | tuple):
        return [_plain(item) for item in answer]
    if hasattr(answer, "__dataclass_fields__"):
        return {name: (None if name == "scheme" else _plain(getattr(answer, name)))
                for name in answer.__dataclass_fields__}
    return str(answer) if isinstance(answer, str) else answer


FACTS: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {
    "validate_serial": lambda: st.fixed_dictionaries({"serial": strategies.serials(), "product": st.none()}),
    "judge_card": lambda: st.fixed_dictionaries({"card": strategies.card_evidence()}),
    "warranty_terms": lambda: st.fixed_dictionaries({"product": strategies.products(), "sale": strategies.sales()}),
    "assess_claim": lambda: st.fixed_dictionaries({"claim": strategies.claim_facts(), "terms": strategies.warranty_terms(),
                                                   "today": st.dates()}),
    "resolution_options": lambda: st.fixed_dictionaries({"context": strategies.resolution_contexts()}),
    "sla_targets": lambda: st.fixed_dictionaries({"request": strategies.request_facts()}),
    "followups": lambda: st.fixed_dictionaries({"event": strategies.service_events()}),
    "service_catalogue": lambda: st.just({}),
    "quote": lambda: st.fixed_dictionaries({"job": strategies.job_facts()}),
    "rating_policy": lambda: st.fixed_dictionaries({"rating": strategies.rating_facts()}),
    "rank_providers": lambda: st.fixed_dictionaries({"offering": st.just("repair"),
                                                     "candidates": strategies.candidate_lists()}),
    "late_delivery_compensation": lambda: st.fixed_dictionaries({"delivery": strategies.late_deliveries()}),
    "refund_policy": lambda: st.fixed_dictionaries({"refund": strategies.refund_facts()}),
    "followup_answered": lambda: st.fixed_dictionaries({"answer": strategies.followup_answers()}),
    "order_terms": lambda: st.just({}),
    "intake_checklist": lambda: st.fixed_dictionaries({"product": st.none() | strategies.products()}),
    "request_kinds": lambda: st.just({}),
    "used_part_terms": lambda: st.fixed_dictionaries({"part": strategies.part_facts()}),
    "dispatch_terms": lambda: st.just({}),
}


def test_every_generated_hook_but_the_batch_is_compared_with_the_core() -> None:
    assert set(FACTS) == set(available_hooks()) - {"validate_serials"}  # the batch: the test after the next


@pytest.mark.parametrize("hook", sorted(FACTS))
def test_each_generated_hook_answers_what_the_core_default_answers(mirror, hook):
    module, tenant = mirror
    ours, core = getattr(module, f"aftersales_{hook}"), getattr(defaults, f"aftersales_{hook}")

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(FACTS[hook]())
    def agree(facts: dict[str, Any]) -> None:
        assert _plain(ours(tenant=tenant, **facts)) == _plain(core(tenant=tenant, **facts))

    agree()


def test_the_batch_serial_hook_answers_the_per_serial_default(mirror):
    module, tenant = mirror

    @settings(max_examples=30, deadline=None)
    @given(st.lists(strategies.serials(), max_size=6))
    def agree(serials: list[str]) -> None:
        batch = module.aftersales_validate_serials(tenant=tenant, serials=serials, products=[None] * len(serials))
        assert _plain(batch) == _plain([defaults.aftersales_validate_serial(tenant=tenant, serial=s, product=None)
                                        for s in serials])

    agree()
