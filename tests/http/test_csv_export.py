"""CSV cells a spreadsheet would run as formulas are neutralised, and no module writes CSV any other way."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from aftersales.http.csv_export import csv_writer, neutralised

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / "platform" / "aftersales" / "http" / "csv_export.py"


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(A1:A2)",
                                   "\t=1+1", "\r=1+1", "\t", "  =1+1", "\n@x"])
def test_a_cell_that_starts_like_a_formula_gets_a_leading_quote(typed):
    out = io.StringIO()
    csv_writer(out).writerow(["ok", typed])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["ok", "'" + typed]


@pytest.mark.parametrize("value", ["no sound", "", "a=b", "2026-05-01T10:00:00+00:00", "x-1", 5, -5, None])
def test_other_cells_are_written_as_they_are(value):
    assert neutralised(value) is value


def _csv_writers(path: Path) -> list[int]:
    """Lines of ``path`` that make a writer of the standard ``csv`` module (however it is imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names if alias.name == "csv"}
    lines = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "csv"
             and any(alias.name in {"writer", "DictWriter"} for alias in node.names)]
    lines += [node.lineno for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in {"writer", "DictWriter"}
              and isinstance(node.func.value, ast.Name) and node.func.value.id in modules]
    return lines


def test_no_module_writes_csv_but_through_the_neutralising_writer():
    sources = [*(ROOT / "platform").rglob("*.py"), *(p for p in (ROOT / "plugins").rglob("*.py")
                                                    if "tests" not in p.parts)]
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in sources if path != HELPER
                 for line in _csv_writers(path)]
    assert offenders == [], "write CSV with aftersales.http.csv_export.csv_writer"
    assert _csv_writers(HELPER)  # the guard sees a writer where there is one
