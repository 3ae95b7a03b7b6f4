"""``aftersales onboard --dry-run``: the context, catalogue and clocks a manifest would produce, nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from aftersales.cli.main import main
from aftersales.cli.onboard_preview import describe
from aftersales.settings import REPO_ROOT


def dry_run(tmp_path: Path, *manifests: Path) -> tuple[int, str, Path]:
    data = tmp_path / "data"
    env = {"AFTERSALES_DATA_DIR": str(data), "AFTERSALES_DATABASE_URL": f"sqlite+aiosqlite:///{data / 'aftersales.db'}",
           "AFTERSALES_MIGRATION_DATABASE_URL": None}
    result = CliRunner().invoke(main, ["onboard", "--dry-run", *map(str, manifests)], env=env)
    return result.exit_code, result.output, data


def test_a_dry_run_prints_mehrs_context_catalogue_and_clocks_and_writes_nothing(tmp_path):
    code, out, data = dry_run(tmp_path, REPO_ROOT / "tenants" / "mehr.toml")
    assert code == 0, out
    assert not data.exists()  # no database, no data directory, no generated key
    assert "mehr on the electronics vertical" in out
    assert "country IR, currency IRR, time zone Asia/Tehran, locales fa, en" in out
    assert "weekend fri; hours 08:00-17:00, thu 08:00-13:00; closures none\n" in out
    assert "warranty_months=18" in out and "repair_result_business_days=7" in out
    assert "default service catalogue (3 offerings)" in out and "screen_repair" in out
    lines = out.splitlines()
    assert ("    repair       result               7 business days      opened -> ready, ended; on breach notify: "
            "the intake receipt promises a result within 7 business days") in lines
    assert any(line.startswith("    repair       replacement          30 business days") and "offer_replacement" in line
               for line in lines)
    assert any(line.startswith("    complaint    complaint_response   48 business hours") for line in lines)
    assert any(line.startswith("    inquiry      first_response       2 business days") for line in lines)
    assert lines[-1] == "dry run: nothing was written"


def test_a_tenant_whose_vertical_sets_no_complaint_clock_gets_the_platforms(tmp_path):
    code, out, _ = dry_run(tmp_path, REPO_ROOT / "tenants" / "carmax.toml")
    assert code == 0, out
    assert any(line.startswith("    complaint    complaint_response   48 business hours") for line in out.splitlines())
    assert "    repair       onsite               1 business day " in out


def test_entekhabs_dry_run_shows_its_half_day_thursday_and_its_call_centre_open_around_the_clock(tmp_path):
    code, out, _ = dry_run(tmp_path, REPO_ROOT / "tenants" / "entekhab.toml")
    assert code == 0, out
    assert "weekend fri; hours 08:00-17:00, thu 08:00-13:00; closures none; open around the clock: hotline\n" in out


def test_a_bad_manifest_is_refused_in_one_line_and_nothing_is_written(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text((REPO_ROOT / "tenants" / "mehr.toml").read_text().replace("warranty_months = 18", "warranty_months = 0"))
    code, out, data = dry_run(tmp_path, bad)
    assert code == 1 and out.count("\n") == 1 and "settings.electronics.warranty_months" in out
    assert not data.exists()


def test_an_empty_default_catalogue_says_which_hook_would_seed_one():
    from dataclasses import replace

    from aftersales.onboarding.manifest import read_manifest_file
    from aftersales.onboarding.services import preview
    from aftersales.plugins import build_plugin_registry

    manifest = REPO_ROOT / "tenants" / "mehr.toml"
    shown = preview(build_plugin_registry(), read_manifest_file(manifest), datetime.now(UTC))
    lines = describe(manifest, replace(shown, catalogue=[])).splitlines()
    at = lines.index("  default service catalogue (0 offerings)")
    assert lines[at + 1] == ("    none: the electronics vertical seeds no offering "
                             "(a vertical seeds them by implementing aftersales_service_catalogue)")
    assert "none: the electronics" not in describe(manifest, shown)
