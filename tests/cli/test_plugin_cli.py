"""``aftersales plugin check NAME``: a line per hook, exit status 0 when every hook conforms, 1 when one fails,
2 with one line for a plugin that is not installed."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from aftersales import plugins
from aftersales.cli.main import main
from support.broken_plugin import Broken


def check(*args: str):
    return CliRunner().invoke(main, ["plugin", "check", *args])


def test_an_installed_plugin_that_conforms_exits_0_with_a_line_per_hook() -> None:
    result = check("appliances", "--examples", "5")
    assert result.exit_code == 0, result.output
    assert re.search(r"\n  aftersales_quote +passed +5 examples\n", result.output)
    assert re.search(r"\n\d+ hooks conform\n$", result.output) and "failed" not in result.output


def test_a_failing_hook_exits_1_naming_the_hook_and_its_example(monkeypatch: pytest.MonkeyPatch) -> None:
    real = plugins.build_plugin_registry
    monkeypatch.setattr(plugins, "build_plugin_registry",
                        lambda: real(load_entry_points=False, extra_plugins=[("broken", Broken())]))
    result = check("broken", "--examples", "5")
    assert result.exit_code == 1
    assert re.search(r"\n  aftersales_sla_targets +failed +clock 'result': the duration must be positive\n", result.output)
    assert "\naftersales_quote: raised IndexError" in result.output and "    job = JobFacts(" in result.output
    assert result.output.rstrip().endswith("14 hooks, 11 failed")


def test_an_unknown_plugin_exits_2_with_one_line_and_the_closest_name() -> None:
    result = check("electronic")
    assert result.exit_code == 2
    assert result.output == "error: no plugin named 'electronic'; did you mean 'electronics'?\n"


def test_examples_must_be_a_positive_number() -> None:
    result = check("appliances", "--examples", "0")
    assert result.exit_code == 2 and "--examples" in result.output
