"""Reading a spreadsheet saved as CSV, for the imports of families and volunteers (issue 19).

This module reads bytes into rows of named cells and refuses, with a message that says what
to do, what cannot be imported: a file that is not UTF-8 text (UTF-8 with Excel's byte order
mark is), an Excel workbook, an empty file, columns missing or unknown (named), too many
rows, and any cell a spreadsheet would run as a formula (by row and column). What a row
means is the business of each kind of import (families/family_import.py,
volunteers/volunteer_import.py), which checks it with the same form classes as the pages.

It never raises anything but FileProblem, whatever the bytes (tests/cccc/test_csv_import.py
feeds it random ones), and it logs nothing: the file's values never leave the request.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 100
# How much of a column name from the file is quoted back in a message.
NAME_SHOWN = 40
NAMES_SHOWN = 10


class FileProblem(Exception):
    """The file as a whole cannot be imported; each message says why and what to do."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass(frozen=True)
class CellError:
    row: int  # the row's number in the spreadsheet (the column names are row 1); 0: the file
    column: str  # the column's name as in the template; "" for the row as a whole
    message: str


@dataclass
class Row:
    number: int
    cells: dict[str, str]  # template column name -> the cell, without surrounding spaces

    def is_blank(self, columns: Iterable[str]) -> bool:
        return not any(self.cells.get(name) for name in columns)


@dataclass
class Table:
    rows: list[Row]
    errors: list[CellError]
    columns: list[str]  # the template names of the file's columns, in the file's order


@dataclass
class Checked:
    """One row as a kind of import understood it: its errors, or what will be saved (the
    preview's cells, each a list of lines) and what the service needs to save it."""

    row: int
    errors: list[CellError] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    payload: Any = None


class ImportFailed(Exception):
    """The import was refused while saving; the transaction left every record as it was."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


class RowRefused(Exception):
    """A service refused the record of one row; raised inside the import's transaction so
    that it undoes every row before it."""

    def __init__(self, row: int, error: ValidationError) -> None:
        super().__init__(f"row {row}")
        self.row = row
        self.error = error


def normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


# A cell beginning with + or - is a formula to a spreadsheet unless it is a number or a phone
# number ("+44 7700 900123", "-"); one beginning with = or @ always is.
_SIGNED_NUMBER = re.compile(r"[+-][\d\s().+-]*")


def runs_as_formula(value: str) -> bool:
    first = value[:1]
    if first in ("=", "@"):
        return True
    if first in ("+", "-"):
        return not _SIGNED_NUMBER.fullmatch(value)
    return False


def _quote(names: Sequence[str]) -> str:
    shown = [(n if len(n) <= NAME_SHOWN else n[:NAME_SHOWN] + "…") for n in names[:NAMES_SHOWN]]
    more = len(names) - len(shown)
    return ", ".join(f"“{n}”" for n in shown) + (f" and {more} more" if more > 0 else "")


def _decode(data: bytes) -> str:
    if not data.strip():
        raise FileProblem("The file is empty.")
    if len(data) > MAX_BYTES:
        raise FileProblem(too_large_message())
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            "This is an Excel workbook, not a CSV file. In Excel choose File, Save As, and "
            "the type “CSV UTF-8 (Comma delimited)”, then choose that file here."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            "The file is in UTF-16 (Excel's “Unicode Text”). Save it as “CSV UTF-8 (Comma "
            "delimited)” instead, then choose that file here."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"The file is not in UTF-8 (byte {exc.start + 1} is not). Save it as “CSV UTF-8 "
            "(Comma delimited)” in Excel, or with the UTF-8 encoding in another program, "
            "then choose that file here."
        ) from None
    if "\x00" in text:
        raise FileProblem(
            "The file holds characters a CSV file cannot (NUL): it is not a CSV file. Save "
            "the spreadsheet as “CSV UTF-8 (Comma delimited)”."
        )
    if not text.strip():
        raise FileProblem("The file is empty.")
    return text


def too_large_message() -> str:
    return (
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB, so it was not read. A CSV "
        f"file of {MAX_ROWS} rows is far smaller: check that it is the right file, or split it."
    )


def _header(
    record: list[str], known: Sequence[str], required: Callable[[set[str]], set[str]]
) -> list[str | None]:
    """The template name of each of the file's columns (None for a column without a name),
    or a FileProblem naming the columns missing, unknown or repeated."""
    by_normal = {normalise(name): name for name in known}
    names: list[str | None] = []
    unknown: list[str] = []
    repeated: list[str] = []
    for cell in record:
        if not cell.strip():
            names.append(None)
            continue
        name = by_normal.get(normalise(cell))
        if name is None:
            unknown.append(" ".join(cell.split()))
        elif name in names:
            repeated.append(name)
        names.append(name)
    present = {name for name in names if name}
    if len(record) == 1 and ";" in record[0]:
        raise FileProblem(
            "The columns are separated by semicolons. Save the spreadsheet as “CSV UTF-8 "
            "(Comma delimited)”, whose columns are separated by commas."
        )
    if not present:
        raise FileProblem(
            "The first row must hold the template's column names, and none of them is there. "
            "Download the template, copy your rows under its first row, and save it as CSV."
        )
    problems = []
    missing = [name for name in known if name in required(present) - present]
    if missing:
        problems.append(f"These columns are missing: {_quote(missing)}.")
    if unknown:
        problems.append(
            f"These columns are not in the template: {_quote(unknown)}. Remove them, or "
            "correct their names as the template spells them."
        )
    if repeated:
        problems.append(f"These columns appear more than once: {_quote(repeated)}.")
    if problems:
        raise FileProblem(*problems)
    return names


def read_table(
    data: bytes,
    *,
    known: Sequence[str],
    required: Callable[[set[str]], set[str]],
    max_rows: int = MAX_ROWS,
) -> Table:
    """The file's rows, each cell named by its column. Rows left blank are skipped; a row with
    a cell a spreadsheet would run as a formula comes back with that error (and no cells), so
    that it is reported and never checked further. Raises FileProblem."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    errors: list[CellError] = []
    names: list[str | None] = []
    number = 0
    try:
        for record in reader:
            number += 1
            if number == 1:
                names = _header(record, known, required)
                continue
            row = _row(number, record, names, errors)
            if row is None:
                continue
            if len(rows) == max_rows:
                raise FileProblem(
                    f"The file has more than {max_rows} rows. Import at most {max_rows} at a "
                    "time: split it into several files, each with the column names in its "
                    "first row."
                )
            rows.append(row)
    except csv.Error:
        raise FileProblem(
            f"Row {number + 1} cannot be read as CSV (a cell too long, or quotes that do not "
            "match). Check that row, then save the file as “CSV UTF-8 (Comma delimited)”."
        ) from None
    if not rows and not errors:
        raise FileProblem("The file has its column names but no rows to import.")
    return Table(rows=rows, errors=errors, columns=[n for n in names if n])


def _row(
    number: int, record: list[str], names: list[str | None], errors: list[CellError]
) -> Row | None:
    """One record as a Row, or None when it is blank or holds an error (added to errors)."""
    values = [value.strip() for value in record]
    if not any(values):
        return None
    found = []
    for index, value in enumerate(values):
        if not value:
            continue
        name = names[index] if index < len(names) else None
        if name is None:
            found.append(
                CellError(
                    number,
                    "",
                    f"Cell {index + 1} holds a value but its column has no name in the first "
                    "row. Remove the value, or name the column as the template does.",
                )
            )
        elif runs_as_formula(value):
            found.append(
                CellError(
                    number,
                    name,
                    f"This cell begins with “{value[0]}”, so a spreadsheet would run it as a "
                    "formula. Type the value itself, without the sign in front.",
                )
            )
    if found:
        errors.extend(found)
        return None
    cells = {name: "" for name in names if name}
    for index, value in enumerate(values[: len(names)]):
        name = names[index]
        if name:
            cells[name] = value
    return Row(number=number, cells=cells)
