"""The shape of the code holds: the layers and contracts of import-linter, and the layout docs/architecture.md
describes (docs/architecture.md §2)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
ARCHITECTURE = REPO / "docs" / "architecture.md"


def _lint(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """import-linter's report. Its logging set-up (``dictConfig``) disables every logger that exists; they are
    enabled again after, or later tests in this process would capture no log line of theirs."""
    enabled = [lg for lg in logging.Logger.manager.loggerDict.values()
               if isinstance(lg, logging.Logger) and not lg.disabled]
    try:
        code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    finally:
        for lg in enabled:
            lg.disabled = False
    return code, capsys.readouterr().out


def test_every_import_contract_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _lint(REPO / "pyproject.toml", capsys)
    assert code == 0, report
    kept = re.search(r"Contracts: (\d+) kept, (\d+) broken", report)
    assert kept is not None and int(kept.group(1)) >= 9 and kept.group(2) == "0", report


def test_a_broken_layer_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The linter reads this code, not nothing: a contract the code breaks (money reads numerals) fails."""
    config = tmp_path / "broken.toml"
    config.write_text('[tool.importlinter]\nroot_package = "aftersales"\n\n[[tool.importlinter.contracts]]\n'
                      'name = "money below numerals"\ntype = "layers"\n'
                      'layers = ["aftersales.contract.numerals", "aftersales.contract.money"]\n')
    code, report = _lint(config, capsys)
    assert code == 1
    assert "aftersales.contract.money -> aftersales.contract.numerals" in report


def _layout_paths() -> list[str]:
    """Every path of the layout tree in §2: one entry a line, indented two spaces a level under its folder."""
    text = ARCHITECTURE.read_text()
    block = text[text.index("## 2. Layout"):].split("```")[1]
    paths, folders = [], []
    for line in block.splitlines()[1:]:
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip())) // 2
        name = line.split()[0]
        del folders[depth:]
        paths.append("/".join([*folders, name]).rstrip("/"))
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
    return paths


def test_the_layout_names_real_paths() -> None:
    paths = _layout_paths()
    assert len(paths) > 60
    missing = [p for p in paths if not (REPO / p).exists()]
    assert missing == []


def test_every_package_of_the_core_is_in_the_layout() -> None:
    """A new package gets its line in the tree (and so a place in the layers) when it is made."""
    named = set(_layout_paths())
    core = REPO / "platform" / "aftersales"
    packages = {str(init.parent.relative_to(REPO)) for init in core.glob("*/__init__.py")}
    assert packages - named == set()


def test_paths_in_the_prose_exist() -> None:
    """Every file path quoted in the page (`payments/ledger/splits.py`, `tests/test_schema_keys.py`) exists, read
    from the repository, from ``platform/`` or from the core package."""
    text = ARCHITECTURE.read_text()
    quoted = re.findall(r"`([\w.]+(?:/[\w.]+)+\.\w+)`", text)
    assert len(quoted) > 10
    roots = (REPO, REPO / "platform", REPO / "platform" / "aftersales", REPO.parent / "shared")
    missing = [p for p in quoted if not any((root / p).exists() for root in roots)]
    assert missing == []
