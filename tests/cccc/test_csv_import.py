"""Reading a CSV for an import (cccc/csv_import.py, issue 19): every bad file gets a message
that says what to do, and no bytes at all make it raise anything else."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cccc.csv_import import MAX_BYTES, FileProblem, read_table, runs_as_formula

KNOWN = ["First name", "Last name", "Phone", "Notes"]


def required(present: set[str]) -> set[str]:
    return {"First name", "Last name"}


def read(data: bytes, **kw):
    return read_table(data, known=KNOWN, required=required, **kw)


def problem(data: bytes, **kw) -> str:
    with pytest.raises(FileProblem) as raised:
        read(data, **kw)
    return " ".join(raised.value.messages)


def test_it_reads_rows_by_column_name_in_any_order_and_case():
    table = read(b"last NAME , First name\r\nQuarrington,Wilhelmina\r\n\r\n ,  \r\nShaw, Ann \r\n")
    assert table.columns == ["Last name", "First name"]
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, {"Last name": "Quarrington", "First name": "Wilhelmina"}),
        (5, {"Last name": "Shaw", "First name": "Ann"}),
    ]


def test_it_accepts_utf8_with_the_byte_order_mark_excel_writes():
    table = read("\ufeffFirst name,Last name\nZoë,Ó Súilleabháin\n".encode())
    assert table.rows[0].cells == {"First name": "Zoë", "Last name": "Ó Súilleabháin"}


def test_a_quoted_cell_may_hold_commas_and_line_breaks():
    table = read(b'First name,Last name,Notes\nAnn,Shaw,"Flat 2,\nElm Grove"\nBo,Li,\n')
    assert table.rows[0].cells["Notes"] == "Flat 2,\nElm Grove"
    assert table.rows[1].number == 3


def test_it_refuses_a_file_that_is_not_utf8():
    message = problem("First name,Last name\nZoë,Shaw\n".encode("cp1252"))
    assert "not in UTF-8" in message and "CSV UTF-8" in message


def test_it_names_utf16_and_excel_workbooks():
    assert "UTF-16" in problem("First name,Last name\n".encode("utf-16"))
    assert "Excel workbook" in problem(b"PK\x03\x04\x14\x00\x06\x00rest of a zip")


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode(), b",,,\n,,\n"])
def test_it_refuses_an_empty_file(data):
    message = problem(data)
    assert "empty" in message or "none of them is there" in message


def test_it_refuses_a_file_with_column_names_and_no_rows():
    assert "no rows" in problem(b"First name,Last name\n,\n")


def test_it_names_the_columns_missing_unknown_and_repeated():
    message = problem(b"First name,Surname,Shoe size,First name\nA,B,C,D\n")
    assert "missing: \u201cLast name\u201d" in message
    assert "not in the template: \u201cSurname\u201d, \u201cShoe size\u201d" in message
    assert "more than once: \u201cFirst name\u201d" in message


def test_it_says_when_no_column_name_is_known():
    assert "none of them is there" in problem(b"name,age\nAnn,4\n")


def test_it_spots_semicolons():
    assert "semicolons" in problem(b"First name;Last name\nAnn;Shaw\n")


def test_it_refuses_more_rows_than_the_limit():
    rows = b"".join(b"Ann,Shaw\n" for _ in range(6))
    assert "more than 5 rows" in problem(b"First name,Last name\n" + rows, max_rows=5)
    assert len(read(b"First name,Last name\n" + rows[:45], max_rows=5).rows) == 5


def test_it_refuses_a_file_over_the_size_limit():
    assert "larger than 2 MB" in problem(b"First name,Last name\n" + b"x" * MAX_BYTES)


def test_it_refuses_a_value_in_a_column_without_a_name():
    table = read(b"First name,Last name,\nAnn,Shaw,\nBo,Li,extra\n")
    assert [r.number for r in table.rows] == [2]
    assert [(e.row, e.column) for e in table.errors] == [(3, "")]
    assert "no name" in table.errors[0].message


def test_a_formula_is_an_error_of_its_row_and_column_and_its_row_goes_no_further():
    table = read(b'First name,Last name,Notes\nAnn,Shaw,"=HYPERLINK(""x"")"\nBo,Li,\n')
    assert [r.number for r in table.rows] == [3]
    assert [(e.row, e.column) for e in table.errors] == [(2, "Notes")]
    assert "formula" in table.errors[0].message and "HYPERLINK" not in table.errors[0].message


@pytest.mark.parametrize(
    "value", ["=1+1", "@SUM(A1)", "+HYPERLINK(1)", "-cmd|' /C calc'!A0", "=", "+A1", "-x"]
)
def test_these_run_as_formulas(value):
    assert runs_as_formula(value)


@pytest.mark.parametrize("value", ["+44 7700 900123", "+44 (0)7700 900-123", "-", "-1", "a=b"])
def test_numbers_and_phone_numbers_do_not(value):
    assert not runs_as_formula(value)


def test_a_broken_row_is_named():
    assert "Row 2 cannot be read" in problem(b'First name,Last name\n"Ann' + b"x" * 140_000)


# --- never anything but a message ------------------------------------------------------------


def _read_or_problem(data: bytes) -> None:
    try:
        table = read(data)
    except FileProblem as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)
    else:
        assert table.rows or table.errors


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_give_rows_or_a_message(data):
    _read_or_problem(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_gives_rows_or_a_message(text):
    _read_or_problem(text.encode("utf-8", "surrogatepass"))


cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", "=1", "+44 1", '"', ",", "\n", "\r", "\t=x", "@", "-"]
)


@settings(max_examples=200, deadline=None)
@given(
    header=st.lists(st.sampled_from([*KNOWN, "Other", "", " first NAME "]), max_size=6),
    rows=st.lists(st.lists(cells, max_size=7), max_size=8),
    separator=st.sampled_from([",", ";", "\t"]),
)
def test_random_spreadsheets_give_rows_or_a_message(header, rows, separator):
    lines = [header, *rows]
    text = "\r\n".join(separator.join(cell for cell in line) for line in lines)
    _read_or_problem(text.encode("utf-8", "surrogatepass"))
