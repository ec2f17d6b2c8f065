"""Every CSV the application writes goes through `csv_writer`: a spreadsheet runs a cell that
begins with = + - @ (or a tab or carriage return before one) as a formula, so such a cell is
written with a leading apostrophe, which spreadsheets show as text (OWASP, "CSV injection").

`tests/cccc/test_csv_safe.py` fails when a module of the project calls `csv.writer` itself.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = frozenset("=+-@\t\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet may run the text as a formula: it begins with = + - @, a tab
    or a carriage return, or does so after leading spaces."""
    return text[:1] in FORMULA_STARTS or text.lstrip(" ")[:1] in FORMULA_STARTS


def safe_cell(value: object) -> object:
    """The value as it should be written: numbers as they are (a number is never a formula),
    None as an empty cell, any text that could run as a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


class SafeWriter:
    """csv.writer's writerow and writerows, with every cell passed through safe_cell."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable) -> SafeWriter:
    return SafeWriter(stream)
