"""The example of "Testing your plugin" in docs/plugins.md runs as printed: its plugin, sample tenant and tests
are copied out of the guide into a fresh directory and its tests pass under pytest with the kit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from aftersales.settings import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "plugins.md"

# The plugin is not installed here, so the registry is the server's with it added (as the guide says to do).
CONFTEST = '''
import pytest
from aftersales.plugins import build_plugin_registry
from aftersales_boats import plugin


@pytest.fixture(scope="session")
def aftersales_registry():
    return build_plugin_registry(extra_plugins=[("boats", plugin)])
'''


def example_files() -> dict[str, str]:
    """Every fenced block of the section whose first line names its file (``# tests/test_boats.py``)."""
    section = GUIDE.read_text().split("## Testing your plugin\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:python|toml)\n# ([\w/.]+)[^\n]*\n(.*?)```", section, flags=re.DOTALL)
    return {path: body for path, body in blocks}


def test_the_guides_example_plugin_passes_its_tests_and_the_conformance_check(tmp_path: Path) -> None:
    files = example_files()
    assert set(files) == {"aftersales_boats/plugin.py", "tenants/harbour.toml", "tests/test_boats.py"}
    for path, body in {**files, "aftersales_boats/__init__.py": "", "tests/conftest.py": CONFTEST}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(body)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(tmp_path)}, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout
