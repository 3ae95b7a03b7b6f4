"""Every CSV file the platform writes goes through :func:`csv_writer`, so text a customer typed cannot become a
live spreadsheet formula (CSV or "formula" injection).

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) as a formula: a request summary ``=HYPERLINK("http://evil.example/","x")`` would run in the office of
whoever opens the export. Following OWASP's advice ("CSV Injection"), such a text cell is written with a
single quote in front, which the spreadsheet shows as text and does not run; the standard ``csv`` module
does the quoting of commas, quotes and line breaks. Numbers and other non-text values are written as they are.
``tests/http/test_csv_export.py`` checks that no module of the platform writes CSV any other way.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of the first characters that make a spreadsheet run a cell."""
_SKIPPED_BEFORE_A_FORMULA = " \t\r\n"


def neutralised(value: Any) -> Any:
    """``value`` as a cell no spreadsheet runs: a text that starts like a formula (after any blanks) gets a
    leading single quote; anything else is returned as it is."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or value.lstrip(_SKIPPED_BEFORE_A_FORMULA).startswith(FORMULA_STARTS[:4])):
        return "'" + value
    return value


class CsvWriter:
    """A :func:`csv.writer` whose every cell is :func:`neutralised` first."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([neutralised(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row of ``rows``."""
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str]) -> CsvWriter:
    """The one way the platform writes CSV: rows to ``out`` (opened with ``newline=""`` when a file)."""
    return CsvWriter(out)
