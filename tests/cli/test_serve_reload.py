"""``aftersales serve --reload``: the server restarts when an installed plugin's code changes, so a plugin author
sees a fix without restarting it by hand."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import aftersales
from aftersales.demo.ports import free_port
from aftersales.plugins import plugin_directories

PLUGIN = '''
from aftersales.contract import PluginSettings, VerticalInfo, hookimpl


@hookimpl
def aftersales_vertical_info():
    return VerticalInfo(name="{name}", title="Probe", version="0.1.0", description="a probe",
                        settings_schema=PluginSettings)
'''


def install_probe(site: Path, describes_itself_as: str) -> Path:
    """A plugin ``probe`` installed into ``site`` by hand (its package and its entry point's metadata)."""
    package = site / "aftersales_probe"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(PLUGIN.format(name=describes_itself_as))
    dist = site / "aftersales_probe-0.1.0.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: aftersales-probe\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text("[aftersales.verticals]\nprobe = aftersales_probe.plugin\n")
    return package


def test_the_watched_directories_are_the_core_and_each_installed_plugin(tmp_path, monkeypatch: pytest.MonkeyPatch):
    package = install_probe(tmp_path, "probe")
    monkeypatch.syspath_prepend(str(tmp_path))
    watched = plugin_directories()
    assert package in watched
    assert any(directory.name == "aftersales_electronics" for directory in watched)


def health(base: str) -> dict | None:
    try:
        answer = httpx.get(f"{base}/health", timeout=1)
    except httpx.TransportError:
        return None
    return answer.json() if answer.status_code == 200 else None


def until(check, server: subprocess.Popen, seconds: float = 45) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        if (body := check()) is not None:
            return body
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def test_fixing_a_plugin_restarts_the_server_with_the_fix(tmp_path):
    site = tmp_path / "site"
    package = install_probe(site, "probe-with-a-typo")
    core = Path(aftersales.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(core), os.environ.get("PYTHONPATH", "")]),
           "AFTERSALES_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'aftersales.db'}",
           "AFTERSALES_DATA_DIR": str(tmp_path / "data"), "AFTERSALES_EMBEDDED_WORKER": "0"}
    env.pop("AFTERSALES_MIGRATION_DATABASE_URL", None)
    base = f"http://127.0.0.1:{(port := free_port())}"
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "aftersales.cli.main", "serve", "--reload", "--port",
                                   str(port)], env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        before = until(lambda: health(base), server)
        assert "probe" in before["plugins_disabled"] and "probe" not in before["plugins"]
        (package / "plugin.py").write_text(PLUGIN.format(name="probe"))
        after = until(lambda: (body := health(base)) and ("probe" in body["plugins"] or None) and body, server)
        assert "probe" not in after["plugins_disabled"]
    finally:
        server.terminate()
        server.wait(timeout=20)
    output = log.read_text()
    assert f"restarting on changes to {Path(aftersales.__file__).parent}" in output
    assert str(package) in output.splitlines()[0]
