"""The industrial vertical passes the plugin kit's conformance check: every hook it implements answers generated
facts with the right types and within the hook's rules, with its default settings and as Golden Laser runs it."""

from __future__ import annotations

from aftersales.settings import REPO_ROOT


def test_the_industrial_vertical_conforms_with_its_default_settings(conformance) -> None:
    conformance("industrial").assert_ok()


def test_the_industrial_vertical_conforms_as_golden_laser_runs_it(conformance, manifest_context) -> None:
    golden = manifest_context(REPO_ROOT / "tenants" / "golden-laser.toml")
    conformance("industrial", tenant=golden).assert_ok()
